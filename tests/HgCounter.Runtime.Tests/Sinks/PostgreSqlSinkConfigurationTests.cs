using System.Globalization;
using System.Text;
using System.Text.Json;
using HgCounter.Rtsp.Synthetic;
using HgCounter.Runtime.Agent;
using HgCounter.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace HgCounter.Runtime.Tests.Sinks;

/// <summary>The one-line registration: <c>"Type": "postgres"</c> in JSON configuration plus <c>.AddPostgreSqlSink()</c>, against a real PostgreSQL.</summary>
public sealed class PostgreSqlSinkConfigurationTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task AddPostgreSqlSink_SinkConfiguredInJson_DeliversEveryCountedEventToTheTable()
    {
        const string scene = "cross-both-ways";
        var expected = SyntheticScenes.Get(scene).ExpectedCount("door");
        var data = TestPaths.NewTempDirectory("hgcounter-pg-config");
        var table = "json_configured_" + Guid.NewGuid().ToString("N")[..8];
        var lines = string.Join(", ", SyntheticScenes.Get(scene).Lines.Select(l =>
            $$"""{ "Name": "{{l.Name}}", "Start": [{{Point(l.Start)}}], "End": [{{Point(l.End)}}] }"""));
        var json = $$"""
            { "HgCounter": {
                "DataDirectory": {{JsonSerializer.Serialize(data)}},
                "HealthChecks": { "DnsHost": null },
                "Cameras": [ { "Name": "lobby", "Url": "synthetic:{{scene}}", "Detector": "motion", "Realtime": false, "Lines": [ {{lines}} ] } ],
                "Events": { "OutboxPath": {{JsonSerializer.Serialize(Path.Combine(data, "outbox.db"))}},
                            "Sinks": [ { "Type": "postgres", "Name": "warehouse", "ConnectionString": {{JsonSerializer.Serialize(postgres.Server.ConnectionString)}}, "Table": "{{table}}" } ] } } }
            """;
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddHgCounter(new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build())
            .AddPostgreSqlSink();
        using var host = builder.Build();
        await host.StartAsync(TestContext.Timeout(60));

        await host.Services.GetRequiredService<CounterAgent>().Completion.WaitAsync(TimeSpan.FromSeconds(120));
        var rows = await PollRowsAsync(table, expected.In + expected.Out, TimeSpan.FromSeconds(60));
        await host.StopAsync(TestContext.Timeout(60));

        expected.In.Should().BePositive();
        rows.Should().Be(expected.In + expected.Out, "every counted event reaches the table named in configuration");
    }

    private static string Point(float[] point) => string.Join(", ", point.Select(v => v.ToString(CultureInfo.InvariantCulture)));

    private async Task<long> PollRowsAsync(string table, long expected, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        long rows = -1;
        while (!deadline.IsCancellationRequested)
        {
            await using var connection = new NpgsqlConnection(postgres.Server.ConnectionString);
            await connection.OpenAsync(deadline.Token);
            await using var command = new NpgsqlCommand($"SELECT count(*) FROM pg_tables WHERE tablename = '{table}'", connection);
            if ((long)(await command.ExecuteScalarAsync(deadline.Token))! == 1)
            {
                await using var count = new NpgsqlCommand($"SELECT count(*) FROM {table}", connection);
                rows = (long)(await count.ExecuteScalarAsync(deadline.Token))!;
                if (rows == expected)
                {
                    return rows;
                }
            }

            await Task.Delay(200, CancellationToken.None);
        }

        return rows;
    }
}
