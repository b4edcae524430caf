using System.IO.Compression;
using MlNetDeep.Network;

namespace MlNetDeep;

/// <summary>
/// Checks on a saved ML.NET model file before loading it. A model zip names the assemblies and component types
/// <c>mlContext.Model.Load</c> instantiates, so model files must come from a trusted source, like any ML.NET model;
/// these checks catch damage (a truncated download, a flipped bit), not tampering by someone who can rewrite the file.
/// </summary>
public static class ModelFile
{
    /// <summary>
    /// Recomputes the CRC-32 of every entry of the zip and compares it with the one the zip stores (.NET's
    /// <c>ZipArchive</c>, which ML.NET loads through, does not check them). An MlNetDeep network inside the model
    /// carries its own checksum as well, checked when the model first scores or in
    /// <c>DenseNetworkModel.FromTransformer</c>.
    /// </summary>
    /// <returns>The number of entries checked.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="InvalidDataException">The file is not a zip, or an entry's content does not match its checksum; the message names the entry.</exception>
    public static int VerifyIntegrity(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var stream = File.OpenRead(path);
        return VerifyIntegrity(stream);
    }

    /// <summary>Checks a model held in a stream; see <see cref="VerifyIntegrity(string)"/>. The stream is read, not closed.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    /// <exception cref="InvalidDataException">The data is not a zip, or an entry's content does not match its checksum.</exception>
    public static int VerifyIntegrity(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"This is not an ML.NET model file (not a readable zip): {e.Message}", e);
        }
        using (zip)
        {
            int count = 0;
            var buffer = new byte[81920];
            foreach (var entry in zip.Entries)
            {
                uint crc;
                try
                {
                    using var content = entry.Open();
                    crc = Crc32Stream(content, buffer);
                }
                catch (InvalidDataException e)
                {
                    throw new InvalidDataException($"Model entry '{entry.FullName}' cannot be decompressed: {e.Message}", e);
                }
                if (crc != entry.Crc32)
                    throw new InvalidDataException($"Model entry '{entry.FullName}' is damaged: its CRC-32 is {crc:X8}, the zip says {entry.Crc32:X8}.");
                count++;
            }
            return count;
        }
    }

    private static uint Crc32Stream(Stream content, byte[] buffer)
    {
        uint crc = 0xFFFFFFFFu;
        int read;
        while ((read = content.Read(buffer, 0, buffer.Length)) > 0)
            crc = Crc32.Update(crc, buffer.AsSpan(0, read));
        return ~crc;
    }
}
