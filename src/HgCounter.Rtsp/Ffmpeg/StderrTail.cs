using HgCounter.Security;

namespace HgCounter.Rtsp.Ffmpeg;

/// <summary>The last lines a child process wrote to stderr, redacted as they arrive; thread-safe.</summary>
internal sealed class StderrTail
{
    private readonly Queue<string> _lines = new();
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
            if (_lines.Count == _capacity)
            {
                _lines.Dequeue();
            }

            _lines.Enqueue(redacted);
        }

        LineAdded?.Invoke(redacted);
    }

    /// <summary>The kept lines, oldest first, joined by newlines.</summary>
    public override string ToString()
    {
        lock (_lines)
        {
            return string.Join('\n', _lines);
        }
    }

    /// <summary>" ffmpeg said: …" with the kept lines on one line, or empty when there are none; for exception messages.</summary>
    public string Describe()
    {
        var text = ToString();
        return text.Length == 0 ? string.Empty : " ffmpeg said: " + text.Replace('\n', ' ');
    }
}
