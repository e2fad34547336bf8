using Microsoft.Extensions.Logging;
using OrleansDynamo.Grains;
using OrleansDynamo.Hosting;
using OrleansDynamo.Model;
using OrleansDynamo.Storage;

namespace OrleansDynamo.Tables;

/// <summary>
/// The partition maps. Each space (the table's, and each global index's) keeps its map in the store, where
/// a split changes it atomically with the parent's epoch. A map is seen by no one before the store has
/// it; when a split's outcome is unknown, the maps are read again before the next answer.
/// </summary>
public sealed partial class TableGrain
{
    private bool _mapsStale;

    private static StoreSpace SpaceOf(TableInfo info, string? indexId) => new(info.TableName, info.Incarnation, indexId);

    /// <summary>Reads every map of the table from the store (creating the initial ones a new space lacks).</summary>
    private async Task LoadMapsAsync()
    {
        if (state.State.Info is not { } info) return;
        var initial = PartitionMap.Even(options.Value.InitialPartitionCount);
        var map = (await store.EnsureMapAsync(SpaceOf(info, null), initial)).Map;
        List<IndexInfo>? indexes = null;
        if (info.Indexes is not null)
        {
            indexes = [];
            foreach (var index in info.Indexes)
                indexes.Add(index.IsGlobal ? index with { Map = (await store.EnsureMapAsync(SpaceOf(info, index.IndexId), initial)).Map } : index);
        }
        state.State.Info = info with { Map = map, Indexes = indexes };
        _mapsStale = false;
    }

    public async Task<PartitionSplit?> SplitPartition(string? indexId, int parentId, long parentEpoch, ulong splitAt)
    {
        var (_, info) = Current();
        SplitOutcome outcome;
        try
        {
            outcome = await store.SplitAsync(SpaceOf(info, indexId), parentId, parentEpoch, splitAt);
            FaultPoints.Hit(FaultPoints.SplitAfterMap);
        }
        catch (StaleEpochException)
        {
            return null;
        }
        catch (Exception)
        {
            // The split may or may not have happened: route by what the store says, once it answers.
            _mapsStale = true;
            throw;
        }
        var updated = indexId is null
            ? info with { Map = outcome.Map }
            : info with { Indexes = info.Indexes!.Select(i => i.IndexId == indexId ? i with { Map = outcome.Map } : i).ToList() };
        state.State.Info = updated;
        SplitShares(indexId, parentId, outcome);
        LogSplit(logger, indexId is null ? TableName : $"{TableName}.{info.FindIndexById(indexId)?.Name}", parentId, outcome.ChildId,
            outcome.Map.Ranges.Count, outcome.Map.Version);
        return new PartitionSplit(updated, outcome.ParentEpoch, outcome.ChildId);
    }

    private async Task DeleteSpacesAsync(IReadOnlyList<StoreSpace> spaces)
    {
        try
        {
            foreach (var space in spaces) await store.DeleteSpaceAsync(space);
        }
        catch (Exception e)
        {
            LogSpaceDeleteFailed(logger, e, TableName);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Table {Table}: could not delete the data of a dropped table or index; the space cleaner will")]
    private static partial void LogSpaceDeleteFailed(ILogger logger, Exception error, string table);
}
