using OrleansDynamo.Model;
using Orleans.Concurrency;
using OrleansDynamo.Operations;

namespace OrleansDynamo.Grains;

/// <summary>One table (key: table name): its description, key schema and partition map.</summary>
[Alias("odyn.ITableGrain")]
public interface ITableGrain : IGrainWithStringKey
{
    /// <summary>Creates the table from a validated request; ResourceInUseException when it exists.</summary>
    [Alias("Create")] Task<TableDescription> Create(CreateTableRequest request);

    /// <summary>Schema and partition map for routing; ResourceNotFoundException when there is no table.</summary>
    /// <remarks>Interleaves: partitions ask for it while they activate, possibly during another call to this grain.</remarks>
    [Alias("GetInfo"), AlwaysInterleave] Task<TableInfo> GetInfo();

    [Alias("Describe")] Task<TableDescription> Describe();

    /// <summary>
    /// Splits a partition of the table (<paramref name="indexId"/> null) or of one of its global indexes at
    /// <paramref name="splitAt"/>: the parent keeps the hashes below it, a new partition owns the rest. The
    /// change is made in the store, fenced by the parent's epoch (nothing moves); a parent whose call fails
    /// must re-read its range from the store rather than guess the outcome. Null when the parent's epoch is stale.
    /// </summary>
    [Alias("SplitPartition")] Task<PartitionSplit?> SplitPartition(string? indexId, int parentId, long parentEpoch, ulong splitAt);

    [Alias("Update")] Task<TableDescription> Update(UpdateTableRequest request);

    /// <summary>
    /// Adaptive capacity: takes a partition's report and answers its share of the table's throughput, lending
    /// what quiet partitions leave unused to busy ones. An activation reports with no demand and gets the levels
    /// its buckets start at.
    /// </summary>
    /// <remarks>Interleaves: it only reads and updates the grain's in-memory shares.</remarks>
    [Alias("ShareCapacity"), AlwaysInterleave] Task<CapacityGrant> ShareCapacity(CapacityReport report, bool activating);

    /// <summary>Removes the table at once; returns its description with status DELETING.</summary>
    [Alias("Delete")] Task<TableDescription> Delete();

    /// <summary>A stream of the table by label (the enabled one, or a disabled one still readable); null when there is none.</summary>
    [Alias("GetStream"), AlwaysInterleave] Task<TableStream?> GetStream(string label);

    /// <summary>The table's readable streams, oldest first.</summary>
    [Alias("ListStreams"), AlwaysInterleave] Task<IReadOnlyList<StreamSummary>> ListStreams();

    /// <summary>Adds or replaces tags; the ARN must be this table's (ValidationException) of a table that exists (ResourceNotFoundException).</summary>
    [Alias("TagResource")] Task TagResource(string resourceArn, IReadOnlyList<Tag> tags);

    [Alias("UntagResource")] Task UntagResource(string resourceArn, IReadOnlyList<string> tagKeys);

    [Alias("ListTags"), AlwaysInterleave] Task<IReadOnlyList<Tag>> ListTags(string resourceArn);

    [Alias("UpdateTimeToLive")] Task<TimeToLiveSpecification> UpdateTimeToLive(TimeToLiveSpecification specification);

    [Alias("DescribeTimeToLive"), AlwaysInterleave] Task<TimeToLiveDescription> DescribeTimeToLive();

    /// <summary>Turns point-in-time recovery on (once every partition logs) or off.</summary>
    [Alias("UpdateContinuousBackups")] Task<ContinuousBackupsDescription> UpdateContinuousBackups(PointInTimeRecoverySpecification specification);

    [Alias("DescribeContinuousBackups"), AlwaysInterleave] Task<ContinuousBackupsDescription> DescribeContinuousBackups();

    /// <summary>What a restore or export of the table as of <paramref name="at"/> (null: the latest restorable time) reads.</summary>
    [Alias("GetRecoverySource"), AlwaysInterleave] Task<RecoverySource> GetRecoverySource(double? at, bool forExport);

    /// <summary>
    /// Creates a table that a restore (from <paramref name="source"/>, whose job the table starts and restarts after a
    /// crash) or an import fills; it is CREATING until <see cref="LoadCompleted"/>.
    /// </summary>
    [Alias("CreateLoading")] Task<TableDescription> CreateLoading(CreateTableRequest request, RestoreSummary? summary, ImageSource? source);

    [Alias("LoadCompleted")] Task LoadCompleted();
}

/// <summary>A table as of an instant: where its items are read, the instant (epoch seconds), its definition and description.</summary>
[GenerateSerializer, Immutable, Alias("odyn.RecoverySource")]
public sealed record RecoverySource(
    [property: Id(0)] ImageSource Image, [property: Id(1)] double Instant, [property: Id(2)] CreateTableRequest Definition,
    [property: Id(3)] TableDescription Description);

/// <summary>One stream of a table, as the Streams API needs it.</summary>
[GenerateSerializer, Immutable, Alias("odyn.TableStream")]
public sealed record TableStream(
    [property: Id(0)] string TableName, [property: Id(1)] string Incarnation, [property: Id(2)] string TableArn,
    [property: Id(3)] IReadOnlyList<KeySchemaElement> KeySchema, [property: Id(4)] string Label, [property: Id(5)] string ViewType,
    [property: Id(6)] double CreatedAt, [property: Id(7)] bool Enabled);

/// <summary>A split's outcome for its parent: the table's new routing info, the parent's new epoch and the child's id.</summary>
[GenerateSerializer, Immutable, Alias("odyn.PartitionSplit")]
public sealed record PartitionSplit([property: Id(0)] TableInfo Table, [property: Id(1)] long ParentEpoch, [property: Id(2)] int ChildId);
