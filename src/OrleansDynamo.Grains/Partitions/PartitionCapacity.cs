using OrleansDynamo.Errors;
using OrleansDynamo.Grains;
using OrleansDynamo.Hosting;
using OrleansDynamo.Model;
using OrleansDynamo.Throughput;
using OrleansDynamo.Validation;

namespace OrleansDynamo.Partitions;

/// <summary>
/// Capacity enforcement where the partition lives, so no request waits on a lock elsewhere. One token bucket
/// (<see cref="TokenBucket"/>) per limited kind of units: the reads and writes of the table (or, in a global
/// index's partition, the index's reads), and in a table partition the writes of each limited global index,
/// which push back on the table's writes as DynamoDB's do. A bucket's rate is the partition's share of the
/// table's (or index's) units per second, which the table grain adapts to demand (<see cref="Report"/>,
/// <see cref="Apply"/>), capped at DynamoDB's per-partition limits where they apply. Every consumed unit is
/// also counted in the <c>orleansdynamo.capacity.consumed</c> metric, limited or not.
/// </summary>
internal sealed class PartitionCapacity
{
    /// <summary>DynamoDB's most units per second of one partition.</summary>
    public const double PartitionReadUnits = 3000, PartitionWriteUnits = 1000;

    private const string ReadBucket = "read", WriteBucket = "write";

    private sealed class Limit(bool isRead, IndexInfo? index, string arn, bool provisioned, double resourceRate, double? partitionCap)
    {
        public bool IsRead { get; } = isRead;
        public string Kind => IsRead ? ReadBucket : WriteBucket;
        /// <summary>The index whose units these are (an index partition's reads, or back-pressure of a global index's writes).</summary>
        public IndexInfo? Index { get; } = index;
        public string Arn { get; } = arn;
        public bool Provisioned { get; } = provisioned;
        /// <summary>The table's or index's units per second, all partitions together; infinite when only the partition cap limits.</summary>
        public double ResourceRate { get; } = resourceRate;
        public double? PartitionCap { get; } = partitionCap;
        public double Share { get; set; } = 1;
        public TokenBucket Bucket { get; set; } = null!;
        public double Used { get; set; }
        public int Refused { get; set; }
        public double Rate => Math.Min(PartitionCap ?? double.PositiveInfinity, ResourceRate * Share);
        public bool CappedByPartition => PartitionCap is { } cap && cap < ResourceRate * Share;

        public DynamoException Refusal()
        {
            var limitType = CappedByPartition ? "KeyRangeThroughputExceeded" : Provisioned ? "ProvisionedThroughputExceeded" : "MaxOnDemandThroughputExceeded";
            var reason = new ThrottlingReason($"{(Index is null ? "Table" : "Index")}{(IsRead ? "Read" : "Write")}{limitType}", Arn);
            if (!Provisioned) return DynamoErrors.Throttling(reason);
            return Index is not null && !IsRead ? DynamoErrors.IndexProvisionedThroughputExceeded(reason) : DynamoErrors.ProvisionedThroughputExceeded(reason);
        }
    }

    private readonly OrleansDynamoOptions _options;
    private readonly string _table;
    private readonly string _tableArn;
    private readonly string _servedIndex;
    private Dictionary<string, Limit> _limits = new(StringComparer.Ordinal);
    // Each global index of the table, with the name of its write bucket here (charged when the index is limited).
    private IReadOnlyList<(IndexInfo Index, string Bucket)> _globalIndexes = [];
    // The global indexes whose writes are limited, with their bucket: most tables have none, and a write then checks nothing.
    private IReadOnlyList<(IndexInfo Index, Limit Limit)> _indexWriteLimits = [];
    private double _windowStart = CapacityClock.Now;
    private IGrainTimer? _reports;

    /// <param name="served">The global index an index partition serves; null for a table partition.</param>
    public PartitionCapacity(OrleansDynamoOptions options, TableInfo table, IndexInfo? served, int partitions)
    {
        _options = options;
        _table = table.TableName;
        _tableArn = TableArns.Of(options.Region, options.AccountId, table.TableName);
        _servedIndex = served?.Name ?? "";
        Refresh(table, served, partitions);
    }

    /// <summary>Whether any bucket limits this partition: only then does it report to the table grain.</summary>
    public bool HasLimits => _limits.Count > 0;

    /// <summary>Whether a bucket refused a request in the last window because of the per-partition cap: a split would help.</summary>
    public bool HeldByPartitionCap { get; private set; }

    /// <summary>New limits (UpdateTable, an index added or dropped); buckets that stay keep their units.</summary>
    public void Refresh(TableInfo table, IndexInfo? served, int partitions)
    {
        var now = CapacityClock.Now;
        var limits = new Dictionary<string, Limit>(StringComparer.Ordinal);
        if (_options.Capacity)
        {
            if (served is not null)
            {
                Add(limits, ReadBucket, served, served.Throughput, read: true);
            }
            else
            {
                Add(limits, ReadBucket, null, table.Throughput, read: true);
                Add(limits, WriteBucket, null, table.Throughput, read: false);
                // A global index's writes are limited here only by its own throughput, not by a partition cap: its entries live elsewhere.
                foreach (var index in table.GlobalIndexes.Where(i => i.Throughput is { WriteUnits: not null }))
                    Add(limits, IndexWriteBucket(index), index, index.Throughput, read: false, partitionCap: false);
            }
        }
        foreach (var (name, limit) in limits)
        {
            if (_limits.TryGetValue(name, out var kept))
            {
                limit.Share = kept.Share;
                limit.Bucket = kept.Bucket;
                limit.Bucket.SetRate(limit.Rate, now);
            }
            else
            {
                limit.Share = 1.0 / Math.Max(1, partitions);
                limit.Bucket = new TokenBucket(limit.Rate, _options.BurstSeconds, now);
            }
        }
        _limits = limits;
        _globalIndexes = served is null ? table.GlobalIndexes.Select(i => (i, IndexWriteBucket(i))).ToList() : [];
        _indexWriteLimits = _globalIndexes.Where(entry => limits.ContainsKey(entry.Bucket)).Select(entry => (entry.Index, limits[entry.Bucket])).ToList();
    }

    private static string IndexWriteBucket(IndexInfo index) => $"{WriteBucket}:{index.IndexId}";

    private void Add(Dictionary<string, Limit> limits, string name, IndexInfo? index, ThroughputLimits? throughput, bool read, bool partitionCap = true)
    {
        var provisioned = throughput?.Provisioned ?? false;
        var rate = throughput?.UnitsFor(read);
        double? cap = partitionCap && (provisioned || _options.PartitionLimits) ? read ? PartitionReadUnits : PartitionWriteUnits : null;
        if (rate is null && cap is null) return;
        var arn = index is null ? _tableArn : $"{_tableArn}/index/{index.Name}";
        limits[name] = new Limit(read, index, arn, provisioned, rate ?? double.PositiveInfinity, cap);
    }

    /// <summary>ProvisionedThroughputExceeded or ThrottlingException when a bucket of this kind is empty.</summary>
    public void ThrowIfThrottled(bool read)
    {
        if (Refusal(read) is { } refusal) throw refusal;
    }

    /// <summary>
    /// The refusal a request of this kind gets now, or null when it may go ahead (counted as refused when not). A write
    /// is checked against the table's bucket only: a global index's depends on the item (<see cref="IndexWriteRefusal"/>).
    /// </summary>
    public DynamoException? Refusal(bool read)
    {
        Admissions++;
        return _limits.Count == 0 ? null : FirstEmpty(_limits.Values.Where(limit => limit.IsRead == read && (read || limit.Index is null)));
    }

    /// <summary>Requests asked to be admitted (each batch entry is one), for the partition map's request rate.</summary>
    public long Admissions { get; private set; }

    /// <summary>
    /// The refusal a write that changes <paramref name="existing"/> into <paramref name="item"/> gets from a global index
    /// whose entries it changes and whose bucket is empty: a throttled index pushes back on its base table, as in DynamoDB.
    /// </summary>
    public DynamoException? IndexWriteRefusal(Item? existing, Item? item) =>
        _indexWriteLimits.Count == 0 ? null
            : FirstEmpty(_indexWriteLimits.Where(entry => Touches(entry.Index, existing) || Touches(entry.Index, item)).Select(entry => entry.Limit));

    private static bool Touches(IndexInfo index, Item? image) => image is not null && IndexRules.Contains(index, image);

    private DynamoException? FirstEmpty(IEnumerable<Limit> limits)
    {
        var now = CapacityClock.Now;
        foreach (var limit in limits)
        {
            if (limit.Bucket.HasUnits(now)) continue;
            limit.Refused++;
            var refusal = limit.Refusal();
            OrleansDynamoTelemetry.RequestThrottled(_table, limit.Index?.Name ?? "", limit.Kind, refusal.ThrottlingReasons![0].Reason);
            return refusal;
        }
        return null;
    }

    /// <summary>Read units consumed (negative to correct an estimate charged before the read).</summary>
    public void ChargeRead(double units)
    {
        if (units > 0) OrleansDynamoTelemetry.CapacityConsumed(_table, _servedIndex, ReadBucket, units);
        if (_limits.TryGetValue(ReadBucket, out var limit)) Take(limit, units);
    }

    /// <summary>The write units of an item change, on the table and on each global index whose entries it changes.</summary>
    public void ChargeWrite(Item? existing, Item? item)
    {
        var units = CapacityUnits.Write(Math.Max(existing?.SizeInBytes ?? 0, item?.SizeInBytes ?? 0));
        OrleansDynamoTelemetry.CapacityConsumed(_table, "", WriteBucket, units);
        if (_limits.TryGetValue(WriteBucket, out var limit)) Take(limit, units);
        foreach (var (index, bucket) in _globalIndexes)
        {
            var before = Touches(index, existing);
            var after = Touches(index, item);
            if (!before && !after) continue;
            var indexUnits = CapacityUnits.Write(Math.Max(before ? existing!.SizeInBytes : 0, after ? item!.SizeInBytes : 0));
            OrleansDynamoTelemetry.CapacityConsumed(_table, index.Name, WriteBucket, indexUnits);
            if (_limits.TryGetValue(bucket, out var indexLimit)) Take(indexLimit, indexUnits);
        }
    }

    private static void Take(Limit limit, double units)
    {
        limit.Bucket.Take(units, CapacityClock.Now);
        limit.Used += units;
    }

    /// <summary>
    /// The window's demand per bucket as a fraction of the table's (or index's) rate (a refused request counts
    /// as one unit), and what each bucket holds; starts the next window.
    /// </summary>
    public CapacityReport Report(string? indexId, int partitionId)
    {
        var now = CapacityClock.Now;
        var seconds = Math.Max(now - _windowStart, 0.001);
        var demand = new Dictionary<string, double>(StringComparer.Ordinal);
        var levels = new Dictionary<string, double>(StringComparer.Ordinal);
        HeldByPartitionCap = false;
        foreach (var (name, limit) in _limits)
        {
            demand[name] = double.IsPositiveInfinity(limit.ResourceRate) ? 0 : (limit.Used + limit.Refused) / seconds / limit.ResourceRate;
            levels[name] = limit.Bucket.Level(now);
            HeldByPartitionCap |= limit.Refused > 0 && limit.CappedByPartition;
            (limit.Used, limit.Refused) = (0, 0);
        }
        _windowStart = now;
        return new CapacityReport(indexId, partitionId, demand, levels);
    }

    /// <summary>
    /// Once the partition has limits (at activation, or when a refresh brings them): its first share and saved
    /// units from the table grain, then a report every window while <paramref name="serving"/>. After each,
    /// <paramref name="reported"/> hears whether the per-partition cap held the partition back.
    /// </summary>
    public async Task StartReportsAsync(IGrainBase grain, IGrainFactory grains, string? indexId, int partitionId, TimeSpan window,
        Func<bool> serving, Action<bool>? reported = null)
    {
        if (_reports is not null || !HasLimits) return;
        _reports = grain.RegisterGrainTimer(async _ =>
        {
            if (!serving() || !HasLimits) return;
            await ExchangeAsync(grains, indexId, partitionId, activating: false);
            reported?.Invoke(HeldByPartitionCap);
        }, window, window);
        await ExchangeAsync(grains, indexId, partitionId, activating: true);
    }

    /// <summary>One report to the table grain and its answer applied. Best effort: when the table grain does not answer, the shares stay.</summary>
    private async Task ExchangeAsync(IGrainFactory grains, string? indexId, int partitionId, bool activating)
    {
        try
        {
            Apply(await grains.GetGrain<ITableGrain>(_table).ShareCapacity(Report(indexId, partitionId), activating));
        }
        catch (Exception)
        {
            // A table being deleted, a silo going away: the next window tries again.
        }
    }

    /// <summary>The table grain's answer: new shares, and for an activation the levels its buckets go on from.</summary>
    private void Apply(CapacityGrant grant)
    {
        var now = CapacityClock.Now;
        foreach (var (name, limit) in _limits)
        {
            if (grant.Shares.TryGetValue(name, out var share)) limit.Share = share;
            if (grant.Levels?.TryGetValue(name, out var level) == true) limit.Bucket = new TokenBucket(limit.Rate, _options.BurstSeconds, now, level);
            else limit.Bucket.SetRate(limit.Rate, now);
        }
    }

    /// <summary>A split kept <paramref name="fraction"/> of the range: the rest of the saved units went with the child.</summary>
    public void Keep(double fraction)
    {
        var now = CapacityClock.Now;
        foreach (var limit in _limits.Values) limit.Bucket.Keep(fraction, now);
    }
}
