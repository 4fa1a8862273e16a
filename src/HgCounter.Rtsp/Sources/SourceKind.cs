namespace HgCounter.Rtsp.Sources;

/// <summary>What kind of location a camera URL names; decides which frame source reads it.</summary>
public enum SourceKind
{
    /// <summary>A network stream (rtsp, rtsps, http, https, rtmp, rtmps, srt): read through an ffmpeg child process.</summary>
    Network = 0,
    /// <summary>A local video file: read through OpenCV (or ffmpeg).</summary>
    File,
    /// <summary>A local capture device (<c>device:0</c>, <c>/dev/video0</c>): read through OpenCV.</summary>
    Device,
    /// <summary>A generated test scene (<c>synthetic:NAME</c>): rendered in process.</summary>
    Synthetic,
}
