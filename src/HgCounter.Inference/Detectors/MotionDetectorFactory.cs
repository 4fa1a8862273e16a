using HgCounter.Configuration;
using HgCounter.Detection;

namespace HgCounter.Inference.Detectors;

/// <summary>The <c>motion</c> detector, the default: needs no model file; each camera gets its own background model.</summary>
public sealed class MotionDetectorFactory : IDetectorFactory
{
    private readonly MotionDetectorOptions _options;

    /// <summary>Creates the factory.</summary>
    public MotionDetectorFactory(MotionDetectorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    /// <inheritdoc />
    public string Name => "motion";

    /// <inheritdoc />
    public IDetector Create(string cameraName) => new MotionDetector(_options);
}
