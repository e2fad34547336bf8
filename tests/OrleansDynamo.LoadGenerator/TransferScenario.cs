using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace OrleansDynamo.LoadGenerator;

/// <summary>
/// Money transfers with two-item TransactWriteItems, next to single-item UpdateItem, in one run, through the AWS SDK over HTTP:
/// <code>
///   transfer --endpoint http://127.0.0.1:8000 [--accounts 1000] [--hot 10] [--workers 32] [--seconds 10] [--warmup 3]
/// </code>
/// <c>update</c>: <c>ADD balance :zero</c> on a random account (the single-item write to compare with);
/// <c>transfer</c>: move 1 from one random account to another, on condition that the first covers it;
/// <c>transfer-hot</c>: the same among the first <c>--hot</c> accounts only, counting TransactionConflict cancellations.
/// At the end the balances must add up to what they started with: PASS/FAIL (exit code 1 on FAIL).
/// </summary>
public static class TransferScenario
{
    private const int StartingBalance = 1000;

    public static async Task<int> RunAsync(BenchArgs args)
    {
        var endpoint = args.String("endpoint", "http://127.0.0.1:8000");
        var accounts = args.Int("accounts", 1000);
        var hot = args.Int("hot", 10);
        var workers = args.Int("workers", 32);
        var seconds = args.Double("seconds", 10);
        var warmup = args.Double("warmup", 3);
        var tableName = args.String("table", "accounts");
        args.ThrowOnUnknown();
        if (accounts < 2 || hot < 2 || hot > accounts) throw new ArgumentException("--accounts and --hot must be at least 2, --hot at most --accounts");

        using var client = BenchTable.CreateClient(endpoint, maxErrorRetry: 0);
        await CreateAsync(client, tableName, accounts);
        Console.WriteLine($"{endpoint}, table {tableName}: {accounts} accounts ({hot} hot), {workers} workers, {seconds:0.##} s per workload after {warmup:0.##} s warm-up");
        Console.WriteLine(ClosedLoop.Header + "  conflicts/s");

        long conflicts = 0;
        var results = new List<RunResult>
        {
            await MeasureAsync("update", w => UpdateAsync(client, tableName, w.Random.Next(accounts))),
            await MeasureAsync("transfer", w => TransferAsync(w, accounts)),
        };
        Interlocked.Exchange(ref conflicts, 0);
        results.Add(await MeasureAsync("transfer-hot", w => TransferAsync(w, hot)));

        var total = await TotalAsync(client, tableName, accounts);
        var pass = total == (long)accounts * StartingBalance;
        Console.WriteLine($"{(pass ? "PASS" : "FAIL")}: balances add up to {total}, expected {(long)accounts * StartingBalance}");
        var update = results[0].OpsPerSecond;
        Console.WriteLine($"transfer / update throughput: {results[1].OpsPerSecond / update:F2}x; transfer p99 {results[1].Latency.P99Ms:F1} ms");
        return pass ? 0 : 1;

        async Task<RunResult> MeasureAsync(string workload, Func<Worker, Task<bool>> operation)
        {
            var state = Enumerable.Range(0, workers).Select(i => new Worker(i)).ToArray();
            if (warmup > 0) await ClosedLoop.RunAsync(workload, workers, TimeSpan.FromSeconds(warmup), operation, state);
            var before = Interlocked.Read(ref conflicts);
            var result = await ClosedLoop.RunAsync(workload, workers, TimeSpan.FromSeconds(seconds), operation, state);
            result = result with { Conflicts = Interlocked.Read(ref conflicts) - before };
            Console.WriteLine(ClosedLoop.Line(result) + $"  {result.Conflicts / result.Seconds,10:F0}");
            return result;
        }

        async Task<bool> TransferAsync(Worker worker, int among)
        {
            var from = worker.Random.Next(among);
            var to = (from + 1 + worker.Random.Next(among - 1)) % among;
            try
            {
                await client.TransactWriteItemsAsync(new TransactWriteItemsRequest
                {
                    TransactItems =
                    [
                        Move(tableName, from, -1, "balance >= :one"),
                        Move(tableName, to, 1, null),
                    ],
                });
                return true;
            }
            catch (TransactionCanceledException e) when (e.CancellationReasons.Any(r => r.Code is "TransactionConflict" or "ConditionalCheckFailed"))
            {
                // Nothing was applied: a cancelled transfer is an outcome, not an error.
                Interlocked.Increment(ref conflicts);
                return true;
            }
        }
    }

    private static TransactWriteItem Move(string table, int account, int amount, string? condition) => new()
    {
        Update = new Update
        {
            TableName = table,
            Key = new() { ["pk"] = new AttributeValue { S = Account(account) } },
            UpdateExpression = "ADD balance :amount",
            ConditionExpression = condition,
            ExpressionAttributeValues = condition is null
                ? new() { [":amount"] = new AttributeValue { N = amount.ToString(CultureInfo.InvariantCulture) } }
                : new() { [":amount"] = new AttributeValue { N = amount.ToString(CultureInfo.InvariantCulture) }, [":one"] = new AttributeValue { N = "1" } },
        },
    };

    private static async Task<bool> UpdateAsync(IAmazonDynamoDB client, string table, int account)
    {
        await client.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = table,
            Key = new() { ["pk"] = new AttributeValue { S = Account(account) } },
            UpdateExpression = "ADD balance :zero",
            ExpressionAttributeValues = new() { [":zero"] = new AttributeValue { N = "0" } },
        });
        return true;
    }

    private static string Account(int i) => "acct" + i.ToString(CultureInfo.InvariantCulture);

    /// <summary>A fresh table of accounts, each starting with the same balance.</summary>
    private static async Task CreateAsync(IAmazonDynamoDB client, string table, int accounts)
    {
        try
        {
            await client.DeleteTableAsync(table);
        }
        catch (ResourceNotFoundException)
        {
        }
        await client.CreateTableAsync(new CreateTableRequest
        {
            TableName = table,
            KeySchema = [new KeySchemaElement("pk", KeyType.HASH)],
            AttributeDefinitions = [new AttributeDefinition("pk", ScalarAttributeType.S)],
            BillingMode = BillingMode.PAY_PER_REQUEST,
        });
        for (var start = 0; start < accounts; start += 25)
        {
            await client.BatchWriteItemAsync(new BatchWriteItemRequest
            {
                RequestItems = new()
                {
                    [table] = Enumerable.Range(start, Math.Min(25, accounts - start)).Select(i => new WriteRequest
                    {
                        PutRequest = new PutRequest
                        {
                            Item = new() { ["pk"] = new AttributeValue { S = Account(i) }, ["balance"] = new AttributeValue { N = StartingBalance.ToString(CultureInfo.InvariantCulture) } },
                        },
                    }).ToList(),
                },
            });
        }
    }

    private static async Task<long> TotalAsync(IAmazonDynamoDB client, string table, int accounts)
    {
        long total = 0;
        for (var i = 0; i < accounts; i++)
        {
            var item = (await client.GetItemAsync(new GetItemRequest { TableName = table, Key = new() { ["pk"] = new AttributeValue { S = Account(i) } }, ConsistentRead = true })).Item;
            total += long.Parse(item["balance"].N, CultureInfo.InvariantCulture);
        }
        return total;
    }
}
