using OrleansDynamo.Errors;
using OrleansDynamo.Grains;
using OrleansDynamo.Model;
using OrleansDynamo.Operations;
using OrleansDynamo.Throughput;
using OrleansDynamo.Validation;

namespace OrleansDynamo.Client;

public sealed partial class DynamoDbClient
{
    // A TransactGetItems that meets a write is tried this many times before it is cancelled with TransactionConflict.
    private const int TransactionReadAttempts = 3;

    /// <summary>Validates at the edge, then hands the transaction to a coordinator in this silo (two-phase commit over the partitions).</summary>
    public async Task<TransactWriteItemsResponse> TransactWriteItemsAsync(TransactWriteItemsRequest request, CancellationToken cancellationToken = default)
    {
        TransactWriteItemsValidator.Validate(request);
        var tables = await TablesAsync(request.TransactItems!.Select(TransactionActions.TableName).Distinct(StringComparer.Ordinal));
        TransactWriteItemsValidator.ValidateFor(request, name => tables[name].Schema);
        return await grains.GetGrain<ITransactionCoordinatorGrain>(0).Execute(request);
    }

    /// <summary>
    /// Reads every item's committed value and watches it, all partitions in parallel, then ends the watches: if no
    /// watched item was written or taken by a transaction in between, all values held at one moment (the read is
    /// serializable). Otherwise it is tried again, and cancelled with TransactionConflict if it keeps meeting writes.
    /// </summary>
    public async Task<TransactGetItemsResponse> TransactGetItemsAsync(TransactGetItemsRequest request, CancellationToken cancellationToken = default)
    {
        TransactGetItemsValidator.Validate(request);
        var gets = request.TransactItems!.Select(g => g.Get!).ToList();
        var tables = await TablesAsync(gets.Select(g => g.TableName!).Distinct(StringComparer.Ordinal));
        TransactGetItemsValidator.ValidateFor(request, name => tables[name].Schema);
        var positions = Enumerable.Range(0, gets.Count).ToList();

        for (var attempt = 1; ; attempt++)
        {
            var readId = Guid.NewGuid().ToString("N");
            var shares = (await Task.WhenAll(positions.GroupBy(i => gets[i].TableName!, StringComparer.Ordinal).Select(table =>
                _router.CallByPartitionAsync(table.Key, table.ToList(), (info, i) => HashOf(info, gets[i].Key!),
                    async (partition, owned) => (Partition: partition, Read: await partition.ReadForTransaction(
                        new TransactionReadRequest { ReadId = readId, Gets = owned.Select(i => gets[i]).ToList() })))))).SelectMany(s => s).ToList();
            var unchanged = await Task.WhenAll(shares.Select(s => s.Result.Partition.EndTransactionRead(readId)));

            var items = new Item?[gets.Count];
            var sizes = new int[gets.Count];
            var conflicts = new bool[gets.Count];
            for (var s = 0; s < shares.Count; s++)
            {
                var (owned, (_, read)) = shares[s];
                for (var j = 0; j < owned.Count; j++)
                {
                    items[owned[j]] = read.Items[j];
                    sizes[owned[j]] = read.ItemSizes[j];
                    conflicts[owned[j]] = read.Conflicts[j] || !unchanged[s];
                }
            }
            if (conflicts.Any(c => c))
            {
                if (attempt < TransactionReadAttempts)
                {
                    await Task.Delay(attempt * 5, cancellationToken);
                    continue;
                }
                throw DynamoErrors.TransactionCanceled(conflicts.Select(c => c ? DynamoErrors.ConflictReason() : DynamoErrors.PassedReason).ToList());
            }
            return new TransactGetItemsResponse
            {
                Responses = items.Select(item => new ItemResponse { Item = item }).ToList(),
                // A transactional read costs two strongly consistent reads of each item, found or not.
                ConsumedCapacity = CapacityUnits.Wanted(request.ReturnConsumedCapacity)
                    ? positions.GroupBy(i => gets[i].TableName!, StringComparer.Ordinal)
                        .Select(t => CapacityUnits.Report(request.ReturnConsumedCapacity, t.Key,
                            t.Sum(i => 2 * CapacityUnits.Read(sizes[i], consistentRead: true)), 0)!)
                        .ToList()
                    : null,
            };
        }
    }
}
