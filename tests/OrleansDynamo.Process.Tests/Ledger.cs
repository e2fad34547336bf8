using System.Collections.Concurrent;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;

namespace OrleansDynamo.ProcessTests;

/// <summary>
/// The transaction fault tests' workload: transfers of 1 between accounts, each TransactWriteItems also putting three
/// marker items, so that after a crash each transaction can be checked to be whole (all three) or absent (none).
/// Each transfer has a ClientRequestToken, and a call that fails on one silo is retried with it on another.
/// </summary>
internal sealed class Ledger(Func<int, IAmazonDynamoDB> clientFor)
{
    public const string Table = "ledger";
    public const int Accounts = 20;
    public const int StartingBalance = 1000;
    private const int Workers = 12;

    public ConcurrentDictionary<int, bool> Attempted { get; } = new();
    public ConcurrentDictionary<int, bool> Acknowledged { get; } = new();
    private int _next = -1;

    public static string Account(int a) => $"account-{a}";
    public static string Marker(int transaction, int m) => $"tx-{transaction}-{m}";

    public static async Task CreateAsync(IAmazonDynamoDB client)
    {
        await client.CreateTableAsync(new CreateTableRequest
        {
            TableName = Table,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            KeySchema = [new KeySchemaElement("pk", KeyType.HASH)],
            AttributeDefinitions = [new AttributeDefinition("pk", ScalarAttributeType.S)],
        });
        for (var a = 0; a < Accounts; a++)
            await client.PutItemAsync(Table, new() { ["pk"] = new AttributeValue { S = Account(a) }, ["balance"] = new AttributeValue { N = StartingBalance.ToString() } });
    }

    /// <param name="retries">Attempts per transfer on other clients after a failure (0: a worker stops at its first failure, the server is gone).</param>
    public Task RunAsync(CancellationToken stop, int retries = 0) => Task.WhenAll(Enumerable.Range(0, Workers).Select(async w =>
    {
        var random = new Random(w);
        var attempt = w;
        while (!stop.IsCancellationRequested)
        {
            var n = Interlocked.Increment(ref _next);
            var from = random.Next(Accounts);
            var to = (from + 1 + random.Next(Accounts - 1)) % Accounts;
            var request = Transfer(n, from, to);
            Attempted[n] = true;
            for (var tries = 0; ; tries++)
            {
                try
                {
                    await clientFor(attempt++).TransactWriteItemsAsync(request, CancellationToken.None);
                    Acknowledged[n] = true;
                    break;
                }
                catch (TransactionCanceledException)
                {
                    break; // cancelled (a conflict): nothing of it may be there, which the checks cover
                }
                catch (Exception e) when (e is AmazonServiceException or HttpRequestException or TaskCanceledException or IOException or System.Net.Sockets.SocketException)
                {
                    if (tries >= retries || stop.IsCancellationRequested) return;
                    await Task.Delay(200, CancellationToken.None);
                }
            }
        }
    }));

    private static TransactWriteItemsRequest Transfer(int n, int from, int to) => new()
    {
        ClientRequestToken = $"transfer-{n}",
        TransactItems =
        [
            Move(from, -1, "balance >= :one"),
            Move(to, 1, null),
            .. Enumerable.Range(0, 3).Select(m => new TransactWriteItem
            {
                Put = new Put { TableName = Table, Item = new() { ["pk"] = new AttributeValue { S = Marker(n, m) } } },
            }),
        ],
    };

    private static TransactWriteItem Move(int account, int amount, string? condition) => new()
    {
        Update = new Update
        {
            TableName = Table,
            Key = new() { ["pk"] = new AttributeValue { S = Account(account) } },
            UpdateExpression = "ADD balance :amount",
            ConditionExpression = condition,
            ExpressionAttributeValues = condition is null
                ? new() { [":amount"] = new AttributeValue { N = amount.ToString() } }
                : new() { [":amount"] = new AttributeValue { N = amount.ToString() }, [":one"] = new AttributeValue { N = "1" } },
        },
    };

    /// <summary>
    /// After a crash and recovery: no intent is left (every key takes a single-item write), every transaction is whole
    /// or absent, every acknowledged one is whole, and the balances add up.
    /// </summary>
    public async Task CheckAsync(IAmazonDynamoDB client)
    {
        await NoIntentLeftAsync(client);
        var items = await ScanAllAsync(client);
        foreach (var n in Attempted.Keys)
        {
            var markers = Enumerable.Range(0, 3).Count(m => items.ContainsKey(Marker(n, m)));
            Assert.True(markers is 0 or 3, $"transaction {n} is half there: {markers} of its 3 markers");
            if (Acknowledged.ContainsKey(n)) Assert.Equal(3, markers);
        }
        Assert.Equal(Accounts * StartingBalance, Enumerable.Range(0, Accounts).Sum(a => int.Parse(items[Account(a)]["balance"].N)));
    }

    /// <summary>Every account and every marker key ever attempted takes a single-item write (a held item would answer TransactionConflict).</summary>
    private async Task NoIntentLeftAsync(IAmazonDynamoDB client)
    {
        var keys = Enumerable.Range(0, Accounts).Select(Account)
            .Concat(Attempted.Keys.SelectMany(n => Enumerable.Range(0, 3).Select(m => Marker(n, m)))).ToList();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        foreach (var key in keys)
        {
            while (true)
            {
                try
                {
                    // Conditional on existence, so that probing a key of a cancelled transaction creates nothing.
                    await client.UpdateItemAsync(new UpdateItemRequest
                    {
                        TableName = Table,
                        Key = new() { ["pk"] = new AttributeValue { S = key } },
                        UpdateExpression = "SET probe = :t",
                        ConditionExpression = "attribute_exists(pk)",
                        ExpressionAttributeValues = new() { [":t"] = new AttributeValue { BOOL = true } },
                    });
                    break;
                }
                catch (ConditionalCheckFailedException)
                {
                    break;
                }
                catch (TransactionConflictException) when (DateTime.UtcNow < deadline)
                {
                    await Task.Delay(100);
                }
            }
        }
    }

    private static async Task<Dictionary<string, Dictionary<string, AttributeValue>>> ScanAllAsync(IAmazonDynamoDB client)
    {
        var items = new Dictionary<string, Dictionary<string, AttributeValue>>();
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var page = await client.ScanAsync(new ScanRequest { TableName = Table, ExclusiveStartKey = start, ConsistentRead = true });
            foreach (var item in page.Items ?? []) items.Add(item["pk"].S, item);
            start = page.LastEvaluatedKey is { Count: > 0 } ? page.LastEvaluatedKey : null;
        } while (start is not null);
        return items;
    }
}
