using System.Collections.Concurrent;
using OrleansDynamo.Model;

namespace OrleansDynamo.Storage;

/// <summary>Keeps spaces in process memory: nothing survives the process. For tests and <c>--in-memory</c>.</summary>
public sealed class MemoryPartitionStore : IPartitionStore
{
    private sealed class Space
    {
        public StoredMap? Map;
        public readonly Dictionary<int, long> Epochs = [];
        public readonly Dictionary<RecordKind, SortedSet<Record>> Records = [];

        public SortedSet<Record> Kind(RecordKind kind) =>
            Records.TryGetValue(kind, out var records) ? records : Records[kind] = new SortedSet<Record>(RecordComparer.Instance);
    }

    private sealed class Record(byte[] key, byte[] value)
    {
        public byte[] Key { get; } = key;
        public byte[] Value { get; set; } = value;
    }

    private sealed class RecordComparer : IComparer<Record>
    {
        public static readonly RecordComparer Instance = new();
        public int Compare(Record? x, Record? y) => ByteArrayComparer.Instance.Compare(x!.Key, y!.Key);
    }

    private static Record Probe(byte[] key) => new(key, []);

    private static byte[]? Find(SortedSet<Record> records, byte[] key) => records.TryGetValue(Probe(key), out var found) ? found.Value : null;

    private readonly ConcurrentDictionary<string, Space> _spaces = new(StringComparer.Ordinal);

    private Space Get(StoreSpace space) => _spaces.GetOrAdd(space.Name, _ => new Space());

    public Task<StoredMap> EnsureMapAsync(StoreSpace space, PartitionMap initial, CancellationToken cancellationToken = default)
    {
        var stored = Get(space);
        lock (stored) return Task.FromResult(stored.Map ??= StoreCodec.Initial(initial));
    }

    public Task<StoredMap?> ReadMapAsync(StoreSpace space, CancellationToken cancellationToken = default)
    {
        if (!_spaces.TryGetValue(space.Name, out var stored)) return Task.FromResult<StoredMap?>(null);
        lock (stored) return Task.FromResult(stored.Map);
    }

    public Task<SplitOutcome> SplitAsync(StoreSpace space, int parentId, long parentEpoch, ulong splitAt, CancellationToken cancellationToken = default)
    {
        if (!_spaces.TryGetValue(space.Name, out var stored)) throw new StaleEpochException(space, parentId, parentEpoch);
        lock (stored)
        {
            if (stored.Map is null || !stored.Epochs.TryGetValue(parentId, out var current) || current != parentEpoch)
                throw new StaleEpochException(space, parentId, parentEpoch);
            var split = StoreCodec.Split(stored.Map, parentId, splitAt);
            stored.Map = split;
            stored.Epochs[parentId] = parentEpoch + 1;
            return Task.FromResult(new SplitOutcome(split.Map, parentEpoch + 1, split.NextPartitionId - 1));
        }
    }

    public Task<PartitionOpening> OpenAsync(StoreSpace space, int partitionId, CancellationToken cancellationToken = default)
    {
        if (!_spaces.TryGetValue(space.Name, out var stored)) return Task.FromResult(new PartitionOpening(0, null, 0));
        lock (stored)
        {
            // A partition that is not in the map (a dropped table's, say) takes no epoch: nothing is left behind.
            if (stored.Map?.Map.Ranges.FirstOrDefault(r => r.PartitionId == partitionId) is not { } range)
                return Task.FromResult(new PartitionOpening(stored.Epochs.GetValueOrDefault(partitionId), null, stored.Map?.Map.Version ?? 0));
            var epoch = stored.Epochs[partitionId] = stored.Epochs.GetValueOrDefault(partitionId) + 1;
            return Task.FromResult(new PartitionOpening(epoch, range, stored.Map.Map.Version));
        }
    }

    public Task CommitAsync(StoreSpace space, int partitionId, long epoch, IReadOnlyList<StoreWrite> writes, CancellationToken cancellationToken = default)
    {
        if (!_spaces.TryGetValue(space.Name, out var stored)) throw new StaleEpochException(space, partitionId, epoch);
        lock (stored)
        {
            if (!stored.Epochs.TryGetValue(partitionId, out var current) || current != epoch) throw new StaleEpochException(space, partitionId, epoch);
            foreach (var write in writes)
            {
                var records = stored.Kind(write.Kind);
                if (write.Value is null) records.Remove(Probe(write.Key));
                else if (records.TryGetValue(Probe(write.Key), out var existing)) existing.Value = write.Value;
                else records.Add(new Record(write.Key, write.Value));
            }
        }
        return Task.CompletedTask;
    }

    public ValueTask<byte[]?> GetAsync(StoreSpace space, RecordKind kind, byte[] key, CancellationToken cancellationToken = default)
    {
        if (!_spaces.TryGetValue(space.Name, out var stored)) return ValueTask.FromResult<byte[]?>(null);
        lock (stored) return ValueTask.FromResult(Find(stored.Kind(kind), key));
    }

    public ValueTask<byte[]?[]> GetManyAsync(StoreSpace space, RecordKind kind, IReadOnlyList<byte[]> keys, CancellationToken cancellationToken = default)
    {
        var values = new byte[]?[keys.Count];
        if (!_spaces.TryGetValue(space.Name, out var stored)) return ValueTask.FromResult(values);
        lock (stored)
        {
            var records = stored.Kind(kind);
            for (var i = 0; i < keys.Count; i++) values[i] = Find(records, keys[i]);
        }
        return ValueTask.FromResult(values);
    }

    public ValueTask<IReadOnlyList<StoreRecord>> ReadRangeAsync(StoreSpace space, RecordKind kind, byte[] from, byte[]? to, bool forward, int limit,
        CancellationToken cancellationToken = default)
    {
        var result = new List<StoreRecord>();
        if (!_spaces.TryGetValue(space.Name, out var stored) || limit <= 0) return ValueTask.FromResult<IReadOnlyList<StoreRecord>>(result);
        lock (stored)
        {
            var records = stored.Kind(kind);
            if (records.Count == 0 || ByteArrayComparer.Instance.Compare(from, records.Max!.Key) > 0) return ValueTask.FromResult<IReadOnlyList<StoreRecord>>(result);
            if (to is not null && ByteArrayComparer.Instance.Compare(to, from) <= 0) return ValueTask.FromResult<IReadOnlyList<StoreRecord>>(result);
            var upper = to is null || ByteArrayComparer.Instance.Compare(to, records.Max!.Key) > 0 ? records.Max! : Probe(to);
            if (ByteArrayComparer.Instance.Compare(upper.Key, from) < 0) return ValueTask.FromResult<IReadOnlyList<StoreRecord>>(result);
            var view = records.GetViewBetween(Probe(from), upper);
            foreach (var record in forward ? view : view.Reverse())
            {
                // The view's upper end is inclusive; the range's is not.
                if (to is not null && ByteArrayComparer.Instance.Compare(record.Key, to) >= 0) continue;
                result.Add(new StoreRecord(record.Key, record.Value));
                if (result.Count >= limit) break;
            }
        }
        return ValueTask.FromResult<IReadOnlyList<StoreRecord>>(result);
    }

    public Task<IReadOnlyList<StoreSpace>> ListSpacesAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<StoreSpace>>(_spaces.Where(s => s.Value.Map is not null).Select(s => StoreSpace.Parse(s.Key)).ToList());

    public Task DeleteSpaceAsync(StoreSpace space, CancellationToken cancellationToken = default)
    {
        _spaces.TryRemove(space.Name, out _);
        return Task.CompletedTask;
    }

    /// <remarks>Copies the spaces' records under their locks, one space at a time; commits to one space are atomic, so each is one instant.</remarks>
    public Task<IStoreSnapshot> OpenSnapshotAsync(IReadOnlyList<StoreSpace> spaces, CancellationToken cancellationToken = default)
    {
        var copy = new MemoryPartitionStore();
        foreach (var space in spaces)
        {
            if (!_spaces.TryGetValue(space.Name, out var stored)) continue;
            var target = copy.Get(space);
            lock (stored)
            {
                target.Map = stored.Map;
                foreach (var (kind, records) in stored.Records)
                    target.Records[kind] = new SortedSet<Record>(records.Select(r => new Record(r.Key, r.Value)), RecordComparer.Instance);
            }
        }
        return Task.FromResult<IStoreSnapshot>(new Snapshot(copy));
    }

    private sealed class Snapshot(MemoryPartitionStore copy) : IStoreSnapshot
    {
        public ValueTask<IReadOnlyList<StoreRecord>> ReadRangeAsync(StoreSpace space, RecordKind kind, byte[] from, byte[]? to, int limit,
            CancellationToken cancellationToken = default) => copy.ReadRangeAsync(space, kind, from, to, forward: true, limit, cancellationToken);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
