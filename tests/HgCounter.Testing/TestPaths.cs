namespace HgCounter.Testing;

/// <summary>Locations the tests share: the repository root and a fresh temporary directory.</summary>
public static class TestPaths
{
    /// <summary>The repository root (the folder holding HgCounter.sln).</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>Creates and returns a new empty temporary directory.</summary>
    public static string NewTempDirectory(string prefix = "hgcounter")
    {
        var path = Path.Combine(Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "HgCounter.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("HgCounter.sln not found above " + AppContext.BaseDirectory);
    }
}
