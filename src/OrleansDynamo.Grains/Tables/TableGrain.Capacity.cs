using OrleansDynamo.Grains;
using OrleansDynamo.Model;
using OrleansDynamo.Storage;
using OrleansDynamo.Throughput;
using OrleansDynamo.Validation;

namespace OrleansDynamo.Tables;

/// <summary>
/// Capacity: the throughput limits partitions enforce travel in <see cref="TableInfo"/> (the table's and each
/// global index's <see cref="ThroughputLimits"/>), and the shares of them are adapted here (<see cref="CapacityShares"/>).
/// </summary>
public sealed partial class TableGrain
{
    private readonly CapacityShares _shares = new();

    public Task<CapacityGrant> ShareCapacity(CapacityReport report, bool activating)
    {
        var (_, info) = Current();
        var map = report.IndexId is { } indexId ? info.FindIndexById(indexId)?.Map : info.Map;
        var partitions = map?.Ranges.Select(r => r.PartitionId).ToList() ?? [report.PartitionId];
        return Task.FromResult(_shares.Share(report, activating, partitions, CapacityClock.Now));
    }

    /// <summary>The routing info with the throughput limits of <paramref name="description"/>.</summary>
    private static TableInfo WithLimits(TableInfo info, TableDescription description)
    {
        var payPerRequest = description.BillingModeSummary?.BillingMode == "PAY_PER_REQUEST";
        var globals = description.GlobalSecondaryIndexes ?? [];
        return info with
        {
            Throughput = ThroughputLimits.Of(payPerRequest, description.ProvisionedThroughput, description.OnDemandThroughput),
            Indexes = info.Indexes?.Select(index => index.IsGlobal && globals.FirstOrDefault(g => g.IndexName == index.Name) is { } global
                ? index with { Throughput = ThroughputLimits.Of(payPerRequest, global.ProvisionedThroughput, null) }
                : index).ToList(),
        };
    }

    /// <summary>Whether the limits of the description differ from those the partitions were given; if so, the info now has them.</summary>
    private bool AdoptLimits()
    {
        if (state.State is not { Description: { } description, Info: { } info }) return false;
        var limited = WithLimits(info, description);
        var changed = limited.Throughput != info.Throughput
            || limited.SecondaryIndexes.Zip(info.SecondaryIndexes).Any(pair => pair.First.Throughput != pair.Second.Throughput);
        if (changed) state.State.Info = limited;
        return changed;
    }

    /// <summary>After UpdateTable: new limits are stored and sent to every partition of the table and its global indexes.</summary>
    private async Task SendLimitsAsync()
    {
        if (!AdoptLimits()) return;
        await state.WriteStateAsync();
        var info = state.State.Info!;
        await RefreshPartitionsAsync(info);
        try
        {
            await Task.WhenAll(info.GlobalIndexes.SelectMany(index => index.Map!.Ranges.Select(r => IndexPartition(info, index, r).RefreshTable(info))));
        }
        catch (Exception e)
        {
            LogIndexRecoveryFailed(logger, e, TableName);
        }
    }

    /// <summary>A split's child starts with its part of the parent's saved capacity, so that a split never hands out fresh burst.</summary>
    private void SplitShares(string? indexId, int parentId, SplitOutcome outcome)
    {
        var parent = outcome.Map.Ranges.First(r => r.PartitionId == parentId);
        var child = outcome.Map.Ranges.First(r => r.PartitionId == outcome.ChildId);
        var childWidth = (double)(child.End - child.Start) + 1;
        _shares.Split(indexId, parentId, outcome.ChildId, childWidth / (childWidth + (double)(parent.End - parent.Start) + 1));
    }

    /// <summary>The throughput as DescribeTable shows it now: the decreases of an earlier UTC day no longer count.</summary>
    private TableDescription ThroughputAsOfNow(TableDescription description) => description with
    {
        ProvisionedThroughput = ThroughputRules.AsOf(description.ProvisionedThroughput, clock.UnixTime),
        GlobalSecondaryIndexes = description.GlobalSecondaryIndexes?.Select(g => g.ProvisionedThroughput is { } throughput
            ? g with { ProvisionedThroughput = ThroughputRules.AsOf(throughput, clock.UnixTime) }
            : g).ToList(),
    };
}
