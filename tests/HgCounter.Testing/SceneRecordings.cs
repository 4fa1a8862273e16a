namespace HgCounter.Testing;

/// <summary>A directory of scene recordings shared by the tests of one class (each scene is encoded once), deleted at the end.</summary>
public sealed class SceneRecordings : IDisposable
{
    /// <summary>Where the recordings are written.</summary>
    public string Directory { get; } = TestPaths.NewTempDirectory("hgcounter-scenes");

    /// <inheritdoc />
    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
