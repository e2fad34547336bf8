using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OrleansDynamo.Server;
using OrleansDynamo.Tests;
using static OrleansDynamo.Api.Tests.TestTables;

namespace OrleansDynamo.Api.Tests.Protocol;

/// <summary>The admin port's health probes and Prometheus metrics, on a server of its own (metrics are per process).</summary>
public sealed class AdminPortTests : IAsyncLifetime
{
    private static readonly HttpClient Http = new();
    private WebApplication _app = null!;
    private Uri _admin = null!;
    private IAmazonDynamoDB _client = null!;

    public async Task InitializeAsync()
    {
        _app = ServerHost.Build(["--port", "0", "--silo-port", ServerFixture.FreePort().ToString(), "--gateway-port", ServerFixture.FreePort().ToString(),
            "--in-memory"]);
        await _app.StartAsync();
        // Ready means the startup recovery has finished (the server's own start waits for it too, see ServerWarmup).
        await _app.Services.GetRequiredService<OrleansDynamo.Tables.TableRecovery>().Completed;
        _admin = ServerHost.GetAdminEndpoint(_app);
        _client = ServerFixture.CreateClient(ServerHost.GetEndpoint(_app));
    }

    [Fact]
    public async Task Health_probes_answer_on_the_admin_port_only()
    {
        using var live = await Http.GetAsync(new Uri(_admin, "/health/live"));
        Assert.Equal((HttpStatusCode.OK, "Healthy"), (live.StatusCode, await live.Content.ReadAsStringAsync()));
        using var ready = await Http.GetAsync(new Uri(_admin, "/health/ready"));
        Assert.Equal((HttpStatusCode.OK, "Healthy"), (ready.StatusCode, await ready.Content.ReadAsStringAsync()));
        foreach (var path in (string[])["/health/ready", "/metrics"])
        {
            using var onApi = await Http.GetAsync(new Uri(ServerHost.GetEndpoint(_app), path));
            Assert.Equal(HttpStatusCode.NotFound, onApi.StatusCode);
        }
    }

    [Fact]
    public async Task Request_error_and_duration_metrics_move_with_traffic()
    {
        var table = await CreateAsync(_client);
        var before = await ScrapeAsync();
        for (var i = 0; i < 3; i++) await _client.PutItemAsync(table, new() { ["pk"] = S($"k{i}") });
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => _client.GetItemAsync("no-such-table", new() { ["pk"] = S("k") }));
        var after = await ScrapeAsync();

        Assert.Equal(3, Value(after, "orleansdynamo_requests_total", ("operation", "PutItem"), ("table", table))
            - Value(before, "orleansdynamo_requests_total", ("operation", "PutItem"), ("table", table)));
        // The meter is the process's: other tests' servers in this process add to the series without a table.
        Assert.True(Value(after, "orleansdynamo_errors_total", ("operation", "GetItem"), ("error_type", "ResourceNotFoundException"))
            - Value(before, "orleansdynamo_errors_total", ("operation", "GetItem"), ("error_type", "ResourceNotFoundException")) >= 1);
        Assert.True(Value(after, "orleansdynamo_request_duration_seconds_count", ("operation", "PutItem"))
            - Value(before, "orleansdynamo_request_duration_seconds_count", ("operation", "PutItem")) >= 3);
        Assert.True(Value(after, "orleansdynamo_request_duration_seconds_sum", ("operation", "PutItem")) > 0);
        Assert.True(Value(after, "orleansdynamo_store_commit_batch_size_count") >= 3); // in memory, every write is still one commit
        Assert.True(Value(after, "orleansdynamo_partitions_active") >= 1);
        Assert.Contains("\norleansdynamo_index_outbox_backlog", after);
    }

    [Fact]
    public async Task Stream_readers_lag_and_index_delivery_lag_are_exported()
    {
        var table = NewName("lag");
        await _client.CreateTableAsync(new CreateTableRequest
        {
            TableName = table,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            KeySchema = [new KeySchemaElement("pk", KeyType.HASH)],
            AttributeDefinitions = [new AttributeDefinition("pk", ScalarAttributeType.S), new AttributeDefinition("g", ScalarAttributeType.S)],
            GlobalSecondaryIndexes = [new GlobalSecondaryIndex
            {
                IndexName = "byG", KeySchema = [new KeySchemaElement("g", KeyType.HASH)], Projection = new Projection { ProjectionType = ProjectionType.ALL },
            }],
            StreamSpecification = new StreamSpecification { StreamEnabled = true, StreamViewType = StreamViewType.KEYS_ONLY },
        });
        await _client.PutItemAsync(table, new() { ["pk"] = S("k"), ["g"] = S("v") });
        await Task.Delay(300); // the record is that old, at least, when it is read

        using var streams = StreamsSdk.Start(ServerHost.GetEndpoint(_app));
        var records = await StreamTestReader.ReadAllAsync(streams, await StreamTestReader.StreamArnOf(_client, table));
        Assert.Single(records);
        var metrics = await ScrapeAsync();
        Assert.True(Value(metrics, "orleansdynamo_streams_iterator_age_seconds_count", ("table", table)) >= 2); // the read with the record, and the one after
        Assert.True(Value(metrics, "orleansdynamo_streams_iterator_age_seconds_sum", ("table", table)) >= 0.3);
        Assert.Matches(@"\norleansdynamo_index_outbox_lag_seconds(\{[^}]*\})? [0-9.e+-]+", metrics);
    }

    [Fact]
    public async Task The_Orleans_Dashboard_answers_on_the_admin_port_with_dashboard_only()
    {
        using var off = await Http.GetAsync(new Uri(_admin, "/dashboard/"));
        Assert.Equal(HttpStatusCode.NotFound, off.StatusCode);

        var app = ServerHost.Build(["--port", "0", "--silo-port", ServerFixture.FreePort().ToString(), "--gateway-port", ServerFixture.FreePort().ToString(),
            "--admin-port", "0", "--in-memory", "--dashboard"]);
        await app.StartAsync();
        try
        {
            using var client = ServerFixture.CreateClient(ServerHost.GetEndpoint(app));
            await CreateAsync(client);
            var admin = ServerHost.GetAdminEndpoint(app);
            // In a real browser: the page loads its scripts, which poll the silo and render what they get.
            await using var browser = await RealBrowser.LaunchAsync();
            var page = await browser.Browser.NewPageAsync();
            var failed = new List<string>();
            page.RequestFailed += (_, request) => failed.Add(request.Url);
            var response = await page.GotoAsync(new Uri(admin, "/dashboard/").ToString());
            Assert.Equal(200, response!.Status);
            Assert.Equal("Orleans Dashboard", await page.TitleAsync());
            // The overview's numbers are filled in by the scripts from the silo's counters: one silo, and its activations.
            await page.WaitForFunctionAsync("() => /ACTIVE SILOS\\s+1\\b/i.test(document.body.innerText)", null, new() { Timeout = 30_000 });
            var text = await page.InnerTextAsync("body");
            Assert.Matches(@"(?i)TOTAL ACTIVATIONS\s+[1-9]", text);
            // Its Grains page lists the grain types active in the silo, ours among them.
            await page.GetByRole(Microsoft.Playwright.AriaRole.Link, new() { Name = "Grains", Exact = true }).ClickAsync();
            await page.GetByText("TableGrain").First.WaitForAsync(new() { Timeout = 30_000 });
            Assert.Empty(failed);
            using var onApi = await Http.GetAsync(new Uri(ServerHost.GetEndpoint(app), "/dashboard/"));
            Assert.Equal(HttpStatusCode.NotFound, onApi.StatusCode);
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    private async Task<string> ScrapeAsync()
    {
        using var response = await Http.GetAsync(new Uri(_admin, "/metrics"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The sample of <paramref name="metric"/> whose labels include all of <paramref name="labels"/>; 0 when there is none yet.</summary>
    private static double Value(string exposition, string metric, params (string Name, string Value)[] labels)
    {
        foreach (var line in exposition.Split('\n'))
        {
            var match = Regex.Match(line, $@"^{Regex.Escape(metric)}(\{{(?<labels>[^}}]*)\}})? (?<value>\S+)");
            if (!match.Success) continue;
            var text = match.Groups["labels"].Value;
            if (labels.All(l => text.Contains($"{l.Name}=\"{l.Value}\"", StringComparison.Ordinal)))
                return double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture);
        }
        return 0;
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
