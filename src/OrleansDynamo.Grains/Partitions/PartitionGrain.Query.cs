using OrleansDynamo.Expressions;
using OrleansDynamo.Keys;
using OrleansDynamo.Model;
using OrleansDynamo.Operations;
using OrleansDynamo.Storage;
using OrleansDynamo.Throughput;

namespace OrleansDynamo.Partitions;

public sealed partial class PartitionGrain
{
    /// <summary>One page of a Query: one range read of the item collection, narrowed by the sort-key condition.</summary>
    public async Task<QueryResponse> Query(QueryRequest request)
    {
        EnsureServing();
        _capacity.ThrowIfThrottled(read: true);
        if (request.IndexName is not null) return await _local.QueryAsync(request, _items, _capacity);
        var expressions = RequestExpressions.For(request, validated: true);
        var condition = expressions.ResolveKeyCondition(Schema.HashKey.Name, Schema.RangeKey?.Name);
        var collection = Owned(ItemKey.Of(condition.HashValue, null));
        var forward = request.ScanIndexForward ?? true;

        var (from, to) = KeyRanges.Narrow(StoreKeys.Collection(collection.Hash, collection.HashKey), condition.SortKey);
        var start = request.ExclusiveStartKey is { } startItem ? ItemKey.Of(startItem, Schema).Bytes : null;
        (from, to) = KeyRanges.After(from, to, start, forward);
        var limit = request.Limit ?? int.MaxValue;
        var source = _items.RangeAsync(PageReader.ReadRange(_scope, RecordKind.Item, from, to, forward, limit, PageReader.MaxPageBytes));
        Func<Item, bool>? matches = condition.SortKey is { } sort && Schema.RangeKey is { } range
            ? item => sort.Matches(item[range.Name])
            : null;
        var page = await PageReader.ReadAsync(source, expressions, Schema.KeyOf, limit, PageReader.MaxPageBytes, PageReader.IsCountOnly(request.Select), matches);
        return IndexReads.QueryResponseOf(page, request, TableName, _capacity);
    }
}
