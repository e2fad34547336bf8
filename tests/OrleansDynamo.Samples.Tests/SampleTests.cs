using System.Net.Http.Json;
using Amazon.DynamoDBv2;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OrleansDynamo.Client.Hosting;
using OrleansDynamo.Model;
using OrleansDynamo.Operations;
using OrleansDynamo.Samples.AwsSdkApp;
using OrleansDynamo.Samples.CoHostedApp;
using OrleansDynamo.Samples.WorkerService;

namespace OrleansDynamo.Samples.Tests;

/// <summary>Each sample's own logic, run against a real server (or, co-hosted, its own silo), checked by what it did.</summary>
public sealed class SampleTests(SampleServer server) : IClassFixture<SampleServer>
{
    [Fact]
    public async Task WorkerService_writes_refuses_a_duplicate_counts_and_queries_orders_over_the_Orleans_client()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.UseOrleansClient(client => client.UseOrleansDynamoGateways([new(System.Net.IPAddress.Loopback, server.GatewayPort)]));
        using var host = builder.Build();
        await host.StartAsync();
        var output = new StringWriter();

        await OrdersWorkload.RunAsync(host.Services.GetRequiredService<IDynamoDb>(), output);
        await host.StopAsync();

        var lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(
        [
            "duplicate order refused: The conditional request failed",
            "order 2 shipments: 1",
            "order 1: 10.5",
            "order 2: 20.5",
            "order 3: 30.5",
            "alice has 3 orders",
        ], lines);
    }

    [Fact]
    public async Task AwsSdkApp_runs_its_DynamoDBContext_model_on_OrleansDynamo()
    {
        using var host = AwsSdkApp.Program.CreateHost(["--Gateway", $"127.0.0.1:{server.GatewayPort}"]);
        await host.StartAsync();
        var client = host.Services.GetRequiredService<IAmazonDynamoDB>();
        Assert.IsType<OrleansDynamo.Client.AwsSdk.OrleansDynamoAmazonClient>(client);
        var output = new StringWriter();

        await MusicLibrary.RunAsync(client, output);
        await host.StopAsync();

        Assert.Equal(
        [
            "Nina Simone - Feeling Good (1965), plays: 1",
            "Nina Simone - Sinnerman (1965), plays: 0",
        ], output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task CoHostedApp_grains_keep_playlists_in_a_table_of_the_same_silo()
    {
        var app = CoHostedApp.Program.Build(["--urls", "http://127.0.0.1:0", "--SiloPort", SampleServer.FreePort().ToString(),
            "--GatewayPort", SampleServer.FreePort().ToString(), "--Logging:LogLevel:Default=Warning"]);
        await app.StartAsync();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()) };
            (await http.PostAsync("/playlists/road/songs/Sinnerman", null)).EnsureSuccessStatusCode();
            var second = await (await http.PostAsync("/playlists/road/songs/Sinnerman", null)).Content.ReadFromJsonAsync<PlayResult>();
            (await http.PostAsync("/playlists/road/songs/Feeling%20Good", null)).EnsureSuccessStatusCode();
            Assert.Equal(2, second!.Plays);

            var songs = await http.GetFromJsonAsync<List<PlaylistSong>>("/playlists/road");
            Assert.Equal([new PlaylistSong("Feeling Good", 1), new PlaylistSong("Sinnerman", 2)], songs);

            // The rows are in the co-hosted database, readable through the silo's own IDynamoDb.
            var row = await app.Services.GetRequiredService<IDynamoDb>().GetItemAsync(new GetItemRequest
            {
                TableName = PlaylistTable.Name,
                Key = new Item([new("Playlist", AttributeValue.FromS("road")), new("Title", AttributeValue.FromS("Sinnerman"))]),
            });
            Assert.Equal("2", row.Item!["Plays"].N.ToString());

            // The table's stream reached the change handler in the same silo, in order.
            Assert.Equal(["road: Sinnerman (1)", "road: Sinnerman (2)", "road: Feeling Good (1)"], await FeedAsync(http, 3));
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task CoHostedApp_change_handler_resumes_after_a_restart_from_its_checkpoint()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "odyn-sample-" + Guid.NewGuid().ToString("N"));
        try
        {
            await RunCoHostedAsync(dataDirectory, async http =>
            {
                foreach (var song in new[] { "One", "Two", "Three" }) (await http.PostAsync($"/playlists/first/songs/{song}", null)).EnsureSuccessStatusCode();
                Assert.Equal(3, (await FeedAsync(http, 3)).Count);
            });
            await RunCoHostedAsync(dataDirectory, async http =>
            {
                foreach (var song in new[] { "Four", "Five" }) (await http.PostAsync($"/playlists/second/songs/{song}", null)).EnsureSuccessStatusCode();
                var feed = await FeedAsync(http, 2, entry => entry.StartsWith("second", StringComparison.Ordinal));
                Assert.Equal(["second: Four (1)", "second: Five (1)"], feed.Where(e => e.StartsWith("second", StringComparison.Ordinal)));
                // Resumed after the checkpoint: the first run's changes were not delivered again.
                Assert.DoesNotContain("first: One (1)", feed);
            });
        }
        finally
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    private static async Task RunCoHostedAsync(string dataDirectory, Func<HttpClient, Task> run)
    {
        var app = CoHostedApp.Program.Build(["--urls", "http://127.0.0.1:0", "--SiloPort", SampleServer.FreePort().ToString(),
            "--GatewayPort", SampleServer.FreePort().ToString(), "--DataDir", dataDirectory, "--Logging:LogLevel:Default=Warning"]);
        await app.StartAsync();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()) };
            await run(http);
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    /// <summary>The play feed once it holds <paramref name="count"/> entries (that match), waiting up to 20 s.</summary>
    private static async Task<List<string>> FeedAsync(HttpClient http, int count, Func<string, bool>? matching = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var feed = (await http.GetFromJsonAsync<List<string>>("/feed"))!;
            if (feed.Count(matching ?? (_ => true)) >= count || DateTime.UtcNow > deadline) return feed;
            await Task.Delay(50);
        }
    }

    private sealed record PlayResult(int Plays);
}
