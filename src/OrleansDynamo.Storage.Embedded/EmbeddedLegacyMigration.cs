using System.Text;
using Microsoft.Extensions.Logging;
using RocksDbSharp;

namespace OrleansDynamo.Storage.Embedded;

/// <summary>
/// Converts the first layout (<c>i|table|incarnation|partition\0</c> + item key, <c>e|...</c> epochs) into
/// spaces when the database opens (see <see cref="LegacyLayout"/>). New records are written in batches that
/// leave the old ones in place; one last batch writes the maps and deletes the old keys. A crash on the way
/// redoes the conversion, which writes the same records again.
/// </summary>
internal static partial class EmbeddedLegacyMigration
{
    private const int Batch = 5000;

    public static void Run(EmbeddedDatabase database, ILogger logger)
    {
        var db = database.Db;
        var items = "i|"u8.ToArray();
        var epochs = "e|"u8.ToArray();
        if (!HasAny(db, items, "i}"u8.ToArray()) && !HasAny(db, epochs, "e}"u8.ToArray())) return;

        var conversion = new LegacyLayout();
        var batch = new WriteBatch();
        var pending = 0;
        var readOptions = new ReadOptions().SetIterateUpperBound("i}"u8.ToArray());
        using (var iterator = db.NewIterator(readOptions: readOptions))
        {
            for (iterator.Seek(items); iterator.Valid(); iterator.Next())
            {
                var key = iterator.GetKeySpan();
                var end = key.IndexOf((byte)0);
                var address = Encoding.UTF8.GetString(key[2..end]).Split('|');
                var converted = conversion.Convert(address[0], address[1], int.Parse(address[2], System.Globalization.CultureInfo.InvariantCulture),
                    key[(end + 1)..], iterator.Value());
                if (converted is not { } record) continue;
                batch.Put(EmbeddedPartitionStore.RecordKey(EmbeddedPartitionStore.RecordPrefix(record.Space), record.Write.Kind, record.Write.Key), record.Write.Value);
                if (++pending < Batch) continue;
                db.Write(batch, database.SyncWrite);
                batch.Dispose();
                batch = new WriteBatch();
                pending = 0;
            }
        }
        foreach (var (space, map, writes) in conversion.Finish())
        {
            batch.Put(EmbeddedPartitionStore.MapKeyOf(space), StoreCodec.EncodeMap(map));
            foreach (var write in writes)
                batch.Put(EmbeddedPartitionStore.RecordKey(EmbeddedPartitionStore.RecordPrefix(space), write.Kind, write.Key), write.Value);
        }
        batch.DeleteRange(items, (ulong)items.Length, "i}"u8.ToArray(), 2);
        batch.DeleteRange(epochs, (ulong)epochs.Length, "e}"u8.ToArray(), 2);
        db.Write(batch, database.SyncWrite);
        batch.Dispose();
        LogConverted(logger, conversion.Items, conversion.Spaces);
    }

    private static bool HasAny(RocksDb db, byte[] from, byte[] to)
    {
        var readOptions = new ReadOptions().SetIterateUpperBound(to);
        using var iterator = db.NewIterator(readOptions: readOptions);
        iterator.Seek(from);
        return iterator.Valid();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Converted {Items} items of {Tables} tables to the storage layout of December 2026 (one-time migration)")]
    private static partial void LogConverted(ILogger logger, long items, int tables);
}
