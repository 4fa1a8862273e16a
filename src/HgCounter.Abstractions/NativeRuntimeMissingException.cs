namespace HgCounter;

/// <summary>
/// A native library HgCounter needs (OpenCV, ONNX Runtime) is not in the application: library packages carry no
/// platform natives, so the application adds the runtime package for its platform. <see cref="Packages"/> names them.
/// </summary>
public sealed class NativeRuntimeMissingException : Exception
{
    /// <summary>Creates the exception for the runtime packages the application must add.</summary>
    public NativeRuntimeMissingException(string message, IReadOnlyList<string> packages, Exception? innerException)
        : base(message, innerException) => Packages = packages;

    /// <summary>Packages to add, e.g. <c>OpenCvSharp4.official.runtime.linux-x64</c>, <c>Microsoft.ML.OnnxRuntime</c>.</summary>
    public IReadOnlyList<string> Packages { get; }
}
