using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace HgCounter.Inference.Imaging;

/// <summary>Writes packed BGR24 pixels into a rectangle of a planar RGB float tensor (<c>[1, 3, H, W]</c>, values 0..1).</summary>
internal static class PlanarRgbWriter
{
    private const float InverseByte = 1f / 255f;

    /// <summary>Copies a <paramref name="width"/> × <paramref name="height"/> packed BGR24 image to the tensor at (<paramref name="left"/>, <paramref name="top"/>).</summary>
    public static void Write(ReadOnlySpan<byte> bgr, int width, int height, float[] tensor, int tensorWidth, int tensorHeight, int left, int top)
    {
        if (left < 0 || top < 0 || left + width > tensorWidth || top + height > tensorHeight || bgr.Length < width * height * 3)
        {
            throw new ArgumentOutOfRangeException(nameof(bgr), $"A {width}x{height} image at ({left}, {top}) does not fit a {tensorWidth}x{tensorHeight} tensor.");
        }

        var plane = tensorWidth * tensorHeight;
        ref var pixel = ref MemoryMarshal.GetReference(bgr);
        ref var data = ref MemoryMarshal.GetArrayDataReference(tensor);
        for (var y = 0; y < height; y++)
        {
            ref var row = ref Unsafe.Add(ref pixel, y * width * 3);
            ref var red = ref Unsafe.Add(ref data, ((top + y) * tensorWidth) + left);
            ref var green = ref Unsafe.Add(ref red, plane);
            ref var blue = ref Unsafe.Add(ref green, plane);
            for (var x = 0; x < width; x++)
            {
                ref var p = ref Unsafe.Add(ref row, x * 3);
                Unsafe.Add(ref blue, x) = p * InverseByte;
                Unsafe.Add(ref green, x) = Unsafe.Add(ref p, 1) * InverseByte;
                Unsafe.Add(ref red, x) = Unsafe.Add(ref p, 2) * InverseByte;
            }
        }
    }
}
