namespace HgCounter.Testing;

/// <summary>The last lines of a helper process's output, for failure messages.</summary>
public sealed class StringWriterTail
{
    private readonly Queue<string> _lines = new();

    /// <summary>Adds a line (null is ignored).</summary>
    public void Add(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lines)
        {
            if (_lines.Count == 30)
            {
                _lines.Dequeue();
            }

            _lines.Enqueue(line);
        }
    }

    /// <inheritdoc />
    public override string ToString()
    {
        lock (_lines)
        {
            return string.Join('\n', _lines);
        }
    }
}
