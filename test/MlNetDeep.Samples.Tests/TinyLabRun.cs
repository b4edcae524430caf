using MlNetDeep.Samples.Data;
using MlNetDeep.Samples.Experiments;
using MlNetDeep.Samples.Reporting;

namespace MlNetDeep.Samples.Tests;

/// <summary>Runs one registered lab experiment in-process on the embedded subset under the tiny budget and returns its result.</summary>
internal static class TinyLabRun
{
    public static ExperimentResult Run(string name, string outputDirectory, int seed = 3)
    {
        Assert.IsTrue(LabExperiments.CreateRegistry().TryGet(name, out var experiment), $"'{name}' is not registered");
        var context = new ExperimentContext(name, DataSource.Resolve(null, full: false), outputDirectory, new ConsoleReporter(new StringWriter(), interactive: false))
        {
            Seed = seed,
            Budget = ExperimentBudget.Tiny,
        };
        return experiment.Run(context);
    }

    /// <summary>Width and height of a PNG file, read from its IHDR chunk.</summary>
    public static (int Width, int Height) PngSize(string path)
    {
        var bytes = File.ReadAllBytes(path);
        CollectionAssert.AreEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, bytes.Take(8).ToArray(), Path.GetFileName(path));
        return (System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)), System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
    }
}
