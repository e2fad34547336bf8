using Microsoft.Extensions.Logging;
using OrleansDynamo.Errors;
using OrleansDynamo.Grains;
using OrleansDynamo.Hosting;
using OrleansDynamo.Model;
using OrleansDynamo.Storage;

namespace OrleansDynamo.Partitions;

/// <summary>
/// Splitting a partition (of a table or of a global index) that holds too much data or stays hot: the
/// upper part of its range goes to a new partition. Records are laid out by hash, so the split is one
/// change of the space's map in the store, fenced by the parent's epoch, made through the table grain
/// (which routes by that map). Nothing is copied, so writes pause only for that one step.
/// <list type="bullet">
/// <item>Success: the parent continues with its new epoch and smaller range.</item>
/// <item>Fenced (a newer activation exists): the parent retires.</item>
/// <item>Unknown outcome (timeout, lost connection): the parent re-opens itself from the store, taking a
/// new epoch and whatever range the store says it has. It never guesses.</item>
/// </list>
/// </summary>
internal sealed partial class PartitionSplitter(PartitionScope scope, PartitionCounters counters, IGrainFactory grains, ILogger logger, PartitionSplitter.IParticipant participant)
{
    public interface IParticipant
    {
        /// <summary>Completes when no commit or index delivery of the partition is in flight.</summary>
        Task QuiesceAsync();
        /// <summary>The partition's range shrank to <paramref name="keptFraction"/> of what it was: forget what lies outside it.</summary>
        void Adopt(PartitionRange range, double keptFraction);
        void Retire();
    }

    private Task? _splitting;
    // A range that cannot split (one hot bucket) tries again only after it has grown this far.
    private long _retryAtBytes;

    /// <summary>Completes when no split is running.</summary>
    public Task Done => _splitting is { IsCompleted: false } split ? split : Task.CompletedTask;

    public bool IsSplitting => _splitting is { IsCompleted: false };

    public void CheckSize(long thresholdBytes)
    {
        if (counters.TotalBytes > thresholdBytes && counters.TotalBytes >= _retryAtBytes) Start("size");
    }

    public void Start(string reason)
    {
        if (IsSplitting) return;
        _splitting = SplitAsync(reason);
    }

    private async Task SplitAsync(string reason)
    {
        // Writes of this partition wait from here until the split is done: that is the pause it costs them.
        var paused = System.Diagnostics.Stopwatch.StartNew();
        var bytes = counters.TotalBytes;
        try
        {
            // Writes already decided reach the store first; writes arriving from now on wait for the split.
            await participant.QuiesceAsync();
            if (counters.SplitPoint(scope.Range) is not { } splitAt)
            {
                _retryAtBytes = counters.TotalBytes * 2;
                LogCannotSplit(logger, scope.ToString(), counters.TotalBytes);
                return;
            }
            FaultPoints.Hit(FaultPoints.SplitBeforeMap);
            PartitionSplit? split;
            try
            {
                split = await grains.GetGrain<ITableGrain>(scope.Space.TableName).SplitPartition(scope.Space.IndexId, scope.PartitionId, scope.Epoch, splitAt);
            }
            catch (Exception e) when (e is not DynamoException)
            {
                LogSplitUnknown(logger, e, scope.ToString());
                await ReopenAsync();
                return;
            }
            if (split is null)
            {
                participant.Retire();
                return;
            }
            var ranges = scope.Space.IndexId is { } indexId ? split.Table.FindIndexById(indexId)!.Map!.Ranges : split.Table.Map.Ranges;
            scope.Table = split.Table;
            scope.Epoch = split.ParentEpoch;
            Adopt(ranges.First(r => r.PartitionId == scope.PartitionId));
            FaultPoints.Hit(FaultPoints.SplitAfterAdopt);
            LogSplit(logger, scope.ToString(), reason, bytes, split.ChildId, splitAt, paused.Elapsed.TotalMilliseconds);
            Hosting.OrleansDynamoTelemetry.PartitionSplit(reason);
        }
        catch (Exception e)
        {
            LogSplitFailed(logger, e, scope.ToString());
        }
    }

    private async Task ReopenAsync()
    {
        var opening = await scope.Store.OpenAsync(scope.Space, scope.PartitionId);
        if (opening.Range is null)
        {
            participant.Retire();
            return;
        }
        scope.Epoch = opening.Epoch;
        Adopt(opening.Range);
    }

    private void Adopt(PartitionRange range)
    {
        var kept = Width(range) / Width(scope.Range);
        scope.Range = range;
        counters.Retain(range);
        participant.Adopt(range, Math.Min(1, kept));
    }

    private static double Width(PartitionRange range) => (double)(range.End - range.Start) + 1;

    [LoggerMessage(Level = LogLevel.Information, Message = "Partition {Partition} split by {Reason} at {Bytes} bytes: partition {Child} owns the hashes from {SplitAt:X16}; writes paused {PauseMs:F1} ms")]
    private static partial void LogSplit(ILogger logger, string partition, string reason, long bytes, int child, ulong splitAt, double pauseMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Partition {Partition} cannot split ({Bytes} bytes in one hash bucket); it tries again when it has doubled")]
    private static partial void LogCannotSplit(ILogger logger, string partition, long bytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Partition {Partition} does not know whether its split happened; it re-reads its range from the store")]
    private static partial void LogSplitUnknown(ILogger logger, Exception error, string partition);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Partition {Partition} could not split; it keeps its range")]
    private static partial void LogSplitFailed(ILogger logger, Exception error, string partition);
}
