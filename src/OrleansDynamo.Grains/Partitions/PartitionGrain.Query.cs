using OrleansDynamo.Expressions;
using OrleansDynamo.Keys;
using OrleansDynamo.Model;
using OrleansDynamo.Operations;
using OrleansDynamo.Throughput;

namespace OrleansDynamo.Partitions;

public sealed partial class PartitionGrain
{
    public Task<QueryResponse> Query(QueryRequest request)
    {
        if (request.IndexName is not null) return Task.FromResult(QueryLocalIndex(request));
        var expressions = RequestExpressions.For(request, validated: true);
        var condition = expressions.ResolveKeyCondition(Schema.HashKey.Name, Schema.RangeKey?.Name);
        EnsureServing();
        var collection = Owned(new ItemKey(KeyBytes.PartitionHash(condition.HashValue), condition.HashValue, null));
        var forward = request.ScanIndexForward ?? true;

        var (from, to) = SortKeyBounds(collection, condition.SortKey);
        if (request.ExclusiveStartKey is { } start)
        {
            var startKey = ItemKey.Of(start, Schema);
            if (forward && ItemKeyComparer.Instance.Compare(startKey, from) >= 0) from = startKey;
            if (!forward && ItemKeyComparer.Instance.Compare(startKey, to) <= 0) to = startKey;
        }
        var source = _items.Range(from, to, forward);
        if (request.ExclusiveStartKey is not null)
        {
            var startKey = ItemKey.Of(request.ExclusiveStartKey, Schema);
            source = source.Where(e => !e.Key.Equals(startKey));
        }

        var page = PageReader.Read(source, expressions, Schema, request.Limit ?? int.MaxValue, PageReader.MaxPageBytes,
            PageReader.IsCountOnly(request.Select), condition.SortKey is { } sort ? r => r is not null && sort.Matches(r) : null);
        return Task.FromResult(new QueryResponse
        {
            Items = PageReader.IsCountOnly(request.Select) ? null : page.Items,
            Count = page.Count,
            ScannedCount = page.ScannedCount,
            LastEvaluatedKey = page.LastEvaluatedKey,
            ConsumedCapacity = CapacityUnits.Report(request.ReturnConsumedCapacity, _table!.TableName,
                CapacityUnits.Read(page.BytesRead, request.ConsistentRead ?? false), isWrite: false),
        });
    }

    /// <summary>The narrowest key range of the item collection that the sort-key condition allows.</summary>
    private static (ItemKey From, ItemKey To) SortKeyBounds(ItemKey collection, SortKeyCondition? sortKey)
    {
        ItemKey first = collection.BeforeRange(), last = collection.AfterRange();
        if (sortKey is null) return (first, last);
        var at = collection.WithRange(sortKey.Value);
        return sortKey.Operator switch
        {
            SortKeyOperator.Equal => (at, at),
            SortKeyOperator.Less or SortKeyOperator.LessOrEqual => (first, at),
            SortKeyOperator.Greater or SortKeyOperator.GreaterOrEqual or SortKeyOperator.BeginsWith => (at, last),
            SortKeyOperator.Between => (at, collection.WithRange(sortKey.Upper!)),
            _ => (first, last),
        };
    }
}
