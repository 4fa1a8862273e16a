using HgCounter.Configuration;
using HgCounter.Counting;
using HgCounter.Detection;
using HgCounter.Frames;
using HgCounter.Inference.Counting;
using HgCounter.Inference.Tracking;
using HgCounter.Rtsp.Sources;
using HgCounter.Runtime.Agent;
using Microsoft.Extensions.Options;

namespace HgCounter.Runtime.Evaluation;

/// <summary>
/// Scores the counting of a configured camera against labelled footage: plays the camera's recording once, every frame
/// (not in real time), through the same detector, tracker and line counter the agent uses, derives the true crossings
/// from MOTChallenge ground truth with the same line geometry (<see cref="LineCounter"/>), and pairs the two per line
/// and direction. Accuracy is reported, not judged. Registered by <c>AddHgCounter()</c>.
/// </summary>
public sealed class AccuracyEvaluator
{
    private readonly HgCounterOptions _options;
    private readonly IFrameSourceFactory _sources;
    private readonly Dictionary<string, IDetectorFactory> _detectors;

    /// <summary>Creates the evaluator over the configured cameras and detectors.</summary>
    public AccuracyEvaluator(IOptions<HgCounterOptions> options, IFrameSourceFactory sources, IEnumerable<IDetectorFactory> detectors)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(detectors);
        _options = options.Value;
        _sources = sources;
        _detectors = detectors.ToDictionary(d => d.Name, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Runs the pipeline over the camera's recording and compares its crossings with <paramref name="truth"/>.</summary>
    /// <exception cref="KeyNotFoundException">The camera or a line named in <paramref name="evaluation"/> is not configured.</exception>
    /// <exception cref="ArgumentException">The camera's URL is not a video file, or a line lies outside its picture.</exception>
    /// <exception cref="FrameSourceException">The video cannot be opened or decoded.</exception>
    /// <exception cref="FileNotFoundException">The camera's video file does not exist.</exception>
    public async Task<AccuracyReport> EvaluateAsync(MotGroundTruth truth, AccuracyEvaluationOptions? evaluation = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(truth);
        evaluation ??= new AccuracyEvaluationOptions();
        var (camera, key) = FindCamera(evaluation.Camera);
        var lines = SelectLines(camera, key, evaluation.Lines);
        var video = VideoOf(camera, key);
        if (evaluation.FrameTolerance is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(evaluation), evaluation.FrameTolerance, "The frame tolerance cannot be negative.");
        }

        if (evaluation.FramesPerSecond is { } wanted && !(wanted > 0 && double.IsFinite(wanted)))
        {
            throw new ArgumentOutOfRangeException(nameof(evaluation), wanted, "The frame rate to count at must be a positive number of frames per second.");
        }

        var counted = new List<LineCrossing>();
        using var pipeline = new CountingPipeline(CameraDetectors.Create(_detectors[camera.Detector], camera), new ByteTracker(_options.Tracker), new LineCounter(camera.Name, lines));
        var source = FrameSourceOptions.FromCamera(camera, maxFrameSize: pipeline.PreferredFrameSize);
        source.Realtime = false; // a recording scored frame by frame: nothing skipped, nothing paced
        source.Loop = false;
        double fps;
        double countedFps;
        var videoFrames = new List<long>(); // the recording's frame number (1-based) of each frame the pipeline counted
        await using (var frames = _sources.Create(source))
        {
            var info = await frames.OpenAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                LineFrameCheck.Check(key, camera, info);
            }
            catch (CameraConfigurationException ex)
            {
                throw new ArgumentException(ex.Message, nameof(evaluation), ex); // a line outside the picture: bad input, not a camera fault
            }

            fps = info.FramesPerSecond;
            var sampler = new FrameRateSampler(fps, evaluation.FramesPerSecond);
            countedFps = sampler.Rate;
            long index = 0;
            while (await frames.ReadAsync(cancellationToken).ConfigureAwait(false) is { } frame)
            {
                if (!sampler.Keep(index++))
                {
                    frame.Dispose();
                    continue;
                }

                videoFrames.Add(index);
                await pipeline.SubmitAsync(frame, counted).ConfigureAwait(false);
            }

            await pipeline.DrainAsync(counted).ConfigureAwait(false);
        }

        var tolerance = evaluation.FrameTolerance ?? Math.Max(1, (int)Math.Round(fps > 0 ? fps : 10));
        var expected = GroundTruthCrossings.Derive(truth, camera.Name, lines);
        var report = lines
            .Select(l => CrossingMatcher.Compare(camera.Name, l.Name, Of(expected, l.Name, f => f), Of(counted, l.Name, f => videoFrames[(int)f - 1]), tolerance))
            .ToArray();
        return new AccuracyReport(camera.Name, video.DisplayName, pipeline.FramesProcessed, fps, countedFps, tolerance, report);
    }

    // The pipeline numbers the frames it counted from 1; the ground truth numbers the recording's.
    private static EvaluatedCrossing[] Of(List<LineCrossing> crossings, string line, Func<long, long> videoFrame) =>
        [.. crossings.Where(c => c.Line == line).Select(c => new EvaluatedCrossing(c.Direction, videoFrame(c.FrameSequence), c.TrackId))];

    private (CameraOptions Camera, string Key) FindCamera(string? name)
    {
        var cameras = _options.Cameras;
        if (name is null)
        {
            return cameras.Count == 1
                ? (cameras[0], $"{HgCounterOptions.SectionName}:Cameras:0")
                : throw new KeyNotFoundException($"{cameras.Count} cameras are configured ({Names(cameras.Select(c => c.Name))}); name the one to evaluate.");
        }

        for (var i = 0; i < cameras.Count; i++)
        {
            if (string.Equals(cameras[i].Name, name, StringComparison.Ordinal))
            {
                return (cameras[i], $"{HgCounterOptions.SectionName}:Cameras:{i}");
            }
        }

        throw new KeyNotFoundException($"No camera named '{name}' under {HgCounterOptions.SectionName}:Cameras (configured: {Names(cameras.Select(c => c.Name))}).");
    }

    private static LineOptions[] SelectLines(CameraOptions camera, string key, IList<string> names)
    {
        if (names.Count == 0)
        {
            return [.. camera.Lines];
        }

        return [.. names.Select(n => camera.Lines.FirstOrDefault(l => string.Equals(l.Name, n, StringComparison.Ordinal))
            ?? throw new KeyNotFoundException($"Camera '{camera.Name}' has no line named '{n}' under {key}:Lines (configured: {Names(camera.Lines.Select(l => l.Name))})."))];
    }

    private static SourceLocation VideoOf(CameraOptions camera, string key)
    {
        if (!SourceLocation.TryParse(camera.Url, out var location, out var problem))
        {
            throw new ArgumentException($"{key}:Url: {problem}", nameof(camera));
        }

        if (location.Kind != SourceKind.File || location.FilePath is not { } path)
        {
            throw new ArgumentException($"{key}:Url is '{location.DisplayName}': evaluation plays a recorded video file, not a {location.Kind.ToString().ToLowerInvariant()} source.", nameof(camera));
        }

        return File.Exists(path) ? location : throw new FileNotFoundException($"{key}:Url: video file '{path}' does not exist.", path);
    }

    private static string Names(IEnumerable<string> names) => string.Join(", ", names.Select(n => $"'{n}'")) is { Length: > 0 } s ? s : "none";
}
