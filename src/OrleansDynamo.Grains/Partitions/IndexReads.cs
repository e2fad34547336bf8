using OrleansDynamo.Expressions;
using OrleansDynamo.Grains;
using OrleansDynamo.Model;
using OrleansDynamo.Operations;
using OrleansDynamo.Throughput;

namespace OrleansDynamo.Partitions;

/// <summary>
/// What Query and Scan pages share: of the table, and of secondary indexes, local (in a table partition) or
/// global (in an index partition). An index's LastEvaluatedKey has its shape: the table's key and the index's key.
/// </summary>
internal static class IndexReads
{
    /// <summary>The request's key condition on <paramref name="index"/>, for the caller to check it owns the key.</summary>
    public static KeyCondition KeyConditionOf(IndexInfo index, RequestExpressions expressions) => expressions.ResolveKeyCondition(index);

    /// <summary>The sort-key condition applied to each item read (the range read already narrows to it).</summary>
    public static Func<Item, bool>? SortKeyFilter(IndexInfo index, KeyCondition condition) =>
        condition.SortKey is null ? null : item => condition.MatchesSortKey(index.RangeAttributes, item);

    /// <summary>A Query answer from its page: the items (none for Select COUNT), counts, LastEvaluatedKey and capacity, charged to <paramref name="capacity"/>.</summary>
    public static QueryResponse QueryResponseOf(PageReader.Page page, QueryRequest request, string tableName, PartitionCapacity capacity)
    {
        var units = CapacityUnits.Read(page.BytesRead, request.ConsistentRead ?? false);
        capacity.ChargeRead(units);
        return new QueryResponse
        {
            Items = PageReader.IsCountOnly(request.Select) ? null : page.Items,
            Count = page.Count,
            ScannedCount = page.ScannedCount,
            LastEvaluatedKey = page.LastEvaluatedKey,
            ConsumedCapacity = CapacityUnits.Report(request.ReturnConsumedCapacity, tableName, units, isWrite: false),
        };
    }

    /// <summary>A partition's part of a Scan page, its read units charged to <paramref name="capacity"/>.</summary>
    public static ScanPage ScanPageOf(PageReader.Page page, ulong rangeEnd, ScanRequest request, PartitionCapacity capacity)
    {
        capacity.ChargeRead(CapacityUnits.Read(page.BytesRead, request.ConsistentRead ?? false));
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
}
