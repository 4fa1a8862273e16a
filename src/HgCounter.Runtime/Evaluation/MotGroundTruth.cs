using System.Globalization;

namespace HgCounter.Runtime.Evaluation;

/// <summary>
/// Labelled trajectories in MOTChallenge <c>gt.txt</c> format: one row per object and frame,
/// <c>frame,id,left,top,width,height,conf,class,visibility</c>, frames counted from 1. Rows whose <c>conf</c> is 0 are
/// ignored, as MOTChallenge's own evaluation does; class and visibility are read but not used (an occluded person
/// still crosses). Blank lines are skipped.
/// </summary>
public sealed class MotGroundTruth
{
    private MotGroundTruth(string source, IReadOnlyList<GroundTruthBox> boxes)
    {
        Source = source;
        Boxes = boxes;
    }

    /// <summary>Where the rows came from (the file path), for messages.</summary>
    public string Source { get; }

    /// <summary>The rows kept (conf not 0), ordered by frame then id.</summary>
    public IReadOnlyList<GroundTruthBox> Boxes { get; }

    /// <summary>Reads a <c>gt.txt</c> file.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="GroundTruthFormatException">A line is malformed; the message names its number.</exception>
    public static MotGroundTruth Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new FileNotFoundException($"Ground truth file '{full}' does not exist.", full);
        }

        using var reader = File.OpenText(full);
        return Parse(reader, full);
    }

    /// <summary>Reads <c>gt.txt</c> rows from <paramref name="reader"/>; <paramref name="source"/> names them in errors.</summary>
    /// <exception cref="GroundTruthFormatException">A line is malformed; the message names its number.</exception>
    public static MotGroundTruth Parse(TextReader reader, string source)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(source);
        var boxes = new List<GroundTruthBox>();
        var seen = new HashSet<(long Frame, long Id)>();
        var number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var fields = line.Split(',', StringSplitOptions.TrimEntries);
            if (fields.Length < 7)
            {
                throw new GroundTruthFormatException(source, number, $"{fields.Length} fields, at least 7 needed");
            }

            var frame = Integer(fields[0], "frame");
            var id = Integer(fields[1], "id");
            var left = Number(fields[2], "left");
            var top = Number(fields[3], "top");
            var width = Number(fields[4], "width");
            var height = Number(fields[5], "height");
            var conf = Number(fields[6], "conf");
            if (frame < 1)
            {
                throw new GroundTruthFormatException(source, number, $"frame {frame} (frames are counted from 1)");
            }

            if (width <= 0 || height <= 0)
            {
                throw new GroundTruthFormatException(source, number, $"box {width}x{height} has no area");
            }

            if (conf == 0)
            {
                continue; // MOTChallenge: not to be considered
            }

            if (!seen.Add((frame, id)))
            {
                throw new GroundTruthFormatException(source, number, $"object {id} appears twice on frame {frame}");
            }

            boxes.Add(new GroundTruthBox(frame, id, new(left, top, width, height)));
        }

        boxes.Sort((a, b) => a.Frame != b.Frame ? a.Frame.CompareTo(b.Frame) : a.Id.CompareTo(b.Id));
        return new MotGroundTruth(source, boxes);

        long Integer(string text, string field) =>
            double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v == Math.Floor(v) && Math.Abs(v) < long.MaxValue
                ? (long)v
                : throw new GroundTruthFormatException(source, number, $"{field} '{text}' is not a whole number");

        float Number(string text, string field) =>
            float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && float.IsFinite(v)
                ? v
                : throw new GroundTruthFormatException(source, number, $"{field} '{text}' is not a number");
    }
}
