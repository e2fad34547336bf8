using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansDynamo.Errors;
using OrleansDynamo.Grains;
using OrleansDynamo.Hosting;
using OrleansDynamo.Model;
using OrleansDynamo.Operations;
using OrleansDynamo.Storage;
using OrleansDynamo.Validation;

namespace OrleansDynamo.Tables;

[GenerateSerializer, Alias("odyn.TableState")]
public sealed class TableState
{
    [Id(0)] public TableDescription? Description { get; set; }
    [Id(1)] public TableInfo? Info { get; set; }
    /// <summary>No longer used: the store hands out partition ids with its maps. Kept so that old state reads.</summary>
    [Id(2)] public int NextPartitionId { get; set; }
    /// <summary>The storage layout the table's data is in: 0 for the first layout (converted when the store opened), 2 since.</summary>
    [Id(3)] public int Layout { get; set; }
    /// <summary>The table's streams, newest last: the enabled one, and disabled ones while still readable.</summary>
    [Id(4)] public List<StreamHistory> Streams { get; set; } = [];
    [Id(5)] public TimeToLiveState? TimeToLive { get; set; }
    [Id(6)] public List<Tag> Tags { get; set; } = [];
    /// <summary>Point-in-time recovery, while it is on.</summary>
    [Id(7)] public RecoveryState? Recovery { get; set; }
    /// <summary>A restore or an import is filling the table: it is CREATING until that ends.</summary>
    [Id(8)] public bool Loading { get; set; }
    /// <summary>What a restore that is filling the table reads, so that it starts again after a crash.</summary>
    [Id(9)] public ImageSource? LoadSource { get; set; }
}

/// <summary>
/// One table (key: its name): description, key schema and indexes, persisted as grain state. The partition
/// maps of the table and of its global indexes live in the partition store, next to the data they route
/// (see <see cref="IPartitionStore"/>): this grain reads them, routes by them, and changes them only through
/// the store's fenced split. Requests arrive validated at the edge; this grain checks what needs the
/// table's current state.
/// </summary>
public sealed partial class TableGrain(
    [PersistentState("table", OrleansDynamoOptions.MetadataStorageName)] IPersistentState<TableState> state,
    IPartitionStore store,
    OrleansDynamoClock clock,
    IOptions<OrleansDynamoOptions> options,
    ILogger<TableGrain> logger)
    : Grain, ITableGrain
{
    internal const int CurrentLayout = 2;
    private string TableName => this.GetPrimaryKeyString();

    public async Task<TableDescription> Create(CreateTableRequest request)
    {
        if (state.State.Description is not null)
            throw DynamoErrors.TableAlreadyExists(TableName);

        var now = clock.UnixTime;
        var incarnation = Guid.NewGuid().ToString("D");
        var payPerRequest = request.BillingMode == "PAY_PER_REQUEST";
        var description = new TableDescription
        {
            TableName = TableName,
            KeySchema = request.KeySchema!,
            AttributeDefinitions = request.AttributeDefinitions!,
            TableStatus = "ACTIVE",
            CreationDateTime = now,
            ProvisionedThroughput = new ProvisionedThroughputDescription
            {
                ReadCapacityUnits = payPerRequest ? 0 : request.ProvisionedThroughput?.ReadCapacityUnits ?? 0,
                WriteCapacityUnits = payPerRequest ? 0 : request.ProvisionedThroughput?.WriteCapacityUnits ?? 0,
            },
            BillingModeSummary = payPerRequest
                ? new BillingModeSummary { BillingMode = "PAY_PER_REQUEST", LastUpdateToPayPerRequestDateTime = now }
                : null,
            TableArn = TableArns.Of(options.Value.Region, options.Value.AccountId, TableName),
            TableId = incarnation,
            DeletionProtectionEnabled = request.DeletionProtectionEnabled ?? false,
        };
        var (indexes, described) = IndexesFor(request, description);
        description = TableSettingsRules.Described(described, request, options.Value.Region, options.Value.AccountId);
        state.State.Description = description;
        state.State.Info = new TableInfo(TableName, incarnation, TableSchemas.From(description),
            PartitionMap.Even(options.Value.InitialPartitionCount), indexes);
        state.State.Streams = [];
        state.State.TimeToLive = null;
        state.State.Tags = request.Tags?.ToList() ?? [];
        state.State.Recovery = null;
        if (request.StreamSpecification is { StreamEnabled: true, StreamViewType: { } viewType }) EnableStream(viewType);
        description = state.State.Description;
        AdoptLimits();
        state.State.Layout = CurrentLayout;
        await state.WriteStateAsync();
        await LoadMapsAsync();
        // Every partition opens its shard now, so that the new stream lists all of them at once.
        if (state.State.Info!.Stream is not null) await RefreshPartitionsAsync(state.State.Info);
        await GrainFactory.GetGrain<ICatalogGrain>(0).Add(TableName);
        // The table serves requests at once; like DynamoDB, the CreateTable answer still says CREATING.
        return description with { TableStatus = "CREATING" };
    }

    public async Task<TableInfo> GetInfo()
    {
        if (_mapsStale) await LoadMapsAsync();
        return state.State.Info ?? throw DynamoErrors.TableNotFound(TableName);
    }

    public async Task<TableDescription> Describe()
    {
        var (description, info) = Current();
        var stats = await Task.WhenAll(info.Map.Ranges.Select(r => Partition(info, r).GetStats()));
        return await DescribeIndexesAsync(ThroughputAsOfNow(description) with
        {
            ItemCount = stats.Sum(s => s.ItemCount),
            TableSizeBytes = stats.Sum(s => s.SizeBytes),
        }, info);
    }

    public async Task<TableDescription> Update(UpdateTableRequest request)
    {
        EnsureNotRestoring();
        var updated = await UpdateSettingsAsync(request);
        await SendLimitsAsync();
        return updated;
    }

    private async Task<TableDescription> UpdateSettingsAsync(UpdateTableRequest request)
    {
        var (description, info) = Current();
        var updated = TableSettingsRules.Updated(UpdateTableValidator.Apply(description, request, clock.UnixTime), request, clock.UnixTime,
            options.Value.Region, options.Value.AccountId);
        if (request.GlobalSecondaryIndexUpdates is { } indexUpdates) return await UpdateIndexesAsync(updated, info, request, indexUpdates);
        state.State.Description = updated;
        if (request.StreamSpecification is { } stream) return await UpdateStreamAsync(stream);
        await state.WriteStateAsync();
        return updated;
    }

    public async Task<TableDescription> Delete()
    {
        var (description, info) = Current();
        EnsureNotRestoring();
        if (description.DeletionProtectionEnabled)
            throw DynamoErrors.DeletionProtected();
        await state.ClearStateAsync();
        state.State = new TableState();
        StopTimeToLiveSweep();
        await GrainFactory.GetGrain<ICatalogGrain>(0).Remove(TableName);
        // The incarnation is gone, so no request can reach these partitions again: they retire (Drop is
        // one-way), and the spaces are deleted in the background. Should that not finish, the space cleaner
        // deletes them later.
        foreach (var range in info.Map.Ranges) await Partition(info, range).Drop();
        foreach (var index in info.GlobalIndexes) await DropIndexAsync(info, index);
        _ = DeleteSpacesAsync([SpaceOf(info, null), .. info.GlobalIndexes.Select(i => SpaceOf(info, i.IndexId))]);
        return description.AsDeleting();
    }

    private (TableDescription Description, TableInfo Info) Current() =>
        state.State is { Description: { } description, Info: { } info }
            ? (description, info)
            : throw DynamoErrors.TableNotFound(TableName);

    [LoggerMessage(Level = LogLevel.Information, Message = "Table {Table}: partition {Parent} split, {Child} is new; {Partitions} partitions, map version {Version}")]
    private static partial void LogSplit(ILogger logger, string table, int parent, int child, int partitions, long version);

    private IPartitionGrain Partition(TableInfo info, PartitionRange range) =>
        GrainFactory.GetGrain<IPartitionGrain>(PartitionKey.Format(info.TableName, info.Incarnation, range.PartitionId));
}
