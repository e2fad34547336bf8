using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Orleans.Placement;
using Orleans.Serialization;
using Orleans.Storage;
using OrleansDynamo.Client;
using OrleansDynamo.Errors;
using OrleansDynamo.Grains;
using OrleansDynamo.Hosting;
using OrleansDynamo.Keys;
using OrleansDynamo.Operations;
using OrleansDynamo.Throughput;
using OrleansDynamo.Validation;

namespace OrleansDynamo.Transactions;

/// <summary>
/// What a coordinator keeps durably: the commit decision (written before any partition applies it, and kept until
/// every partition has), and, for a ClientRequestToken, the request's fingerprint and response for 10 minutes.
/// No record means no commit: a transaction is presumed aborted.
/// </summary>
[GenerateSerializer, Alias("odyn.TransactionRecord")]
public sealed class TransactionRecord
{
    [Id(0)] public string? TransactionId { get; set; }
    [Id(1)] public TransactionOutcome Outcome { get; set; }
    /// <summary>Partitions (grain keys) that have not yet confirmed they applied the commit.</summary>
    [Id(2)] public List<string> Unapplied { get; set; } = [];
    [Id(3)] public byte[]? Fingerprint { get; set; }
    [Id(4)] public TransactWriteItemsResponse? Response { get; set; }
    [Id(5)] public DateTime CompletedUtc { get; set; }
}

/// <summary>
/// The coordinator of one TransactWriteItems: two-phase commit over the partition grains involved.
/// <list type="number">
/// <item>Prepare: every partition checks its actions and holds durable intents on their items (in parallel).</item>
/// <item>Any "no" (a failed condition, a conflict) aborts all: TransactionCanceledException with one reason per action.</item>
/// <item>All "yes": the commit record is written (grain storage, ETag-checked), then every partition applies its intents.</item>
/// </list>
/// A partition left holding intents asks <see cref="Resolve"/>, so a crash of any silo at any step ends committed
/// or aborted, never half. Reentrant so that Resolve and a repeated token are answered while a transaction runs.
/// </summary>
[Reentrant]
// Where the request arrived: the coordinator's calls go out from the silo that took the request.
[PreferLocalPlacement]
public sealed partial class TransactionGrain(
    [PersistentState("transaction", OrleansDynamoOptions.MetadataStorageName)] IPersistentState<TransactionRecord> state,
    Serializer serializer,
    ILogger<TransactionGrain> logger) : Grain, ITransactionGrain
{
    private static readonly TimeSpan TokenLifetime = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan RetryPeriod = TimeSpan.FromSeconds(1);
    private const int MaxRouteAttempts = 5;

    private TableRouter _router = null!;
    // The transaction this activation is deciding; until its record is written it is neither committed nor aborted.
    private string? _deciding;
    // Retries telling partitions to apply a commit, while some have not confirmed it.
    private IGrainTimer? _retrying;

    private bool HasToken => this.GetPrimaryKeyString().StartsWith(TransactionKeys.TokenPrefix, StringComparison.Ordinal);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _router = new TableRouter(GrainFactory);
        return Task.CompletedTask;
    }

    public async Task<TransactWriteItemsResponse> Execute(TransactWriteItemsRequest request)
    {
        if (_deciding is not null) throw DynamoErrors.TransactionInProgress();
        var fingerprint = Fingerprint(request);
        var record = state.State;
        if (record.Outcome == TransactionOutcome.Committed)
        {
            if (record.Unapplied.Count > 0)
            {
                KeepApplying();
                throw DynamoErrors.TransactionInProgress();
            }
            if (HasToken && DateTime.UtcNow - record.CompletedUtc < TokenLifetime)
            {
                if (!record.Fingerprint.AsSpan().SequenceEqual(fingerprint)) throw DynamoErrors.IdempotentParameterMismatch();
                return Replayed(record.Response!);
            }
        }
        var transactionId = Guid.NewGuid().ToString("N");
        _deciding = transactionId;
        try
        {
            return await RunAsync(request, transactionId, fingerprint);
        }
        finally
        {
            _deciding = null;
            // Nothing to keep for a transaction that did not commit.
            if (state.State.Outcome != TransactionOutcome.Committed) DeactivateOnIdle();
        }
    }

    public async Task<TransactionOutcome> Resolve(string transactionId)
    {
        if (_deciding == transactionId) return TransactionOutcome.InProgress;
        var record = state.State;
        if (record.TransactionId == transactionId)
        {
            if (record.Outcome == TransactionOutcome.Committed && record.Unapplied.Count > 0) KeepApplying();
            return record.Outcome;
        }
        if (record.TransactionId is null)
        {
            // Presumed abort, written down: an activation of this grain elsewhere that is still deciding
            // (a silo cut off from the cluster) now fails to write its commit record (ETag).
            record.TransactionId = transactionId;
            record.Outcome = TransactionOutcome.Aborted;
            record.CompletedUtc = DateTime.UtcNow;
            try
            {
                await state.WriteStateAsync();
            }
            catch (InconsistentStateException)
            {
                await state.ReadStateAsync();
                return state.State.TransactionId == transactionId ? state.State.Outcome : TransactionOutcome.Aborted;
            }
        }
        return TransactionOutcome.Aborted;
    }

    private async Task<TransactWriteItemsResponse> RunAsync(TransactWriteItemsRequest request, string transactionId, byte[] fingerprint)
    {
        var actions = request.TransactItems!;
        for (var attempt = 1; ; attempt++)
        {
            var participants = await ParticipantsAsync(actions);
            // All on one partition: it decides and applies in one commit, no two phases needed.
            var onePartition = participants.Count == 1;
            TransactionVote[] votes;
            try
            {
                votes = await Task.WhenAll(participants.Select(p =>
                {
                    var partition = GrainFactory.GetGrain<IPartitionGrain>(p.Key);
                    var prepare = new TransactionPrepare
                    {
                        TransactionId = transactionId,
                        Coordinator = this.GetPrimaryKeyString(),
                        Actions = p.Value.Select(i => actions[i]).ToList(),
                        ReturnItemCollectionMetrics = request.ReturnItemCollectionMetrics,
                    };
                    return onePartition ? partition.ExecuteTransaction(prepare) : partition.PrepareTransaction(prepare);
                }));
            }
            catch (Exception e)
            {
                await AbortAsync(transactionId, participants.Keys);
                if (e is StaleRouteException && attempt < MaxRouteAttempts)
                {
                    // A partition split or moved: route again on fresh maps.
                    foreach (var table in actions.Select(TransactionActions.TableName).Distinct(StringComparer.Ordinal)) _router.Forget(table);
                    continue;
                }
                if (e is DynamoException) throw;
                LogPrepareFailed(logger, e, transactionId);
                throw DynamoErrors.NotStored();
            }

            var reasons = new CancellationReason[actions.Count];
            var units = new double[actions.Count];
            var index = 0;
            foreach (var (_, positions) in participants)
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
                await AbortAsync(transactionId, participants.Keys);
                throw DynamoErrors.TransactionCanceled(reasons);
            }

            if (onePartition)
            {
                var done = ResponseOf(request, units, [votes[0].Applied!]);
                if (HasToken)
                {
                    state.State = new TransactionRecord { TransactionId = transactionId, Outcome = TransactionOutcome.Committed, Fingerprint = fingerprint, Response = done };
                    await CompleteAsync();
                }
                return done;
            }
            FaultPoints.Hit(FaultPoints.TransactionAfterPrepare);
            await DecideCommitAsync(transactionId, participants.Keys.ToList(), fingerprint, participants.Keys);
            FaultPoints.Hit(FaultPoints.TransactionAfterDecision);
            // Committed from here on, whatever happens to the calls below: a partition that misses one resolves it.
            var applied = await ApplyAsync(transactionId, request.ReturnItemCollectionMetrics);
            var response = ResponseOf(request, units, applied);
            state.State.Response = response;
            if (state.State.Unapplied.Count == 0) await CompleteAsync();
            else KeepApplying();
            return response;
        }
    }

    /// <summary>The partitions the actions go to, by grain key, each with the positions of its actions.</summary>
    private async Task<Dictionary<string, List<int>>> ParticipantsAsync(IReadOnlyList<TransactWriteItem> actions)
    {
        var participants = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < actions.Count; i++)
        {
            var table = await _router.GetTableAsync(TransactionActions.TableName(actions[i]));
            var key = TransactionActions.KeyOf(actions[i], table.Schema);
            var partition = TableRouter.PartitionKeyOf(table, KeyBytes.PartitionHash(key[table.Schema.HashKey.Name]));
            (participants.TryGetValue(partition, out var positions) ? positions : participants[partition] = []).Add(i);
        }
        return participants;
    }

    private async Task DecideCommitAsync(string transactionId, List<string> participants, byte[] fingerprint, IEnumerable<string> toAbort)
    {
        state.State = new TransactionRecord
        {
            TransactionId = transactionId,
            Outcome = TransactionOutcome.Committed,
            Unapplied = participants,
            Fingerprint = fingerprint,
        };
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception e)
        {
            // Whether the record was written is unknown: read it back rather than guess.
            LogRecordFailed(logger, e, transactionId);
            await state.ReadStateAsync();
            if (state.State.TransactionId == transactionId && state.State.Outcome == TransactionOutcome.Committed) return;
            await AbortAsync(transactionId, toAbort);
            throw DynamoErrors.NotStored();
        }
    }

    /// <summary>Tells every partition not yet known to have applied the commit to apply it; returns what those that answered applied.</summary>
    private async Task<List<TransactionApplied>> ApplyAsync(string transactionId, string? returnItemCollectionMetrics)
    {
        var record = state.State;
        var results = await Task.WhenAll(record.Unapplied.ToList().Select(async partition =>
        {
            try
            {
                return (partition, await GrainFactory.GetGrain<IPartitionGrain>(partition).CommitTransaction(
                    new TransactionCommit { TransactionId = transactionId, ReturnItemCollectionMetrics = returnItemCollectionMetrics }));
            }
            catch (Exception e)
            {
                LogApplyFailed(logger, e, transactionId, partition);
                return (partition, (TransactionApplied?)null);
            }
        }));
        var applied = results.Where(r => r.Item2 is not null).ToList();
        foreach (var (partition, _) in applied) record.Unapplied.Remove(partition);
        if (applied.Count > 0 && record.Unapplied.Count > 0) await state.WriteStateAsync();
        return applied.Select(r => r.Item2!).ToList();
    }

    /// <summary>Retries the commit on partitions that have not confirmed it, every second, until all have.</summary>
    private void KeepApplying()
    {
        _retrying ??= this.RegisterGrainTimer(async () =>
        {
            var record = state.State;
            if (record.Outcome == TransactionOutcome.Committed && record.Unapplied.Count > 0)
                await ApplyAsync(record.TransactionId!, null);
            if (record.Unapplied.Count > 0) return;
            _retrying?.Dispose();
            _retrying = null;
            if (record.Outcome == TransactionOutcome.Committed && record.CompletedUtc == default) await CompleteAsync();
        }, new GrainTimerCreationOptions(RetryPeriod, RetryPeriod) { KeepAlive = true, Interleave = false });
    }

    /// <summary>Every partition applied the commit: the record is kept for the token's 10 minutes, or dropped.</summary>
    private async Task CompleteAsync()
    {
        if (!HasToken)
        {
            // After the response: every partition applied the commit, so the record is no longer needed by anyone.
            _ = ForgetAsync();
            return;
        }
        state.State.CompletedUtc = DateTime.UtcNow;
        await state.WriteStateAsync();
        // The token's window: the record goes when it ends, as long as this activation lives.
        this.RegisterGrainTimer(async () =>
        {
            if (state.State.Outcome == TransactionOutcome.Committed && DateTime.UtcNow - state.State.CompletedUtc >= TokenLifetime)
            {
                await state.ClearStateAsync();
                DeactivateOnIdle();
            }
        }, new GrainTimerCreationOptions(TokenLifetime, TokenLifetime) { KeepAlive = true });
    }

    private async Task ForgetAsync()
    {
        await Task.Yield();
        try
        {
            await state.ClearStateAsync();
        }
        catch (Exception e)
        {
            LogRecordFailed(logger, e, state.State.TransactionId ?? "");
        }
        DeactivateOnIdle();
    }

    private async Task AbortAsync(string transactionId, IEnumerable<string> participants)
    {
        // Best effort: a partition that misses the abort asks Resolve later, and no record means aborted.
        await Task.WhenAll(participants.Select(async partition =>
        {
            try
            {
                await GrainFactory.GetGrain<IPartitionGrain>(partition).AbortTransaction(transactionId);
            }
            catch (Exception e)
            {
                LogApplyFailed(logger, e, transactionId, partition);
            }
        }));
    }

    private static TransactWriteItemsResponse ResponseOf(TransactWriteItemsRequest request, double[] units, List<TransactionApplied> applied)
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
                    .ToDictionary(t => t.Key, t => (IReadOnlyList<Model.ItemCollectionMetrics>)t.SelectMany(a => a.ItemCollectionMetrics).ToList(), StringComparer.Ordinal)
                : null,
        };
    }

    /// <summary>A repeated token: nothing is applied again, and what it consumed is a read of the items.</summary>
    private static TransactWriteItemsResponse Replayed(TransactWriteItemsResponse first) => first with
    {
        ConsumedCapacity = first.ConsumedCapacity?.Select(c => c with { ReadCapacityUnits = c.CapacityUnits, WriteCapacityUnits = null, Table = null }).ToList(),
    };

    /// <summary>The request's fingerprint, to tell a repeated request from a different one with the same token.</summary>
    private byte[] Fingerprint(TransactWriteItemsRequest request) => SHA256.HashData(serializer.SerializeToArray(request));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Transaction {TransactionId}: a partition could not prepare it; it is aborted")]
    private static partial void LogPrepareFailed(ILogger logger, Exception error, string transactionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Transaction {TransactionId}: the commit record could not be written")]
    private static partial void LogRecordFailed(ILogger logger, Exception error, string transactionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Transaction {TransactionId}: partition {Partition} did not answer; it resolves the transaction itself")]
    private static partial void LogApplyFailed(ILogger logger, Exception error, string transactionId, string partition);
}
