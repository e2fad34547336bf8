using Microsoft.Extensions.Logging;
using OrleansDynamo.Client;
using OrleansDynamo.Errors;
using OrleansDynamo.Grains;
using OrleansDynamo.Hosting;
using OrleansDynamo.Keys;
using OrleansDynamo.Model;
using OrleansDynamo.Operations;
using OrleansDynamo.Throughput;
using OrleansDynamo.Validation;

namespace OrleansDynamo.Transactions;

/// <summary>
/// Runs one TransactWriteItems over the partitions involved. The coordinator keeps nothing durable: the outcome
/// is decided and recorded at the <b>anchor</b>, the partition of the first action's item.
/// <list type="number">
/// <item>All actions on one partition: it decides and applies them in one store commit.</item>
/// <item>Prepare, in parallel: every partition checks its actions and holds durable intents (naming the anchor).</item>
/// <item>Any "no": abort everywhere; TransactionCanceledException with one reason per action.</item>
/// <item>All "yes": commit at the anchor, which applies its intents and writes the commit record in one store
/// commit (the commit point), then at the others in parallel. A partition that misses its commit asks the anchor.</item>
/// </list>
/// </summary>
internal sealed partial class TwoPhaseCommit(IGrainFactory grains, TableRouter router, ILogger logger)
{
    private const int MaxRouteAttempts = 5;
    private const int MaxApplyRetries = 30;
    private static readonly TimeSpan ApplyRetryDelay = TimeSpan.FromSeconds(1);

    /// <summary>Where one attempt's actions go: partitions by grain key with the positions of their actions, and the anchor.</summary>
    public sealed record Plan(Dictionary<string, List<int>> Participants, TransactionAnchor Anchor, string AnchorPartition);

    public async Task<Plan> PlanAsync(IReadOnlyList<TransactWriteItem> actions)
    {
        var participants = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        TransactionAnchor? anchor = null;
        string? anchorPartition = null;
        for (var i = 0; i < actions.Count; i++)
        {
            var table = await router.GetTableAsync(TransactionActions.TableName(actions[i]));
            var hash = KeyBytes.PartitionHash(TransactionActions.KeyOf(actions[i], table.Schema)[table.Schema.HashKey.Name]);
            var partition = TableRouter.PartitionKeyOf(table, hash);
            (participants.TryGetValue(partition, out var positions) ? positions : participants[partition] = []).Add(i);
            anchor ??= new TransactionAnchor(table.TableName, hash);
            anchorPartition ??= partition;
        }
        return new Plan(participants, anchor!, anchorPartition!);
    }

    /// <summary>Runs the transaction; each attempt (a split moved a partition) has an id of its own: <paramref name="transactionId"/>-attempt.</summary>
    /// <param name="fingerprint">The request's, when it has a ClientRequestToken.</param>
    public async Task<TransactWriteItemsResponse> RunAsync(TransactWriteItemsRequest request, string transactionId, byte[]? fingerprint, Plan? plan = null)
    {
        var actions = request.TransactItems!;
        for (var attempt = 1; ; attempt++)
        {
            plan ??= await PlanAsync(actions);
            var id = $"{transactionId}-{attempt}";
            try
            {
                return await AttemptAsync(request, id, fingerprint, plan);
            }
            catch (Exception e) when (Client.TableRouter.IsStaleRoute(e) && attempt < MaxRouteAttempts)
            {
                // A partition split or moved: route again on fresh maps.
                foreach (var table in actions.Select(TransactionActions.TableName).Distinct(StringComparer.Ordinal)) router.Forget(table);
                plan = null;
            }
        }
    }

    private async Task<TransactWriteItemsResponse> AttemptAsync(TransactWriteItemsRequest request, string id, byte[]? fingerprint, Plan plan)
    {
        var actions = request.TransactItems!;
        var participants = plan.Participants;
        var onePartition = participants.Count == 1;
        TransactionVote[] votes;
        try
        {
            votes = await Task.WhenAll(participants.Select(p =>
            {
                var partition = grains.GetGrain<IPartitionGrain>(p.Key);
                var prepare = new TransactionPrepare
                {
                    TransactionId = id,
                    Anchor = plan.Anchor,
                    Actions = p.Value.Select(i => actions[i]).ToList(),
                    ReturnItemCollectionMetrics = request.ReturnItemCollectionMetrics,
                    ClientRequestToken = p.Key == plan.AnchorPartition ? request.ClientRequestToken : null,
                    Fingerprint = p.Key == plan.AnchorPartition ? fingerprint : null,
                };
                return onePartition ? partition.ExecuteTransaction(prepare) : partition.PrepareTransaction(prepare);
            }));
        }
        catch (Exception e)
        {
            await AbortAsync(id, participants.Keys);
            if (e is DynamoException or StaleRouteException) throw;
            LogPrepareFailed(logger, e, id);
            throw DynamoErrors.NotStored();
        }

        if (votes.FirstOrDefault(v => v.Replay is not null)?.Replay is { } replay)
        {
            // A repeated token: the anchor committed this request already; nothing is applied again.
            if (!onePartition) await AbortAsync(id, participants.Keys);
            return Replayed(ResponseOf(request, [.. replay], []));
        }
        var reasons = new CancellationReason[actions.Count];
        var units = new double[actions.Count];
        var index = 0;
        foreach (var positions in participants.Values)
        {
            var vote = votes[index++];
            for (var j = 0; j < positions.Count; j++)
            {
                reasons[positions[j]] = vote.Reasons[j];
                units[positions[j]] = vote.WriteUnits[j];
            }
        }
        if (!votes.All(v => v.Prepared))
        {
            if (!onePartition) await AbortAsync(id, participants.Keys);
            throw DynamoErrors.TransactionCanceled(reasons);
        }
        if (onePartition) return ResponseOf(request, units, [votes[0].Applied!]);

        FaultPoints.Hit(FaultPoints.TransactionAfterPrepare);
        var others = participants.Keys.Where(p => p != plan.AnchorPartition).ToList();
        var anchored = await grains.GetGrain<IPartitionGrain>(plan.AnchorPartition).CommitTransaction(new TransactionCommit
        {
            TransactionId = id,
            ReturnItemCollectionMetrics = request.ReturnItemCollectionMetrics,
            Others = others,
            AnchorHash = plan.Anchor.Hash,
            ClientRequestToken = request.ClientRequestToken,
            Fingerprint = fingerprint,
            Units = units,
        });
        if (!anchored.Committed)
        {
            // The anchor gave up on it first (this coordinator was too slow): aborted, nothing applied.
            await AbortAsync(id, others);
            throw DynamoErrors.TransactionCanceled(actions.Select(_ => DynamoErrors.ConflictReason()).ToList());
        }
        FaultPoints.Hit(FaultPoints.TransactionAfterDecision);

        // Committed. The others apply now; one that does not answer resolves it by asking the anchor.
        var applied = await Task.WhenAll(others.Select(partition => ApplyAsync(id, partition, plan, request.ReturnItemCollectionMetrics)));
        return ResponseOf(request, units, [anchored, .. applied.OfType<TransactionApplied>()]);
    }

    /// <summary>Applies the commit at one other partition and tells the anchor; a failure is retried in the background.</summary>
    private async Task<TransactionApplied?> ApplyAsync(string id, string partition, Plan plan, string? returnItemCollectionMetrics)
    {
        var commit = new TransactionCommit { TransactionId = id, ReturnItemCollectionMetrics = returnItemCollectionMetrics };
        try
        {
            var applied = await grains.GetGrain<IPartitionGrain>(partition).CommitTransaction(commit);
            _ = TellAnchorAsync(id, partition, plan);
            return applied;
        }
        catch (Exception e)
        {
            LogApplyFailed(logger, e, id, partition);
            _ = RetryApplyAsync(commit, partition, plan);
            return null;
        }
    }

    private async Task RetryApplyAsync(TransactionCommit commit, string partition, Plan plan)
    {
        for (var attempt = 0; attempt < MaxApplyRetries; attempt++)
        {
            await Task.Delay(ApplyRetryDelay);
            try
            {
                await grains.GetGrain<IPartitionGrain>(partition).CommitTransaction(commit);
                await TellAnchorAsync(commit.TransactionId, partition, plan);
                return;
            }
            catch (Exception e)
            {
                LogApplyFailed(logger, e, commit.TransactionId, partition);
            }
        }
    }

    /// <summary>The anchor deletes its commit record once every other partition has applied the transaction.</summary>
    private async Task TellAnchorAsync(string id, string partition, Plan plan)
    {
        try
        {
            await router.CallAsync(plan.Anchor.TableName, plan.Anchor.Hash, anchor => anchor.TransactionApplied(id, partition));
        }
        catch (Exception e)
        {
            // The partition tells the anchor itself if it resolves the transaction; else the record waits.
            LogApplyFailed(logger, e, id, plan.AnchorPartition);
        }
    }

    /// <summary>Best effort: a partition that misses the abort asks the anchor later, which answers aborted.</summary>
    private async Task AbortAsync(string id, IEnumerable<string> participants) =>
        await Task.WhenAll(participants.Select(async partition =>
        {
            try
            {
                await grains.GetGrain<IPartitionGrain>(partition).AbortTransaction(id);
            }
            catch (Exception e)
            {
                LogApplyFailed(logger, e, id, partition);
            }
        }));

    /// <summary>A repeated token's response: what it consumed is a read of the items.</summary>
    private static TransactWriteItemsResponse Replayed(TransactWriteItemsResponse first) => first with
    {
        ConsumedCapacity = first.ConsumedCapacity?.Select(c => c with { ReadCapacityUnits = c.CapacityUnits, WriteCapacityUnits = null, Table = null }).ToList(),
    };

    private static TransactWriteItemsResponse ResponseOf(TransactWriteItemsRequest request, double[] units, IReadOnlyList<TransactionApplied> applied)
    {
        var actions = request.TransactItems!;
        return new TransactWriteItemsResponse
        {
            ConsumedCapacity = CapacityUnits.Wanted(request.ReturnConsumedCapacity)
                ? actions.Select((action, i) => (Table: TransactionActions.TableName(action), Write: TransactionActions.Writes(action), Units: units[i]))
                    .GroupBy(a => a.Table, StringComparer.Ordinal)
                    .Select(t => CapacityUnits.Report(request.ReturnConsumedCapacity, t.Key,
                        t.Where(a => !a.Write).Sum(a => a.Units), t.Where(a => a.Write).Sum(a => a.Units))!)
                    .ToList()
                : null,
            ItemCollectionMetrics = applied.Any(a => a.ItemCollectionMetrics.Count > 0)
                ? applied.Where(a => a.ItemCollectionMetrics.Count > 0).GroupBy(a => a.TableName!, StringComparer.Ordinal)
                    .ToDictionary(t => t.Key, t => (IReadOnlyList<ItemCollectionMetrics>)t.SelectMany(a => a.ItemCollectionMetrics).ToList(), StringComparer.Ordinal)
                : null,
        };
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Transaction {TransactionId}: a partition could not prepare it; it is aborted")]
    private static partial void LogPrepareFailed(ILogger logger, Exception error, string transactionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Transaction {TransactionId}: partition {Partition} did not answer; the commit is retried, and the partition resolves it itself")]
    private static partial void LogApplyFailed(ILogger logger, Exception error, string transactionId, string partition);
}
