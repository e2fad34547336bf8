using System.Buffers.Binary;
using System.Text;
using Orleans.Serialization;
using Orleans.Storage;

namespace OrleansDynamo.Storage.Embedded;

/// <summary>
/// Orleans grain state (table metadata, the catalog) in the embedded database, under
/// <c>g|storage|state name|grain id</c>: an 8-byte version (the ETag) followed by the Orleans-serialized state.
/// </summary>
public sealed class EmbeddedGrainStorage(string storageName, EmbeddedDatabase database, Serializer serializer) : IGrainStorage
{
    private readonly object _writeLock = new();

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
        lock (_writeLock)
        {
            var version = CheckETag(key, grainState.ETag) + 1;
            var value = new byte[8 + payload.Length];
            BinaryPrimitives.WriteInt64BigEndian(value, version);
            payload.CopyTo(value, 8);
            database.Db.Put(key, value, writeOptions: database.SyncWrite);
            grainState.ETag = version.ToString(System.Globalization.CultureInfo.InvariantCulture);
            grainState.RecordExists = true;
        }
        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = Key(stateName, grainId);
        lock (_writeLock)
        {
            CheckETag(key, grainState.ETag);
            database.Db.Remove(key, writeOptions: database.SyncWrite);
            grainState.ETag = null;
            grainState.RecordExists = false;
        }
        return Task.CompletedTask;
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
