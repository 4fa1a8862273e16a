using System.Text.RegularExpressions;
using HgCounter.Configuration;
using HgCounter.Security;

namespace HgCounter.Runtime.Configuration;

/// <summary>
/// Turns the member paths in generated validation messages (<c>HgCounter.Cameras[1].Url</c>) into the configuration keys
/// a user writes (<c>HgCounter:Cameras:1:Url</c>). The generated validators are called with the section name as the
/// options name, so every path starts with it.
/// </summary>
internal static partial class ConfigurationKey
{
    /// <summary>The configuration key of a member path: <c>HgCounter.Cameras[1].Lines[0].Name</c> → <c>HgCounter:Cameras:1:Lines:0:Name</c>.</summary>
    public static string Of(string memberPath) =>
        memberPath.Replace("]", string.Empty, StringComparison.Ordinal).Replace('[', ':').Replace('.', ':');

    /// <summary>The member path of a configuration key, as the generated validators take it as the options name.</summary>
    public static string ToMemberPath(string key)
    {
        var parts = key.Split(':');
        return string.Concat(parts.Select((part, i) => i == 0 ? part : int.TryParse(part, out _) ? $"[{part}]" : "." + part));
    }

    /// <summary>
    /// <c>TargetFps: The field HgCounter.Cameras[0].TargetFps must be between 0.1 and 120.</c> becomes
    /// <c>HgCounter:Cameras:0:TargetFps: The field TargetFps must be between 0.1 and 120.</c>; a failure without a path is kept as it is.
    /// Redacted, as an attribute's own message may quote the value.
    /// </summary>
    public static string Rewrite(string failure)
    {
        var match = MemberPath().Match(failure);
        if (!match.Success)
        {
            return Redactor.Redact(failure) ?? failure;
        }

        var path = match.Value;
        // A path ending in an index is a list entry ("HgCounter.Cameras[0] is null").
        var member = path.EndsWith(']') ? "the entry" : path[(path.LastIndexOf('.') + 1)..];
        var message = failure.StartsWith(member + ": ", StringComparison.Ordinal) ? failure[(member.Length + 2)..] : failure;
        return Redactor.Redact($"{Of(path)}: {message.Replace(path, member, StringComparison.Ordinal)}") ?? failure;
    }

    [GeneratedRegex(HgCounterOptions.SectionName + @"(?:\.\w+|\[\d+\])+")]
    private static partial Regex MemberPath();
}
