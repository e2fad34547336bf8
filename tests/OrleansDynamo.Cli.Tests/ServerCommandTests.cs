using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using OrleansDynamo.ProcessTests;

namespace OrleansDynamo.Cli.Tests;

/// <summary>One in-memory server for the tests of a class; each test makes tables of its own names.</summary>
public class ServerFixture : IAsyncLifetime
{
    public ServerProcess Server { get; private set; } = null!;

    public IAmazonDynamoDB Dynamo { get; private set; } = null!;

    /// <summary>The options that point odyn at this server.</summary>
    public string[] Target => ["--endpoint", $"http://127.0.0.1:{Server.Port}", "--admin-endpoint", $"http://127.0.0.1:{Server.AdminPort}"];

    protected virtual string[] ServerArguments => ["--in-memory"];

    public async Task InitializeAsync()
    {
        Server = await ServerProcess.StartAsync(ServerArguments);
        Dynamo = Server.CreateClient(maxErrorRetry: 3);
    }

    public virtual async Task DisposeAsync()
    {
        Dynamo?.Dispose();
        if (Server is not null) await Server.DisposeAsync();
    }

    public Task<OdynResult> OdynAsync(params string[] arguments) => Odyn.RunAsync([.. arguments, .. Target]);

    /// <summary>A table keyed by "id" (S) holding <paramref name="count"/> items, made through the AWS SDK.</summary>
    public async Task<List<Dictionary<string, AttributeValue>>> CreateTableAsync(string name, int count)
    {
        await Dynamo.CreateTableAsync(new CreateTableRequest
        {
            TableName = name,
            AttributeDefinitions = [new AttributeDefinition("id", ScalarAttributeType.S)],
            KeySchema = [new KeySchemaElement("id", KeyType.HASH)],
            BillingMode = BillingMode.PAY_PER_REQUEST,
        });
        var items = Enumerable.Range(0, count).Select(i => new Dictionary<string, AttributeValue>
        {
            ["id"] = new() { S = $"item-{i:D4}" },
            ["n"] = new() { N = i.ToString() },
            ["tags"] = new() { SS = [$"t{i % 3}", "all"] },
        }).ToList();
        foreach (var item in items) await Dynamo.PutItemAsync(name, item);
        return items;
    }

    /// <summary>Every item of a table, by its id, as the AWS SDK reads it back.</summary>
    public async Task<Dictionary<string, string>> ScanAsync(string table)
    {
        var items = new Dictionary<string, string>();
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var page = await Dynamo.ScanAsync(new ScanRequest { TableName = table, ExclusiveStartKey = start, ConsistentRead = true });
            foreach (var item in page.Items ?? []) items[item["id"].S] = Describe(item);
            start = page.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        } while (start is not null);
        return items;
    }

    private static string Describe(Dictionary<string, AttributeValue> item) => string.Join(';', item.OrderBy(a => a.Key, StringComparer.Ordinal)
        .Select(a => $"{a.Key}={a.Value.S ?? a.Value.N ?? string.Join(',', (a.Value.SS ?? []).Order(StringComparer.Ordinal))}"));
}

/// <summary>odyn against a real server for what needs no backups: tables, cluster status, errors.</summary>
public sealed class ServerCommandTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Tables_lists_the_tables_made_through_the_sdk_with_their_item_counts()
    {
        await fixture.CreateTableAsync("cli-tables-orders", 5);
        await fixture.CreateTableAsync("cli-tables-users", 2);

        var human = await fixture.OdynAsync("tables");
        var json = await fixture.OdynAsync("tables", "--json");

        Assert.True(human.ExitCode == 0, human.ToString());
        Assert.Contains("cli-tables-orders", human.Stdout);
        Assert.Contains("cli-tables-users", human.Stdout);
        Assert.Contains("ACTIVE", human.Stdout);
        Assert.True(json.ExitCode == 0, json.ToString());
        using var tables = JsonDocument.Parse(json.Stdout);
        var counts = tables.RootElement.EnumerateArray().ToDictionary(t => t.GetProperty("name").GetString()!, t => t.GetProperty("itemCount").GetInt64());
        Assert.Equal(5, counts["cli-tables-orders"]);
        Assert.Equal(2, counts["cli-tables-users"]);
        var orders = tables.RootElement.EnumerateArray().Single(t => t.GetProperty("name").GetString() == "cli-tables-orders");
        Assert.Equal("ACTIVE", orders.GetProperty("status").GetString());
        Assert.Equal("PAY_PER_REQUEST", orders.GetProperty("billingMode").GetString());
        Assert.True(orders.GetProperty("sizeBytes").GetInt64() > 0);
    }

    [Fact]
    public async Task Cluster_status_shows_the_silo_and_the_tables_partitions()
    {
        await fixture.CreateTableAsync("cli-cluster-events", 6);

        var result = await fixture.OdynAsync("cluster", "status", "--json");
        var human = await fixture.OdynAsync("cluster", "status");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var status = JsonDocument.Parse(result.Stdout);
        var silo = Assert.Single(status.RootElement.GetProperty("silos").EnumerateArray());
        Assert.Contains($":{fixture.Server.SiloPort}", silo.GetProperty("silo").GetString());
        var events = status.RootElement.GetProperty("tables").EnumerateArray().Single(t => t.GetProperty("table").GetString() == "cli-cluster-events");
        Assert.True(events.GetProperty("partitions").GetInt32() >= 1);
        Assert.Equal(6, events.GetProperty("items").GetInt64());
        Assert.True(events.GetProperty("bytes").GetInt64() > 0);
        Assert.Equal(events.GetProperty("partitions").GetInt32(),
            status.RootElement.GetProperty("partitions").EnumerateArray().Count(p => p.GetProperty("table").GetString() == "cli-cluster-events"));
        Assert.True(human.ExitCode == 0, human.ToString());
        Assert.Contains("cli-cluster-events", human.Stdout);
        Assert.Contains($":{fixture.Server.SiloPort}", human.Stdout);
    }

    [Fact]
    public async Task Exporting_a_missing_table_exits_1_with_ResourceNotFoundException()
    {
        var result = await fixture.OdynAsync("export", "cli-no-such-table", "--bucket", "exports");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.StartsWith("error: ResourceNotFoundException: ", result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr);
        Assert.Equal("", result.Stdout);
    }

    [Fact]
    public async Task The_json_of_a_failing_command_leaves_stdout_empty()
    {
        var result = await fixture.OdynAsync("export", "cli-no-such-table", "--bucket", "exports", "--json");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal("", result.Stdout);
    }
}

/// <summary>An admin port beyond loopback, which the server answers only for signed requests of an odyn:Admin principal.</summary>
public sealed class SignedAdminTests : IAsyncLifetime
{
    private readonly string _credentials = Path.Combine(Path.GetTempPath(), $"odyn-cli-credentials-{Guid.NewGuid():N}.json");
    private ServerProcess _server = null!;

    public async Task InitializeAsync()
    {
        // "operator" may use the admin port, "test" only the DynamoDB API.
        await File.WriteAllTextAsync(_credentials, """
            {"principals": [
              {"name": "operator", "accessKeyId": "operator", "secretAccessKey": "operator-secret",
               "policy": {"Statement": [{"Effect": "Allow", "Action": ["dynamodb:*", "odyn:Admin"], "Resource": "*"}]}},
              {"name": "test", "accessKeyId": "test", "secretAccessKey": "test",
               "policy": {"Statement": [{"Effect": "Allow", "Action": "dynamodb:*", "Resource": "*"}]}}]}
            """);
        // The later --credentials-file stands in for the one ServerProcess passes.
        _server = await ServerProcess.StartAsync("--in-memory", "--auth", "sigv4", "--admin-address", "0.0.0.0", "--credentials-file", _credentials);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        File.Delete(_credentials);
    }

    private string[] Target => ["--endpoint", $"http://127.0.0.1:{_server.Port}", "--admin-endpoint", $"http://127.0.0.1:{_server.AdminPort}"];

    [Fact]
    public async Task Cluster_status_signs_its_request_with_the_keys_it_is_given()
    {
        var result = await Odyn.RunAsync(["cluster", "status", "--json", "--access-key", "operator", "--secret-key", "operator-secret", .. Target]);

        Assert.True(result.ExitCode == 0, result.ToString() + _server.Output);
        using var status = JsonDocument.Parse(result.Stdout);
        Assert.Single(status.RootElement.GetProperty("silos").EnumerateArray());
    }

    [Fact]
    public async Task The_keys_come_from_the_environment_when_not_given()
    {
        using var odyn = Odyn.Start(["tables", "--json", .. Target], out var stdout, out var stderr,
            new Dictionary<string, string> { ["AWS_ACCESS_KEY_ID"] = "test", ["AWS_SECRET_ACCESS_KEY"] = "test" });
        await odyn.WaitForExitAsync();

        Assert.True(odyn.ExitCode == 0, $"{stdout}\n{stderr}");
        using (JsonDocument.Parse(stdout.ToString())) { }
    }

    [Theory]
    [InlineData("test", "test", "AccessDeniedException")] // a valid signature, but no odyn:Admin
    [InlineData("operator", "wrong", "InvalidSignatureException")]
    [InlineData(null, null, "UnrecognizedClientException")] // odyn's dummy keys
    public async Task A_refused_admin_request_exits_1_with_the_servers_error_type(string? accessKey, string? secretKey, string errorType)
    {
        string[] keys = accessKey is null ? [] : ["--access-key", accessKey, "--secret-key", secretKey!];

        var result = await Odyn.RunAsync(["cluster", "status", .. keys, .. Target]);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.StartsWith($"error: {errorType}: ", result.Stderr);
        Assert.Contains("--access-key", result.Stderr); // what to do about it
    }

    [Fact]
    public async Task A_server_with_authentication_refuses_odyns_dummy_keys_with_exit_1()
    {
        var result = await Odyn.RunAsync(["tables", .. Target]);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.StartsWith("error: UnrecognizedClientException: ", result.Stderr);
    }
}
