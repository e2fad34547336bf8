namespace OrleansDynamo.Hosting;

/// <summary>Settings of the OrleansDynamo grains in a silo.</summary>
public sealed class OrleansDynamoOptions
{
    /// <summary>Name of the Orleans grain storage provider that holds table metadata.</summary>
    public const string MetadataStorageName = "odyn-metadata";

    /// <summary>How many partitions a new table starts with.</summary>
    public int InitialPartitionCount { get; set; } = 4;

    /// <summary>
    /// Whether concurrent writes to one partition share one store commit. Off only to measure what it buys.
    /// </summary>
    public bool GroupCommit { get; set; } = true;

    /// <summary>A partition holding more item data than this splits in two.</summary>
    public long SplitThresholdBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>
    /// A partition taking more writes per second than this, for <see cref="HotSplitWindows"/> windows of
    /// <see cref="HotSplitWindow"/> in a row, splits in two to spread the load. 0 turns load-based splits off.
    /// </summary>
    public int HotSplitWritesPerSecond { get; set; } = 5000;

    /// <summary>How many windows in a row a partition must stay hot before it splits.</summary>
    public int HotSplitWindows { get; set; } = 3;

    /// <summary>The length of one window in which a partition's writes are counted.</summary>
    public TimeSpan HotSplitWindow { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Largest item collection (items sharing a partition key, with their local index entries) of a table
    /// with local secondary indexes: DynamoDB's 10 GB. Smaller in tests, to reach it.
    /// </summary>
    public long ItemCollectionSizeLimitBytes { get; set; } = 10L * 1024 * 1024 * 1024;

    /// <summary>
    /// The silo's cache budget in bytes (<c>--cache-mb</c>): hot items (<see cref="Storage.ItemCache"/>), and
    /// with the embedded store also RocksDB's block cache, which takes half. Default: an eighth of the memory
    /// available to the process, at least 64 MiB. Items beyond it are read from the store.
    /// </summary>
    public long CacheBytes { get; set; } = DefaultCacheBytes();

    /// <summary>The share of <see cref="CacheBytes"/> that caches items; the store's own cache has the rest.</summary>
    public double ItemCacheShare { get; set; } = 1.0;

    public static long DefaultCacheBytes() => Math.Max(64L << 20, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 8);

    /// <summary>How often each silo looks for data of dropped tables and indexes left in the store (0: only at start).</summary>
    public TimeSpan SpaceCleanInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long stream records stay readable: DynamoDB's 24 hours.</summary>
    public TimeSpan StreamRetention { get; set; } = TimeSpan.FromHours(24);
    /// <summary>How often each partition deletes its stream records older than <see cref="StreamRetention"/>.</summary>
    public TimeSpan StreamTrimInterval { get; set; } = TimeSpan.FromMinutes(1);
    /// <summary>How long a shard iterator can be used: DynamoDB's 15 minutes.</summary>
    public TimeSpan ShardIteratorLifetime { get; set; } = TimeSpan.FromMinutes(15);
    /// <summary>Time between two time-to-live sweeps of a table's partitions (<c>--ttl-sweep-interval</c>).</summary>
    public TimeSpan TtlSweepInterval { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>The most expired items one sweep deletes in a table (bounded work per tick; the rest wait for the next).</summary>
    public int TtlSweepLimit { get; set; } = 5000;
    /// <summary>After an UpdateTimeToLive, how long further ones are refused: DynamoDB's one hour (<c>--ttl-update-interval</c>).</summary>
    public TimeSpan TtlUpdateInterval { get; set; } = TimeSpan.FromHours(1);
    /// <summary>Whether PROVISIONED throughput (and on-demand maximums) are enforced: requests past them are throttled.</summary>
    public bool Capacity { get; set; } = true;

    /// <summary>Whether on-demand tables get DynamoDB's per-partition limits too (3,000 read and 1,000 write units per second).</summary>
    public bool PartitionLimits { get; set; }

    /// <summary>How many seconds of unused capacity a partition saves for bursts (DynamoDB: 300).</summary>
    public double BurstSeconds { get; set; } = 300;

    /// <summary>How often a limited partition reports its demand to the table grain and gets its share back (adaptive capacity).</summary>
    public TimeSpan CapacityWindow { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Consecutive capacity windows a partition must be throttled by its per-partition cap before it splits for heat.</summary>
    public int ThrottleSplitWindows { get; set; } = 10;

    /// <summary>Region shown in table ARNs.</summary>
    public string Region { get; set; } = "us-east-1";

    /// <summary>Account id shown in table ARNs.</summary>
    public string AccountId { get; set; } = "000000000000";

    /// <summary>
    /// The folder that stands for S3 in exports and imports: bucket <c>b</c> is <c>ExportRoot/b</c>. Null: they are
    /// refused. In a cluster every silo must see the same folder (a shared mount).
    /// </summary>
    public string? ExportRoot { get; set; }

    /// <summary>
    /// The share of time a backup copy or an export works; it rests the remainder, so that it reads a live table without
    /// taking the cores its clients need (restores and imports fill new tables, and run flat out).
    /// </summary>
    public double BackgroundDutyCycle { get; set; } = 0.25;
}
