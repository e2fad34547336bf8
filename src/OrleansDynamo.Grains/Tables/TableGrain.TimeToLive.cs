using System.Buffers.Binary;
using Microsoft.Extensions.Logging;
using OrleansDynamo.Errors;
using OrleansDynamo.Grains;
using OrleansDynamo.Model;
using OrleansDynamo.Operations;
using OrleansDynamo.Partitions;
using OrleansDynamo.Storage;

namespace OrleansDynamo.Tables;

/// <summary>Time to live as the table keeps it; a new generation each time it is enabled.</summary>
[GenerateSerializer, Alias("odyn.TimeToLiveState")]
public sealed record TimeToLiveState(
    [property: Id(0)] string AttributeName, [property: Id(1)] bool Enabled, [property: Id(2)] int Generation, [property: Id(3)] long ChangedAt);

/// <summary>
/// Time to live: UpdateTimeToLive and DescribeTimeToLive, and the sweep. Every <c>TtlSweepInterval</c> the table
/// reads its due time-to-live entries (in expiry order, at most <c>TtlSweepLimit</c>) and hands each partition
/// those of its items; the partitions check each item again and delete it (<c>PartitionGrain.ExpireItems</c>).
/// </summary>
public sealed partial class TableGrain
{
    private const int SweepChunk = 1000;
    private IGrainTimer? _sweep;

    public async Task<TimeToLiveSpecification> UpdateTimeToLive(TimeToLiveSpecification specification)
    {
        var (_, info) = Current();
        var current = state.State.TimeToLive;
        var name = specification.AttributeName!;
        var enabled = current is { Enabled: true };
        if (specification.Enabled == true && enabled && current!.AttributeName == name) throw DynamoErrors.TimeToLiveAlreadyEnabled();
        if (enabled && current!.AttributeName != name) throw DynamoErrors.TimeToLiveOnOtherAttribute(current.AttributeName);
        if (specification.Enabled == false && !enabled) throw DynamoErrors.TimeToLiveAlreadyDisabled();
        var now = clock.UnixSeconds;
        if (current is not null && now - current.ChangedAt < options.Value.TtlUpdateInterval.TotalSeconds) throw DynamoErrors.TimeToLiveChangedTooOften();

        var generation = (current?.Generation ?? 0) + (specification.Enabled == true ? 1 : 0);
        state.State.TimeToLive = new TimeToLiveState(name, specification.Enabled == true, generation, now);
        state.State.Info = info with { TimeToLive = specification.Enabled == true ? new TimeToLiveInfo(name, generation) : null };
        await state.WriteStateAsync();
        await RefreshPartitionsAsync(state.State.Info);
        StartTimeToLiveSweep();
        return specification;
    }

    public Task<TimeToLiveDescription> DescribeTimeToLive()
    {
        Current();
        return Task.FromResult(state.State.TimeToLive is { Enabled: true } ttl
            ? new TimeToLiveDescription { TimeToLiveStatus = "ENABLED", AttributeName = ttl.AttributeName }
            : new TimeToLiveDescription { TimeToLiveStatus = "DISABLED" });
    }

    /// <summary>Sweeps run while the table has time to live (or had: entries of an old generation are removed).</summary>
    private void StartTimeToLiveSweep()
    {
        if (_sweep is not null || state.State.TimeToLive is null) return;
        var period = options.Value.TtlSweepInterval;
        _sweep = this.RegisterGrainTimer(SweepAsync, new GrainTimerCreationOptions(period, period) { Interleave = true, KeepAlive = true });
    }

    private void StopTimeToLiveSweep()
    {
        _sweep?.Dispose();
        _sweep = null;
    }

    private async Task SweepAsync(CancellationToken cancellationToken)
    {
        if (state.State.Info is not { } info || state.State.TimeToLive is not { } ttl) return;
        try
        {
            // Entries of older generations (or of a disabled TTL) first: they delete no item.
            await SweepRangeAsync(info, [], StoreKeys.Expiry(ttl.Enabled ? ttl.Generation : int.MaxValue, 0), cancellationToken);
            if (!ttl.Enabled) return;
            var (from, to) = ExpiryIndex.DueRange(ttl.Generation, clock.UnixSeconds);
            await SweepRangeAsync(info, from, to, cancellationToken);
        }
        catch (Exception e)
        {
            LogSweepFailed(logger, e, TableName);
        }
    }

    private async Task SweepRangeAsync(TableInfo info, byte[] from, byte[] to, CancellationToken cancellationToken)
    {
        for (var swept = 0; swept < options.Value.TtlSweepLimit;)
        {
            var entries = await store.ReadRangeAsync(SpaceOf(info, null), RecordKind.Expiry, from, to, forward: true, SweepChunk, cancellationToken);
            if (entries.Count == 0) return;
            // An entry's key holds its item's store key after 12 bytes, which starts with the partition-key hash.
            await Task.WhenAll(entries
                .GroupBy(e => info.Map.Find(BinaryPrimitives.ReadUInt64BigEndian(e.Key.AsSpan(12))))
                .Select(g => Partition(info, g.Key).ExpireItems(g.Select(e => new ExpiryEntry(e.Key, e.Value)).ToList())));
            swept += entries.Count;
            if (entries.Count < SweepChunk) return;
            from = [.. entries[^1].Key, 0]; // an item a transaction held keeps its entry for the next sweep
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Table {Table}: a time-to-live sweep failed; the next one tries again")]
    private static partial void LogSweepFailed(ILogger logger, Exception error, string table);
}
