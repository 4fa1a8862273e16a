using System.Globalization;
using System.Text.RegularExpressions;

namespace HgCounter.Inference.Detectors;

/// <summary>Reads the Ultralytics metadata strings (<c>names</c>, <c>imgsz</c>) of an ONNX export.</summary>
internal static partial class YoloMetadata
{
    /// <summary>Parses <c>{0: 'person', 1: 'car'}</c> (Python dict repr) into names by id; null when absent or unreadable.</summary>
    public static string[]? ParseNames(string? names)
    {
        if (string.IsNullOrWhiteSpace(names))
        {
            return null;
        }

        var byId = new SortedDictionary<int, string>();
        foreach (Match m in NameEntry().Matches(names))
        {
            var id = int.Parse(m.Groups["id"].Value, CultureInfo.InvariantCulture);
            var value = m.Groups["sq"].Success ? m.Groups["sq"].Value : m.Groups["dq"].Value;
            byId[id] = Regex.Unescape(value);
        }

        // Ids must be 0..C-1 without gaps to index the model's class rows.
        if (byId.Count == 0 || byId.Keys.Last() != byId.Count - 1)
        {
            return null;
        }

        return [.. byId.Values];
    }

    /// <summary>Parses <c>[640, 640]</c> (height, width) or <c>640</c>; null when absent or unreadable.</summary>
    public static (int Height, int Width)? ParseImageSize(string? imgsz)
    {
        if (string.IsNullOrWhiteSpace(imgsz))
        {
            return null;
        }

        var numbers = Number().Matches(imgsz).Select(m => int.Parse(m.Value, CultureInfo.InvariantCulture)).ToArray();
        return numbers.Length switch
        {
            1 when numbers[0] > 0 => (numbers[0], numbers[0]),
            2 when numbers[0] > 0 && numbers[1] > 0 => (numbers[0], numbers[1]),
            _ => null,
        };
    }

    [GeneratedRegex("""(?<id>\d+)\s*:\s*(?:'(?<sq>(?:[^'\\]|\\.)*)'|"(?<dq>(?:[^"\\]|\\.)*)")""")]
    private static partial Regex NameEntry();

    [GeneratedRegex(@"\d+")]
    private static partial Regex Number();
}
