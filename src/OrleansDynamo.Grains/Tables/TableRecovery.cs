using Microsoft.Extensions.Logging;
using OrleansDynamo.Grains;

namespace OrleansDynamo.Tables;

/// <summary>
/// After a silo starts, activates every table once, so that work a crash interrupted resumes without
/// waiting for a request: index backfills, and base partitions' outboxes of index changes.
/// </summary>
public sealed partial class TableRecovery(IGrainFactory grains, ILogger<TableRecovery> logger)
{
    public Task StartAsync()
    {
        // In the background: the silo serves requests meanwhile, and a table activates on first use anyway.
        _ = Task.Run(RecoverAsync);
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
                foreach (var name in page.TableNames) await grains.GetGrain<ITableGrain>(name).GetInfo();
                start = page.LastEvaluatedTableName;
            } while (start is not null);
        }
        catch (Exception e)
        {
            LogRecoveryFailed(logger, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not activate the tables after start; they recover on their first request")]
    private static partial void LogRecoveryFailed(ILogger logger, Exception error);
}
