using OrleansDynamo.Expressions;
using OrleansDynamo.Grains;
using OrleansDynamo.Model;
using OrleansDynamo.Throughput;

namespace OrleansDynamo.Partitions;

public sealed partial class PartitionGrain
{
    /// <summary>
    /// Reads the keys of one BatchGetItem table that this partition owns, with one store read for those not cached.
    /// Keys that capacity refuses are left unread; when it refuses all, the call fails with the refusal.
    /// </summary>
    public async Task<PartitionBatchGetResult> BatchGetItem(PartitionBatchGet request)
    {
        EnsureServing();
        var read = request.Read;
        var expressions = RequestExpressions.Bind(null, null, read.ProjectionExpression, null, null, read.ExpressionAttributeNames, null,
            LegacyParameters.None, validated: true);
        var keys = request.Keys.Select(Locate).ToList();
        // Each key is charged its least units when admitted, and the rest once its size is known.
        var consistent = read.ConsistentRead ?? false;
        var least = CapacityUnits.Read(0, consistent);
        var admitted = new List<int>(keys.Count);
        var unprocessed = new List<int>();
        Errors.DynamoException? refused = null;
        for (var i = 0; i < keys.Count; i++)
        {
            if (_capacity.Refusal(read: true) is { } refusal)
            {
                refused ??= refusal;
                unprocessed.Add(i);
                continue;
            }
            admitted.Add(i);
            _capacity.ChargeRead(least);
        }
        if (admitted.Count == 0) throw refused!;
        var found = await _items.ReadManyAsync(admitted.Select(i => keys[i]).ToList());
        var items = new Item?[request.Keys.Count];
        var sizes = new int[request.Keys.Count];
        for (var n = 0; n < found.Length; n++)
        {
            if (found[n] is not { } item) continue;
            var i = admitted[n];
            sizes[i] = item.SizeInBytes;
            _capacity.ChargeRead(CapacityUnits.Read(item.SizeInBytes, consistent) - least);
            items[i] = read.AttributesToGet is { } names
                ? new Item(names.Where(item.ContainsKey).Select(name => KeyValuePair.Create(name, item[name])))
                : expressions.Project(item);
        }
        return new PartitionBatchGetResult { Items = items, ItemSizes = sizes, Unprocessed = unprocessed };
    }
}
