using OrleansDynamo.Expressions;
using OrleansDynamo.Grains;
using OrleansDynamo.Keys;
using OrleansDynamo.Model;
using OrleansDynamo.Operations;
using OrleansDynamo.Throughput;
using OrleansDynamo.Validation;

namespace OrleansDynamo.Partitions;

/// <summary>
/// Query and Scan pages over the entries of a secondary index, local (in a table partition) or global (in
/// an index partition). LastEvaluatedKey has the index's shape: the table's key and the index's key.
/// </summary>
internal static class IndexReads
{
    /// <summary>The request's key condition on <paramref name="index"/>, for the caller to check it owns the key.</summary>
    public static KeyCondition KeyConditionOf(IndexInfo index, RequestExpressions expressions) =>
        expressions.ResolveKeyCondition(index.KeySchema.HashKey.Name, index.KeySchema.RangeKey?.Name);

    public static QueryResponse Query<T>(OrderedIndex<T> entries, IndexInfo index, TableSchema table, QueryRequest request,
        RequestExpressions expressions, KeyCondition condition, Func<T, Item> read, string tableName)
    {
        var keys = index.KeySchema;
        var hash = KeyBytes.PartitionHash(condition.HashValue);
        var forward = request.ScanIndexForward ?? true;
        var (from, to) = Bounds(hash, condition.HashValue, condition.SortKey);
        IndexKey? start = request.ExclusiveStartKey is { } startItem ? IndexKey.Of(index, table, startItem) : null;
        if (start is { } s)
        {
            if (forward && IndexKeyComparer.Instance.Compare(s, from) >= 0) from = s;
            if (!forward && IndexKeyComparer.Instance.Compare(s, to) <= 0) to = s;
        }
        var source = entries.Range(from, to, forward)
            .Where(e => start is null || IndexKeyComparer.Instance.Compare(e.Key, start.Value) != 0)
            .Select(e => (keys.RangeKey is null ? null : (AttributeValue?)e.Key.Parts[1], read(e.Value)));
        var countOnly = PageReader.IsCountOnly(request.Select);
        var page = PageReader.Read(source, expressions, item => IndexRules.KeyOf(index, table, item), request.Limit ?? int.MaxValue,
            PageReader.MaxPageBytes, countOnly, condition.SortKey is { } sort ? r => r is not null && sort.Matches(r) : null);
        return new QueryResponse
        {
            Items = countOnly ? null : page.Items,
            Count = page.Count,
            ScannedCount = page.ScannedCount,
            LastEvaluatedKey = page.LastEvaluatedKey,
            ConsumedCapacity = CapacityUnits.Report(request.ReturnConsumedCapacity, tableName,
                CapacityUnits.Read(page.BytesRead, request.ConsistentRead ?? false), isWrite: false),
        };
    }

    public static ScanPage Scan<T>(OrderedIndex<T> entries, IndexInfo index, TableSchema table, ScanPageRequest pageRequest, PartitionRange range, Func<T, Item> read)
    {
        var request = pageRequest.Request;
        var expressions = RequestExpressions.For(request, validated: true);
        var rangeEnd = Math.Min(pageRequest.HashEnd, range.End);
        var from = IndexKey.Before(pageRequest.HashStart);
        var to = IndexKey.After(rangeEnd);
        IndexKey? start = request.ExclusiveStartKey is { } startItem ? IndexKey.Of(index, table, startItem) : null;
        if (start is { } s && IndexKeyComparer.Instance.Compare(s, from) >= 0) from = s;
        var source = entries.Range(from, to)
            .Where(e => start is null || IndexKeyComparer.Instance.Compare(e.Key, start.Value) != 0)
            .Select(e => ((AttributeValue?)null, read(e.Value)));
        var page = PageReader.Read(source, expressions, item => IndexRules.KeyOf(index, table, item), pageRequest.Limit,
            pageRequest.ByteBudget, PageReader.IsCountOnly(request.Select));
        return new ScanPage
        {
            Items = page.Items,
            MatchedCount = page.Count,
            ScannedCount = page.ScannedCount,
            BytesRead = page.BytesRead,
            LastEvaluatedKey = page.LastEvaluatedKey,
            RangeEnd = rangeEnd,
        };
    }

    /// <summary>The narrowest entry range of one index partition key that the sort-key condition allows.</summary>
    private static (IndexKey From, IndexKey To) Bounds(ulong hash, AttributeValue hashValue, SortKeyCondition? sortKey)
    {
        IndexKey first = IndexKey.Before(hash, hashValue), last = IndexKey.After(hash, hashValue);
        if (sortKey is null) return (first, last);
        IndexKey AtLow(AttributeValue v) => IndexKey.Before(hash, hashValue, v);
        IndexKey AtHigh(AttributeValue v) => IndexKey.After(hash, hashValue, v);
        return sortKey.Operator switch
        {
            SortKeyOperator.Equal => (AtLow(sortKey.Value), AtHigh(sortKey.Value)),
            SortKeyOperator.Less or SortKeyOperator.LessOrEqual => (first, AtHigh(sortKey.Value)),
            SortKeyOperator.Greater or SortKeyOperator.GreaterOrEqual or SortKeyOperator.BeginsWith => (AtLow(sortKey.Value), last),
            SortKeyOperator.Between => (AtLow(sortKey.Value), AtHigh(sortKey.Upper!)),
            _ => (first, last),
        };
    }
}
