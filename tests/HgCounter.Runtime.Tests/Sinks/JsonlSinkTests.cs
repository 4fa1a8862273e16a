using System.Text;
using System.Text.Json;
using HgCounter.Configuration;
using HgCounter.Events;
using HgCounter.Runtime.Sinks;
using HgCounter.Runtime.Tests.Events;
using HgCounter.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace HgCounter.Runtime.Tests.Sinks;

public sealed class JsonlSinkTests : IDisposable
{
    private readonly string _directory = TestPaths.NewTempDirectory("hgcounter-jsonl");

    private string FilePath => Path.Combine(_directory, "out", "events.jsonl");

    private JsonlSink NewSink() => new(new JsonlSinkOptions { Type = "jsonl", Path = FilePath }, NullLogger<JsonlSink>.Instance);

    private List<Guid> IdsInFile() => File.ReadAllLines(FilePath)
        .Select(line => JsonDocument.Parse(line).RootElement.GetProperty("event_id").GetGuid())
        .ToList();

    [Fact]
    public async Task DeliverAsync_TwoBatches_AppendsOneLinePerEventInOrder()
    {
        using var sink = NewSink();
        var events = TestEvents.Many(7);

        await sink.DeliverAsync(events[..4], TestContext.Timeout());
        await sink.DeliverAsync(events[4..], TestContext.Timeout());

        IdsInFile().Should().Equal(events.Select(e => e.EventId));
        File.ReadAllLines(FilePath)[0].Should().Contain("\"camera\":\"door-cam\"").And.Contain("\"worker_id\":\"worker-1\"");
    }

    [Fact]
    public async Task DeliverAsync_BatchResent_SkipsIdsAlreadyWritten()
    {
        using var sink = NewSink();
        var events = TestEvents.Many(6);

        await sink.DeliverAsync(events[..4], TestContext.Timeout());
        await sink.DeliverAsync(events[2..], TestContext.Timeout());

        IdsInFile().Should().Equal(events.Select(e => e.EventId));
    }

    [Fact]
    public async Task DeliverAsync_ResentAfterRestart_IdsInTheFileAreSkipped()
    {
        var events = TestEvents.Many(5);
        using (var before = NewSink())
        {
            await before.DeliverAsync(events[..3], TestContext.Timeout());
        }

        using var after = NewSink();
        await after.DeliverAsync(events, TestContext.Timeout());

        IdsInFile().Should().Equal(events.Select(e => e.EventId));
    }

    [Fact]
    public async Task DeliverAsync_FileEndsWithTornLine_LineCutAndEventWrittenWhole()
    {
        var events = TestEvents.Many(2);
        using (var before = NewSink())
        {
            await before.DeliverAsync(events[..1], TestContext.Timeout());
        }

        // A crash in the middle of writing the second event.
        await File.AppendAllTextAsync(FilePath, $"{{\"event_id\":\"{events[1].EventId}\",\"cam", Encoding.UTF8);

        using var after = NewSink();
        await after.DeliverAsync(events, TestContext.Timeout());

        IdsInFile().Should().Equal(events.Select(e => e.EventId));
    }

    [Fact]
    public void Constructor_NoPath_ThrowsNamingTheSink()
    {
        var act = () => new JsonlSink(new JsonlSinkOptions { Type = "jsonl", Name = "archive" }, NullLogger<JsonlSink>.Instance);

        act.Should().Throw<ArgumentException>().WithMessage("*'archive'*Path*");
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
