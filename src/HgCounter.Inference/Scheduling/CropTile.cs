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
}
