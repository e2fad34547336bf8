using OrleansDynamo.Grains;
using OrleansDynamo.Throughput;

namespace OrleansDynamo.Partitions;

public sealed partial class PartitionGrain
{
    /// <summary>
    /// Writes the puts and deletes of one BatchWriteItem table that this partition owns. All of them are
    /// decided and queued together, so they join the same group commit; the call completes when all are durable.
    /// Those that capacity refuses are left unprocessed; when it refuses all, the call fails with the refusal.
    /// </summary>
    public async Task<PartitionBatchWriteResult> BatchWriteItem(PartitionBatchWrite request)
    {
        EnsureServing();
        var units = new double[request.Requests.Count];
        var commits = new List<Task>(request.Requests.Count);
        var unprocessed = new List<int>();
        Errors.DynamoException? refused = null;
        // Every key is checked first: a stale route must fail the call before anything is written.
        var keys = request.Requests.Select(w => Locate(w.PutRequest?.Item ?? w.DeleteRequest!.Key!)).ToArray();
        while (!Ready(keys)) await PrepareAsync(keys);
        var existing = keys.Select(key => Newest(key, out _)).ToArray();
        for (var i = 0; i < request.Requests.Count; i++) CheckIndexedWrite(keys[i], existing[i], request.Requests[i].PutRequest?.Item);
        using (_commits.Hold())
        for (var i = 0; i < request.Requests.Count; i++)
        {
            var item = request.Requests[i].PutRequest?.Item;
            var key = keys[i];
            if (request.Unmetered)
            {
                if (item is not null || existing[i] is not null) commits.Add(_commits.Enqueue(NewWrite(key, existing[i], item, unmetered: true)));
                continue;
            }
            if ((_capacity.Refusal(read: false) ?? _capacity.IndexWriteRefusal(existing[i], item)) is { } refusal)
            {
                refused ??= refusal;
                unprocessed.Add(i);
                continue;
            }
            units[i] = CapacityUnits.Write(Math.Max(existing[i]?.SizeInBytes ?? 0, item?.SizeInBytes ?? 0));
            if (item is not null || existing[i] is not null) commits.Add(CommitAsync(key, existing[i], item));
            else _capacity.ChargeWrite(null, null);
        }
        if (unprocessed.Count == request.Requests.Count) throw refused!;
        await Task.WhenAll(commits);
        return new PartitionBatchWriteResult { WriteUnits = units, Unprocessed = unprocessed };
    }
}
