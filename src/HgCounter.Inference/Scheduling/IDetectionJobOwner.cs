namespace HgCounter.Inference.Scheduling;

/// <summary>The camera side of a <see cref="DetectionJob"/>: told when the scheduler has finished a job.</summary>
internal interface IDetectionJobOwner
{
    /// <summary>Called once per job, on a scheduler thread, after its tiles were detected (or it failed).</summary>
    void OnJobFinished(DetectionJob job);
}
