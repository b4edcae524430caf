using System.Runtime.InteropServices;
using TorchSharp;

namespace MlNetDeep.Native;

/// <summary>
/// Loads libtorch once and turns a failed native load into an exception that names the cause and the fix.
/// Also reaches libtorch's flush-denormals switch, which TorchSharp 0.107 does not expose.
/// </summary>
internal static class LibTorchRuntime
{
    private static readonly object Gate = new();
    private static bool _loaded;

    /// <summary>Makes sure libtorch is loaded; throws <see cref="InvalidOperationException"/> with the fix when it cannot be.</summary>
    public static void EnsureLoaded()
    {
        if (_loaded)
            return;
        lock (Gate)
        {
            if (_loaded)
                return;
            try
            {
                torch.InitializeDeviceType(DeviceType.CPU);
                _loaded = true;
            }
            catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or NotSupportedException or InvalidOperationException or BadImageFormatException)
            {
                throw new InvalidOperationException(Explain(e), e);
            }
        }
    }

    /// <summary>The message for a failed libtorch load: what is missing and how to fix it.</summary>
    internal static string Explain(Exception e)
    {
        var all = string.Join(" | ", Flatten(e).Select(x => x.Message));
        string fix;
        if (all.Contains("GLIBCXX", StringComparison.Ordinal))
        {
            fix = "The system's libstdc++ is too old: TorchSharp 0.107's native library needs GLIBCXX_3.4.32 (GCC 13 or newer). "
                + "On Debian 12 run build/setup.sh from the MlNetDeep repository, which installs Debian 13's libstdc++6 "
                + "(equivalently: add a temporary 'trixie' apt source, 'apt-get install -t trixie libstdc++6', then remove the source). "
                + "Ubuntu 24.04, Debian 13, Windows and macOS need nothing.";
        }
        else
        {
            fix = "Add a libtorch runtime package to the application that trains (e.g. <PackageReference Include=\"libtorch-cpu-linux-x64\" Version=\"2.10.0\" />, "
                + "or libtorch-cpu-win-x64 / libtorch-cpu-osx-arm64, or TorchSharp-cpu for all platforms). "
                + "On Linux also check that libstdc++ provides GLIBCXX_3.4.32 (build/setup.sh installs it on Debian 12).";
        }
        return "MlNetDeep could not load libtorch, the native library TorchSharp trains with. " + fix + " Native error: " + all;
    }

    private static IEnumerable<Exception> Flatten(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
            yield return x;
    }

    /// <summary>Sets flush-to-zero/denormals-are-zero for the calling thread (denormal optimizer state can halve the speed).</summary>
    /// <returns>False where the switch is not available (the platform or this libtorch build lacks it).</returns>
    public static bool TrySetFlushDenormal(bool on)
    {
        try
        {
            return SetFlushDenormal(on);
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return false;
        }
    }

    // at::Context::setFlushDenormal(bool) is a static member of libtorch's context: exported as a C++ symbol.
    [DllImport("torch_cpu", EntryPoint = "_ZN2at7Context16setFlushDenormalEb")]
    [return: MarshalAs(UnmanagedType.U1)]
    private static extern bool SetFlushDenormal([MarshalAs(UnmanagedType.U1)] bool on);
}
