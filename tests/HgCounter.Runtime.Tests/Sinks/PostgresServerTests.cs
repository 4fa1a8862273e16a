using HgCounter.Testing;
using Npgsql;

namespace HgCounter.Runtime.Tests.Sinks;

public sealed class PostgresServerTests
{
    private static async Task<long> CountRowsAsync(PostgresServer server)
    {
        await using var connection = new NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync(TestContext.Timeout());
        await using var command = new NpgsqlCommand("SELECT count(*) FROM marker", connection);
        return (long)(await command.ExecuteScalarAsync(TestContext.Timeout()))!;
    }

    [Fact]
    public async Task StopStartDispose_SamePortAndData_NoPostgresProcessLeft()
    {
        var server = await PostgresServer.CreateAsync(TestContext.Timeout(120));
        int pid;
        try
        {
            await using (var connection = new NpgsqlConnection(server.ConnectionString))
            {
                await connection.OpenAsync(TestContext.Timeout());
                await using var create = new NpgsqlCommand("CREATE TABLE marker (id int); INSERT INTO marker VALUES (1)", connection);
                await create.ExecuteNonQueryAsync(TestContext.Timeout());
            }

            var port = server.Port;
            await server.StopAsync(TestContext.Timeout(60));
            server.IsRunning.Should().BeFalse();
            var whileDown = async () => await CountRowsAsync(server);
            await whileDown.Should().ThrowAsync<NpgsqlException>();

            await server.StartAsync(TestContext.Timeout(60));
            server.Port.Should().Be(port);
            (await CountRowsAsync(server)).Should().Be(1, "the data directory is kept across a restart");
            pid = server.PostmasterPid!.Value;
        }
        finally
        {
            await server.DisposeAsync();
        }

        ProcessTable.IsAlive(pid).Should().BeFalse("the postmaster is gone");
        Directory.EnumerateDirectories("/proc")
            .Select(dir => Path.Combine(dir, "cmdline"))
            .Select(TryRead)
            .Should().NotContain(cmdline => cmdline.Contains(server.DataDirectory, StringComparison.Ordinal), "no postgres process is left behind");
        Directory.Exists(server.RootDirectory).Should().BeFalse();
    }

    private static string TryRead(string path)
    {
        try
        {
            // A zombie waiting for init to reap it has an empty command line: only live processes match.
            return File.ReadAllText(path).Replace('\0', ' ');
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }
}
