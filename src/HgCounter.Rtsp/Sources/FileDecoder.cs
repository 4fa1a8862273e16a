namespace HgCounter.Rtsp.Sources;

/// <summary>Which decoder reads local video files.</summary>
public enum FileDecoder
{
    /// <summary>An ffmpeg child process (Debian's ffmpeg has SIMD decoders; OpenCvSharp's bundled FFmpeg is built without them).</summary>
    Ffmpeg = 0,
    /// <summary>OpenCV <c>VideoCapture</c> in process.</summary>
    OpenCv,
}
