using Orleans.Concurrency;
using OrleansDynamo.Model;
using OrleansDynamo.Operations;

namespace OrleansDynamo.Grains;

/// <summary>
/// One partition of a table: the items of one hash range, in memory and in the partition store.
/// Key: see <see cref="PartitionKey"/>. Every item operation runs inside the grain's turn, so a
/// conditional write is atomic without locks. Requests arrive validated against the table schema.
/// </summary>
[Alias("odyn.IPartitionGrain")]
public interface IPartitionGrain : IGrainWithStringKey
{
    [Alias("PutItem")] Task<PutItemResponse> PutItem(PutItemRequest request);
    [Alias("GetItem")] Task<GetItemResponse> GetItem(GetItemRequest request);
    [Alias("DeleteItem")] Task<DeleteItemResponse> DeleteItem(DeleteItemRequest request);
    [Alias("UpdateItem")] Task<UpdateItemResponse> UpdateItem(UpdateItemRequest request);
    [Alias("Query")] Task<QueryResponse> Query(QueryRequest request);
    [Alias("Scan")] Task<ScanPage> Scan(ScanPageRequest request);
    [Alias("BatchGetItem")] Task<PartitionBatchGetResult> BatchGetItem(PartitionBatchGet request);
    [Alias("BatchWriteItem")] Task<PartitionBatchWriteResult> BatchWriteItem(PartitionBatchWrite request);
    [Alias("GetStats")] Task<PartitionStats> GetStats();

    /// <summary>Phase one of a transaction (<see cref="TransactionPrepare"/>).</summary>
    [Alias("PrepareTransaction")] Task<TransactionVote> PrepareTransaction(TransactionPrepare request);
    /// <summary>A transaction all of whose actions are on this partition: decided and, if every action passes, applied in one commit.</summary>
    [Alias("ExecuteTransaction")] Task<TransactionVote> ExecuteTransaction(TransactionPrepare request);
    /// <summary>Applies a committed transaction's intents; nothing if they were applied already.</summary>
    [Alias("CommitTransaction")] Task<TransactionApplied> CommitTransaction(TransactionCommit request);
    /// <summary>Drops an aborted transaction's intents; nothing if there are none.</summary>
    [Alias("AbortTransaction")] Task AbortTransaction(string transactionId);
    /// <summary>At the partition owning a transaction's anchor: its outcome (an unknown one is recorded as aborted, so that it can no longer commit).</summary>
    [Alias("GetTransactionOutcome")] Task<TransactionOutcome> GetTransactionOutcome(string transactionId, ulong anchorHash);
    /// <summary>At the anchor: a partition has applied the committed transaction; once all have, its record is deleted.</summary>
    [Alias("TransactionApplied")] Task TransactionApplied(string transactionId, string partition);
    /// <summary>Reads committed values for a TransactGetItems and watches them for changes.</summary>
    [Alias("ReadForTransaction")] Task<TransactionRead> ReadForTransaction(TransactionReadRequest request);
    /// <summary>Ends a watch: true when none of the watched items changed (or was taken by a transaction) since it was read.</summary>
    [Alias("EndTransactionRead")] Task<bool> EndTransactionRead(string readId);

    /// <summary>Deletes the items of due time-to-live entries whose expiry is still the entry's; returns how many it deleted.</summary>
    [Alias("ExpireItems")] Task<int> ExpireItems(IReadOnlyList<ExpiryEntry> entries);

    /// <summary>Takes the table's new routing info (an index was added or removed); a stale route if it is not part of it.</summary>
    [Alias("RefreshTable")] Task RefreshTable(TableInfo table);

    /// <summary>
    /// Sends every item of the partition to a newly added global index, in the background. Returns null while
    /// that runs (call again to poll), then the number of items sent once all are delivered. Writes made
    /// meanwhile reach the index on their own.
    /// </summary>
    [Alias("BackfillIndex")] Task<long?> BackfillIndex(TableInfo table, string indexName);

    /// <summary>Per local secondary index: its item count and size in this partition.</summary>
    [Alias("GetIndexStats")] Task<IReadOnlyDictionary<string, PartitionStats>> GetIndexStats();

    /// <summary>Index changes committed but not yet delivered to global indexes (the outbox), for lag measurement and tests.</summary>
    [Alias("GetOutboxSize")] Task<int> GetOutboxSize();

    /// <summary>Deletes the partition's items (the table is gone) and deactivates. One-way: DeleteTable answers at once.</summary>
    [Alias("Drop"), OneWay] Task Drop();
}

/// <summary>The grain key of a partition: table name, table incarnation and partition id.</summary>
public static class PartitionKey
{
    public static string Format(string tableName, string incarnation, int partitionId) => $"{tableName}|{incarnation}|{partitionId}";

    public static (string TableName, string Incarnation, int PartitionId) Parse(string key)
    {
        var parts = key.Split('|');
        return (parts[0], parts[1], int.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture));
    }
}

/// <summary>
/// One partition's part of a Scan: items with hash in [HashStart, HashEnd], after ExclusiveStartKey.
/// HashStart is where the scan stands now; the partition must own it, or the route is stale.
/// </summary>
[GenerateSerializer, Immutable, Alias("odyn.ScanPageRequest")]
public sealed record ScanPageRequest
{
    [Id(0)] public required ScanRequest Request { get; init; }
    [Id(1)] public ulong HashStart { get; init; }
    [Id(2)] public ulong HashEnd { get; init; } = ulong.MaxValue;
    /// <summary>Items still to evaluate before the page is full (the request's Limit, less what earlier partitions read).</summary>
    [Id(3)] public int Limit { get; init; }
    /// <summary>Bytes of item data still to read before the page is full (1 MB per page in all).</summary>
    [Id(4)] public int ByteBudget { get; init; }
}

[GenerateSerializer, Immutable, Alias("odyn.ScanPage")]
public sealed record ScanPage
{
    [Id(0)] public IReadOnlyList<Item> Items { get; init; } = [];
    /// <summary>Items that passed the filter (counted even when Select is COUNT and no items are returned).</summary>
    [Id(1)] public int MatchedCount { get; init; }
    [Id(2)] public int ScannedCount { get; init; }
    [Id(3)] public int BytesRead { get; init; }
    /// <summary>The key of the last item read when the page filled up; null when the range was read to its end.</summary>
    [Id(4)] public Item? LastEvaluatedKey { get; init; }
    /// <summary>The last hash this page covered: the partition's range end, or HashEnd if that came first.</summary>
    [Id(5)] public ulong RangeEnd { get; init; }
}

[GenerateSerializer, Immutable, Alias("odyn.PartitionStats")]
public sealed record PartitionStats([property: Id(0)] long ItemCount, [property: Id(1)] long SizeBytes)
{
    /// <summary>Requests (item operations, query and scan pages, batch entries) this activation admitted; a rate is the change between two looks.</summary>
    [Id(2)] public long Requests { get; init; }
}
