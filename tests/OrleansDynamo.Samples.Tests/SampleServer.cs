using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using OrleansDynamo.Server;

namespace OrleansDynamo.Samples.Tests;

/// <summary>A running OrleansDynamo server (in-memory, free ports) for the samples that connect to one.</summary>
public sealed class SampleServer : IAsyncLifetime
{
    private WebApplication? _app;

    public int GatewayPort { get; } = FreePort();

    public async Task InitializeAsync()
    {
        _app = ServerHost.Build(["--port", "0", "--silo-port", FreePort().ToString(), "--gateway-port", GatewayPort.ToString(), "--in-memory",
            "--Logging:LogLevel:Default=Warning"]);
        await _app.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_app is null) return;
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
