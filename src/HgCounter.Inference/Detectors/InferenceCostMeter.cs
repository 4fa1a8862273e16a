using Microsoft.ML.OnnxRuntime;

namespace HgCounter.Inference.Detectors;

/// <summary>Times a freshly loaded model: one untimed warm-up run (allocations, kernel selection), then a few timed runs.</summary>
internal static class InferenceCostMeter
{
    internal const int TimedRuns = 3;

    // The clock's resolution floor: a cost of zero would make the sustainable rate infinite.
    private const double MinimumMilliseconds = 0.001;

    // Letterbox grey (114), as the preprocessor pads: the network does the same work whatever the picture.
    private const float Grey = 114f / 255f;

    public static InferenceCost Measure(OnnxYoloModel model, OnnxExecutionProvider provider, int intraOpThreads, TimeProvider time)
    {
        var data = new float[3 * model.InputWidth * model.InputHeight];
        Array.Fill(data, Grey);
        using var input = OrtValue.CreateTensorValueFromMemory(data, [1, 3, model.InputHeight, model.InputWidth]);
        using var runOptions = new RunOptions();
        string[] inputNames = [model.InputName];
        string[] outputNames = [model.OutputName];
        OrtValue[] inputs = [input];

        Run(model.Session, runOptions, inputNames, inputs, outputNames);
        var samples = new double[TimedRuns];
        for (var i = 0; i < samples.Length; i++)
        {
            var start = time.GetTimestamp();
            Run(model.Session, runOptions, inputNames, inputs, outputNames);
            samples[i] = time.GetElapsedTime(start).TotalMilliseconds;
        }

        Array.Sort(samples);
        var median = Math.Max(samples[samples.Length / 2], MinimumMilliseconds);
        return new InferenceCost(median, time.GetUtcNow(), provider, intraOpThreads, TimedRuns);
    }

    private static void Run(InferenceSession session, RunOptions options, string[] inputNames, OrtValue[] inputs, string[] outputNames)
    {
        using var results = session.Run(options, inputNames, inputs, outputNames);
    }
}
