using System.Diagnostics;
using System.Reflection;
using Microsoft.ML;

namespace MlNetDeep.TestUtilities;

/// <summary>Runs a saved model in a fresh process (MlNetDeep.ModelLoader) and reads its output back.</summary>
public static class SeparateProcess
{
    /// <summary>
    /// Saves <paramref name="input"/>, runs the loader process on <paramref name="modelPath"/>, and returns the
    /// transformed data the other process wrote (read in this process from a binary IDataView file).
    /// </summary>
    public static IDataView TransformWithLoadedModel(MLContext ml, string modelPath, IDataView input, out string loaderOutput)
    {
        var dir = Path.Combine(Path.GetTempPath(), "mlnetdeep-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var inputPath = Path.Combine(dir, "input.idv");
        var outputPath = Path.Combine(dir, "output.idv");
        using (var s = File.Create(inputPath))
            ml.Data.SaveAsBinary(input, s, keepHidden: false);

        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(LoaderPath());
        psi.ArgumentList.Add(Path.GetFullPath(modelPath));
        psi.ArgumentList.Add(inputPath);
        psi.ArgumentList.Add(outputPath);
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("The model loader process did not finish in 3 minutes.");
        }
        loaderOutput = stdout.Result.Trim();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"The model loader process failed (exit {process.ExitCode}):\n{stderr.Result}");
        return ml.Data.LoadFromBinary(outputPath);
    }

    /// <summary>Path of the loader's dll, built next to this repository's test projects.</summary>
    public static string LoaderPath()
    {
        var here = Path.GetDirectoryName(Assembly.GetExecutingAssembly().Location)!;
        // test/<Project>/bin/<Configuration>/<tfm>/ → test/MlNetDeep.ModelLoader/bin/<Configuration>/<tfm>/
        var tfm = new DirectoryInfo(here).Name;
        var configuration = new DirectoryInfo(here).Parent!.Name;
        var testRoot = new DirectoryInfo(here).Parent!.Parent!.Parent!.Parent!.FullName;
        var path = Path.Combine(testRoot, "MlNetDeep.ModelLoader", "bin", configuration, tfm, "MlNetDeep.ModelLoader.dll");
        if (!File.Exists(path))
            throw new FileNotFoundException($"Model loader not built at {path}; build test/MlNetDeep.ModelLoader first.", path);
        return path;
    }
}
