using HgCounter.Testing;

namespace HgCounter.Runtime.Tests.Sinks;

/// <summary>One real PostgreSQL server shared by the tests of a class (each test uses its own table).</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    public PostgresServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await PostgresServer.CreateAsync(TestContext.Timeout(120));

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
