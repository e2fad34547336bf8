using System.Buffers.Binary;
using System.Text;
using Orleans.Serialization;
using Orleans.Storage;

namespace OrleansDynamo.Storage.Embedded;

/// <summary>
/// Orleans grain state (table metadata, the catalog) in the embedded database, under
/// <c>g|storage|state name|grain id</c>: an 8-byte version (the ETag) followed by the Orleans-serialized state.
/// </summary>
/// <remarks>
/// The ETag check and the write are atomic per key (one lock of 64, by key), not across keys: writes of different
/// grains (transaction records, many at once) run side by side off the grain thread, and RocksDB gives their
/// concurrent synced writes one fsync.
/// </remarks>
public sealed class EmbeddedGrainStorage(string storageName, EmbeddedDatabase database, Serializer serializer) : IGrainStorage
{
    private readonly object[] _keyLocks = Enumerable.Range(0, 64).Select(_ => new object()).ToArray();

    private object LockOf(byte[] key) => _keyLocks[(uint)System.IO.Hashing.XxHash32.HashToUInt32(key) % (uint)_keyLocks.Length];

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var stored = database.Db.Get(Key(stateName, grainId));
        if (stored is null)
        {
            grainState.State = Activator.CreateInstance<T>();
            grainState.ETag = null;
            grainState.RecordExists = false;
            return Task.CompletedTask;
        }
        grainState.State = serializer.Deserialize<T>(stored.AsMemory(8));
        grainState.ETag = BinaryPrimitives.ReadInt64BigEndian(stored).ToString(System.Globalization.CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = Key(stateName, grainId);
        var payload = serializer.SerializeToArray(grainState.State);
        return Task.Run(() => Write(key, payload, grainState));
    }

    private void Write<T>(byte[] key, byte[] payload, IGrainState<T> grainState)
    {
        lock (LockOf(key))
        {
            var version = CheckETag(key, grainState.ETag) + 1;
            var value = new byte[8 + payload.Length];
            BinaryPrimitives.WriteInt64BigEndian(value, version);
            payload.CopyTo(value, 8);
            database.Db.Put(key, value, writeOptions: database.SyncWrite);
            grainState.ETag = version.ToString(System.Globalization.CultureInfo.InvariantCulture);
            grainState.RecordExists = true;
        }
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = Key(stateName, grainId);
        return Task.Run(() =>
        {
            lock (LockOf(key))
            {
                CheckETag(key, grainState.ETag);
                database.Db.Remove(key, writeOptions: database.SyncWrite);
                grainState.ETag = null;
                grainState.RecordExists = false;
            }
        });
    }

    /// <summary>The stored version, after checking the caller saw it (optimistic concurrency, as Orleans providers do).</summary>
    private long CheckETag(byte[] key, string? etag)
    {
        var stored = database.Db.Get(key);
        var version = stored is null ? 0 : BinaryPrimitives.ReadInt64BigEndian(stored);
        var expected = stored is null ? null : version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (etag != expected)
            throw new InconsistentStateException($"ETag mismatch for {Encoding.UTF8.GetString(key)}", expected, etag);
        return version;
    }

    private byte[] Key(string stateName, GrainId grainId) => Encoding.UTF8.GetBytes($"g|{storageName}|{stateName}|{grainId}");
}
