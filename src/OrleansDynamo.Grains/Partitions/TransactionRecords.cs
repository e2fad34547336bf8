using System.Buffers.Binary;
using System.Text;
using OrleansDynamo.Grains;
using OrleansDynamo.Model;
using OrleansDynamo.Storage;

namespace OrleansDynamo.Partitions;

/// <summary>
/// The outcomes of transactions anchored in this partition (<see cref="RecordKind.TransactionRecord"/>, keyed by
/// anchor hash and transaction id, so that a split hands them to whichever partition owns the hash).
/// <list type="bullet">
/// <item>A <b>commit record</b> is written in the same store commit that applies the anchor's own intents: that
/// commit is the transaction's commit point. It lists the other partitions and is deleted once all applied.</item>
/// <item>An <b>abort mark</b> is written when the anchor answers "aborted" for a transaction it has not committed
/// (presumed abort), so that a late prepare or commit of it is refused. Marks are deleted after 10 minutes, long
/// after any call of that transaction has timed out.</item>
/// <item>A <b>token record</b> (<see cref="RecordKind.TransactionToken"/>, by anchor hash and ClientRequestToken) is
/// written with the commit of a transaction that has a token: the request's fingerprint and capacity units, so that
/// the same request within 10 minutes is answered without being applied again. Read from the store when a token
/// comes (not held in memory); deleted by a sweep once 10 minutes old.</item>
/// </list>
/// </summary>
internal sealed class TransactionRecords(PartitionScope scope)
{
    private const byte FormatVersion = 1;
    private static readonly TimeSpan AbortMarkLifetime = TimeSpan.FromMinutes(10);

    public sealed record Record(string TransactionId, ulong AnchorHash, TransactionOutcome Outcome, HashSet<string> Waiting, DateTime CreatedUtc);

    private readonly Dictionary<string, Record> _records = new(StringComparer.Ordinal);

    public bool Any => _records.Count > 0;

    public bool TryGet(string transactionId, out Record record) => _records.TryGetValue(transactionId, out record!);

    public bool IsAborted(string transactionId) => _records.TryGetValue(transactionId, out var record) && record.Outcome == TransactionOutcome.Aborted;

    /// <summary>A commit record's write; it counts (<see cref="Remember"/>) only once that write is durable.</summary>
    public static (StoreWrite Write, Record Record) Committed(string transactionId, ulong anchorHash, IEnumerable<string> others)
    {
        var record = new Record(transactionId, anchorHash, TransactionOutcome.Committed, [.. others], DateTime.UtcNow);
        return (WriteOf(record), record);
    }

    public void Remember(Record record)
    {
        if (record.Waiting.Count > 0) _records[record.TransactionId] = record;
    }

    public StoreWrite Aborted(string transactionId, ulong anchorHash) =>
        Put(new Record(transactionId, anchorHash, TransactionOutcome.Aborted, [], DateTime.UtcNow));

    /// <summary>A partition applied the committed transaction: the write that records it (the record's deletion once nobody is left), or null.</summary>
    public StoreWrite? Applied(string transactionId, string partition)
    {
        if (!_records.TryGetValue(transactionId, out var record) || !record.Waiting.Remove(partition)) return null;
        return record.Waiting.Count == 0 ? Delete(record) : WriteOf(record);
    }

    /// <summary>Deletions of abort marks past their lifetime.</summary>
    public List<StoreWrite> Expired() =>
        _records.Values.Where(r => r.Outcome == TransactionOutcome.Aborted && DateTime.UtcNow - r.CreatedUtc > AbortMarkLifetime)
            .ToList().ConvertAll(Delete);

    public async Task LoadAsync()
    {
        await foreach (var stored in PageReader.ReadAll(scope, RecordKind.TransactionRecord))
        {
            var record = Decode(stored.Key, stored.Value);
            _records[record.TransactionId] = record;
        }
    }

    /// <summary>Keeps only the records of the range a split left here (the rest are the child's, in the store).</summary>
    public void Retain(PartitionRange range)
    {
        foreach (var record in _records.Values.Where(r => !range.Contains(r.AnchorHash)).ToList()) _records.Remove(record.TransactionId);
    }

    private StoreWrite Put(Record record)
    {
        _records[record.TransactionId] = record;
        return WriteOf(record);
    }

    private static StoreWrite WriteOf(Record record) => new(RecordKind.TransactionRecord, Key(record), Encode(record));

    private StoreWrite Delete(Record record)
    {
        _records.Remove(record.TransactionId);
        return new StoreWrite(RecordKind.TransactionRecord, Key(record), null);
    }

    // --- ClientRequestTokens ---

    public static readonly TimeSpan TokenLifetime = TimeSpan.FromMinutes(10);

    /// <summary>What the first request with a token left: its fingerprint and the capacity units of its actions.</summary>
    public sealed record TokenRecord(DateTime CompletedUtc, byte[] Fingerprint, double[] Units)
    {
        public bool IsCurrent => DateTime.UtcNow - CompletedUtc < TokenLifetime;
    }

    public static byte[] TokenKey(ulong anchorHash, string token) => KeyRanges.Concat(StoreKeys.HashStart(anchorHash), Encoding.UTF8.GetBytes(token));

    public static StoreWrite Token(ulong anchorHash, string token, byte[] fingerprint, IReadOnlyList<double> units)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(FormatVersion);
            writer.Write(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            writer.Write7BitEncodedInt(fingerprint.Length);
            writer.Write(fingerprint);
            writer.Write7BitEncodedInt(units.Count);
            foreach (var unit in units) writer.Write(unit);
        }
        return new StoreWrite(RecordKind.TransactionToken, TokenKey(anchorHash, token), buffer.ToArray());
    }

    public async Task<TokenRecord?> ReadTokenAsync(ulong anchorHash, string token)
    {
        var stored = await scope.Store.GetAsync(scope.Space, RecordKind.TransactionToken, TokenKey(anchorHash, token));
        return stored is null ? null : DecodeToken(stored);
    }

    /// <summary>Deletions of the token records of this partition's range that are past their 10 minutes.</summary>
    public async Task<List<StoreWrite>> ExpiredTokensAsync()
    {
        var expired = new List<StoreWrite>();
        await foreach (var record in PageReader.ReadAll(scope, RecordKind.TransactionToken))
            if (!DecodeToken(record.Value).IsCurrent) expired.Add(new StoreWrite(RecordKind.TransactionToken, record.Key, null));
        return expired;
    }

    private static TokenRecord DecodeToken(byte[] value)
    {
        using var reader = new BinaryReader(new MemoryStream(value), Encoding.UTF8);
        if (reader.ReadByte() != FormatVersion) throw new InvalidDataException("Unknown token record encoding");
        var completed = DateTimeOffset.FromUnixTimeMilliseconds(reader.ReadInt64()).UtcDateTime;
        var fingerprint = reader.ReadBytes(reader.Read7BitEncodedInt());
        var units = new double[reader.Read7BitEncodedInt()];
        for (var i = 0; i < units.Length; i++) units[i] = reader.ReadDouble();
        return new TokenRecord(completed, fingerprint, units);
    }

    private static byte[] Key(Record record) => KeyRanges.Concat(StoreKeys.HashStart(record.AnchorHash), Encoding.UTF8.GetBytes(record.TransactionId));

    // Encoding: version, outcome, created (Unix ms), then the partitions waited for.
    private static byte[] Encode(Record record)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(FormatVersion);
            writer.Write((byte)record.Outcome);
            writer.Write(new DateTimeOffset(record.CreatedUtc).ToUnixTimeMilliseconds());
            writer.Write7BitEncodedInt(record.Waiting.Count);
            foreach (var partition in record.Waiting) writer.Write(partition);
        }
        return buffer.ToArray();
    }

    private static Record Decode(byte[] key, byte[] value)
    {
        using var reader = new BinaryReader(new MemoryStream(value), Encoding.UTF8);
        if (reader.ReadByte() != FormatVersion) throw new InvalidDataException("Unknown transaction record encoding");
        var outcome = (TransactionOutcome)reader.ReadByte();
        var created = DateTimeOffset.FromUnixTimeMilliseconds(reader.ReadInt64()).UtcDateTime;
        var waiting = new HashSet<string>(StringComparer.Ordinal);
        for (var n = reader.Read7BitEncodedInt(); n > 0; n--) waiting.Add(reader.ReadString());
        var hashLength = StoreKeys.HashStart(0).Length;
        return new Record(Encoding.UTF8.GetString(key.AsSpan(hashLength)), BinaryPrimitives.ReadUInt64BigEndian(key), outcome, waiting, created);
    }
}
