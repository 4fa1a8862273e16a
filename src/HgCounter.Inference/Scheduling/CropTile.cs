using HgCounter.Inference.Imaging;

namespace HgCounter.Inference.Scheduling;

/// <summary>One rectangle of a frame and where the scheduler placed it in the model input (scaled by the job's scale).</summary>
internal struct CropTile
{
    public int SourceX;
    public int SourceY;
    public int SourceWidth;
    public int SourceHeight;
    public int CanvasX;
    public int CanvasY;
    public int CanvasWidth;
    public int CanvasHeight;

    public CropTile(int x, int y, int width, int height)
    {
        SourceX = x;
        SourceY = y;
        SourceWidth = width;
        SourceHeight = height;
    }

    public readonly bool CanvasContains(float x, float y) =>
        x >= CanvasX && y >= CanvasY && x < CanvasX + CanvasWidth && y < CanvasY + CanvasHeight;

    public readonly bool SourceContains(float x, float y) =>
        x >= SourceX && y >= SourceY && x < SourceX + SourceWidth && y < SourceY + SourceHeight;

    /// <summary>The mapping from canvas pixels back to frame pixels for this tile, drawn at <paramref name="scale"/>.</summary>
    public readonly LetterboxTransform ToFrame(float scale, int frameWidth, int frameHeight) =>
        new(scale, CanvasX - (SourceX * scale), CanvasY - (SourceY * scale), frameWidth, frameHeight);
}
