using System.Buffers;
using OrleansDynamo.Expressions;
using OrleansDynamo.Keys;
using OrleansDynamo.Model;
using OrleansDynamo.Storage;
using OrleansDynamo.Validation;

namespace OrleansDynamo.Partitions;

/// <summary>
/// Reads one page of a Query or Scan, as DynamoDB counts it: Limit and the 1 MB cap apply to the items
/// read, before the filter; the last item read becomes LastEvaluatedKey when the page fills up.
/// </summary>
internal static class PageReader
{
    public const int MaxPageBytes = 1024 * 1024;
    private const int FirstChunk = 100;
    private const int MaxChunk = 1024;

    public sealed record Page(List<Item> Items, int Count, int ScannedCount, int BytesRead, Item? LastEvaluatedKey);

    /// <param name="source">Items in read order.</param>
    /// <param name="rangeMatches">The key condition on the sort key, when the range read may hold items outside it.</param>
    public static async Task<Page> ReadAsync(IAsyncEnumerable<Item> source, RequestExpressions expressions, Func<Item, Item> keyOf,
        int limit, int byteBudget, bool countOnly, Func<Item, bool>? rangeMatches = null)
    {
        var items = new List<Item>();
        int count = 0, scanned = 0, bytes = 0;
        await foreach (var item in source)
        {
            if (rangeMatches is not null && !rangeMatches(item)) continue;
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

    /// <summary>
    /// The records of a range in chunks: at most 100 at first (a Query page of 10 reads 10, a Scan page of 100 reads 100), then sized by the
    /// bytes seen so far, so that a page never reads much past its Limit or its 1 MB.
    /// </summary>
    public static async IAsyncEnumerable<StoreRecord> ReadRange(PartitionScope scope, RecordKind kind, byte[] from, byte[]? to, bool forward,
        int limit, int byteBudget)
    {
        var chunk = Math.Clamp(limit, 1, FirstChunk);
        long seen = 0, seenBytes = 0;
        while (true)
        {
            var records = await scope.Store.ReadRangeAsync(scope.Space, kind, from, to, forward, chunk);
            foreach (var record in records)
            {
                seen++;
                seenBytes += record.Value.Length;
                yield return record;
            }
            if (records.Count < chunk) yield break;
            if (forward) from = OrderedKeyEncoding.Successor(records[^1].Key);
            else to = records[^1].Key;
            var average = Math.Max(1, seenBytes / seen);
            var wanted = Math.Min(limit - seen, (byteBudget - seenBytes) / average + 1);
            chunk = (int)Math.Clamp(wanted, 1, MaxChunk);
        }
    }

    /// <summary>Every record of a kind in the partition's range, in chunks (bookkeeping loaded at activation).</summary>
    public static IAsyncEnumerable<StoreRecord> ReadAll(PartitionScope scope, RecordKind kind) =>
        ReadRange(scope, kind, scope.RangeStartKey, scope.RangeEndKey, forward: true, int.MaxValue, int.MaxValue);

    /// <summary>Items of a range of records that hold items (global index entries).</summary>
    public static async IAsyncEnumerable<Item> Items(IAsyncEnumerable<StoreRecord> records)
    {
        await foreach (var record in records) yield return ItemCodec.Decode(record.Value);
    }
}

/// <summary>Store key ranges for key conditions: an item collection, or one index partition key, narrowed by the sort-key condition.</summary>
internal static class KeyRanges
{
    /// <summary>[From, To) of the records under <paramref name="prefix"/> whose next key value satisfies <paramref name="sortKey"/>.</summary>
    public static (byte[] From, byte[]? To) Narrow(byte[] prefix, SortKeyCondition? sortKey)
    {
        var end = OrderedKeyEncoding.PrefixEnd(prefix);
        if (sortKey is null) return (prefix, end);
        byte[] At(AttributeValue value) => Concat(prefix, OrderedKeyEncoding.Encode(value));
        // Index entries continue after the sort key with the table's keys: "after v" is after all of them.
        byte[] After(AttributeValue value) => OrderedKeyEncoding.PrefixEnd(At(value))!;
        return sortKey.Operator switch
        {
            SortKeyOperator.Equal => (At(sortKey.Value), After(sortKey.Value)),
            SortKeyOperator.Less => (prefix, At(sortKey.Value)),
            SortKeyOperator.LessOrEqual => (prefix, After(sortKey.Value)),
            SortKeyOperator.Greater => (After(sortKey.Value), end),
            SortKeyOperator.GreaterOrEqual => (At(sortKey.Value), end),
            SortKeyOperator.Between => (At(sortKey.Value), After(sortKey.Upper!)),
            SortKeyOperator.BeginsWith => BeginsWith(prefix, sortKey.Value),
            _ => (prefix, end),
        };
    }

    /// <summary>Applies ExclusiveStartKey to a range: reading forward it starts after the key, backward it ends before it.</summary>
    public static (byte[] From, byte[]? To) After(byte[] from, byte[]? to, byte[]? exclusiveStart, bool forward)
    {
        if (exclusiveStart is null) return (from, to);
        if (forward)
        {
            var next = OrderedKeyEncoding.Successor(exclusiveStart);
            return (ByteArrayComparer.Instance.Compare(next, from) > 0 ? next : from, to);
        }
        return (from, to is null || ByteArrayComparer.Instance.Compare(exclusiveStart, to) < 0 ? exclusiveStart : to);
    }

    private static (byte[], byte[]?) BeginsWith(byte[] prefix, AttributeValue value)
    {
        var writer = new ArrayBufferWriter<byte>();
        writer.Write(prefix);
        OrderedKeyEncoding.AppendPrefix(writer, value);
        var start = writer.WrittenSpan.ToArray();
        return (start, OrderedKeyEncoding.PrefixEnd(start));
    }

    public static byte[] Concat(byte[] a, byte[] b)
    {
        var result = new byte[a.Length + b.Length];
        a.CopyTo(result, 0);
        b.CopyTo(result, a.Length);
        return result;
    }
}
