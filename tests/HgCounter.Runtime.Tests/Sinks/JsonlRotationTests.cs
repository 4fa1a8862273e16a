using System.Text.Json;
using HgCounter.Configuration;
using HgCounter.Events;
using HgCounter.Runtime.Sinks;
using HgCounter.Runtime.Tests.Events;
using HgCounter.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace HgCounter.Runtime.Tests.Sinks;

/// <summary>JSONL rotation on the real file system: by size, by local day, with a retention count; no line lost or doubled.</summary>
public sealed class JsonlRotationTests : IDisposable
{
    private readonly string _directory = TestPaths.NewTempDirectory("hgcounter-jsonl-rotation");
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);

    private string FilePath => Path.Combine(_directory, "events.jsonl");

    private JsonlSink NewSink(int maxFileMegabytes = 100, int retainFiles = 30) => new(
        new JsonlSinkOptions { Type = "jsonl", Path = FilePath, Rotation = { MaxFileMegabytes = maxFileMegabytes, RetainFiles = retainFiles } },
        NullLogger<JsonlSink>.Instance,
        _time);

    private string[] RotatedFiles() => Directory.GetFiles(_directory, "events.*.jsonl").Order(StringComparer.Ordinal).ToArray();

    private static List<Guid> Ids(string path) => File.ReadAllLines(path)
        .Select(line => JsonDocument.Parse(line).RootElement.GetProperty("event_id").GetGuid())
        .ToList();

    private List<Guid> IdsInAllFiles() => RotatedFiles().Append(FilePath).Where(File.Exists).SelectMany(Ids).ToList();

    private static async Task DeliverInBatchesAsync(JsonlSink sink, CountEvent[] events, bool resendEach)
    {
        foreach (var batch in events.Chunk(200))
        {
            await sink.DeliverAsync(batch, TestContext.Timeout());
            if (resendEach)
            {
                // As the outbox does when the confirmation was not recorded.
                await sink.DeliverAsync(batch, TestContext.Timeout());
            }
        }
    }

    [Fact]
    public async Task DeliverAsync_PastMaxFileMegabytes_RotatesAndEveryEventIsInExactlyOneFile()
    {
        using var sink = NewSink(maxFileMegabytes: 1, retainFiles: 100);
        var events = TestEvents.Many(12_000);

        await DeliverInBatchesAsync(sink, events, resendEach: true);

        RotatedFiles().Should().HaveCountGreaterThanOrEqualTo(2, "about 3 MB were written with a 1 MB limit");
        RotatedFiles().Should().AllSatisfy(f => new FileInfo(f).Length.Should().BeLessThanOrEqualTo(1024 * 1024));
        IdsInAllFiles().Should().Equal(events.Select(e => e.EventId), "every event once, in order, across the files");
    }

    [Fact]
    public async Task DeliverAsync_MoreRotationsThanRetainFiles_OldestRotatedFilesDeleted()
    {
        using var sink = NewSink(maxFileMegabytes: 1, retainFiles: 2);
        var events = TestEvents.Many(20_000);

        await DeliverInBatchesAsync(sink, events, resendEach: false);

        RotatedFiles().Should().HaveCount(2);
        var kept = IdsInAllFiles();
        kept.Should().NotBeEmpty().And.Equal(events[^kept.Count..].Select(e => e.EventId), "the oldest files go, the newest lines stay");
    }

    [Fact]
    public async Task DeliverAsync_NewLocalDay_PreviousDayRotatedToItsDate()
    {
        using var sink = NewSink();
        var yesterday = TestEvents.Many(5);
        var today = TestEvents.Many(3);
        var firstDay = DateOnly.FromDateTime(_time.GetLocalNow().DateTime);

        await sink.DeliverAsync(yesterday, TestContext.Timeout());
        _time.Advance(TimeSpan.FromDays(1));
        await sink.DeliverAsync(today, TestContext.Timeout());

        RotatedFiles().Should().Equal(Path.Combine(_directory, $"events.{firstDay:yyyy-MM-dd}.1.jsonl"));
        Ids(RotatedFiles()[0]).Should().Equal(yesterday.Select(e => e.EventId));
        Ids(FilePath).Should().Equal(today.Select(e => e.EventId));
    }

    [Fact]
    public async Task DeliverAsync_BatchResentAfterRotationAndRestart_NothingWrittenTwice()
    {
        var first = TestEvents.Many(4);
        var second = TestEvents.Many(4);
        var resent = first.Concat(second).ToArray();
        using (var sink = NewSink())
        {
            await sink.DeliverAsync(first, TestContext.Timeout());
            _time.Advance(TimeSpan.FromDays(1));
            // A retry picks up more events than the attempt before: the new ones rotate the file, the old ones stay behind.
            await sink.DeliverAsync(resent, TestContext.Timeout());
        }

        // The process died before the outbox recorded the confirmation: the same batch comes again to a new sink.
        using var restarted = NewSink();
        await restarted.DeliverAsync(resent, TestContext.Timeout());

        IdsInAllFiles().Should().Equal(resent.Select(e => e.EventId), "the ids in the newest rotated file are remembered too");
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
