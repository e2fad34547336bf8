using System.Diagnostics;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;

namespace OrleansDynamo.LoadGenerator;

/// <summary>
/// A benchmark table over the AWS SDK: <see cref="Items"/> items of about 1 KB, ten per partition key
/// (item n is <c>pk = "user{n / 10}"</c>, <c>sk = n % 10</c>), with a 100-byte <c>f1</c> and an 880-byte
/// <c>data</c> cut from a pool of random text (so the store cannot compress it away).
/// </summary>
public sealed class BenchTable(IAmazonDynamoDB client, string name, long items)
{
    public const int ItemsPerKey = 10;
    public const int F1Bytes = 100;
    public const int DataBytes = 880;

    private static readonly string Pool = MakePool(1 << 20);

    public IAmazonDynamoDB Client { get; } = client;
    public string Name { get; } = name;
    public long Items { get; } = items;
    public long PartitionKeys => (Items + ItemsPerKey - 1) / ItemsPerKey;

    /// <summary>An AWS SDK client for a server on this machine; any other host is refused.</summary>
    public static AmazonDynamoDBClient CreateClient(string endpoint, int maxErrorRetry, double timeoutSeconds = 10)
    {
        var uri = new Uri(endpoint);
        if (!(uri.IsLoopback || uri.Host == "127.0.0.1"))
            throw new ArgumentException($"--endpoint must be on this machine (127.0.0.1), not {uri.Host}");
        return new AmazonDynamoDBClient(new BasicAWSCredentials("bench", "bench"), new AmazonDynamoDBConfig
        {
            ServiceURL = uri.ToString(),
            AuthenticationRegion = "us-east-1",
            MaxErrorRetry = maxErrorRetry,
            Timeout = TimeSpan.FromSeconds(timeoutSeconds),
        });
    }

    public static string PartitionKey(long pk) => "user" + pk;

    public static Dictionary<string, AttributeValue> Key(string pk, long sk) =>
        new() { ["pk"] = new AttributeValue { S = pk }, ["sk"] = new AttributeValue { N = sk.ToString(System.Globalization.CultureInfo.InvariantCulture) } };

    public static Dictionary<string, AttributeValue> KeyOf(long item) => Key(PartitionKey(item / ItemsPerKey), item % ItemsPerKey);

    /// <summary>A random 100-byte value (for <c>SET f1 = :v</c>).</summary>
    public static string Text(Random random, int length) => Pool.Substring(random.Next(Pool.Length - length), length);

    public static Dictionary<string, AttributeValue> ItemOf(long item, Random random)
    {
        var attributes = KeyOf(item);
        attributes["f1"] = new AttributeValue { S = Text(random, F1Bytes) };
        attributes["data"] = new AttributeValue { S = Text(random, DataBytes) };
        return attributes;
    }

    /// <summary>Creates the table (PAY_PER_REQUEST, pk S / sk N) unless it exists; true when it created it.</summary>
    public async Task<bool> EnsureCreatedAsync()
    {
        try
        {
            await Client.DescribeTableAsync(Name);
            return false;
        }
        catch (ResourceNotFoundException)
        {
        }
        await Client.CreateTableAsync(new CreateTableRequest
        {
            TableName = Name,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            KeySchema = [new KeySchemaElement("pk", KeyType.HASH), new KeySchemaElement("sk", KeyType.RANGE)],
            AttributeDefinitions = [new AttributeDefinition("pk", ScalarAttributeType.S), new AttributeDefinition("sk", ScalarAttributeType.N)],
        });
        for (var deadline = Stopwatch.StartNew(); deadline.Elapsed < TimeSpan.FromSeconds(30); await Task.Delay(100))
            if ((await Client.DescribeTableAsync(Name)).Table.TableStatus == TableStatus.ACTIVE) return true;
        throw new TimeoutException($"table {Name} did not become ACTIVE within 30 s");
    }

    /// <summary>Throws a clear error when the table is missing (the workloads need <c>--load</c> once).</summary>
    public async Task RequireExistsAsync()
    {
        try { await Client.DescribeTableAsync(Name); }
        catch (ResourceNotFoundException) { throw new ArgumentException($"table {Name} does not exist: run once with --load"); }
    }

    /// <summary>
    /// Writes items [0, <see cref="Items"/>) with BatchWriteItem, 25 per call, from <paramref name="loaders"/> loops
    /// that take the next batch from a shared counter; unprocessed items and failed calls are retried with backoff
    /// (a call that still fails after 10 attempts stops the load). Returns the items written per second.
    /// </summary>
    public async Task<double> LoadAsync(int loaders, Action<long>? progress = null)
    {
        const int BatchSize = 25;
        long next = 0, written = 0;
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();
        var reporter = progress is null ? Task.CompletedTask : Task.Run(async () =>
        {
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    await Task.Delay(TimeSpan.FromSeconds(5), stop.Token);
                    progress(Interlocked.Read(ref written));
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
        try
        {
            await Task.WhenAll(Enumerable.Range(0, loaders).Select(loader => Task.Run(async () =>
            {
                var random = new Random(loader);
                while (true)
                {
                    var first = Interlocked.Add(ref next, BatchSize) - BatchSize;
                    if (first >= Items) return;
                    var last = Math.Min(first + BatchSize, Items);
                    var requests = new List<WriteRequest>(BatchSize);
                    for (var item = first; item < last; item++)
                        requests.Add(new WriteRequest { PutRequest = new PutRequest { Item = ItemOf(item, random) } });
                    await WriteBatchAsync(requests);
                    Interlocked.Add(ref written, last - first);
                }
            })));
        }
        finally
        {
            await stop.CancelAsync();
            await reporter;
        }
        return Items / clock.Elapsed.TotalSeconds;
    }

    private async Task WriteBatchAsync(List<WriteRequest> requests)
    {
        var pending = new Dictionary<string, List<WriteRequest>> { [Name] = requests };
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var response = await Client.BatchWriteItemAsync(new BatchWriteItemRequest { RequestItems = pending });
                if (response.UnprocessedItems is not { Count: > 0 } unprocessed || unprocessed.Values.All(v => v.Count == 0)) return;
                pending = unprocessed;
                if (attempt >= 10) throw new InvalidOperationException($"BatchWriteItem left {unprocessed.Values.Sum(v => v.Count)} items unprocessed after {attempt} attempts");
            }
            catch (AmazonServiceException e) when (attempt < 10 && e is not ResourceNotFoundException)
            {
                Console.Error.WriteLine($"BatchWriteItem failed ({e.ErrorCode ?? e.GetType().Name}: {e.Message}); retrying");
            }
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(1000, 20 << Math.Min(attempt, 6))));
        }
    }

    public Task<GetItemResponse> GetAsync(long item, bool consistent = false) =>
        Client.GetItemAsync(new GetItemRequest { TableName = Name, Key = KeyOf(item), ConsistentRead = consistent });

    public Task<UpdateItemResponse> UpdateF1Async(long item, Random random) => Client.UpdateItemAsync(new UpdateItemRequest
    {
        TableName = Name,
        Key = KeyOf(item),
        UpdateExpression = "SET f1 = :v",
        ExpressionAttributeValues = new() { [":v"] = new AttributeValue { S = Text(random, F1Bytes) } },
    });

    public Task<PutItemResponse> PutAsync(long item, Random random) =>
        Client.PutItemAsync(new PutItemRequest { TableName = Name, Item = ItemOf(item, random) });

    public Task<QueryResponse> QueryAsync(long partitionKey) => Client.QueryAsync(new QueryRequest
    {
        TableName = Name,
        KeyConditionExpression = "pk = :pk",
        ExpressionAttributeValues = new() { [":pk"] = new AttributeValue { S = PartitionKey(partitionKey) } },
        Limit = 10,
    });

    private static string MakePool(int length)
    {
        const string Alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        var random = new Random(42);
        return string.Create(length, random, (span, r) => { for (var i = 0; i < span.Length; i++) span[i] = Alphabet[r.Next(Alphabet.Length)]; });
    }
}
