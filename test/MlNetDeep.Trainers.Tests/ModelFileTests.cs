using System.IO.Compression;
using System.Text;
using Microsoft.ML;

namespace MlNetDeep.Trainers.Tests;

[TestClass]
public sealed class ModelFileTests
{
    [TestMethod]
    public void VerifyIntegrity_IntactModel_ChecksEveryEntry()
    {
        var ml = new MLContext(1);
        var data = SyntheticData.BinaryView(ml, 50, seed: 1);
        var model = ml.BinaryClassification.Trainers.DenseNetwork(new DenseNetworkOptions { Epochs = 1, Seed = 1 }).Fit(data);
        using var stream = new MemoryStream();
        ml.Model.Save(model, data.Schema, stream);
        stream.Position = 0;
        using var zip = new ZipArchive(new MemoryStream(stream.ToArray()));

        Assert.AreEqual(zip.Entries.Count, ModelFile.VerifyIntegrity(stream));
    }

    [TestMethod]
    public void VerifyIntegrity_ChangedByteThatZipArchiveReadsWithoutComplaint_IsReported()
    {
        // an uncompressed entry: .NET's ZipArchive hands back the changed bytes without checking the CRC
        var bytes = ZipWith("Model/Stored.bin", "the weights of a network");
        int at = IndexOf(bytes, "weights");
        bytes[at] ^= 0x20;
        using (var archive = new ZipArchive(new MemoryStream(bytes)))
        using (var reader = new StreamReader(archive.Entries[0].Open()))
            Assert.AreEqual("the Weights of a network", reader.ReadToEnd(), "ZipArchive itself does not notice");

        var error = Assert.Throws<InvalidDataException>(() => ModelFile.VerifyIntegrity(new MemoryStream(bytes)));

        StringAssert.Contains(error.Message, "Model/Stored.bin");
        StringAssert.Contains(error.Message, "damaged");
    }

    [TestMethod]
    public void VerifyIntegrity_NotAZip_SaysSo()
    {
        var error = Assert.Throws<InvalidDataException>(() => ModelFile.VerifyIntegrity(new MemoryStream(Encoding.UTF8.GetBytes("not a model"))));
        StringAssert.Contains(error.Message, "not an ML.NET model file");
    }

    private static byte[] ZipWith(string name, string content)
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        using (var writer = new StreamWriter(zip.CreateEntry(name, CompressionLevel.NoCompression).Open()))
            writer.Write(content);
        return stream.ToArray();
    }

    private static int IndexOf(byte[] haystack, string needle)
    {
        var n = Encoding.ASCII.GetBytes(needle);
        for (int i = 0; i + n.Length <= haystack.Length; i++)
        {
            if (haystack.AsSpan(i, n.Length).SequenceEqual(n))
                return i;
        }
        throw new InvalidOperationException("not found");
    }
}
