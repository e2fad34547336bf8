using OrleansDynamo.Expressions;
using OrleansDynamo.Model;
using OrleansDynamo.Validation;

namespace OrleansDynamo.Partitions;

/// <summary>
/// Reads one page of a Query or Scan, as DynamoDB counts it: Limit and the 1 MB cap apply to the items
/// read, before the filter; the last item read becomes LastEvaluatedKey when the page fills up.
/// </summary>
internal static class PageReader
{
    public const int MaxPageBytes = 1024 * 1024;

    public sealed record Page(List<Item> Items, int Count, int ScannedCount, int BytesRead, Item? LastEvaluatedKey);

    public static Page Read(IEnumerable<(ItemKey Key, Item Item)> source, RequestExpressions expressions,
        TableSchema schema, int limit, int byteBudget, bool countOnly, Func<AttributeValue?, bool>? rangeMatches = null) =>
        Read(source.Select(e => (e.Key.RangeKey, e.Item)), expressions, schema.KeyOf, limit, byteBudget, countOnly, rangeMatches);

    /// <summary>A page of any ordered source: each item with its sort key (for the key condition); <paramref name="keyOf"/> makes LastEvaluatedKey.</summary>
    public static Page Read(IEnumerable<(AttributeValue? SortKey, Item Item)> source, RequestExpressions expressions,
        Func<Item, Item> keyOf, int limit, int byteBudget, bool countOnly, Func<AttributeValue?, bool>? rangeMatches = null)
    {
        var items = new List<Item>();
        int count = 0, scanned = 0, bytes = 0;
        foreach (var (sortKey, item) in source)
        {
            if (rangeMatches is not null && !rangeMatches(sortKey)) continue;
            scanned++;
            bytes += item.SizeInBytes;
            if (expressions.EvaluateFilter(item))
            {
                count++;
                if (!countOnly) items.Add(expressions.Project(item));
            }
            if (scanned >= limit || bytes >= byteBudget)
                return new Page(items, count, scanned, bytes, keyOf(item));
        }
        return new Page(items, count, scanned, bytes, null);
    }

    public static bool IsCountOnly(string? select) => select == SelectRules.Count;
}
