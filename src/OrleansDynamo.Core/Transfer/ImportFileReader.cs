using System.IO.Compression;
using System.Runtime.CompilerServices;
using OrleansDynamo.Errors;
using OrleansDynamo.Model;
using OrleansDynamo.Validation;

namespace OrleansDynamo.Transfer;

/// <summary>
/// Reads the items of an import from the files that stand for its S3 objects, in the formats ImportTable takes
/// (DYNAMODB_JSON and CSV, uncompressed, GZIP or ZSTD).
/// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/S3DataImport.Format.html
/// </summary>
/// <remarks>
/// A record that cannot be imported comes back as an error and the next one is read, as DynamoDB counts errors and
/// carries on. An object whose compressed data breaks off, or whose CSV header is unusable, yields one error and
/// the rest of it is skipped. Every item passes DynamoDB's item checks: key attributes present with the key
/// schema's types, valid values, at most 400 KB.
/// </remarks>
public static class ImportFileReader
{
    private const int ChunkBytes = 1 << 16;

    /// <summary>Every record of the files at <paramref name="path"/>, file by file in S3's key order.</summary>
    /// <param name="path">
    /// A folder (<see cref="BucketFolders.Resolve"/>), whose files are read, sub-folders included; or one file, as
    /// when the S3 prefix is the whole key of an object. Nothing there: no records (the caller reports the error).
    /// DynamoDB's export bookkeeping (manifests, checksums, _started) is skipped, so an export can be imported.
    /// </param>
    public static async IAsyncEnumerable<ImportRecord> ReadAsync(string path, ImportFormatOptions options,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var (folder, files) = FindObjects(path);
        var totalBytes = files.Sum(f => f.Length);
        var bytesBefore = 0L;
        var buffer = new byte[ChunkBytes];
        var decoded = new List<DecodedRecord>();
        foreach (var file in files)
        {
            var name = Path.GetRelativePath(folder, file.FullName).Replace(Path.DirectorySeparatorChar, '/');
            var decoder = ImportDecoders.For(options);
            await using var raw = new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, ChunkBytes,
                FileOptions.Asynchronous | FileOptions.SequentialScan);
            await using var input = Decompressed(raw, options.Compression);
            var done = false;
            while (!done)
            {
                var (read, failure) = await ReadChunkAsync(input, buffer, cancellationToken);
                if (failure is not null) decoded.Add(new DecodedRecord(null, failure, decoder.Line));
                else if (read > 0) decoder.Feed(buffer.AsSpan(0, read), decoded);
                else decoder.Finish(decoded);
                done = failure is not null || read == 0 || decoder.Abandoned;

                var bytesRead = bytesBefore + (done ? file.Length : Math.Min(raw.Position, file.Length));
                foreach (var record in decoded) yield return ToImportRecord(record, name, options, bytesRead, totalBytes);
                decoded.Clear();
            }
            bytesBefore += file.Length;
        }
    }

    /// <summary>The files to read and the folder their names are relative to.</summary>
    internal static (string Folder, IReadOnlyList<FileInfo> Files) FindObjects(string path)
    {
        path = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        if (File.Exists(path))
        {
            var single = new FileInfo(path);
            return (single.DirectoryName!, ExportLayout.IsMetadata(single.Name) ? [] : [single]);
        }
        if (!Directory.Exists(path)) return (path, []);

        // Hidden files (".DS_Store" and the like) are skipped, as EnumerationOptions does by default.
        var files = new DirectoryInfo(path)
            .EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true })
            .Where(f => !ExportLayout.IsMetadata(f.Name))
            .Select(f => (Key: Path.GetRelativePath(path, f.FullName).Replace(Path.DirectorySeparatorChar, '/'), File: f))
            // S3 lists keys in UTF-8 byte order, which ordinal order of the '/'-separated keys is.
            .OrderBy(f => f.Key, StringComparer.Ordinal)
            .Select(f => f.File)
            .ToList();
        return (path, files);
    }

    private static Stream Decompressed(Stream raw, ImportCompression compression) => compression switch
    {
        ImportCompression.Gzip => new GZipStream(raw, CompressionMode.Decompress, leaveOpen: true),
        ImportCompression.Zstd => new ZstdSharp.DecompressionStream(raw, leaveOpen: true),
        _ => raw,
    };

    /// <summary>Reads a chunk, or says why the object's data cannot be read further (bad GZIP or ZSTD data).</summary>
    private static async Task<(int Read, DynamoException? Failure)> ReadChunkAsync(Stream input, byte[] buffer, CancellationToken cancellationToken)
    {
        try
        {
            return (await input.ReadAsync(buffer, cancellationToken), null);
        }
        catch (Exception e) when (e is InvalidDataException or ZstdSharp.ZstdException)
        {
            return (0, DynamoErrors.ImportObjectUnreadable(e.Message));
        }
    }

    private static ImportRecord ToImportRecord(DecodedRecord record, string file, ImportFormatOptions options, long bytesRead, long totalBytes)
    {
        var error = record.Error ?? Check(record.Item!, options);
        return error is null
            ? new ImportRecord(record.Item, null, bytesRead, totalBytes)
            : new ImportRecord(null, new ImportItemError(file, record.Line, error.Message), bytesRead, totalBytes);
    }

    /// <summary>The checks PutItem makes of an item, in PutItem's order (PutItemValidator).</summary>
    private static DynamoException? Check(Item item, ImportFormatOptions options)
    {
        try
        {
            ItemRules.CheckValues(item);
            ItemRules.CheckSize(item);
            KeyRules.CheckItem(item, options.Keys);
            return null;
        }
        catch (DynamoException e)
        {
            return e;
        }
    }
}
