using OrleansDynamo.Model;
using OrleansDynamo.Operations;

namespace OrleansDynamo.Grains;

/// <summary>
/// Phase one of a transaction at one partition: its actions on this partition's items, validated. The
/// partition checks every condition and, if all pass, holds a durable intent on each item until the
/// coordinator (<see cref="ITransactionGrain"/>, key <see cref="Coordinator"/>) commits or aborts.
/// </summary>
[GenerateSerializer, Immutable, Alias("odyn.TransactionPrepare")]
public sealed record TransactionPrepare
{
    [Id(0)] public required string TransactionId { get; init; }
    [Id(1)] public required string Coordinator { get; init; }
    [Id(2)] public required IReadOnlyList<TransactWriteItem> Actions { get; init; }
    /// <summary>For <see cref="IPartitionGrain.ExecuteTransaction"/>, which applies at once.</summary>
    [Id(3)] public string? ReturnItemCollectionMetrics { get; init; }
}

/// <summary>A partition's vote: one reason per action (all <c>None</c> when it holds the intents), and each action's write units.</summary>
[GenerateSerializer, Immutable, Alias("odyn.TransactionVote")]
public sealed record TransactionVote
{
    [Id(0)] public required IReadOnlyList<CancellationReason> Reasons { get; init; }
    [Id(1)] public required IReadOnlyList<double> WriteUnits { get; init; }
    /// <summary>What <see cref="IPartitionGrain.ExecuteTransaction"/> applied, when it did.</summary>
    [Id(2)] public TransactionApplied? Applied { get; init; }
    public bool Prepared => Reasons.All(r => r.Code == CancellationCodes.None);
}

/// <summary>Phase two at one partition: apply the transaction's intents.</summary>
[GenerateSerializer, Immutable, Alias("odyn.TransactionCommit")]
public sealed record TransactionCommit
{
    [Id(0)] public required string TransactionId { get; init; }
    [Id(1)] public string? ReturnItemCollectionMetrics { get; init; }
}

[GenerateSerializer, Immutable, Alias("odyn.TransactionApplied")]
public sealed record TransactionApplied
{
    [Id(0)] public IReadOnlyList<ItemCollectionMetrics> ItemCollectionMetrics { get; init; } = [];
    [Id(1)] public string? TableName { get; init; }
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

/// <summary>What a coordinator answers a partition that asks about a transaction whose intents it holds.</summary>
public enum TransactionOutcome
{
    InProgress = 0,
    Committed = 1,
    Aborted = 2,
}

/// <summary>
/// The coordinator of one transaction (key: <c>token|ClientRequestToken</c>, or <c>id|</c> and a fresh id):
/// two-phase commit over the partitions involved, with the commit decision persisted before any partition applies it.
/// </summary>
[Alias("odyn.ITransactionGrain")]
public interface ITransactionGrain : IGrainWithStringKey
{
    /// <summary>Runs a validated TransactWriteItems; TransactionCanceledException when any action fails.</summary>
    [Alias("Execute")] Task<TransactWriteItemsResponse> Execute(TransactWriteItemsRequest request);

    /// <summary>The outcome of a transaction, for a partition that holds its intents (presumed abort: no commit record, aborted).</summary>
    [Alias("Resolve")] Task<TransactionOutcome> Resolve(string transactionId);
}

/// <summary>Coordinator grain keys: one per ClientRequestToken (so that a repeated token finds its first outcome), else one per transaction.</summary>
public static class TransactionKeys
{
    public const string TokenPrefix = "token|";

    public static string For(TransactWriteItemsRequest request) =>
        request.ClientRequestToken is { } token ? TokenPrefix + token : "id|" + Guid.NewGuid().ToString("N");
}
