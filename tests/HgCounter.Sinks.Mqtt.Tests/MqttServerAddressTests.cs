namespace HgCounter.Sinks.Mqtt.Tests;

public sealed class MqttServerAddressTests
{
    [Theory]
    [InlineData("mqtt://broker.lan", "broker.lan", 1883, false, null, null)]
    [InlineData("mqtts://broker.lan", "broker.lan", 8883, true, null, null)]
    [InlineData("mqtt://counter:p@ss/w#rd@10.0.0.5:1884", "10.0.0.5", 1884, false, "counter", "p@ss/w#rd")]
    [InlineData("MQTTS://counter:p%40ss@[::1]:8884/", "::1", 8884, true, "counter", "p@ss")]
    public void TryParse_BrokerUrl_HostPortTlsAndCredentials(string url, string host, int port, bool tls, string? user, string? password)
    {
        MqttServerAddress.TryParse(url, out var address, out _).Should().BeTrue();
        address.Should().Be(new MqttServerAddress(host, port, tls, user, password));
        if (password is not null)
        {
            address.Display.Should().NotContain(password).And.Contain("***@");
        }
    }

    [Theory]
    [InlineData(null, "mqtt://host:1883")]
    [InlineData("tcp://broker:1883", "mqtt://")]
    [InlineData("mqtt://broker:99999", "port")]
    [InlineData("mqtt://broker/path", "without a path")]
    [InlineData("mqtt://user:secret@", "host")]
    public void TryParse_NotABrokerUrl_SaysWhatIsWrong(string? url, string expected)
    {
        MqttServerAddress.TryParse(url, out _, out var error).Should().BeFalse();
        error.Should().Contain(expected).And.NotContain("secret");
    }
}
