namespace HgCounter.Inference.Detectors;

/// <summary>
/// A model file could not be used: missing, empty, not ONNX, or with inputs/outputs that are not a YOLO detection export.
/// The message names the path and what was expected.
/// </summary>
public sealed class ModelLoadException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ModelLoadException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ModelLoadException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying error.</summary>
    public ModelLoadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for <paramref name="modelPath"/>.</summary>
    public ModelLoadException(string modelPath, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        ModelPath = modelPath;
    }

    /// <summary>The model file that failed to load.</summary>
    public string? ModelPath { get; }
}
