namespace OrleansDynamo.Model;

/// <summary>One partition's share of the 64-bit partition-key hash space: <c>[Start, End]</c>, inclusive.</summary>
[GenerateSerializer, Immutable, Alias("odyn.PartitionRange")]
public sealed record PartitionRange(
    [property: Id(0)] int PartitionId,
    [property: Id(1)] ulong Start,
    [property: Id(2)] ulong End)
{
    public bool Contains(ulong hash) => hash >= Start && hash <= End;
}

/// <summary>
/// A table's hash space split into contiguous ranges, one per partition, in hash order.
/// The version grows with every change (a split), so a router can tell a stale map from a fresh one.
/// </summary>
[GenerateSerializer, Immutable, Alias("odyn.PartitionMap")]
public sealed record PartitionMap([property: Id(0)] long Version, [property: Id(1)] IReadOnlyList<PartitionRange> Ranges)
{
    /// <summary>Splits the whole hash space evenly into <paramref name="count"/> partitions, ids 0..count-1.</summary>
    /// <remarks>Boundaries fall on whole statistics buckets (the top 16 bits of the hash), as every split point does.</remarks>
    public static PartitionMap Even(int count)
    {
        var ranges = new PartitionRange[count];
        for (var i = 0; i < count; i++)
        {
            var start = (ulong)(i * 65536L / count) << 48;
            var end = i == count - 1 ? ulong.MaxValue : ((ulong)((i + 1) * 65536L / count) << 48) - 1;
            ranges[i] = new PartitionRange(i, start, end);
        }
        return new PartitionMap(1, ranges);
    }

    /// <summary>This map with one range split in two at <paramref name="splitAt"/>, and the next version.</summary>
    public PartitionMap Split(int parentId, ulong splitAt, int childId)
    {
        var ranges = new List<PartitionRange>(Ranges.Count + 1);
        foreach (var range in Ranges)
        {
            if (range.PartitionId != parentId)
            {
                ranges.Add(range);
                continue;
            }
            if (splitAt <= range.Start || splitAt > range.End)
                throw new ArgumentOutOfRangeException(nameof(splitAt), $"{splitAt} does not split partition {parentId}");
            ranges.Add(range with { End = splitAt - 1 });
            ranges.Add(new PartitionRange(childId, splitAt, range.End));
        }
        return new PartitionMap(Version + 1, ranges);
    }

    public PartitionRange Find(ulong hash)
    {
        int lo = 0, hi = Ranges.Count - 1;
        while (lo < hi)
        {
            var mid = (lo + hi + 1) / 2;
            if (Ranges[mid].Start <= hash) lo = mid; else hi = mid - 1;
        }
        return Ranges[lo];
    }
}

/// <summary>What a router needs to send an item request to the right partition grain.</summary>
[GenerateSerializer, Immutable, Alias("odyn.TableInfo")]
public sealed record TableInfo(
    [property: Id(0)] string TableName,
    [property: Id(1)] string Incarnation,
    [property: Id(2)] TableSchema Schema,
    [property: Id(3)] PartitionMap Map,
    [property: Id(4)] IReadOnlyList<IndexInfo>? Indexes = null,
    [property: Id(5)] StreamInfo? Stream = null,
    [property: Id(6)] TimeToLiveInfo? TimeToLive = null,
    [property: Id(7)] ThroughputLimits? Throughput = null,
    [property: Id(8)] RecoveryInfo? Recovery = null)
{
    public IReadOnlyList<IndexInfo> SecondaryIndexes => Indexes ?? [];

    public IndexInfo? FindIndex(string name) => Indexes?.FirstOrDefault(i => i.Name == name);

    public IndexInfo? FindIndexById(string indexId) => Indexes?.FirstOrDefault(i => i.IndexId == indexId);

    public IEnumerable<IndexInfo> GlobalIndexes => SecondaryIndexes.Where(i => i.IsGlobal);
}

/// <summary>Point-in-time recovery as partitions need it: on (this record present) and the window its change log is kept for.</summary>
[GenerateSerializer, Immutable, Alias("odyn.RecoveryInfo")]
public sealed record RecoveryInfo([property: Id(0)] int RecoveryPeriodInDays);
