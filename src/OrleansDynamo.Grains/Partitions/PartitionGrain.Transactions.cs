using System.Diagnostics;
using OrleansDynamo.Errors;
using OrleansDynamo.Expressions;
using OrleansDynamo.Grains;
using OrleansDynamo.Model;
using OrleansDynamo.Operations;
using OrleansDynamo.Throughput;
using OrleansDynamo.Storage;
using OrleansDynamo.Validation;

namespace OrleansDynamo.Partitions;

/// <summary>
/// A partition's part of two-phase commit (<see cref="TransactionIntents"/> holds the intents, <see cref="TransactionRecords"/>
/// the outcomes of transactions anchored here): prepare checks the conditions of the transaction's actions on this
/// partition and makes its intents durable; commit applies them through the commit queue as ordinary writes
/// (indexes, counters and outbox included) and deletes them in the same store commit, which at the anchor also
/// writes the commit record; abort deletes them. All are idempotent: a partition that finds old intents asks
/// their anchor what became of them (<see cref="ResolveIntentsAsync"/>).
/// </summary>
public sealed partial class PartitionGrain
{
    // An intent this old has outlived any normal transaction: its anchor is asked what became of it.
    private static readonly TimeSpan IntentResolveAge = TimeSpan.FromSeconds(2);
    private readonly Dictionary<string, Task<TransactionApplied>> _applying = new(StringComparer.Ordinal);
    private static readonly TimeSpan TokenSweepPeriod = TimeSpan.FromMinutes(1);
    private long _lastTokenSweep;

    public async Task<TransactionVote> PrepareTransaction(TransactionPrepare request)
    {
        EnsureServing();
        // Decided aborted here already (it took too long): it may not take items any more.
        if (_records.IsAborted(request.TransactionId))
            return new TransactionVote { Reasons = request.Actions.Select(_ => DynamoErrors.ConflictReason()).ToList(), WriteUnits = new double[request.Actions.Count] };
        if (await RepeatedTokenAsync(request) is { } replay) return replay;
        var (vote, intents) = await DecideAsync(request);
        if (!vote.Prepared) return vote;
        _intents.Hold(intents);
        try
        {
            await _commits.EnqueueRecords(intents.Select(TransactionIntents.Record).ToList());
        }
        catch (Exception)
        {
            _intents.Release(request.TransactionId);
            throw;
        }
        return vote;
    }

    /// <summary>
    /// A transaction whose actions are all on this partition: decided and applied in one store commit, so it needs
    /// neither intents nor a commit record.
    /// </summary>
    public async Task<TransactionVote> ExecuteTransaction(TransactionPrepare request)
    {
        EnsureServing();
        if (await RepeatedTokenAsync(request) is { } replay) return replay;
        var (vote, intents) = await DecideAsync(request);
        if (!vote.Prepared) return vote;
        var writes = WritesOf(intents);
        List<StoreWrite> records = request.ClientRequestToken is { } token
            ? [TransactionRecords.Token(request.Anchor.Hash, token, request.Fingerprint!, vote.WriteUnits)]
            : [];
        await _commits.EnqueueRecords(records, writes);
        return vote with { Applied = Applied(intents, request.ReturnItemCollectionMetrics) };
    }

    /// <summary>
    /// At the anchor, a ClientRequestToken seen before: still running (TransactionInProgressException), committed in the
    /// last 10 minutes for the same request (a vote that replays it) or for a different one (IdempotentParameterMismatchException).
    /// </summary>
    private async Task<TransactionVote?> RepeatedTokenAsync(TransactionPrepare request)
    {
        if (request.ClientRequestToken is not { } token) return null;
        if (_intents.IsHeldByToken(token)) throw DynamoErrors.TransactionInProgress();
        if (await _records.ReadTokenAsync(request.Anchor.Hash, token) is not { IsCurrent: true } earlier) return null;
        if (!earlier.Fingerprint.AsSpan().SequenceEqual(request.Fingerprint)) throw DynamoErrors.IdempotentParameterMismatch();
        return new TransactionVote
        {
            Reasons = request.Actions.Select(_ => DynamoErrors.PassedReason).ToList(),
            WriteUnits = new double[request.Actions.Count],
            Replay = earlier.Units,
        };
    }

    /// <summary>The item writes that apply intents (a write's value decided at prepare; deleting nothing writes nothing).</summary>
    private List<PendingWrite> WritesOf(IEnumerable<TransactionIntents.Intent> intents)
    {
        var writes = new List<PendingWrite>();
        foreach (var intent in intents.Where(i => i.Writes))
        {
            var existing = Newest(intent.Key, out _);
            if (existing is not null || intent.NewItem is not null) writes.Add(NewWrite(intent.Key, existing, intent.NewItem));
        }
        return writes;
    }

    /// <summary>Every action's verdict on the newest value of its item, decided without awaiting once all are staged.</summary>
    private async Task<(TransactionVote Vote, List<TransactionIntents.Intent> Intents)> DecideAsync(TransactionPrepare request)
    {
        var actions = request.Actions;
        var keyItems = actions.Select(a => TransactionActions.KeyOf(a, Schema)).ToArray();
        var keys = keyItems.Select(Locate).ToArray();
        while (!Ready(keys, transactional: true)) await PrepareAsync(keys);

        var reasons = new CancellationReason[actions.Count];
        var units = new double[actions.Count];
        var intents = new List<TransactionIntents.Intent>(actions.Count);
        var waits = new List<Task?>();
        for (var i = 0; i < actions.Count; i++)
        {
            var key = keys[i];
            if (_intents.IsHeld(key))
            {
                // Held by another transaction: no-wait, so transactions never deadlock.
                reasons[i] = DynamoErrors.ConflictReason();
                continue;
            }
            var existing = Newest(key, out var inFlight);
            var writes = TransactionActions.Writes(actions[i]);
            var expressions = TransactionActions.Expressions(actions[i]);
            reasons[i] = writes
                ? Decide(actions[i], expressions, key, existing, out var item, out units[i])
                : Check(actions[i], expressions, existing, out item, out units[i]);
            if (reasons[i].Code == CancellationCodes.ConditionalCheckFailed) waits.Add(inFlight);
            intents.Add(new TransactionIntents.Intent(request.TransactionId, request.Anchor, key, keyItems[i], writes, item) { Token = request.ClientRequestToken });
        }
        var vote = new TransactionVote { Reasons = reasons, WriteUnits = units };
        // A failed condition is answered once the value it failed on is durable (as for single-item writes).
        if (!vote.Prepared) foreach (var inFlight in waits) await AfterInFlightAsync(inFlight);
        return (vote, intents);
    }

    private TransactionApplied Applied(IEnumerable<TransactionIntents.Intent> intents, string? returnItemCollectionMetrics) => new()
    {
        TableName = TableName,
        ItemCollectionMetrics = intents.Where(i => i.Writes).Select(i => _local.Metrics(returnItemCollectionMetrics, i.Key))
            .OfType<ItemCollectionMetrics>().ToList(),
    };

    /// <summary>A ConditionCheck's verdict: it writes nothing, and costs two strongly consistent reads of the item.</summary>
    private static CancellationReason Check(TransactWriteItem action, RequestExpressions expressions, Item? existing, out Item? item, out double units)
    {
        item = null;
        units = 2 * CapacityUnits.Read(existing?.SizeInBytes ?? 0, consistentRead: true);
        return ConditionFailed(action, expressions, existing) ?? DynamoErrors.PassedReason;
    }

    /// <summary>The reason of an action whose condition fails on <paramref name="existing"/>, or null when it holds.</summary>
    private static CancellationReason? ConditionFailed(TransactWriteItem action, RequestExpressions expressions, Item? existing) =>
        expressions.EvaluateCondition(existing)
            ? null
            : DynamoErrors.ConditionFailedReason(
                ReturnValuesRules.ReturnsOldItemOnConditionFailure(TransactionActions.ReturnValuesOnConditionCheckFailure(action)) ? existing : null);

    /// <summary>A Put's, Update's or Delete's verdict on the newest value of its item, and the value it would write.</summary>
    private CancellationReason Decide(TransactWriteItem action, RequestExpressions expressions, ItemKey key, Item? existing, out Item? item, out double units)
    {
        item = null;
        units = 0;
        try
        {
            if (ConditionFailed(action, expressions, existing) is { } failed) return failed;
            if (action.Put is { } put) item = put.Item;
            else if (action.Update is { } update)
            {
                item = expressions.ApplyUpdate(existing, update.Key!, Schema.KeyAttributeNames).Item;
                ItemRules.CheckSize(item, updating: true);
                ItemRules.CheckNames(item);
            }
            CheckIndexedWrite(key, existing, item);
            // Transactional writes cost twice a write of the larger of the old and new item (prepare and commit).
            units = 2 * CapacityUnits.Write(Math.Max(existing?.SizeInBytes ?? 0, item?.SizeInBytes ?? 0));
            return DynamoErrors.PassedReason;
        }
        catch (DynamoException e) when (e.ErrorType is DynamoErrorTypes.ItemCollectionSizeLimitExceeded or DynamoErrorTypes.Validation)
        {
            return DynamoErrors.ReasonOf(e);
        }
    }

    public Task<TransactionApplied> CommitTransaction(TransactionCommit request)
    {
        EnsureServing();
        // The coordinator and this partition's own resolution may both ask at once: one applies, both answer.
        if (_applying.TryGetValue(request.TransactionId, out var applying)) return applying;
        var task = ApplyAsync(request);
        if (!task.IsCompleted)
        {
            _applying[request.TransactionId] = task;
            task.ContinueWith(_ => _applying.Remove(request.TransactionId), TaskScheduler.Current);
        }
        return task;
    }

    private async Task<TransactionApplied> ApplyAsync(TransactionCommit request)
    {
        var id = request.TransactionId;
        var intents = _intents.Of(id);
        if (intents.Count == 0)
        {
            // Applied already; or, at the anchor, decided aborted before the commit came.
            if (request.Others is null || _records.TryGet(id, out var known) && known.Outcome == TransactionOutcome.Committed) return new TransactionApplied();
            if (!_records.TryGet(id, out _)) await _commits.EnqueueRecords([_records.Aborted(id, request.AnchorHash)]);
            return new TransactionApplied { Committed = false };
        }
        var writes = intents.Where(i => i.Writes).Select(i => i.Key).ToArray();
        // Not behind a split: a split waits for intents to drain, so it waits for this.
        while (!writes.All(Known))
        {
            await _items.StageAsync(writes);
            foreach (var key in writes) await _local.StageCollectionAsync(key);
        }
        intents = _intents.Of(id);
        if (intents.Count == 0) return await ApplyAsync(request);
        var pending = WritesOf(intents);
        var records = intents.Select(TransactionIntents.Deletion).ToList();
        // At the anchor, the commit record goes in the same store commit: this is the transaction's commit point.
        // Until it is durable the outcome is "in progress" (see GetTransactionOutcome).
        var commit = request.Others is { Count: > 0 } others ? TransactionRecords.Committed(id, request.AnchorHash, others) : default;
        if (commit.Record is not null) records.Add(commit.Write);
        if (request.ClientRequestToken is { } token) records.Add(TransactionRecords.Token(request.AnchorHash, token, request.Fingerprint!, request.Units!));
        _intents.Release(id);
        await _commits.EnqueueRecords(records, pending);
        if (commit.Record is not null) _records.Remember(commit.Record);
        return Applied(intents, request.ReturnItemCollectionMetrics);
    }

    public async Task<TransactionOutcome> GetTransactionOutcome(string transactionId, ulong anchorHash)
    {
        EnsureServing();
        if (!_scope.Owns(anchorHash)) throw new StaleRouteException($"Partition {_scope} does not own the anchor");
        if (_records.TryGet(transactionId, out var record)) return record.Outcome;
        if (_intents.Of(transactionId).Count > 0 || _applying.ContainsKey(transactionId)) return TransactionOutcome.InProgress;
        // No record of a commit that every other partition applied already, or never one: either way nobody waits
        // for a commit any more. Presumed abort, written down, so that a prepare or commit still on its way is refused.
        await _commits.EnqueueRecords([_records.Aborted(transactionId, anchorHash)]);
        return TransactionOutcome.Aborted;
    }

    public async Task TransactionApplied(string transactionId, string partition)
    {
        EnsureServing();
        if (_records.Applied(transactionId, partition) is { } write) await _commits.EnqueueRecords([write]);
    }

    public async Task AbortTransaction(string transactionId)
    {
        EnsureServing();
        var intents = _intents.Of(transactionId);
        if (intents.Count == 0) return;
        _intents.Release(transactionId);
        await _commits.EnqueueRecords(intents.Select(TransactionIntents.Deletion).ToList());
    }

    public async Task<TransactionRead> ReadForTransaction(TransactionReadRequest request)
    {
        EnsureServing();
        var keys = request.Gets.Select(g => Locate(g.Key!)).ToList();
        // Watched before the read: a write that lands during it breaks the watch.
        _intents.Watch(request.ReadId, keys);
        var found = await _items.ReadManyAsync(keys);
        var items = new Item?[keys.Count];
        var sizes = new int[keys.Count];
        var conflicts = new bool[keys.Count];
        for (var i = 0; i < keys.Count; i++)
        {
            conflicts[i] = _intents.IsHeld(keys[i]) || _items.IsPending(keys[i]);
            if (found[i] is not { } item) continue;
            sizes[i] = item.SizeInBytes;
            items[i] = RequestExpressions.For(request.Gets[i], validated: true).Project(item);
        }
        return new TransactionRead { Items = items, ItemSizes = sizes, Conflicts = conflicts };
    }

    public Task<bool> EndTransactionRead(string readId) => Task.FromResult(_serving && _intents.EndWatch(readId));

    /// <summary>
    /// Resolves intents older than <see cref="IntentResolveAge"/> (their coordinator went quiet): an anchor decides
    /// its own undecided transactions aborted; another partition asks the anchor and applies its answer, and tells
    /// the anchor when it applied a commit. Expired abort marks are deleted on the way.
    /// </summary>
    private async Task ResolveIntentsAsync()
    {
        if (!_serving) return;
        if (_records.Expired() is { Count: > 0 } expired) await _commits.EnqueueRecords(expired);
        if (Stopwatch.GetElapsedTime(_lastTokenSweep) > TokenSweepPeriod)
        {
            _lastTokenSweep = Stopwatch.GetTimestamp();
            if (await _records.ExpiredTokensAsync() is { Count: > 0 } tokens) await _commits.EnqueueRecords(tokens);
        }
        foreach (var (transactionId, anchor) in _intents.OlderThan(IntentResolveAge))
        {
            try
            {
                var outcome = IsAnchor(anchor)
                    ? await AbortOwnAsync(transactionId, anchor)
                    : await _router.CallAsync(anchor.TableName, anchor.Hash, (p, _) => p.GetTransactionOutcome(transactionId, anchor.Hash));
                if (!_serving) return;
                if (outcome == TransactionOutcome.Committed)
                {
                    await CommitTransaction(new TransactionCommit { TransactionId = transactionId });
                    if (!IsAnchor(anchor)) await _router.CallAsync(anchor.TableName, anchor.Hash, p => p.TransactionApplied(transactionId, this.GetPrimaryKeyString()));
                }
                else if (outcome == TransactionOutcome.Aborted) await AbortTransaction(transactionId);
            }
            catch (Exception e) when (e is not StaleRouteException)
            {
                LogIntentUnresolved(logger, e, transactionId, _scope.ToString());
            }
        }
    }

    private bool IsAnchor(TransactionAnchor anchor) => anchor.TableName == TableName && _scope.Owns(anchor.Hash);

    /// <summary>At the anchor, an undecided transaction whose coordinator went quiet: aborted, and marked so that its commit is refused.</summary>
    private async Task<TransactionOutcome> AbortOwnAsync(string transactionId, TransactionAnchor anchor)
    {
        // Its intents are still held, so it did not commit here (the commit deletes them); a commit on its way waits behind this.
        if (_applying.ContainsKey(transactionId)) return TransactionOutcome.InProgress;
        var intents = _intents.Of(transactionId);
        _intents.Release(transactionId);
        await _commits.EnqueueRecords([.. intents.Select(TransactionIntents.Deletion), _records.Aborted(transactionId, anchor.Hash)]);
        return TransactionOutcome.Aborted;
    }

    private void StartIntentResolution() =>
        this.RegisterGrainTimer(_ => _intents.Count == 0 && !_records.Any && Stopwatch.GetElapsedTime(_lastTokenSweep) < TokenSweepPeriod
                ? Task.CompletedTask
                : ResolveIntentsAsync(),
            new GrainTimerCreationOptions(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1)) { Interleave = true });

    [Microsoft.Extensions.Logging.LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Warning,
        Message = "Could not resolve transaction {TransactionId} in partition {Partition}; trying again")]
    private static partial void LogIntentUnresolved(Microsoft.Extensions.Logging.ILogger logger, Exception error, string transactionId, string partition);
}
