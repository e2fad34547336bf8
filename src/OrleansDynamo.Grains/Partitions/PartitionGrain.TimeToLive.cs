using Microsoft.Extensions.Logging;
using OrleansDynamo.Grains;
using OrleansDynamo.Storage;

namespace OrleansDynamo.Partitions;

public sealed partial class PartitionGrain
{
    /// <summary>
    /// Deletes the items of <paramref name="entries"/> (due time-to-live entries the table's sweep read) whose
    /// expiry is still the entry's: an item written since keeps living, and its stale entry goes. Items held by
    /// a transaction wait for the next sweep. The deletions consume no capacity, and their stream records name
    /// the service. Returns the number of items deleted.
    /// </summary>
    public async Task<int> ExpireItems(IReadOnlyList<ExpiryEntry> entries)
    {
        EnsureServing();
        var now = _expiry.Now;
        var ttl = _scope.Table.TimeToLive;
        var stale = new List<StoreWrite>();
        var due = new List<(ItemKey Key, long ExpiresAt)>();
        foreach (var entry in entries)
        {
            var (generation, expiresAt) = StoreKeys.ExpiryOf(entry.Key);
            var key = ItemKey.Of(ItemCodec.Decode(entry.Value), Schema);
            if (ttl is null || generation != ttl.Generation) stale.Add(new StoreWrite(RecordKind.Expiry, entry.Key, null));
            else if (_scope.Owns(key.Hash) && ExpiryIndex.IsDue(expiresAt, now)) due.Add((key, expiresAt));
        }
        var keys = due.Select(d => d.Key).Distinct().ToList();
        while (!Ready(keys, transactional: true)) await PrepareAsync(keys);

        var deletions = new List<Task>();
        foreach (var (key, expiresAt) in due)
        {
            if (_intents.IsHeld(key)) continue;
            var existing = Newest(key, out _);
            if (existing is not null && ExpiryIndex.ExpiryOf(existing, ttl!.AttributeName) == expiresAt)
                deletions.Add(_commits.Enqueue(NewWrite(key, existing, null, byTimeToLive: true)));
            else stale.Add(ExpiryIndex.Deletion(ttl!.Generation, expiresAt, key));
        }
        if (stale.Count > 0) deletions.Add(_commits.EnqueueRecords(stale));
        await Task.WhenAll(deletions);
        return deletions.Count - (stale.Count > 0 ? 1 : 0);
    }

    /// <summary>Adds the time-to-live entries of the items already here when TTL was enabled, in the background.</summary>
    private void StartExpiryBackfill()
    {
        if (_scope.Table.TimeToLive is null) return;
        _ = Task.Factory.StartNew(async () =>
        {
            try
            {
                await _expiry.BackfillAsync(writes => _commits.EnqueueRecords(writes), () => _serving);
            }
            catch (Exception e)
            {
                LogExpiryBackfillFailed(logger, e, _scope.ToString());
            }
        }, CancellationToken.None, TaskCreationOptions.None, TaskScheduler.Current).Unwrap();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Partition {Partition} could not index its items for time to live; its next activation tries again")]
    private static partial void LogExpiryBackfillFailed(ILogger logger, Exception error, string partition);
}
