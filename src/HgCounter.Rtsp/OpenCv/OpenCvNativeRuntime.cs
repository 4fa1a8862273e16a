using OpenCvSharp;

namespace HgCounter.Rtsp.OpenCv;

/// <summary>Whether OpenCvSharp's native library is loadable: the application adds it (this package carries none).</summary>
internal static class OpenCvNativeRuntime
{
    /// <summary>The package an application adds on this platform (and the Windows one).</summary>
    public static IReadOnlyList<string> Packages { get; } = OperatingSystem.IsWindows()
        ? ["OpenCvSharp4.runtime.win"]
        : ["OpenCvSharp4.official.runtime.linux-x64"];

    /// <summary>True when OpenCV's native library loads; otherwise <paramref name="problem"/> says which package to add.</summary>
    public static bool TryCheck(out string? problem, out Exception? error)
    {
        try
        {
            _ = Cv2.GetVersionString();
            problem = null;
            error = null;
            return true;
        }
        catch (Exception ex) when (NativeLoadFailure.Is(ex))
        {
            problem = "the OpenCV native library (OpenCvSharpExtern) cannot be loaded: add the OpenCV runtime package of the platform to the application, "
                + "OpenCvSharp4.official.runtime.linux-x64 on Linux x64 or OpenCvSharp4.runtime.win on Windows.";
            error = ex;
            return false;
        }
    }
}
