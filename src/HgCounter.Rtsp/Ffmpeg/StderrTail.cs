using HgCounter.Security;

namespace HgCounter.Rtsp.Ffmpeg;

/// <summary>
/// The last lines a child process wrote to stderr, redacted as they arrive; thread-safe. Besides the plain tail it keeps
/// the last few lines that explain a failure (<see cref="FfmpegNoiseFilter"/>), which the exit statistics would
/// otherwise push out.
/// </summary>
internal sealed class StderrTail
{
    /// <summary>How many relevant lines a failure message carries.</summary>
    public const int RelevantLines = 3;

    private readonly Queue<string> _lines = new();
    private readonly Queue<string> _relevant = new();
    private readonly int _capacity;
    private readonly IReadOnlyList<string> _secrets;

    public StderrTail(int capacity, IReadOnlyList<string> secrets)
    {
        _capacity = capacity;
        _secrets = secrets;
    }

    /// <summary>Raised (on the stderr reader thread) for every redacted line.</summary>
    public event Action<string>? LineAdded;

    public void Add(string line)
    {
        var redacted = Redactor.RedactWith(line, _secrets);
        lock (_lines)
        {
            Keep(_lines, redacted, _capacity);
            // A repeated line ("Connection timed out" three times) says nothing new.
            if (FfmpegNoiseFilter.IsRelevant(redacted) && !(_relevant.Count > 0 && _relevant.Last() == redacted))
            {
                Keep(_relevant, redacted, RelevantLines);
            }
        }

        LineAdded?.Invoke(redacted);
    }

    /// <summary>The last relevant lines, oldest first, joined by newlines: what classifies and explains a failure.</summary>
    public string Relevant
    {
        get
        {
            lock (_lines)
            {
                return string.Join('\n', _relevant);
            }
        }
    }

    /// <summary>The kept lines, oldest first, joined by newlines.</summary>
    public override string ToString()
    {
        lock (_lines)
        {
            return string.Join('\n', _lines);
        }
    }

    /// <summary>" ffmpeg said: …" with the relevant lines on one line, or empty when there are none; for exception and log messages.</summary>
    public string Describe()
    {
        var text = Relevant;
        return text.Length == 0 ? string.Empty : " ffmpeg said: " + text.Replace("\n", " | ", StringComparison.Ordinal);
    }

    private static void Keep(Queue<string> queue, string line, int capacity)
    {
        if (queue.Count == capacity)
        {
            queue.Dequeue();
        }

        queue.Enqueue(line);
    }
}
