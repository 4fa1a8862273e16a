using HgCounter.Configuration;
using HgCounter.Runtime.Tests.Agent;
using HgCounter.Testing;
using Microsoft.Extensions.Options;

namespace HgCounter.Runtime.Tests.Configuration;

/// <summary>Starts a real agent host that must refuse to start, and returns why.</summary>
internal static class StartupError
{
    public static async Task<string> Of(Action<HgCounterOptions> configure)
    {
        var start = () => AgentHost.StartAsync(TestPaths.NewTempDirectory(), configure);
        return (await start.Should().ThrowAsync<OptionsValidationException>()).Which.Message;
    }

    public static int Occurrences(string text, string part) => (text.Length - text.Replace(part, string.Empty, StringComparison.Ordinal).Length) / part.Length;
}
