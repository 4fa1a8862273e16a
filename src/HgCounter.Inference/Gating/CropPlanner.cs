using HgCounter.Configuration;
using HgCounter.Detection;

namespace HgCounter.Inference.Gating;

/// <summary>
/// Turns moving areas and held detections into the crops the model should look at: each moving area and each held
/// detection due for a re-check is padded; a crop that touches a held detection grows to contain it whole (so a
/// still neighbour is never cut in half by a crop edge); overlapping crops are merged where that adds little area. When the crops would cover
/// more than <see cref="MotionGatingOptions.MaxCropFraction"/> of the frame, the frame is detected whole. Reuses its
/// lists; steady-state calls allocate nothing. Not thread-safe: one per camera.
/// </summary>
internal sealed class CropPlanner(MotionGatingOptions options)
{
    private const int MaxCrops = 24;
    private const float MinPadding = 16;
    private const float MinCropModelPixels = 64; // smallest crop side, in model-input pixels
    private const int MaxMergePasses = 8;
    private const float MergeSlack = 1.3f; // merge when the joint rectangle is at most this much larger than what the two cover

    /// <summary>Plans one frame; <paramref name="crops"/> receives the crops (frame pixels) when the plan is <see cref="CropPlanKind.Crops"/>.</summary>
    /// <param name="width">Frame width.</param>
    /// <param name="height">Frame height.</param>
    /// <param name="modelScale">Model-input pixels per frame pixel (the full-frame letterbox scale).</param>
    /// <param name="motion">Moving areas in frame pixels.</param>
    /// <param name="held">Detections carried over from earlier frames.</param>
    /// <param name="crops">Cleared and filled with the crops.</param>
    public CropPlanKind Plan(int width, int height, float modelScale, List<BoundingBox> motion, List<HeldDetection> held, List<BoundingBox> crops)
    {
        crops.Clear();
        var minSide = MathF.Min(MinCropModelPixels / modelScale, MathF.Min(width, height));
        foreach (var box in motion)
        {
            crops.Add(Pad(box, (float)options.Padding, minSide, width, height));
        }

        foreach (var h in held)
        {
            if (h.Age >= options.RecheckEvery)
            {
                crops.Add(Pad(h.Detection.Box, (float)options.Padding / 2, minSide, width, height));
            }
        }

        if (crops.Count == 0)
        {
            return CropPlanKind.None;
        }

        for (var pass = 0; pass < MaxMergePasses && (AbsorbHeld(held, crops, width, height) | MergeOverlapping(crops)); pass++)
        {
        }

        var area = 0f;
        foreach (var crop in crops)
        {
            area += crop.Area;
        }

        return crops.Count > MaxCrops || area > options.MaxCropFraction * width * height ? CropPlanKind.FullFrame : CropPlanKind.Crops;
    }

    private static BoundingBox Pad(BoundingBox box, float fraction, float minSide, int width, int height)
    {
        var pad = MathF.Max(MinPadding, fraction * MathF.Max(box.Width, box.Height));
        var left = box.X - pad;
        var top = box.Y - pad;
        var right = box.Right + pad;
        var bottom = box.Bottom + pad;
        Grow(ref left, ref right, minSide, width);
        Grow(ref top, ref bottom, minSide, height);
        return Clip(left, top, right, bottom, width, height);
    }

    // Widens [low, high] symmetrically to at least min, shifted back inside [0, limit].
    private static void Grow(ref float low, ref float high, float min, int limit)
    {
        var missing = min - (high - low);
        if (missing > 0)
        {
            low -= missing / 2;
            high += missing / 2;
        }

        if (low < 0)
        {
            high -= low;
            low = 0;
        }

        if (high > limit)
        {
            low -= high - limit;
            high = limit;
        }
    }

    private static BoundingBox Clip(float left, float top, float right, float bottom, int width, int height) =>
        BoundingBox.FromCorners(
            MathF.Floor(Math.Clamp(left, 0, width)),
            MathF.Floor(Math.Clamp(top, 0, height)),
            MathF.Ceiling(Math.Clamp(right, 0, width)),
            MathF.Ceiling(Math.Clamp(bottom, 0, height)));

    private static bool AbsorbHeld(List<HeldDetection> held, List<BoundingBox> crops, int width, int height)
    {
        var changed = false;
        for (var c = 0; c < crops.Count; c++)
        {
            var crop = crops[c];
            foreach (var h in held)
            {
                var box = h.Detection.Box;
                if (Intersects(crop, box) && !Contains(crop, box))
                {
                    crop = Clip(MathF.Min(crop.X, box.X - MinPadding), MathF.Min(crop.Y, box.Y - MinPadding),
                        MathF.Max(crop.Right, box.Right + MinPadding), MathF.Max(crop.Bottom, box.Bottom + MinPadding), width, height);
                    changed = true;
                }
            }

            crops[c] = crop;
        }

        return changed;
    }

    // Two overlapping crops become one only when their bounding rectangle adds little they did not already cover;
    // otherwise two people far apart whose crops touch would become one crop the size of the frame. Crops that stay
    // apart may overlap: an object seen whole in both is reported once (see GatedYoloDetector).
    private static bool MergeOverlapping(List<BoundingBox> crops)
    {
        var changed = false;
        for (var i = 0; i < crops.Count; i++)
        {
            for (var j = crops.Count - 1; j > i; j--)
            {
                var (a, b) = (crops[i], crops[j]);
                if (!Intersects(a, b))
                {
                    continue;
                }

                var union = BoundingBox.FromCorners(MathF.Min(a.X, b.X), MathF.Min(a.Y, b.Y), MathF.Max(a.Right, b.Right), MathF.Max(a.Bottom, b.Bottom));
                var covered = a.Area + b.Area - Intersection(a, b);
                if (Contains(a, b) || Contains(b, a) || union.Area <= MergeSlack * covered)
                {
                    crops[i] = union;
                    crops.RemoveAt(j);
                    changed = true;
                    j = crops.Count; // the grown crop may now reach crops already passed
                }
            }
        }

        return changed;
    }

    private static float Intersection(BoundingBox a, BoundingBox b) =>
        MathF.Max(0, MathF.Min(a.Right, b.Right) - MathF.Max(a.X, b.X)) * MathF.Max(0, MathF.Min(a.Bottom, b.Bottom) - MathF.Max(a.Y, b.Y));

    private static bool Intersects(BoundingBox a, BoundingBox b) => a.X < b.Right && b.X < a.Right && a.Y < b.Bottom && b.Y < a.Bottom;

    private static bool Contains(BoundingBox outer, BoundingBox inner) =>
        inner.X >= outer.X && inner.Y >= outer.Y && inner.Right <= outer.Right && inner.Bottom <= outer.Bottom;
}
