using System.IO.Hashing;

namespace OrleansDynamo.Storage;

/// <summary>
/// The silo's cache of durable items, shared by all partitions, bounded in bytes (<c>--cache-mb</c>). Values
/// are items in their stored encoding, so the budget counts real bytes. Each partition activation caches
/// under a generation of its own: a new activation never sees what an older one (or another silo) cached.
/// Only a partition's own activation writes its entries, after each commit, so a hit is the durable value.
/// </summary>
public sealed class ItemCache
{
    private const int ShardCount = 16;
    // Dictionary entry, node and key object: what an entry costs beyond its key and value bytes.
    private const int EntryOverhead = 120;

    private readonly Shard[] _shards;
    private long _generation;
    private long _hits;
    private long _misses;

    public ItemCache(long budgetBytes)
    {
        BudgetBytes = Math.Max(0, budgetBytes);
        _shards = new Shard[ShardCount];
        for (var i = 0; i < ShardCount; i++) _shards[i] = new Shard(BudgetBytes / ShardCount);
    }

    public long BudgetBytes { get; }
    public bool Enabled => BudgetBytes > 0;
    public long SizeBytes => _shards.Sum(s => s.Bytes);
    public long Count => _shards.Sum(s => s.Count);
    public long Hits => Interlocked.Read(ref _hits);
    public long Misses => Interlocked.Read(ref _misses);

    /// <summary>A generation for a new partition activation.</summary>
    public long NewGeneration() => Interlocked.Increment(ref _generation);

    public bool TryGet(long generation, byte[] key, out byte[] value)
    {
        value = null!;
        if (!Enabled) return false;
        var hit = ShardOf(generation, key, out var entryKey).TryGet(entryKey, out value);
        Interlocked.Increment(ref hit ? ref _hits : ref _misses);
        return hit;
    }

    /// <summary>Whether the item is cached (no hit or miss is counted).</summary>
    public bool Contains(long generation, byte[] key) => Enabled && ShardOf(generation, key, out var entryKey).Contains(entryKey);

    public void Set(long generation, byte[] key, byte[] value)
    {
        if (Enabled) ShardOf(generation, key, out var entryKey).Set(entryKey, value);
    }

    public void Remove(long generation, byte[] key)
    {
        if (Enabled) ShardOf(generation, key, out var entryKey).Remove(entryKey);
    }

    private Shard ShardOf(long generation, byte[] key, out EntryKey entryKey)
    {
        var hash = XxHash3.HashToUInt64(key, generation);
        entryKey = new EntryKey(generation, key, hash);
        return _shards[hash % ShardCount];
    }

    private readonly struct EntryKey(long generation, byte[] key, ulong hash) : IEquatable<EntryKey>
    {
        public readonly long Generation = generation;
        public readonly byte[] Key = key;
        public readonly ulong Hash = hash;

        public bool Equals(EntryKey other) => Generation == other.Generation && Key.AsSpan().SequenceEqual(other.Key);
        public override bool Equals(object? obj) => obj is EntryKey other && Equals(other);
        public override int GetHashCode() => (int)Hash;
    }

    /// <summary>Least recently used eviction, one lock per shard.</summary>
    private sealed class Shard(long budget)
    {
        private sealed class Node(EntryKey key, byte[] value)
        {
            public readonly EntryKey Key = key;
            public byte[] Value = value;
            public Node? Previous, Next;
            public long Size => Key.Key.Length + Value.Length + EntryOverhead;
        }

        private readonly Dictionary<EntryKey, Node> _nodes = [];
        private Node? _newest, _oldest;

        public long Bytes { get; private set; }
        public int Count { get { lock (_nodes) return _nodes.Count; } }

        public bool TryGet(EntryKey key, out byte[] value)
        {
            lock (_nodes)
            {
                if (!_nodes.TryGetValue(key, out var node))
                {
                    value = null!;
                    return false;
                }
                MoveToFront(node);
                value = node.Value;
                return true;
            }
        }

        public bool Contains(EntryKey key)
        {
            lock (_nodes) return _nodes.ContainsKey(key);
        }

        public void Set(EntryKey key, byte[] value)
        {
            lock (_nodes)
            {
                if (_nodes.TryGetValue(key, out var node))
                {
                    Bytes -= node.Size;
                    node.Value = value;
                    Bytes += node.Size;
                    MoveToFront(node);
                }
                else
                {
                    node = new Node(key, value);
                    if (node.Size > budget) return;
                    _nodes[key] = node;
                    Bytes += node.Size;
                    Link(node);
                }
                while (Bytes > budget && _oldest is { } oldest) Evict(oldest);
            }
        }

        public void Remove(EntryKey key)
        {
            lock (_nodes)
                if (_nodes.TryGetValue(key, out var node)) Evict(node);
        }

        private void Evict(Node node)
        {
            _nodes.Remove(node.Key);
            Unlink(node);
            Bytes -= node.Size;
        }

        private void MoveToFront(Node node)
        {
            if (ReferenceEquals(node, _newest)) return;
            Unlink(node);
            Link(node);
        }

        private void Link(Node node)
        {
            node.Previous = null;
            node.Next = _newest;
            if (_newest is not null) _newest.Previous = node;
            _newest = node;
            _oldest ??= node;
        }

        private void Unlink(Node node)
        {
            if (node.Previous is not null) node.Previous.Next = node.Next;
            else _newest = node.Next;
            if (node.Next is not null) node.Next.Previous = node.Previous;
            else _oldest = node.Previous;
            node.Previous = node.Next = null;
        }
    }
}
