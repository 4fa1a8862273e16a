namespace HgCounter.ConsoleSample;

/// <summary>
/// <c>--snapshot CAMERA PATH</c>: write one overlaid JPEG of that camera and exit; <c>--snapshot-every INTERVAL</c>
/// (with <c>--snapshot-dir DIR</c>, default <c>snapshots</c>): write every camera's picture to <c>DIR/CAMERA.jpg</c>
/// during a live run.
/// </summary>
internal sealed record SnapshotArguments(string? Camera, string? Path, TimeSpan? Every, string Directory = "snapshots");
