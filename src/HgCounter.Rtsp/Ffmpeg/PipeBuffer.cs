using System.IO.Pipes;
using System.Runtime.InteropServices;

namespace HgCounter.Rtsp.Ffmpeg;

/// <summary>
/// Enlarges a Linux pipe's kernel buffer (64 KiB by default) so a raw 720p frame (2.7 MB) crosses in a few large reads
/// instead of dozens of small ones, and ffmpeg blocks less often on a full pipe. Best effort: failures are ignored.
/// </summary>
internal static partial class PipeBuffer
{
    private const int SetPipeSize = 1031; // F_SETPIPE_SZ

    public static void TryEnlarge(Stream stream, int bytes)
    {
        if (!OperatingSystem.IsLinux() || stream is not PipeStream pipe)
        {
            return;
        }

        var handle = pipe.SafePipeHandle;
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            _ = Fcntl((int)handle.DangerousGetHandle(), SetPipeSize, bytes);
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    [DllImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Fcntl(int fd, int command, int argument);
}
