using Microsoft.Extensions.Logging;
using OrleansDynamo.Errors;
using OrleansDynamo.Grains;
using OrleansDynamo.Hosting;
using OrleansDynamo.Model;
using OrleansDynamo.Operations;
using OrleansDynamo.Storage;

namespace OrleansDynamo.Backups;

[GenerateSerializer, Alias("odyn.BackupCatalogState")]
public sealed class BackupCatalogState
{
    /// <summary>Oldest first, the order ListBackups answers in.</summary>
    [Id(0)] public List<BackupEntry> Backups { get; set; } = [];
}

/// <summary>
/// The cluster's on-demand backups (CreateBackup, DescribeBackup, ListBackups, DeleteBackup). A backup is taken at
/// the instant of its CreateBackup: a snapshot of the store, which its job (<see cref="TransferJobGrain"/>) copies
/// into the backup's own space while writes go on. It outlives its table.
/// </summary>
public sealed partial class BackupCatalogGrain(
    [PersistentState("backups", OrleansDynamoOptions.MetadataStorageName)] IPersistentState<BackupCatalogState> state,
    IPartitionStore store,
    OrleansDynamoClock clock,
    ILogger<BackupCatalogGrain> logger)
    : Grain, IBackupCatalogGrain
{
    private const int DefaultListLimit = 100;

    private List<BackupEntry> Backups => state.State.Backups;

    public async Task<BackupDetails> Create(string tableName, string backupName)
    {
        var table = GrainFactory.GetGrain<ITableGrain>(tableName);
        TableDescription description;
        TableInfo info;
        try
        {
            description = await table.Describe();
            info = await table.GetInfo();
        }
        catch (DynamoException e) when (e.ErrorType == DynamoErrorTypes.ResourceNotFound)
        {
            throw DynamoErrors.ContinuousBackupsTableNotFound(tableName);
        }
        if (description.TableStatus != "ACTIVE") throw DynamoErrors.TableInUse(tableName);
        var now = clock.GetUtcNow();
        var id = BackupSpaces.NewId(now);
        var details = new BackupDetails
        {
            BackupArn = $"{description.TableArn}/backup/{id}", BackupName = backupName, BackupStatus = "CREATING", BackupType = "USER",
            BackupCreationDateTime = now.ToUnixTimeMilliseconds() / 1000.0,
        };
        var entry = new BackupEntry(details, BackupDefinitions.Source(description), BackupDefinitions.Features(description, await table.DescribeTimeToLive()),
            BackupDefinitions.Of(description), id);
        Backups.Add(entry);
        await state.WriteStateAsync();
        // The job opens its snapshot before it answers: the backup holds every write acknowledged before this call.
        await CopyJob(id).CopyBackup(details.BackupArn, id, tableName, info.Incarnation);
        return details;
    }

    private ITransferJobGrain CopyJob(string backupId) => GrainFactory.GetGrain<ITransferJobGrain>("backup/" + backupId);

    /// <remarks>The instant of an interrupted copy is gone with its snapshot, so the backup cannot be finished.</remarks>
    public async Task Resume()
    {
        foreach (var entry in Backups.Where(b => b.Details.BackupStatus == "CREATING").ToList())
            if (!await CopyJob(entry.BackupId).IsRunning()) await RemoveAsync(entry);
    }

    public Task<BackupEntry> Get(string backupArn) => Task.FromResult(Find(backupArn));

    public Task<bool> Exists(string backupId) => Task.FromResult(Backups.Any(b => b.BackupId == backupId));

    public Task<ListBackupsResponse> List(ListBackupsRequest request)
    {
        var type = request.BackupType ?? "USER";
        var matching = Backups.Where(b =>
            (request.TableName is null || b.Source.TableName == Validation.TableArns.NameOf(request.TableName))
            && (type == "ALL" || b.Details.BackupType == type)
            && (request.TimeRangeLowerBound is not { } lower || b.Details.BackupCreationDateTime >= lower)
            && (request.TimeRangeUpperBound is not { } upper || b.Details.BackupCreationDateTime < upper)).ToList();
        var (page, next) = CatalogPages.After(matching, b => b.Details.BackupArn, request.ExclusiveStartBackupArn, request.Limit ?? DefaultListLimit);
        return Task.FromResult(new ListBackupsResponse { BackupSummaries = page.Select(b => b.Summary()).ToList(), LastEvaluatedBackupArn = next });
    }

    public async Task<BackupDescription> Delete(string backupArn)
    {
        var entry = Find(backupArn);
        if (entry.Details.BackupStatus == "CREATING") throw DynamoErrors.BackupInUse(backupArn);
        await RemoveAsync(entry);
        return entry.Describe() with { BackupDetails = entry.Details with { BackupStatus = "DELETED" } };
    }

    public async Task Completed(string backupArn, long itemCount, long sizeBytes)
    {
        var index = Backups.FindIndex(b => b.Details.BackupArn == backupArn);
        if (index < 0) return;
        var entry = Backups[index];
        Backups[index] = entry with
        {
            Details = entry.Details with { BackupStatus = "AVAILABLE", BackupSizeBytes = sizeBytes },
            Source = entry.Source with { ItemCount = itemCount, TableSizeBytes = sizeBytes },
        };
        await state.WriteStateAsync();
    }

    public async Task Failed(string backupArn)
    {
        if (Backups.Find(b => b.Details.BackupArn == backupArn) is { } entry) await RemoveAsync(entry);
    }

    private BackupEntry Find(string backupArn) => Backups.Find(b => b.Details.BackupArn == backupArn) ?? throw DynamoErrors.BackupNotFound(backupArn);

    /// <summary>Forgets the backup, then deletes its items; should that fail, the space cleaner deletes them later.</summary>
    private async Task RemoveAsync(BackupEntry entry)
    {
        Backups.Remove(entry);
        await state.WriteStateAsync();
        try
        {
            await store.DeleteSpaceAsync(BackupSpaces.Of(entry.BackupId));
        }
        catch (Exception e)
        {
            LogDeleteFailed(logger, e, entry.Details.BackupArn);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not delete the items of backup {Backup}; the space cleaner will")]
    private static partial void LogDeleteFailed(ILogger logger, Exception error, string backup);
}
