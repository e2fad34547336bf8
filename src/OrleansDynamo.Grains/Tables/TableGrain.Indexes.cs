using System.Diagnostics;
using Microsoft.Extensions.Logging;
using OrleansDynamo.Errors;
using OrleansDynamo.Grains;
using OrleansDynamo.Model;
using OrleansDynamo.Operations;
using OrleansDynamo.Validation;

namespace OrleansDynamo.Tables;

/// <summary>
/// The table's secondary indexes: created with the table, or (global ones) added and removed by
/// UpdateTable. An added global index is CREATING, with Backfilling, while every table partition sends it
/// its items; it becomes ACTIVE when all have. A backfill interrupted by a restart resumes on activation.
/// </summary>
public sealed partial class TableGrain
{
    private const string Creating = "CREATING";
    private const string Active = "ACTIVE";
    private Task? _indexWork;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await LoadMapsAsync();
        // Tables made before capacity was enforced have no limits in their routing info yet.
        AdoptLimits();
        if (state.State is { Info: not null, Layout: < CurrentLayout }) await AdoptLayoutAsync();
        StartTimeToLiveSweep();
        // Undelivered index changes are replayed by their partitions' activations: wake them all, and resume
        // any backfill a restart interrupted.
        if (state.State.Info is { Indexes: not null } info && info.GlobalIndexes.Any()) _indexWork = RecoverIndexesAsync();
        _ = ResumeRestoreAsync();
    }

    /// <summary>
    /// A table whose data was converted from the first layout: its global indexes' entries were not
    /// converted (their keys need the index schemas, known only here), so each is backfilled again.
    /// </summary>
    private async Task AdoptLayoutAsync()
    {
        if (state.State.Description is { GlobalSecondaryIndexes: { Count: > 0 } globals } description)
        {
            state.State.Description = description with
            {
                GlobalSecondaryIndexes = globals.Select(g => g with { IndexStatus = Creating, Backfilling = true }).ToList(),
            };
        }
        state.State.Layout = CurrentLayout;
        await state.WriteStateAsync();
    }

    private async Task RecoverIndexesAsync()
    {
        await Task.Yield();
        if (state.State.Info is not { } info) return;
        try
        {
            await Task.WhenAll(info.Map.Ranges.Select(r => Partition(info, r).GetStats()));
        }
        catch (Exception e)
        {
            LogIndexRecoveryFailed(logger, e, TableName);
        }
        foreach (var index in state.State.Description?.GlobalSecondaryIndexes ?? [])
            if (index.IndexStatus == Creating) await BackfillAsync(index.IndexName);
    }

    private (IReadOnlyList<IndexInfo>? Indexes, TableDescription Description) IndexesFor(CreateTableRequest request, TableDescription description)
    {
        if (request.LocalSecondaryIndexes is null && request.GlobalSecondaryIndexes is null) return (null, description);
        var payPerRequest = description.BillingModeSummary?.BillingMode == "PAY_PER_REQUEST";
        var indexes = new List<IndexInfo>();
        foreach (var index in request.LocalSecondaryIndexes ?? [])
            indexes.Add(IndexRules.InfoFor(index.IndexName!, false, index.KeySchema!, index.Projection!, description.AttributeDefinitions!, NewIndexId(), null));
        foreach (var index in request.GlobalSecondaryIndexes ?? [])
            indexes.Add(IndexRules.InfoFor(index.IndexName!, true, index.KeySchema!, index.Projection!, description.AttributeDefinitions!, NewIndexId(),
                PartitionMap.Even(options.Value.InitialPartitionCount)));
        return (indexes, description with
        {
            LocalSecondaryIndexes = request.LocalSecondaryIndexes?.Select(i => new LocalSecondaryIndexDescription
            {
                IndexName = i.IndexName!,
                KeySchema = i.KeySchema!,
                Projection = i.Projection!,
                IndexArn = IndexArn(description, i.IndexName!),
            }).ToList(),
            GlobalSecondaryIndexes = request.GlobalSecondaryIndexes?.Select(i => GlobalDescription(description, i, payPerRequest, Active)).ToList(),
        });
    }

    private static GlobalSecondaryIndexDescription GlobalDescription(TableDescription table, GlobalSecondaryIndex index, bool payPerRequest, string status) => new()
    {
        IndexName = index.IndexName!,
        KeySchema = index.KeySchema!,
        Projection = index.Projection!,
        IndexStatus = status,
        Backfilling = status == Creating ? true : null,
        ProvisionedThroughput = new ProvisionedThroughputDescription
        {
            ReadCapacityUnits = payPerRequest ? 0 : index.ProvisionedThroughput?.ReadCapacityUnits ?? 0,
            WriteCapacityUnits = payPerRequest ? 0 : index.ProvisionedThroughput?.WriteCapacityUnits ?? 0,
        },
        IndexArn = IndexArn(table, index.IndexName!),
    };

    private static string IndexArn(TableDescription table, string indexName) => $"{table.TableArn}/index/{indexName}";

    private static string NewIndexId() => Guid.NewGuid().ToString("N");

    private async Task<TableDescription> DescribeIndexesAsync(TableDescription description, TableInfo info)
    {
        if (info.Indexes is null) return description;
        var locals = description.LocalSecondaryIndexes;
        if (locals is { Count: > 0 })
        {
            var stats = await Task.WhenAll(info.Map.Ranges.Select(r => Partition(info, r).GetIndexStats()));
            locals = locals.Select(i => i with
            {
                ItemCount = stats.Sum(s => s.GetValueOrDefault(i.IndexName)?.ItemCount ?? 0),
                IndexSizeBytes = stats.Sum(s => s.GetValueOrDefault(i.IndexName)?.SizeBytes ?? 0),
            }).ToList();
        }
        var globals = new List<GlobalSecondaryIndexDescription>();
        foreach (var index in description.GlobalSecondaryIndexes ?? [])
        {
            var routing = info.FindIndex(index.IndexName)!;
            var stats = await Task.WhenAll(routing.Map!.Ranges.Select(r => IndexPartition(info, routing, r).GetStats()));
            globals.Add(index with { ItemCount = stats.Sum(s => s.ItemCount), IndexSizeBytes = stats.Sum(s => s.SizeBytes) });
        }
        return description with
        {
            LocalSecondaryIndexes = locals,
            GlobalSecondaryIndexes = description.GlobalSecondaryIndexes is null ? null : globals,
            TableStatus = globals.Any(g => g.IndexStatus == Creating) ? "UPDATING" : description.TableStatus,
        };
    }

    private async Task<TableDescription> UpdateIndexesAsync(TableDescription updated, TableInfo info, UpdateTableRequest request,
        IReadOnlyList<GlobalSecondaryIndexUpdate> indexUpdates)
    {
        var payPerRequest = updated.BillingModeSummary?.BillingMode == "PAY_PER_REQUEST";
        var globals = (updated.GlobalSecondaryIndexes ?? []).ToList();
        var indexes = info.SecondaryIndexes.ToList();
        string? created = null;
        var deleted = new List<IndexInfo>();
        foreach (var update in indexUpdates)
        {
            if (update.Create is { } create)
            {
                if (globals.Any(g => g.IndexStatus == Creating))
                    throw DynamoErrors.OneOnlineIndexChangeAtATime();
                IndexRules.CheckCreateGlobal(create, updated with { GlobalSecondaryIndexes = globals }, request.AttributeDefinitions);
                var definitions = updated.AttributeDefinitions!
                    .Concat(request.AttributeDefinitions!.Where(d => updated.AttributeDefinitions!.All(e => e.AttributeName != d.AttributeName)))
                    .Where(d => updated.KeySchema!.Any(k => k.AttributeName == d.AttributeName)
                        || indexes.Any(i => i.KeyAttributeNames.Contains(d.AttributeName!))
                        || create.KeySchema!.Any(k => k.AttributeName == d.AttributeName))
                    .ToList();
                updated = updated with { AttributeDefinitions = definitions };
                globals.Add(GlobalDescription(updated, create, payPerRequest, Creating));
                indexes.Add(IndexRules.InfoFor(create.IndexName!, true, create.KeySchema!, create.Projection!, definitions, NewIndexId(),
                    PartitionMap.Even(options.Value.InitialPartitionCount)));
                created = create.IndexName;
            }
            else if (update.Delete is { } delete)
            {
                var index = indexes.FirstOrDefault(i => i.IsGlobal && i.Name == delete.IndexName)
                    ?? throw DynamoErrors.IndexResourceNotFound(delete.IndexName);
                indexes.Remove(index);
                globals.RemoveAll(g => g.IndexName == delete.IndexName);
                deleted.Add(index);
            }
            else if (update.Update is { } change)
            {
                var at = globals.FindIndex(g => g.IndexName == change.IndexName);
                if (at < 0) throw DynamoErrors.IndexResourceNotFound(change.IndexName);
                if (payPerRequest && change.ProvisionedThroughput is not null)
                    throw DynamoErrors.IndexThroughputWithPayPerRequest(change.IndexName);
                if (change.ProvisionedThroughput is { } throughput)
                {
                    ThroughputRules.CheckBounds(throughput);
                    globals[at] = globals[at] with
                    {
                        ProvisionedThroughput = ThroughputRules.Changed(globals[at].ProvisionedThroughput ?? new(),
                            throughput.ReadCapacityUnits ?? 0, throughput.WriteCapacityUnits ?? 0, clock.UnixTime),
                    };
                }
            }
        }
        var table = info with { Indexes = indexes.Count == 0 ? null : indexes };
        state.State.Description = updated with { GlobalSecondaryIndexes = globals.Count == 0 && updated.LocalSecondaryIndexes is null ? null : globals };
        state.State.Info = table;
        await state.WriteStateAsync();
        if (created is not null) await LoadMapsAsync();

        foreach (var index in deleted) await DropIndexAsync(table, index);
        if (deleted.Count > 0) _ = RefreshPartitionsAsync(table);
        if (created is not null) _indexWork = BackfillAsync(created);

        var answer = state.State.Description;
        return answer with
        {
            TableStatus = created is not null || deleted.Count > 0 ? "UPDATING" : answer.TableStatus,
            GlobalSecondaryIndexes = (answer.GlobalSecondaryIndexes ?? [])
                .Concat(deleted.Select(d => (updated.GlobalSecondaryIndexes ?? []).First(g => g.IndexName == d.Name) with { IndexStatus = "DELETING" }))
                .ToList() is { Count: > 0 } shown ? shown : null,
        };
    }

    private async Task RefreshPartitionsAsync(TableInfo table)
    {
        try
        {
            await Task.WhenAll(table.Map.Ranges.Select(r => Partition(table, r).RefreshTable(table)));
        }
        catch (Exception e)
        {
            LogIndexRecoveryFailed(logger, e, TableName);
        }
    }

    /// <summary>
    /// Fills a new global index from every table partition, then marks it ACTIVE. A pass over a map that
    /// changed meanwhile (a split) is repeated: sending an item again is harmless, missing one is not.
    /// </summary>
    private async Task BackfillAsync(string indexName)
    {
        var clock = Stopwatch.StartNew();
        long items = 0;
        while (true)
        {
            if (state.State.Info is not { } info || info.FindIndex(indexName) is null) return;
            try
            {
                // Each partition backfills in the background; this polls until all have finished.
                var counts = new Dictionary<int, long>();
                while (counts.Count < info.Map.Ranges.Count)
                {
                    var running = info.Map.Ranges.Where(r => !counts.ContainsKey(r.PartitionId)).ToList();
                    var results = await Task.WhenAll(running.Select(r => Partition(info, r).BackfillIndex(info, indexName)));
                    for (var i = 0; i < running.Count; i++)
                        if (results[i] is { } sent) counts[running[i].PartitionId] = sent;
                    if (counts.Count < info.Map.Ranges.Count) await Task.Delay(100);
                }
                items = counts.Values.Sum();
                if (state.State.Info?.Map.Version == info.Map.Version) break;
            }
            catch (Exception e)
            {
                LogBackfillRetry(logger, e, TableName, indexName);
                await Task.Delay(TimeSpan.FromSeconds(1));
            }
        }
        if (state.State.Description is not { GlobalSecondaryIndexes: { } globals } description) return;
        state.State.Description = description with
        {
            GlobalSecondaryIndexes = globals.Select(g => g.IndexName == indexName ? g with { IndexStatus = Active, Backfilling = null } : g).ToList(),
        };
        await state.WriteStateAsync();
        LogBackfilled(logger, TableName, indexName, items, clock.Elapsed.TotalSeconds, items / Math.Max(clock.Elapsed.TotalSeconds, 1e-3));
    }

    private async Task DropIndexAsync(TableInfo info, IndexInfo index)
    {
        foreach (var range in index.Map!.Ranges) await IndexPartition(info, index, range).Drop();
        _ = DeleteSpacesAsync([SpaceOf(info, index.IndexId)]);
    }

    private IIndexPartitionGrain IndexPartition(TableInfo info, IndexInfo index, PartitionRange range) =>
        GrainFactory.GetGrain<IIndexPartitionGrain>(IndexPartitionKey.Format(info.TableName, info.Incarnation, index.IndexId, range.PartitionId));

    [LoggerMessage(Level = LogLevel.Information, Message = "Table {Table}: index {Index} backfilled with {Items} items in {Seconds:F1} s ({Rate:F0} items/s)")]
    private static partial void LogBackfilled(ILogger logger, string table, string index, long items, double seconds, double rate);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Table {Table}: backfill of index {Index} failed; it is retried")]
    private static partial void LogBackfillRetry(ILogger logger, Exception error, string table, string index);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Table {Table}: could not reach its partitions to recover index delivery")]
    private static partial void LogIndexRecoveryFailed(ILogger logger, Exception error, string table);
}
