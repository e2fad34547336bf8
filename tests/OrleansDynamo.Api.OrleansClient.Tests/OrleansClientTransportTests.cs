using System.Diagnostics;
using Amazon.DynamoDBv2;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OrleansDynamo.Client.AwsSdk;
using OrleansDynamo.Server;
using static OrleansDynamo.Api.Tests.TestTables;

namespace OrleansDynamo.Api.Tests;

/// <summary>What only the Orleans transport has: its registration, and what a caller sees when the cluster is gone.</summary>
public sealed class OrleansClientTransportTests
{
    [Fact]
    public async Task AddOrleansDynamoAwsSdk_registers_the_adapter_and_a_lost_server_fails_fast_as_ServiceUnavailable()
    {
        var gatewayPort = ServerFixture.FreePort();
        var app = ServerHost.Build(["--port", "0", "--silo-port", ServerFixture.FreePort().ToString(), "--gateway-port", gatewayPort.ToString(), "--in-memory"]);
        await app.StartAsync();
        using var client = await ServerFixture.StartOrleansClientAsync(gatewayPort);
        var dynamo = client.Services.GetRequiredService<IAmazonDynamoDB>();
        Assert.IsType<OrleansDynamoAmazonClient>(dynamo);
        var table = await CreateAsync(dynamo);
        await dynamo.PutItemAsync(table, new() { ["pk"] = S("k") });

        await app.StopAsync();
        await app.DisposeAsync();

        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => dynamo.GetItemAsync(table, new() { ["pk"] = S("k") }));
        Assert.Equal("ServiceUnavailable", error.ErrorCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        await client.StopAsync(new CancellationTokenSource(TimeSpan.FromSeconds(5)).Token);
    }
}
