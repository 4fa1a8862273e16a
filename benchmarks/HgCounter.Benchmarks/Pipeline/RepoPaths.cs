namespace HgCounter.Benchmarks.Pipeline;

/// <summary>Finds files of the repository from wherever BenchmarkDotNet runs the benchmark process.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string SyntheticModel => Path.Combine(Root, "models", "synthetic-yolov8.onnx");

    /// <summary>
    /// A real COCO YOLOv8n (int8) kept beside the project for benchmarks only (AGPL weights: never copied into the repo):
    /// <c>../shared/models/yolov8n_int8.onnx</c>, or the file named by <c>HGCOUNTER_BENCH_MODEL</c>. May be absent.
    /// </summary>
    public static string RealModel =>
        Environment.GetEnvironmentVariable("HGCOUNTER_BENCH_MODEL") is { Length: > 0 } path
            ? Path.GetFullPath(path)
            : Path.GetFullPath(Path.Combine(Root, "..", "shared", "models", "yolov8n_int8.onnx"));

    /// <summary>OpenCV's pedestrian clip (768×576, 10 fps, 795 frames) from Debian's opencv-doc package. May be absent.</summary>
    public const string Vtest = "/usr/share/doc/opencv-doc/examples/data/vtest.avi";

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "HgCounter.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("HgCounter.sln not found above " + AppContext.BaseDirectory);
    }
}
