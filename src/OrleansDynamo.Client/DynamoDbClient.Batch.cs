using OrleansDynamo.Errors;
using OrleansDynamo.Grains;
using OrleansDynamo.Keys;
using OrleansDynamo.Model;
using OrleansDynamo.Operations;
using OrleansDynamo.Throughput;
using OrleansDynamo.Validation;

namespace OrleansDynamo.Client;

public sealed partial class DynamoDbClient
{
    /// <summary>DynamoDB's cap on the items of one BatchGetItem response.</summary>
    private const long MaxBatchGetResponseBytes = 16L * 1024 * 1024;

    /// <summary>
    /// Groups the keys of every table by partition and reads each group with one grain call, all in parallel.
    /// Items past the 16 MB response cap, and keys that capacity refused, come back as UnprocessedKeys, in
    /// RequestItems' shape; when capacity refused every key, the call fails with the refusal, as DynamoDB's does.
    /// </summary>
    public async Task<BatchGetItemResponse> BatchGetItemAsync(BatchGetItemRequest request, CancellationToken cancellationToken = default)
    {
        BatchGetItemValidator.Validate(request);
        var tables = await TablesAsync(request.RequestItems!.Keys);
        foreach (var (name, read) in request.RequestItems!) BatchGetItemValidator.ValidateFor(read, tables[name].Schema);

        var results = (await Task.WhenAll(request.RequestItems!.Select(async table =>
        {
            var projection = table.Value with { Keys = null };
            var shares = await _router.CallByPartitionAsync(table.Key, table.Value.Keys!, HashOf,
                (p, keys) => AllowRefusalAsync(p.BatchGetItem(new PartitionBatchGet { Keys = keys, Read = projection })));
            return shares.Select(share => (Table: table.Key, Keys: share.Entries, share.Result));
        }))).SelectMany(r => r).ToList();

        var responses = request.RequestItems!.Keys.ToDictionary(name => name, _ => new List<Item>(), StringComparer.Ordinal);
        var unprocessed = new Dictionary<string, List<Item>>(StringComparer.Ordinal);
        var readUnits = new Dictionary<string, double>(StringComparer.Ordinal);
        long responseBytes = 0;
        var refusedKeys = 0;
        foreach (var (name, keys, (result, refusal)) in results)
        {
            if (result is null)
            {
                refusedKeys += keys.Count;
                (unprocessed.TryGetValue(name, out var rest) ? rest : unprocessed[name] = []).AddRange(keys);
                continue;
            }
            refusedKeys += result.Unprocessed.Count;
            if (result.Unprocessed.Count > 0) (unprocessed.TryGetValue(name, out var rest) ? rest : unprocessed[name] = []).AddRange(result.Unprocessed.Select(i => keys[i]));
            var skipped = result.Unprocessed.ToHashSet();
            var consistent = request.RequestItems[name].ConsistentRead ?? false;
            for (var i = 0; i < keys.Count; i++)
            {
                if (skipped.Contains(i)) continue;
                if (result.Items[i] is not { } item)
                {
                    readUnits[name] = readUnits.GetValueOrDefault(name) + CapacityUnits.Read(0, consistent);
                    continue;
                }
                var size = item.SizeInBytes;
                if (responseBytes + size > MaxBatchGetResponseBytes)
                {
                    // The response is full: the rest is for the caller to ask again.
                    (unprocessed.TryGetValue(name, out var rest) ? rest : unprocessed[name] = []).Add(keys[i]);
                    continue;
                }
                responseBytes += size;
                responses[name].Add(item);
                readUnits[name] = readUnits.GetValueOrDefault(name) + CapacityUnits.Read(result.ItemSizes[i], consistent);
            }
        }

        if (refusedKeys == results.Sum(r => r.Keys.Count)) throw results.First(r => r.Result.Refusal is not null).Result.Refusal!;
        return new BatchGetItemResponse
        {
            Responses = responses.ToDictionary(e => e.Key, e => (IReadOnlyList<Item>)e.Value, StringComparer.Ordinal),
            UnprocessedKeys = unprocessed.ToDictionary(e => e.Key, e => request.RequestItems[e.Key] with { Keys = e.Value }, StringComparer.Ordinal),
            ConsumedCapacity = CapacityUnits.Wanted(request.ReturnConsumedCapacity)
                ? readUnits.Select(e => CapacityUnits.Report(request.ReturnConsumedCapacity, e.Key, e.Value, isWrite: false)!).ToList()
                : null,
        };
    }

    /// <summary>
    /// Groups the puts and deletes of every table by partition and writes each group with one grain call (one
    /// group commit), all in parallel. Requests that capacity refused come back as UnprocessedItems; when it
    /// refused every one, the call fails with the refusal. Any other failure fails the call.
    /// </summary>
    public async Task<BatchWriteItemResponse> BatchWriteItemAsync(BatchWriteItemRequest request, CancellationToken cancellationToken = default)
    {
        BatchWriteItemValidator.Validate(request);
        var tables = await TablesAsync(request.RequestItems!.Keys);
        foreach (var (name, writes) in request.RequestItems!) BatchWriteItemValidator.ValidateFor(writes, tables[name].Schema);

        var results = (await Task.WhenAll(request.RequestItems!.Select(async table =>
        {
            var shares = await _router.CallByPartitionAsync(table.Key, table.Value,
                (info, write) => HashOf(info, BatchWriteItemValidator.KeyOf(write, info.Schema)),
                (p, writes) => AllowRefusalAsync(p.BatchWriteItem(new PartitionBatchWrite { Requests = writes })));
            return shares.Select(share => (Table: table.Key, Writes: share.Entries, share.Result));
        }))).SelectMany(r => r).ToList();

        var unprocessed = new Dictionary<string, List<WriteRequest>>(StringComparer.Ordinal);
        foreach (var (name, writes, (result, _)) in results)
        {
            var left = result is null ? writes : result.Unprocessed.Select(i => writes[i]).ToList();
            if (left.Count > 0) (unprocessed.TryGetValue(name, out var rest) ? rest : unprocessed[name] = []).AddRange(left);
        }
        if (results.All(r => r.Result.Refusal is not null)) throw results[0].Result.Refusal!;
        return new BatchWriteItemResponse
        {
            UnprocessedItems = unprocessed.ToDictionary(e => e.Key, e => (IReadOnlyList<WriteRequest>)e.Value, StringComparer.Ordinal),
            ConsumedCapacity = CapacityUnits.Wanted(request.ReturnConsumedCapacity)
                ? results.GroupBy(r => r.Table, StringComparer.Ordinal)
                    .Select(g => CapacityUnits.Report(request.ReturnConsumedCapacity, g.Key, g.Sum(r => r.Result.Result?.WriteUnits.Sum() ?? 0), isWrite: true)!)
                    .ToList()
                : null,
        };
    }

    /// <summary>
    /// Puts every item into the table, unconditionally and without consuming its capacity, as restores and imports load
    /// a new table: pages go to each partition in one call (one group commit). Unmetered writes are never left
    /// unprocessed, so there is nothing to send again. Items must be valid for the table.
    /// </summary>
    public Task LoadItemsAsync(string tableName, IReadOnlyList<Item> items) =>
        _router.CallByPartitionAsync(tableName, items.Select(item => new WriteRequest { PutRequest = new PutRequest { Item = item } }).ToList(),
            (info, write) => HashOf(info, write.PutRequest!.Item!),
            (p, writes) => p.BatchWriteItem(new PartitionBatchWrite { Requests = writes, Unmetered = true }));

    /// <summary>
    /// A partition's share of a batch that capacity refused whole: no result, and the refusal, thrown only when
    /// every share of the batch was refused.
    /// </summary>
    private static async Task<(T? Result, DynamoException? Refusal)> AllowRefusalAsync<T>(Task<T> call) where T : class
    {
        try
        {
            return (await call, null);
        }
        catch (DynamoException e) when (e.ThrottlingReasons is not null)
        {
            return (null, e);
        }
    }

    /// <summary>The routing info of every table of a batch; ResourceNotFoundException when one is missing.</summary>
    private async Task<Dictionary<string, TableInfo>> TablesAsync(IEnumerable<string> names)
    {
        var tables = new Dictionary<string, TableInfo>(StringComparer.Ordinal);
        foreach (var name in names) tables[name] = await _router.GetTableAsync(name);
        return tables;
    }

    private static ulong HashOf(TableInfo table, Item keyOrItem) => KeyBytes.PartitionHash(keyOrItem[table.Schema.HashKey.Name]);
}
