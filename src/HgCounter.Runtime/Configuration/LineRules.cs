using System.Globalization;
using HgCounter.Configuration;

namespace HgCounter.Runtime.Configuration;

/// <summary>A camera's counting lines: their annotations, unique valid names, and two distinct finite points each.</summary>
internal static class LineRules
{
    private static readonly LineOptionsAnnotations Annotations = new();

    public static void Check(string cameraKey, CameraOptions camera, List<string> failures)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var j = 0; j < camera.Lines.Count; j++)
        {
            var key = $"{cameraKey}:Lines:{j}";
            if (camera.Lines[j] is not { } line)
            {
                failures.Add($"{key}: line entry is empty.");
                continue;
            }

            failures.AddRange((Annotations.Validate(ConfigurationKey.ToMemberPath(key), line).Failures ?? []).Select(ConfigurationKey.Rewrite));
            NameRule.Check($"{key}:Name", "line", line.Name, failures);
            if (!string.IsNullOrWhiteSpace(line.Name) && !names.Add(line.Name))
            {
                failures.Add($"{key}:Name: duplicate line name '{line.Name}' in camera '{camera.Name}'.");
            }

            var startOk = IsPoint($"{key}:Start", line.Start, failures);
            var endOk = IsPoint($"{key}:End", line.End, failures);
            if (startOk && endOk && line.Start[0] == line.End[0] && line.Start[1] == line.End[1])
            {
                failures.Add($"{key}: Start and End are the same point [{Format(line.Start)}]; a line needs two distinct points.");
            }
        }
    }

    private static bool IsPoint(string key, float[]? point, List<string> failures)
    {
        if (point is null || point.Length != 2)
        {
            failures.Add($"{key}: expected a point [x, y] in source pixels, got {(point is null ? "nothing" : $"{point.Length} value(s)")}.");
            return false;
        }

        if (!float.IsFinite(point[0]) || !float.IsFinite(point[1]))
        {
            failures.Add($"{key}: coordinates must be finite numbers.");
            return false;
        }

        return true;
    }

    private static string Format(float[] point) => string.Join(", ", point.Select(v => v.ToString(CultureInfo.InvariantCulture)));
}
