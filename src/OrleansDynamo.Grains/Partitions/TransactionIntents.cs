using System.Diagnostics;
using System.Text;
using OrleansDynamo.Grains;
using OrleansDynamo.Model;
using OrleansDynamo.Storage;

namespace OrleansDynamo.Partitions;

/// <summary>
/// The transaction intents a partition holds, and the watches of TransactGetItems reads.
/// <para>An intent marks an item taken by a prepared transaction: the value it will write (or that it only
/// checks the item) and its anchor, the partition where its outcome is decided. Intents are durable records of their own namespace
/// (<see cref="RecordKind.Intent"/>, by item key), written before the partition votes yes and deleted in the
/// same commit that applies them, so after a crash they come back with the partition (<see cref="LoadAsync"/>)
/// and are resolved by asking the anchor. While an intent is held, no other write of the item is decided:
/// single-item writes and other transactions meet TransactionConflict, they never wait.</para>
/// <para>A watch lists the items a TransactGetItems read here; any write or intent on one of them until the
/// read ends breaks it, and the read is tried again, so the values it returns held at one moment.</para>
/// </summary>
internal sealed class TransactionIntents(PartitionScope scope)
{
    private const byte FormatVersion = 1;
    // A read whose client never ended it stops being watched after this long.
    private static readonly TimeSpan WatchLifetime = TimeSpan.FromSeconds(30);

    /// <summary>One item held by a transaction. <see cref="Writes"/> false: a ConditionCheck, which changes nothing.</summary>
    public sealed record Intent(string TransactionId, TransactionAnchor Anchor, ItemKey Key, Item KeyItem, bool Writes, Item? NewItem)
    {
        /// <summary>When it was taken (or loaded), for resolving intents whose coordinator went quiet.</summary>
        public long Since { get; init; } = Stopwatch.GetTimestamp();
        /// <summary>The transaction's ClientRequestToken, at its anchor (not stored: a repeated token meets a conflict after a restart).</summary>
        public string? Token { get; init; }
    }

    private sealed class ReadWatch(HashSet<ItemKey> keys)
    {
        public HashSet<ItemKey> Keys { get; } = keys;
        public long Since { get; } = Stopwatch.GetTimestamp();
        public bool Broken { get; set; }
    }

    private readonly Dictionary<ItemKey, Intent> _byKey = [];
    private readonly Dictionary<string, List<Intent>> _byTransaction = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ReadWatch> _watches = new(StringComparer.Ordinal);
    private TaskCompletionSource? _drained;

    public int Count => _byKey.Count;

    public bool IsHeld(ItemKey key) => _byKey.ContainsKey(key);

    /// <summary>Whether a prepared transaction with this ClientRequestToken holds items here.</summary>
    public bool IsHeldByToken(string token) => _byTransaction.Values.Any(intents => intents[0].Token == token);

    /// <summary>Completes when no intent is held (a split waits for it: intents stay with the activation that voted).</summary>
    public Task Drained => _byKey.Count == 0 ? Task.CompletedTask : (_drained ??= new(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public IReadOnlyList<Intent> Of(string transactionId) => _byTransaction.TryGetValue(transactionId, out var intents) ? intents : [];

    /// <summary>Takes the items for their transactions: from now on no other write of them is decided.</summary>
    public void Hold(IEnumerable<Intent> intents)
    {
        foreach (var intent in intents)
        {
            (_byTransaction.TryGetValue(intent.TransactionId, out var held) ? held : _byTransaction[intent.TransactionId] = []).Add(intent);
            _byKey[intent.Key] = intent;
            Touched(intent.Key);
        }
    }

    /// <summary>Lets go of a transaction's items (applied, or aborted).</summary>
    public void Release(string transactionId)
    {
        if (!_byTransaction.Remove(transactionId, out var intents)) return;
        foreach (var intent in intents) _byKey.Remove(intent.Key);
        if (_byKey.Count == 0 && _drained is { } drained)
        {
            _drained = null;
            drained.SetResult();
        }
    }

    /// <summary>Transactions holding intents for longer than <paramref name="age"/>: their anchor is asked what became of them.</summary>
    public IReadOnlyList<(string TransactionId, TransactionAnchor Anchor)> OlderThan(TimeSpan age) =>
        _byTransaction.Values.Where(intents => Stopwatch.GetElapsedTime(intents[0].Since) >= age)
            .Select(intents => (intents[0].TransactionId, intents[0].Anchor)).ToList();

    public static StoreWrite Record(Intent intent) => new(RecordKind.Intent, intent.Key.Bytes, Encode(intent));

    public static StoreWrite Deletion(Intent intent) => new(RecordKind.Intent, intent.Key.Bytes, null);

    /// <summary>The intents of the partition's range, as the last activation left them.</summary>
    public async Task LoadAsync()
    {
        var loaded = new List<Intent>();
        // Loaded intents count as old: they are resolved at the first look.
        await foreach (var record in PageReader.ReadAll(scope, RecordKind.Intent)) loaded.Add(Decode(record.Value, scope.Schema) with { Since = 0 });
        Hold(loaded);
    }

    /// <summary>Keeps only what a split left in this partition's range (a split waits for intents to drain, so this is a safeguard).</summary>
    public void Retain(PartitionRange range)
    {
        foreach (var transaction in _byTransaction.Where(t => t.Value.Any(i => !range.Contains(i.Key.Hash))).Select(t => t.Key).ToList())
            Release(transaction);
        _watches.Clear();
    }

    // --- TransactGetItems watches ---

    public void Watch(string readId, IEnumerable<ItemKey> keys)
    {
        foreach (var stale in _watches.Where(w => Stopwatch.GetElapsedTime(w.Value.Since) > WatchLifetime).Select(w => w.Key).ToList())
            _watches.Remove(stale);
        _watches[readId] = new ReadWatch([.. keys]);
    }

    /// <summary>Ends a watch: true when nothing broke it.</summary>
    public bool EndWatch(string readId) => _watches.Remove(readId, out var watch) && !watch.Broken;

    /// <summary>An item is being written or taken by a transaction: the reads watching it are broken.</summary>
    public void Touched(ItemKey key)
    {
        if (_watches.Count == 0) return;
        foreach (var watch in _watches.Values)
            if (watch.Keys.Contains(key)) watch.Broken = true;
    }

    // --- Encoding: version, transaction id, anchor table and hash, flags, key item, new item ---

    private static byte[] Encode(Intent intent)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(FormatVersion);
            writer.Write(intent.TransactionId);
            writer.Write(intent.Anchor.TableName);
            writer.Write(intent.Anchor.Hash);
            writer.Write((byte)((intent.Writes ? 1 : 0) | (intent.NewItem is null ? 0 : 2)));
            WriteItem(writer, intent.KeyItem);
            if (intent.NewItem is not null) WriteItem(writer, intent.NewItem);
        }
        return buffer.ToArray();
    }

    private static Intent Decode(byte[] bytes, TableSchema schema)
    {
        using var reader = new BinaryReader(new MemoryStream(bytes), Encoding.UTF8);
        if (reader.ReadByte() != FormatVersion) throw new InvalidDataException("Unknown intent encoding");
        var transactionId = reader.ReadString();
        var anchor = new TransactionAnchor(reader.ReadString(), reader.ReadUInt64());
        var flags = reader.ReadByte();
        var keyItem = ReadItem(reader);
        var newItem = (flags & 2) != 0 ? ReadItem(reader) : null;
        return new Intent(transactionId, anchor, ItemKey.Of(keyItem, schema), keyItem, (flags & 1) != 0, newItem);
    }

    private static void WriteItem(BinaryWriter writer, Item item)
    {
        var encoded = ItemCodec.Encode(item);
        writer.Write7BitEncodedInt(encoded.Length);
        writer.Write(encoded);
    }

    private static Item ReadItem(BinaryReader reader) => ItemCodec.Decode(reader.ReadBytes(reader.Read7BitEncodedInt()));
}
