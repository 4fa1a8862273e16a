using HgCounter.Frames;

namespace HgCounter.Rtsp.Sources;

/// <summary>Creates the frame source for a <c>synthetic:NAME</c> location; registered with <see cref="FrameSourceFactory"/>.</summary>
/// <param name="options">The source options (camera name, size, timeouts).</param>
/// <param name="location">The parsed location; <see cref="SourceLocation.SceneName"/> names the scene.</param>
public delegate IFrameSource SyntheticSourceFactory(FrameSourceOptions options, SourceLocation location);
