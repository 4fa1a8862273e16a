using System.Globalization;
using System.Text.RegularExpressions;

namespace HgCounter.Rtsp.Ffmpeg;

/// <summary>
/// Reads ffmpeg's own stream report on stderr (<c>-loglevel verbose</c>, measured with ffmpeg 5.1): codec, frame rate and the
/// stream's own size from the <c>Input #0</c> block, the delivered size (after any scaling) from the <c>Output #0</c> block, and decoder re-initialisations
/// (<c>Reinit context to WxH</c>) that reveal a resolution change mid-stream. Fed one line at a time, in order.
/// </summary>
internal sealed partial class FfmpegStreamInfoParser
{
    private bool _inInput;
    private bool _inOutput;
    private string? _lastReinit;

    /// <summary>Codec of the first input video stream.</summary>
    public string? Codec { get; private set; }

    /// <summary>Frame rate of the first input video stream (0 when not reported).</summary>
    public double FramesPerSecond { get; private set; }

    /// <summary>Width of the first input video stream as decoded, before any scaling (0 when not reported).</summary>
    public int SourceWidth { get; private set; }

    /// <summary>Height of the first input video stream as decoded.</summary>
    public int SourceHeight { get; private set; }

    /// <summary>Delivered width, once the output stream was reported.</summary>
    public int Width { get; private set; }

    /// <summary>Delivered height.</summary>
    public int Height { get; private set; }

    /// <summary>Whether the output size is known (the stream is open).</summary>
    public bool HasOutput => Width > 0 && Height > 0;

    [GeneratedRegex(@"Video: (?<codec>[A-Za-z0-9_]+)", RegexOptions.CultureInvariant)]
    private static partial Regex VideoCodec();

    [GeneratedRegex(@"\b(?<w>\d{2,5})x(?<h>\d{2,5})\b", RegexOptions.CultureInvariant)]
    private static partial Regex Size();

    [GeneratedRegex(@"(?<fps>\d+(?:\.\d+)?)(?<k>k?) (?:fps|tbr)\b", RegexOptions.CultureInvariant)]
    private static partial Regex Rate();

    [GeneratedRegex(@"Reinit context to (?<size>\d+x\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex Reinit();

    /// <summary>Takes one stderr line. Returns true when, after the output was known, the decoder re-initialised at another size.</summary>
    public bool Accept(string line)
    {
        if (line.StartsWith("Input #", StringComparison.Ordinal))
        {
            (_inInput, _inOutput) = (line.StartsWith("Input #0", StringComparison.Ordinal), false);
            return false;
        }

        if (line.StartsWith("Output #", StringComparison.Ordinal))
        {
            (_inInput, _inOutput) = (false, line.StartsWith("Output #0", StringComparison.Ordinal));
            return false;
        }

        if (line.Contains("Reinit context to", StringComparison.Ordinal) && Reinit().Match(line) is { Success: true } reinit)
        {
            var size = reinit.Groups["size"].Value;
            var changed = HasOutput && _lastReinit is not null && _lastReinit != size;
            _lastReinit = size;
            return changed;
        }

        if (!line.StartsWith("  Stream #", StringComparison.Ordinal) || !line.Contains("Video: ", StringComparison.Ordinal))
        {
            return false;
        }

        if (_inInput && Codec is null)
        {
            Codec = VideoCodec().Match(line).Groups["codec"].Value;
            if (Rate().Match(line) is { Success: true } rate)
            {
                var value = double.Parse(rate.Groups["fps"].Value, CultureInfo.InvariantCulture);
                FramesPerSecond = rate.Groups["k"].Value.Length > 0 ? value * 1000 : value;
            }

            (SourceWidth, SourceHeight) = SizeOf(line);
        }
        else if (_inOutput && !HasOutput)
        {
            (Width, Height) = SizeOf(line);
        }

        return false;
    }

    private static (int Width, int Height) SizeOf(string streamLine) =>
        Size().Match(streamLine, streamLine.IndexOf("Video: ", StringComparison.Ordinal)) is { Success: true } size
            ? (int.Parse(size.Groups["w"].Value, CultureInfo.InvariantCulture), int.Parse(size.Groups["h"].Value, CultureInfo.InvariantCulture))
            : (0, 0);
}
