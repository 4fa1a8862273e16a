using System.Globalization;

namespace HgCounter.Runtime.Configuration;

/// <summary>
/// Camera and line names become metric labels, log scopes, file names and URL path segments (<c>/api/cameras/NAME</c>):
/// a '/' or a control character would split a path or forge a log line.
/// </summary>
internal static class NameRule
{
    public static void Check(string key, string what, string? name, List<string> failures)
    {
        if (string.IsNullOrEmpty(name))
        {
            return; // [Required] reports it.
        }

        var bad = name.FirstOrDefault(c => c == '/' || char.IsControl(c));
        if (bad != default)
        {
            var shown = bad == '/' ? "'/'" : string.Create(CultureInfo.InvariantCulture, $"control character U+{(int)bad:X4}");
            failures.Add($"{key}: the {what} name contains {shown}; use letters, digits, spaces, '-', '_' or '.'.");
        }
    }
}
