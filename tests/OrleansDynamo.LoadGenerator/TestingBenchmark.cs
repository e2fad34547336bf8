using System.Diagnostics;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using OrleansDynamo.Testing;

namespace OrleansDynamo.LoadGenerator;

/// <summary>
/// What OrleansDynamo.Testing costs a test suite: the first start of a server in a fresh process (goal ≤ 1 s), and the
/// cost of one isolated test (a scope, one table created in it, the scope disposed; goal ≤ 20 ms), next to the test's
/// own work (a PutItem and a GetItem) as the reference, measured in the same run.
/// </summary>
public static class TestingBenchmark
{
    public static async Task<int> RunAsync(BenchArgs args)
    {
        var tests = args.Int("tests", 300);
        var started = Stopwatch.StartNew();
        await using var server = await DynamoDbTestServer.StartAsync(args.Optional("server-args")?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? []);
        var firstStart = started.Elapsed;
        // The first call warms the request path (JIT), as a suite's first test does.
        var warm = Stopwatch.StartNew();
        await server.Client.ListTablesAsync();
        var firstCall = warm.Elapsed;

        await IsolatedTestAsync(server, work: true); // warm-up, not counted
        var isolation = new List<double>(tests);
        var work = new List<double>(tests);
        for (var i = 0; i < tests; i++)
        {
            var (scope, body) = await IsolatedTestAsync(server, work: true);
            isolation.Add(scope);
            work.Add(body);
        }
        isolation.Sort();
        work.Sort();
        Console.WriteLine($"first start: {firstStart.TotalMilliseconds:F0} ms (server start), first request {firstCall.TotalMilliseconds:F0} ms after it");
        Console.WriteLine($"isolated test overhead: median {isolation[tests / 2]:F2} ms, p90 {isolation[tests * 9 / 10]:F2} ms "
            + $"(scope + CreateTable + DeleteTable on dispose), over {tests} tests");
        Console.WriteLine($"reference, the test body (PutItem + GetItem): median {work[tests / 2]:F2} ms; overhead {isolation[tests / 2] / work[tests / 2]:F1}x of it");
        return 0;
    }

    /// <summary>One test: its scope and table (timed as overhead) around a PutItem and a GetItem (timed as the body).</summary>
    private static async Task<(double Scope, double Body)> IsolatedTestAsync(DynamoDbTestServer server, bool work)
    {
        var overhead = Stopwatch.StartNew();
        var test = server.BeginTest();
        var table = test.TableName("Orders");
        await test.Client.CreateTableAsync(new CreateTableRequest
        {
            TableName = table,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            KeySchema = [new KeySchemaElement("pk", KeyType.HASH)],
            AttributeDefinitions = [new AttributeDefinition("pk", ScalarAttributeType.S)],
        });
        overhead.Stop();
        var body = Stopwatch.StartNew();
        if (work)
        {
            await test.Client.PutItemAsync(table, new() { ["pk"] = new("k"), ["v"] = new("value") });
            await test.Client.GetItemAsync(table, new() { ["pk"] = new("k") });
        }
        body.Stop();
        overhead.Start();
        await test.DisposeAsync();
        overhead.Stop();
        return (overhead.Elapsed.TotalMilliseconds, body.Elapsed.TotalMilliseconds);
    }
}
