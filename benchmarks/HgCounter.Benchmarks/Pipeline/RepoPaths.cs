namespace HgCounter.Benchmarks.Pipeline;

/// <summary>Finds files of the repository from wherever BenchmarkDotNet runs the benchmark process.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string SyntheticModel => Path.Combine(Root, "models", "synthetic-yolov8.onnx");

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
