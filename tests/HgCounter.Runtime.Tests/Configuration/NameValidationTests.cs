using HgCounter.Configuration;
using HgCounter.Runtime.Tests.Agent;

namespace HgCounter.Runtime.Tests.Configuration;

/// <summary>Camera and line names end up in URL paths, metric labels and log lines: a '/' or a control character is refused at start-up.</summary>
public class NameValidationTests
{
    [Theory]
    [InlineData("front/door", "'/'")]
    [InlineData("front\ndoor", "control character U+000A")]
    [InlineData("front\u001b[31m", "control character U+001B")]
    public async Task Start_CameraNameWithSlashOrControlCharacter_NamesTheKey(string name, string what)
    {
        var error = await StartupError.Of(o =>
        {
            o.Cameras.Add(AgentHost.SceneCamera("ok", "side-by-side"));
            var bad = AgentHost.SceneCamera("placeholder", "side-by-side");
            bad.Name = name;
            o.Cameras.Add(bad);
        });

        error.Should().Contain($"HgCounter:Cameras:1:Name: the camera name contains {what}");
    }

    [Fact]
    public async Task Start_LineNameWithSlash_NamesTheLineKey()
    {
        var error = await StartupError.Of(o =>
        {
            var camera = AgentHost.SceneCamera("lobby", "side-by-side");
            camera.Lines.Add(new LineOptions { Name = "in/out", Start = [10, 10], End = [10, 200] });
            o.Cameras.Add(camera);
        });

        error.Should().Contain($"HgCounter:Cameras:0:Lines:{AgentHost.SceneCamera("x", "side-by-side").Lines.Count}:Name: the line name contains '/'");
    }

    [Fact]
    public async Task Start_NamesWithSpacesDotsAndUnicode_Start()
    {
        var camera = AgentHost.SceneCamera("Haupteingang Süd 2.0", "side-by-side");
        camera.Lines[0].Name = "Tür_1-a";

        await using var host = await AgentHost.StartAsync(HgCounter.Testing.TestPaths.NewTempDirectory(), o => o.Cameras.Add(camera));

        host.Agent.CurrentStatus.Should().NotBeNull();
    }
}
