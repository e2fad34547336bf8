using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Core.Internal;
using Orleans.Runtime.Placement;
using OrleansDynamo.Grains;

namespace OrleansDynamo.Placement;

/// <summary>
/// Runs in every silo: at each interval it takes the partition census, computes the same
/// <see cref="RebalancePlan"/> as every other silo, and migrates the partitions that the plan sends away
/// from this silo, with the destination as placement hint. Migration is safe for partitions: a migrated
/// partition reloads its items from the store and takes a new fencing epoch, like any activation.
/// </summary>
internal sealed partial class PartitionRebalancer(
    IGrainFactory grains, ILocalSiloDetails localSilo, IOptions<PartitionRebalancerOptions> options, ILogger<PartitionRebalancer> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _loop = Task.CompletedTask;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(PartitionRebalancer), ServiceLifecycleStage.Active, Start, Stop);

    private Task Start(CancellationToken cancellationToken)
    {
        if (options.Value.Interval > TimeSpan.Zero) _loop = Task.Run(() => RunAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task Stop(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _loop.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(options.Value.Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping))
            {
                try
                {
                    await RebalanceOnceAsync();
                }
                catch (Exception e) when (!stopping.IsCancellationRequested)
                {
                    // Usually a silo that died or left during the census; the next round sees the new membership.
                    LogRoundFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The silo is stopping.
        }
    }

    /// <summary>One round: returns how many partitions this silo asked to migrate.</summary>
    internal async Task<int> RebalanceOnceAsync()
    {
        var census = await PartitionCensus.TakeAsync(grains);
        var self = localSilo.SiloAddress;
        if (!census.TryGetValue(self, out var hosted)) return 0;
        var moves = RebalancePlan.Compute(census.ToDictionary(c => c.Key, c => c.Value.Count), options.Value.Tolerance)
            .Where(m => m.From.Equals(self))
            .ToList();
        if (moves.Count == 0) return 0;

        var leaving = SpreadOverTables(hosted).GetEnumerator();
        var migrated = 0;
        foreach (var move in moves)
        {
            for (var i = 0; i < move.Count && migrated < options.Value.MaxMigrationsPerRound && leaving.MoveNext(); i++, migrated++)
                await MigrateAsync(leaving.Current, move.To);
        }
        LogMigrated(logger, migrated, self, string.Join(", ", moves.Select(m => $"{m.Count} to {m.To}")));
        return migrated;
    }

    private async Task MigrateAsync(GrainId partition, SiloAddress destination)
    {
        // The placement hint travels with the call; the activation migrates once idle, to the hinted silo.
        RequestContext.Set(IPlacementDirector.PlacementHintKey, destination);
        try
        {
            await grains.GetGrain<IGrainManagementExtension>(partition).MigrateOnIdle();
            Hosting.OrleansDynamoTelemetry.PartitionMoved();
        }
        finally
        {
            RequestContext.Remove(IPlacementDirector.PlacementHintKey);
        }
    }

    /// <summary>Takes partitions from each table in turn, so no table ends up crowded on one silo.</summary>
    private static IEnumerable<GrainId> SpreadOverTables(IReadOnlyList<GrainId> hosted)
    {
        var byTable = hosted
            .GroupBy(g => PartitionKey.Parse(g.Key.ToString()!).TableName, StringComparer.Ordinal)
            .OrderByDescending(t => t.Count())
            .Select(t => new Queue<GrainId>(t.OrderBy(g => g.Key.ToString(), StringComparer.Ordinal)))
            .ToList();
        while (byTable.Any(t => t.Count > 0))
            foreach (var table in byTable)
                if (table.TryDequeue(out var partition)) yield return partition;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Asked {Count} partitions to migrate away from {Silo}: {Moves}")]
    private static partial void LogMigrated(ILogger logger, int count, SiloAddress silo, string moves);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Partition rebalancing round failed; the next round retries")]
    private static partial void LogRoundFailed(ILogger logger, Exception error);
}
