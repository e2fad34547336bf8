using OrleansDynamo.Expressions;
using OrleansDynamo.Grains;
using OrleansDynamo.Model;

namespace OrleansDynamo.Partitions;

public sealed partial class PartitionGrain
{
    /// <summary>Reads the keys of one BatchGetItem table that this partition owns, with one store read for those not cached.</summary>
    public async Task<PartitionBatchGetResult> BatchGetItem(PartitionBatchGet request)
    {
        EnsureServing();
        var read = request.Read;
        var expressions = RequestExpressions.Bind(null, null, read.ProjectionExpression, null, null, read.ExpressionAttributeNames, null,
            LegacyParameters.None, validated: true);
        var found = await _items.ReadManyAsync(request.Keys.Select(Locate).ToList());
        var items = new Item?[request.Keys.Count];
        var sizes = new int[request.Keys.Count];
        for (var i = 0; i < found.Length; i++)
        {
            if (found[i] is not { } item) continue;
            sizes[i] = item.SizeInBytes;
            items[i] = read.AttributesToGet is { } names
                ? new Item(names.Where(item.ContainsKey).Select(name => KeyValuePair.Create(name, item[name])))
                : expressions.Project(item);
        }
        return new PartitionBatchGetResult { Items = items, ItemSizes = sizes };
    }
}
