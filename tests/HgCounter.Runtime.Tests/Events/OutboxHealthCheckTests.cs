using HgCounter.Configuration;
using HgCounter.Runtime.Events;
using HgCounter.Testing;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;

namespace HgCounter.Runtime.Tests.Events;

public sealed class OutboxHealthCheckTests : IDisposable
{
    private readonly string _directory = TestPaths.NewTempDirectory("hgcounter-outbox");

    [Fact]
    public async Task CheckHealthAsync_BacklogFillsToLimit_TurnsDegradedAndKeepsAccepting()
    {
        var options = new EventOptions { OutboxPath = Path.Combine(_directory, "outbox.db"), BacklogLimit = 3 };
        await using var outbox = new EventOutbox(options, NullLogger<EventOutbox>.Instance, TimeProvider.System);
        var check = new OutboxHealthCheck(outbox, options);

        for (var i = 0; i < 2; i++)
        {
            await outbox.EnqueueAsync(TestEvents.New(i), TestContext.Timeout());
        }

        (await check.CheckHealthAsync(new HealthCheckContext())).Status.Should().Be(HealthStatus.Healthy);

        for (var i = 2; i < 5; i++)
        {
            await outbox.EnqueueAsync(TestEvents.New(i), TestContext.Timeout());
        }

        var result = await check.CheckHealthAsync(new HealthCheckContext());
        result.Status.Should().Be(HealthStatus.Degraded);
        result.Description.Should().Contain("5 event(s) pending").And.Contain("limit of 3");
        outbox.PendingCount.Should().Be(5, "over the limit events are still stored, never dropped");
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
