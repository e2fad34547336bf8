using OrleansDynamo.Model;
using OrleansDynamo.Operations;

namespace OrleansDynamo.Grains;

/// <summary>
/// Where a transaction's outcome is decided and recorded: the partition of <see cref="TableName"/> that owns
/// <see cref="Hash"/> (the partition-key hash of the transaction's first item there). Found through the
/// table's map, so it survives splits.
/// </summary>
[GenerateSerializer, Immutable, Alias("odyn.TransactionAnchor")]
public sealed record TransactionAnchor([property: Id(0)] string TableName, [property: Id(1)] ulong Hash);

/// <summary>
/// Phase one of a transaction at one partition: its actions on this partition's items, validated. The
/// partition checks every condition and, if all pass, holds a durable intent on each item until the
/// transaction commits or aborts.
/// </summary>
[GenerateSerializer, Immutable, Alias("odyn.TransactionPrepare")]
public sealed record TransactionPrepare
{
    [Id(0)] public required string TransactionId { get; init; }
    [Id(1)] public required TransactionAnchor Anchor { get; init; }
    [Id(2)] public required IReadOnlyList<TransactWriteItem> Actions { get; init; }
    /// <summary>For <see cref="IPartitionGrain.ExecuteTransaction"/>, which applies at once.</summary>
    [Id(3)] public string? ReturnItemCollectionMetrics { get; init; }
    /// <summary>The request's ClientRequestToken and fingerprint: the anchor answers a repeated token (<see cref="TransactionVote.Replay"/>).</summary>
    [Id(4)] public string? ClientRequestToken { get; init; }
    [Id(5)] public byte[]? Fingerprint { get; init; }
}

/// <summary>A partition's vote: one reason per action (all <c>None</c> when it holds the intents), and each action's capacity units.</summary>
[GenerateSerializer, Immutable, Alias("odyn.TransactionVote")]
public sealed record TransactionVote
{
    [Id(0)] public required IReadOnlyList<CancellationReason> Reasons { get; init; }
    [Id(1)] public required IReadOnlyList<double> WriteUnits { get; init; }
    /// <summary>What <see cref="IPartitionGrain.ExecuteTransaction"/> applied, when it did.</summary>
    [Id(2)] public TransactionApplied? Applied { get; init; }
    /// <summary>At the anchor, for a ClientRequestToken it committed in the last 10 minutes: that transaction's capacity units per action. Nothing was prepared.</summary>
    [Id(3)] public IReadOnlyList<double>? Replay { get; init; }
    public bool Prepared => Reasons.All(r => r.Code == CancellationCodes.None);
}

/// <summary>
/// Phase two at one partition: apply the transaction's intents. At the anchor (<see cref="Others"/> set) this is
/// the commit itself: the intents are applied and the commit record written in one store commit.
/// </summary>
[GenerateSerializer, Immutable, Alias("odyn.TransactionCommit")]
public sealed record TransactionCommit
{
    [Id(0)] public required string TransactionId { get; init; }
    [Id(1)] public string? ReturnItemCollectionMetrics { get; init; }
    /// <summary>At the anchor: the other partitions (grain keys), which the commit record waits for.</summary>
    [Id(2)] public IReadOnlyList<string>? Others { get; init; }
    /// <summary>At the anchor: the anchor hash, where the record goes.</summary>
    [Id(3)] public ulong AnchorHash { get; init; }
    /// <summary>At the anchor, for a ClientRequestToken: recorded with the commit, with <see cref="Fingerprint"/> and <see cref="Units"/>, for 10 minutes.</summary>
    [Id(4)] public string? ClientRequestToken { get; init; }
    [Id(5)] public byte[]? Fingerprint { get; init; }
    [Id(6)] public IReadOnlyList<double>? Units { get; init; }
}

[GenerateSerializer, Immutable, Alias("odyn.TransactionApplied")]
public sealed record TransactionApplied
{
    [Id(0)] public IReadOnlyList<ItemCollectionMetrics> ItemCollectionMetrics { get; init; } = [];
    [Id(1)] public string? TableName { get; init; }
    /// <summary>False when the anchor had already decided the transaction aborted (it took too long): nothing was applied.</summary>
    [Id(2)] public bool Committed { get; init; } = true;
}

/// <summary>The gets of a TransactGetItems on one partition, watched until <see cref="IPartitionGrain.EndTransactionRead"/>.</summary>
[GenerateSerializer, Immutable, Alias("odyn.TransactionReadRequest")]
public sealed record TransactionReadRequest
{
    [Id(0)] public required string ReadId { get; init; }
    [Id(1)] public required IReadOnlyList<GetItemRequest> Gets { get; init; }
}

/// <summary>Committed values (projected) and their sizes; Conflicts marks gets of items a transaction holds.</summary>
[GenerateSerializer, Immutable, Alias("odyn.TransactionRead")]
public sealed record TransactionRead
{
    [Id(0)] public required IReadOnlyList<Item?> Items { get; init; }
    [Id(1)] public required IReadOnlyList<int> ItemSizes { get; init; }
    [Id(2)] public required IReadOnlyList<bool> Conflicts { get; init; }
}

/// <summary>What an anchor answers about a transaction.</summary>
public enum TransactionOutcome
{
    InProgress = 0,
    Committed = 1,
    Aborted = 2,
}

/// <summary>
/// Runs TransactWriteItems: two-phase commit over the partitions involved, with the decision (and the
/// ClientRequestToken) recorded at the anchor partition. Stateless: activations per silo and load, nothing to remember.
/// </summary>
[Alias("odyn.ITransactionCoordinatorGrain")]
public interface ITransactionCoordinatorGrain : IGrainWithIntegerKey
{
    /// <summary>Runs a validated TransactWriteItems; TransactionCanceledException when any action fails.</summary>
    [Alias("Execute")] Task<TransactWriteItemsResponse> Execute(TransactWriteItemsRequest request);
}
