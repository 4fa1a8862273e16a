namespace HgCounter.Reliability.Resources;

/// <summary>Size and free space of one file system.</summary>
/// <param name="TotalBytes">Size.</param>
/// <param name="FreeBytes">Free space including blocks reserved for root.</param>
/// <param name="AvailableBytes">Free space usable by this process.</param>
internal readonly record struct DiskSpace(long TotalBytes, long FreeBytes, long AvailableBytes)
{
    /// <summary>Used space as <c>df</c> reports it: used / (used + available) · 100.</summary>
    public double UsedPercent
    {
        get
        {
            var used = (double)Math.Max(0, TotalBytes - FreeBytes);
            var denominator = used + Math.Max(0, AvailableBytes);
            return denominator <= 0 ? 0 : used / denominator * 100.0;
        }
    }
}
