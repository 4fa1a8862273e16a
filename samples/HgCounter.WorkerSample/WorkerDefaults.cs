namespace HgCounter.WorkerSample;

/// <summary>The worker's built-in choices: the demo camera, its switch, and where systemd hands over the configuration.</summary>
internal static class WorkerDefaults
{
    public const string DemoSwitch = "--demo";

    /// <summary>The credential name in the unit's <c>LoadCredential=hgcounter.json:/etc/hgcounter/cameras.json</c>.</summary>
    public const string CredentialName = "hgcounter.json";

    public static IEnumerable<KeyValuePair<string, string?>> DemoCamera { get; } = new Dictionary<string, string?>
    {
        ["HgCounter:Cameras:0:Name"] = "demo",
        ["HgCounter:Cameras:0:Url"] = "synthetic:demo",
        ["HgCounter:Cameras:0:Detector"] = "motion",
        ["HgCounter:Cameras:0:Lines:0:Name"] = "door",
        ["HgCounter:Cameras:0:Lines:0:Start:0"] = "320",
        ["HgCounter:Cameras:0:Lines:0:Start:1"] = "0",
        ["HgCounter:Cameras:0:Lines:0:End:0"] = "320",
        ["HgCounter:Cameras:0:Lines:0:End:1"] = "360",
    };

    /// <summary><c>$CREDENTIALS_DIRECTORY/hgcounter.json</c> when systemd passed it, else null.</summary>
    public static string? CredentialConfigPath()
    {
        var directory = Environment.GetEnvironmentVariable("CREDENTIALS_DIRECTORY");
        var path = string.IsNullOrEmpty(directory) ? null : Path.Combine(directory, CredentialName);
        return path is not null && File.Exists(path) ? path : null;
    }
}
