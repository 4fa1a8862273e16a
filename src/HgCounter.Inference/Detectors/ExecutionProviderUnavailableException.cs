namespace HgCounter.Inference.Detectors;

/// <summary>
/// The requested execution provider cannot be used: the loaded ONNX Runtime does not have it (the application lacks the
/// provider's package), or it has it but could not start it (missing CUDA libraries, no such device). The message names
/// the provider, the providers there are and the package to add.
/// </summary>
public sealed class ExecutionProviderUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ExecutionProviderUnavailableException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ExecutionProviderUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying error.</summary>
    public ExecutionProviderUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for <paramref name="provider"/>.</summary>
    public ExecutionProviderUnavailableException(OnnxExecutionProvider provider, IReadOnlyList<string> availableProviders, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        ArgumentNullException.ThrowIfNull(availableProviders);
        Provider = provider;
        AvailableProviders = availableProviders;
    }

    /// <summary>The provider that was asked for.</summary>
    public OnnxExecutionProvider Provider { get; }

    /// <summary>The providers of the loaded ONNX Runtime (<c>CPUExecutionProvider</c>, …).</summary>
    public IReadOnlyList<string> AvailableProviders { get; } = [];

    /// <summary>The NuGet package that has <see cref="Provider"/>, or null when none does.</summary>
    public string? Package => OnnxExecutionProviders.GetPackage(Provider);
}
