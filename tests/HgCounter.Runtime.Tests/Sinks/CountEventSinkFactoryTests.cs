using HgCounter.Configuration;
using HgCounter.Runtime.Sinks;
using HgCounter.Runtime.Tests.Events;
using HgCounter.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace HgCounter.Runtime.Tests.Sinks;

public sealed class CountEventSinkFactoryTests
{
    [Fact]
    public async Task CreateBuiltIn_HttpAndJsonl_EachSinkOfItsTypeNamedAndPackagedOrCustomTypesLeftOut()
    {
        await using var factory = new CountEventSinkFactory(NullLoggerFactory.Instance, TimeProvider.System);
        var options = new SinkOptions[]
        {
            new PostgreSqlSinkOptions { Type = "postgres", ConnectionString = "Host=db.example;Password=pw-secret-1" },
            new HttpSinkOptions { Type = "HTTP", Name = "supabase-rest", Url = "https://example.supabase.co/rest/v1/count_events" },
            new JsonlSinkOptions { Type = "jsonl", Path = Path.Combine(Path.GetTempPath(), "never-written.jsonl") },
            new SinkOptions { Type = "kafka", Name = "custom" },
        };

        var sinks = factory.CreateBuiltIn(options);

        sinks.Select(s => (s.GetType(), s.Name)).Should().Equal(
            (typeof(HttpSink), "supabase-rest"), (typeof(JsonlSink), "jsonl"));
    }

    [Fact]
    public void Create_UnknownType_ThrowsNamingTheType()
    {
        using var factory = new CountEventSinkFactory(NullLoggerFactory.Instance, TimeProvider.System);

        var act = () => factory.Create(new SinkOptions { Type = "kafka" });

        act.Should().Throw<ArgumentException>().WithMessage("*'kafka'*");
    }

    [Fact]
    public void Create_HttpWithSecretInUrl_ErrorMessagesDoNotCarryIt()
    {
        using var factory = new CountEventSinkFactory(NullLoggerFactory.Instance, TimeProvider.System);

        var act = () => factory.Create(new HttpSinkOptions { Type = "http", Url = "ftp://user:hunter2-secret@host/x" });

        act.Should().Throw<ArgumentException>().Which.Message.Should().NotContain("hunter2-secret");
    }
}
