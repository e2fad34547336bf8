using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace OrleansDynamo.LoadGenerator;

/// <summary>
/// PartiQL next to the operations it stands for, in one run, through the AWS SDK over HTTP:
/// <code>
///   partiql --endpoint http://127.0.0.1:8000 [--workers 32] [--seconds 10] [--warmup 5] [--items 10000]
/// </code>
/// <c>get</c> / <c>select</c>: GetItem and <c>SELECT * FROM t WHERE pk = ?</c> of a random existing item;
/// <c>put</c> / <c>insert</c>: PutItem and <c>INSERT INTO t VALUE {...}</c> of a new item. Goal: each PartiQL ≥ 0.8x.
/// </summary>
public static class PartiQLScenario
{
    public static async Task<int> RunAsync(BenchArgs args)
    {
        var endpoint = args.String("endpoint", "http://127.0.0.1:8000");
        var workers = args.Int("workers", 32);
        var seconds = args.Double("seconds", 10);
        var warmup = args.Double("warmup", 5);
        var items = args.Int("items", 10000);
        args.ThrowOnUnknown();

        using var client = BenchTable.CreateClient(endpoint, maxErrorRetry: 0);
        var table = "partiql-" + Guid.NewGuid().ToString("N")[..8];
        await client.CreateTableAsync(new CreateTableRequest
        {
            TableName = table, BillingMode = BillingMode.PAY_PER_REQUEST,
            KeySchema = [new KeySchemaElement("pk", KeyType.HASH)], AttributeDefinitions = [new AttributeDefinition("pk", ScalarAttributeType.S)],
        });
        await Parallel.ForEachAsync(Enumerable.Range(0, items), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, _) =>
            await client.PutItemAsync(table, new() { ["pk"] = new AttributeValue($"k{i}"), ["data"] = new AttributeValue(new string('x', 200)) }));
        Console.WriteLine($"{endpoint}, table {table}: {items} items, {workers} workers, {seconds:0.##} s per workload after {warmup:0.##} s warm-up");
        Console.WriteLine(ClosedLoop.Header);

        long inserted = 0;
        var workloads = new (string Name, Func<Worker, Task<bool>> Operation)[]
        {
            ("get", async w => (await client.GetItemAsync(table, new() { ["pk"] = new AttributeValue($"k{w.Random.Next(items)}") })).IsItemSet),
            ("select", async w => (await client.ExecuteStatementAsync(new ExecuteStatementRequest
            {
                Statement = $"SELECT * FROM \"{table}\" WHERE pk = ?", Parameters = [new AttributeValue($"k{w.Random.Next(items)}")],
            })).Items.Count == 1),
            ("put", async _ =>
            {
                await client.PutItemAsync(table, new() { ["pk"] = new AttributeValue($"new{Interlocked.Increment(ref inserted)}"), ["data"] = new AttributeValue("x") });
                return true;
            }),
            ("insert", async _ =>
            {
                await client.ExecuteStatementAsync(new ExecuteStatementRequest
                {
                    Statement = $"INSERT INTO \"{table}\" VALUE {{'pk': ?, 'data': 'x'}}", Parameters = [new AttributeValue($"new{Interlocked.Increment(ref inserted)}")],
                });
                return true;
            }),
        };
        var results = new Dictionary<string, double>();
        foreach (var (name, operation) in workloads)
        {
            await ClosedLoop.RunAsync(name, workers, TimeSpan.FromSeconds(warmup), operation);
            var result = await ClosedLoop.RunAsync(name, workers, TimeSpan.FromSeconds(seconds), operation);
            Console.WriteLine(ClosedLoop.Line(result));
            results[name] = result.OpsPerSecond;
        }
        Console.WriteLine($"select / get: {results["select"] / results["get"]:F2}x; insert / put: {results["insert"] / results["put"]:F2}x");
        return 0;
    }
}
