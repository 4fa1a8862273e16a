namespace HgCounter.Reliability.Resources;

/// <summary>Measures CPU and memory of the machine or container and of this process.</summary>
public interface IResourceReader
{
    /// <summary>Reads the current figures. CPU is the average since the previous reading.</summary>
    ResourceReading Read();
}
