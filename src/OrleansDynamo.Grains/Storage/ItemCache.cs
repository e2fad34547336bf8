using System.IO.Hashing;
using OrleansDynamo.Model;

namespace OrleansDynamo.Storage;

/// <summary>
/// The silo's cache of durable items, shared by all partitions, bounded in bytes (<c>--cache-mb</c>). Values
/// are decoded items (or "no such item"), so that a hot item is neither read nor decoded again; the budget
/// counts an estimate of what they take on the heap (<see cref="MemoryOf"/>). Each partition activation caches
/// under a generation of its own: a new activation never sees what an older one (or another silo) cached.
/// Only a partition's own activation writes its entries, after each commit, so a hit is the durable value.
/// </summary>
public sealed class ItemCache
{
    private const int ShardCount = 16;
    // Dictionary entry, node and key object: what an entry costs beyond its key and value.
    private const int EntryOverhead = 120;
    // An AttributeValue object (header, type tag and its ten fields) and a reference to it.
    private const int ValueOverhead = 104;
    // An Item, its dictionary and the dictionary's arrays, before entries.
    private const int ItemOverhead = 160;
    // A dictionary entry: hash, next, key and value references, and its bucket.
    private const int AttributeOverhead = 28;

    private readonly Shard[] _shards;
    private long _generation;
    private long _hits;
    private long _misses;

    public ItemCache(long budgetBytes)
    {
        BudgetBytes = Math.Max(0, budgetBytes);
        _shards = new Shard[ShardCount];
        for (var i = 0; i < ShardCount; i++) _shards[i] = new Shard(BudgetBytes / ShardCount);
        Hosting.OrleansDynamoTelemetry.Observe(this);
    }

    public long BudgetBytes { get; }
    public bool Enabled => BudgetBytes > 0;
    public long SizeBytes => _shards.Sum(s => s.Bytes);
    public long Count => _shards.Sum(s => s.Count);
    public long Hits => Interlocked.Read(ref _hits);
    public long Misses => Interlocked.Read(ref _misses);

    /// <summary>A generation for a new partition activation.</summary>
    public long NewGeneration() => Interlocked.Increment(ref _generation);

    /// <summary>An estimate of the heap an item takes, decoded: its objects, strings as UTF-16, arrays.</summary>
    public static long MemoryOf(Item? item) => item is null ? 0 : MapMemory(item);

    private static long MapMemory(IEnumerable<KeyValuePair<string, AttributeValue>> attributes) =>
        ItemOverhead + attributes.Sum(a => AttributeOverhead + StringMemory(a.Key) + MemoryOf(a.Value));

    private static long StringMemory(string text) => 22 + 2L * text.Length;

    private static long MemoryOf(AttributeValue value) => ValueOverhead + value.Type switch
    {
        AttributeType.S => StringMemory(value.S),
        AttributeType.N => StringMemory(value.N.ToString()),
        AttributeType.B => 24 + value.B.Length,
        AttributeType.SS => 24 + value.SS.Sum(s => 8 + StringMemory(s)),
        AttributeType.NS => 24 + value.NS.Sum(n => 16 + StringMemory(n.ToString())),
        AttributeType.BS => 24 + value.BS.Sum(b => 32 + b.Length),
        AttributeType.M => MapMemory(value.M),
        AttributeType.L => 24 + value.L.Sum(e => 8 + MemoryOf(e)),
        _ => 0,
    };

    /// <param name="value">The item, or null for "no such item" (misses are cached too).</param>
    public bool TryGet(long generation, byte[] key, out Item? value)
    {
        value = null;
        if (!Enabled) return false;
        var hit = ShardOf(generation, key, out var entryKey).TryGet(entryKey, out value);
        Interlocked.Increment(ref hit ? ref _hits : ref _misses);
        return hit;
    }

    public void Set(long generation, byte[] key, Item? value)
    {
        if (Enabled) ShardOf(generation, key, out var entryKey).Set(entryKey, value, key.Length + EntryOverhead + MemoryOf(value));
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
        private sealed class Node(EntryKey key, Item? value, long size)
        {
            public readonly EntryKey Key = key;
            public Item? Value = value;
            public long Size = size;
            public Node? Previous, Next;
        }

        private readonly Dictionary<EntryKey, Node> _nodes = [];
        private Node? _newest, _oldest;

        public long Bytes { get; private set; }
        public int Count { get { lock (_nodes) return _nodes.Count; } }

        public bool TryGet(EntryKey key, out Item? value)
        {
            lock (_nodes)
            {
                if (!_nodes.TryGetValue(key, out var node))
                {
                    value = null;
                    return false;
                }
                MoveToFront(node);
                value = node.Value;
                return true;
            }
        }

        public void Set(EntryKey key, Item? value, long size)
        {
            lock (_nodes)
            {
                if (_nodes.TryGetValue(key, out var node))
                {
                    Bytes += size - node.Size;
                    node.Value = value;
                    node.Size = size;
                    MoveToFront(node);
                }
                else
                {
                    node = new Node(key, value, size);
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
