using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansDynamo.Errors;
using OrleansDynamo.Grains;
using OrleansDynamo.Hosting;
using OrleansDynamo.Storage;

namespace OrleansDynamo.Tables;

/// <summary>
/// Deletes spaces that no table owns any more: those of a dropped table incarnation or index whose deletion
/// did not finish (a crash right after DeleteTable, say). A space is deleted only when its table answers
/// that it does not exist, or exists with another incarnation, or without that index: an incarnation or
/// index id never comes back, so such a space can never be needed again. A backup's space is deleted once its
/// backup is. Runs after each silo start and
/// then every <see cref="OrleansDynamoOptions.SpaceCleanInterval"/>.
/// </summary>
public sealed partial class SpaceCleaner(IPartitionStore store, IGrainFactory grains, IOptions<OrleansDynamoOptions> options, ILogger<SpaceCleaner> logger)
{
    public Task StartAsync()
    {
        _ = Task.Run(RunAsync);
        return Task.CompletedTask;
    }

    private async Task RunAsync()
    {
        var interval = options.Value.SpaceCleanInterval;
        while (true)
        {
            await CleanAsync();
            if (interval <= TimeSpan.Zero) return;
            await Task.Delay(interval);
        }
    }

    /// <summary>One pass over every space; returns how many were deleted.</summary>
    public async Task<int> CleanAsync()
    {
        var deleted = 0;
        try
        {
            foreach (var space in await store.ListSpacesAsync())
            {
                if (await IsOwnedAsync(space)) continue;
                await store.DeleteSpaceAsync(space);
                LogDeleted(logger, space.Name);
                deleted++;
            }
        }
        catch (Exception e)
        {
            LogCleanFailed(logger, e);
        }
        return deleted;
    }

    private async Task<bool> IsOwnedAsync(StoreSpace space)
    {
        // A backup's space is owned by its entry in the backup catalog, not by a table.
        if (Backups.BackupSpaces.IsBackup(space)) return await grains.GetGrain<IBackupCatalogGrain>(0).Exists(space.Incarnation);
        try
        {
            var table = await grains.GetGrain<ITableGrain>(space.TableName).GetInfo();
            return table.Incarnation == space.Incarnation && (space.IndexId is null || table.FindIndexById(space.IndexId) is not null);
        }
        catch (DynamoException e) when (e.ErrorType == DynamoErrorTypes.ResourceNotFound)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted the data of {Space}, which no table or index owns")]
    private static partial void LogDeleted(ILogger logger, string space);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not look for data of dropped tables; the next pass will")]
    private static partial void LogCleanFailed(ILogger logger, Exception error);
}
