namespace HgCounter.Testing;

/// <summary>
/// The real COCO YOLOv8n (int8) kept beside the repository in <c>../shared/models/</c> for tests and benchmarks only;
/// it is never copied into the repository. Where it is absent, tests that need it report as skipped with the reason.
/// </summary>
public static class RealModel
{
    /// <summary>Where the model is expected.</summary>
    public static string Path { get; } = System.IO.Path.GetFullPath(System.IO.Path.Combine(TestPaths.RepositoryRoot, "..", "shared", "models", "yolov8n_int8.onnx"));

    /// <summary>True when the file is there.</summary>
    public static bool IsPresent => File.Exists(Path);

    /// <summary>Why a test was skipped, or null when the model is present.</summary>
    public static string? SkipReason => IsPresent ? null : $"The real model is not present at {Path} (see ../shared/models/README.md).";
}
