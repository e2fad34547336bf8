using Microsoft.Extensions.Logging;
using OrleansDynamo.Grains;
using OrleansDynamo.Model;

namespace OrleansDynamo.Tables;

/// <summary>
/// After a silo starts, activates every table and its partitions once, so that work a crash interrupted
/// resumes without waiting for a request (index backfills, outboxes of index changes, restores, imports), and the first
/// requests find their partitions open. Activation reads no items, so this costs the same at any data size.
/// </summary>
public sealed partial class TableRecovery(IGrainFactory grains, ILogger<TableRecovery> logger)
{
    private Task _recovery = Task.CompletedTask;

    /// <summary>Completes when every table and partition has been activated (or recovery gave up).</summary>
    public Task Completed => _recovery;

    /// <summary>The first table found, for a host that wants to warm its request path on it.</summary>
    public TableInfo? FirstTable { get; private set; }

    public Task StartAsync()
    {
        // In the background: the silo serves requests meanwhile, and a table activates on first use anyway.
        _recovery = Task.Run(RecoverAsync);
        return Task.CompletedTask;
    }

    private async Task RecoverAsync()
    {
        try
        {
            string? start = null;
            do
            {
                var page = await grains.GetGrain<ICatalogGrain>(0).List(start, 100);
                foreach (var name in page.TableNames)
                {
                    try
                    {
                        var table = await grains.GetGrain<ITableGrain>(name).GetInfo();
                        await Task.WhenAll(table.Map.Ranges.Select(r =>
                            grains.GetGrain<IPartitionGrain>(PartitionKey.Format(table.TableName, table.Incarnation, r.PartitionId)).GetStats()));
                        FirstTable ??= table;
                    }
                    catch (Exception e)
                    {
                        // One table that cannot activate (listed but gone, say) must not keep the others from recovering.
                        LogTableRecoveryFailed(logger, e, name);
                    }
                }
                start = page.LastEvaluatedTableName;
            } while (start is not null);
            // Backups, exports and imports a crash interrupted (restores resume with their tables, above).
            await grains.GetGrain<IBackupCatalogGrain>(0).Resume();
            await grains.GetGrain<ITransferCatalogGrain>(0).Resume();
        }
        catch (Exception e)
        {
            LogRecoveryFailed(logger, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not activate table {Table} after start; it recovers on its first request")]
    private static partial void LogTableRecoveryFailed(ILogger logger, Exception error, string table);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not activate the tables after start; they recover on their first request")]
    private static partial void LogRecoveryFailed(ILogger logger, Exception error);
}
