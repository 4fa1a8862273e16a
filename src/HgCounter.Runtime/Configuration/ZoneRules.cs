using System.Globalization;
using HgCounter.Configuration;
using HgCounter.Counting;

namespace HgCounter.Runtime.Configuration;

/// <summary>
/// A camera's zones: their annotations, valid names unique among the camera's zones and lines (both are count targets
/// in events and history), and a simple polygon of at least 3 finite corners that encloses an area.
/// </summary>
internal static class ZoneRules
{
    private static readonly ZoneOptionsAnnotations Annotations = new();

    public static void Check(string cameraKey, CameraOptions camera, List<string> failures)
    {
        var lineNames = new HashSet<string>(camera.Lines.Where(l => l is not null).Select(l => l.Name), StringComparer.OrdinalIgnoreCase);
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var j = 0; j < camera.Zones.Count; j++)
        {
            var key = $"{cameraKey}:Zones:{j}";
            if (camera.Zones[j] is not { } zone)
            {
                failures.Add($"{key}: zone entry is empty.");
                continue;
            }

            failures.AddRange((Annotations.Validate(ConfigurationKey.ToMemberPath(key), zone).Failures ?? []).Select(ConfigurationKey.Rewrite));
            NameRule.Check($"{key}:Name", "zone", zone.Name, failures);
            if (!string.IsNullOrWhiteSpace(zone.Name))
            {
                if (!names.Add(zone.Name))
                {
                    failures.Add($"{key}:Name: duplicate zone name '{zone.Name}' in camera '{camera.Name}'.");
                }
                else if (lineNames.Contains(zone.Name))
                {
                    failures.Add($"{key}:Name: '{zone.Name}' is also the name of a line of camera '{camera.Name}'; zones and lines are both count targets and need distinct names.");
                }
            }

            CheckPolygon($"{key}:Points", zone.Points, failures);
            for (var c = 0; c < zone.Classes.Count; c++)
            {
                if (string.IsNullOrWhiteSpace(zone.Classes[c]))
                {
                    failures.Add($"{key}:Classes:{c}: a class label must not be empty.");
                }
            }
        }
    }

    private static void CheckPolygon(string key, float[][]? points, List<string> failures)
    {
        if (points is null || points.Length < 3)
        {
            failures.Add($"{key}: a zone needs at least 3 points [[x, y], …] in source pixels, got {points?.Length ?? 0}.");
            return;
        }

        for (var i = 0; i < points.Length; i++)
        {
            if (points[i] is not [var x, var y] || !float.IsFinite(x) || !float.IsFinite(y))
            {
                failures.Add($"{key}:{i}: expected a point [x, y] of finite numbers, got {(points[i] is null ? "nothing" : $"{points[i].Length} value(s)")}.");
                return;
            }
        }

        var corners = ZonePolygon.TryParse(points)!;
        if (ZonePolygon.TryFindCrossingEdges(corners, out var first, out var second))
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture,
                $"{key}: the outline crosses itself (edge {first}→{(first + 1) % corners.Length} meets edge {second}→{(second + 1) % corners.Length}); list the corners in order around the zone."));
        }
        else if (ZonePolygon.DoubleArea(corners) == 0)
        {
            failures.Add($"{key}: the points lie on one line; a zone must enclose an area.");
        }
    }
}
