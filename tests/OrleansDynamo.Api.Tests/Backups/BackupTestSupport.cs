using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace OrleansDynamo.Api.Tests.Backups;

/// <summary>Waiting for what backups, restores, exports and imports do in the background, and reading whole tables.</summary>
internal static class BackupTestSupport
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var value = await read();
            if (done(value)) return value;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Still not done: {value}");
            await Task.Delay(50);
        }
    }

    public static Task<BackupDescription> AvailableAsync(IAmazonDynamoDB client, string backupArn) =>
        UntilAsync(async () => (await client.DescribeBackupAsync(new DescribeBackupRequest { BackupArn = backupArn })).BackupDescription,
            d => d.BackupDetails.BackupStatus == BackupStatus.AVAILABLE);

    public static Task<TableDescription> ActiveAsync(IAmazonDynamoDB client, string table) =>
        UntilAsync(async () => (await client.DescribeTableAsync(table)).Table, t => t.TableStatus == TableStatus.ACTIVE);

    /// <summary>Every item of a table, by its "pk" (and "sk" when there is one), as DynamoDB JSON-ish text, for comparing tables item by item.</summary>
    public static async Task<SortedDictionary<string, string>> ItemsAsync(IAmazonDynamoDB client, string table)
    {
        var items = new SortedDictionary<string, string>(StringComparer.Ordinal);
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var page = await client.ScanAsync(new ScanRequest { TableName = table, ExclusiveStartKey = start, ConsistentRead = true });
            foreach (var item in page.Items) items.Add(KeyOf(item), Render(item));
            start = page.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        }
        while (start is not null);
        return items;
    }

    private static string KeyOf(Dictionary<string, AttributeValue> item) =>
        item.TryGetValue("sk", out var sk) ? $"{Render(item["pk"])}|{Render(sk)}" : Render(item["pk"]);

    public static string Render(Dictionary<string, AttributeValue> item) =>
        "{" + string.Join(",", item.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key}:{Render(a.Value)}")) + "}";

    private static string Render(AttributeValue value) =>
        value.S is not null ? $"S:{value.S}"
        : value.N is not null ? $"N:{value.N}"
        : value.B is not null ? $"B:{Convert.ToBase64String(value.B.ToArray())}"
        : value.BOOL is not null ? $"BOOL:{value.BOOL}"
        : value.NULL is not null ? "NULL"
        : value.SS is { Count: > 0 } ? $"SS:[{string.Join(",", value.SS.Order(StringComparer.Ordinal))}]"
        : value.NS is { Count: > 0 } ? $"NS:[{string.Join(",", value.NS.Order(StringComparer.Ordinal))}]"
        : value.BS is { Count: > 0 } ? $"BS:[{string.Join(",", value.BS.Select(b => Convert.ToBase64String(b.ToArray())).Order(StringComparer.Ordinal))}]"
        : value.L is not null && value.IsLSet ? $"L:[{string.Join(",", value.L.Select(Render))}]"
        : value.M is not null && value.IsMSet ? $"M:{Render(value.M)}"
        : "?";

    public static Dictionary<string, AttributeValue> Item(string pk, params (string Name, AttributeValue Value)[] attributes)
    {
        var item = new Dictionary<string, AttributeValue> { ["pk"] = new() { S = pk } };
        foreach (var (name, value) in attributes) item[name] = value;
        return item;
    }

    public static async Task PutAllAsync(IAmazonDynamoDB client, string table, IEnumerable<Dictionary<string, AttributeValue>> items)
    {
        foreach (var chunk in items.Chunk(25))
        {
            var writes = new Dictionary<string, List<WriteRequest>> { [table] = chunk.Select(i => new WriteRequest(new PutRequest(i))).ToList() };
            while (writes.Count > 0)
                writes = (await client.BatchWriteItemAsync(new BatchWriteItemRequest { RequestItems = writes })).UnprocessedItems;
        }
    }
}
