using System.Buffers;
using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using OrleansDynamo.Json;
using OrleansDynamo.Model;

namespace OrleansDynamo.Transfer;

/// <summary>What manifest-summary.json says about an export besides its counts and times of completion.</summary>
/// <param name="S3Prefix">The export's S3 prefix, or null; object keys in the manifests start with it.</param>
public sealed record ExportSummary(
    string ExportArn,
    string TableArn,
    string TableId,
    DateTimeOffset StartTime,
    DateTimeOffset ExportTime,
    string S3Bucket,
    string? S3Prefix,
    string S3SseAlgorithm = "AES256",
    string? S3SseKmsKeyId = null);

/// <summary>A completed export.</summary>
/// <param name="BilledSizeBytes">The size of the exported items, as DynamoDB counts item sizes.</param>
/// <param name="ExportManifest">The S3 key of manifest-summary.json, as DescribeExport's ExportManifest names it.</param>
public sealed record ExportResult(long ItemCount, long BilledSizeBytes, string ExportManifest);

/// <summary>
/// Writes a full export in DynamoDB's layout and DYNAMODB_JSON format below a bucket folder:
/// <c>AWSDynamoDB/&lt;exportId&gt;/data/&lt;random&gt;.json.gz</c> files of <c>{"Item":{...}}</c> lines, then
/// manifest-files.json, manifest-summary.json and their checksum files.
/// </summary>
/// <remarks>
/// Crash safety comes from the order: a data file is complete and flushed to disk before a manifest names it, and
/// each manifest is written under a temporary name and renamed, so no manifest is half written or names a
/// missing file. An export that never completes has data files and no manifest-summary.json.
/// </remarks>
public sealed class DynamoJsonExportWriter : IAsyncDisposable
{
    public const int DefaultItemsPerFile = 100_000;

    private const string OutputFormat = "DYNAMODB_JSON";
    private const string ManifestVersion = "2020-06-30";
    private const int FileBufferBytes = 1 << 16;

    // Items hold any text: write it as UTF-8, not \u escapes (the output is never embedded in HTML).
    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonEncodedText ItemName = JsonEncodedText.Encode("Item");

    private readonly string _exportFolder;
    private readonly string _keyPrefix;
    private readonly ExportSummary _summary;
    private readonly int _itemsPerFile;
    private readonly TimeProvider _time;
    private readonly List<DataFileEntry> _files = [];
    private readonly ArrayBufferWriter<byte> _line = new();
    private readonly Utf8JsonWriter _json;
    private DataFile? _current;
    private long _itemCount;
    private long _billedSizeBytes;
    private bool _started;
    private bool _completed;

    /// <param name="folder">The folder of the bucket and prefix (<see cref="BucketFolders.Resolve"/>).</param>
    /// <param name="exportId">The export's id, the last part of its ARN: one path segment.</param>
    /// <param name="itemsPerFile">Items per data file before the next one is started.</param>
    /// <param name="time">The clock for endTime; the system's by default.</param>
    public DynamoJsonExportWriter(string folder, string exportId, ExportSummary summary, int itemsPerFile = DefaultItemsPerFile,
        TimeProvider? time = null)
    {
        if (exportId.Length == 0 || exportId is "." or ".." || exportId.IndexOfAny(['/', '\\']) >= 0 ||
            exportId.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
            throw new ArgumentException($"An export id is one path segment, not '{exportId}'", nameof(exportId));
        ArgumentOutOfRangeException.ThrowIfLessThan(itemsPerFile, 1);

        _exportFolder = Path.Combine(folder, ExportLayout.ExportsFolder, exportId);
        _keyPrefix = (string.IsNullOrEmpty(summary.S3Prefix) ? "" : summary.S3Prefix.TrimEnd('/') + "/") +
            $"{ExportLayout.ExportsFolder}/{exportId}/";
        _summary = summary;
        _itemsPerFile = itemsPerFile;
        _time = time ?? TimeProvider.System;
        _json = new Utf8JsonWriter(_line, JsonOptions);
    }

    /// <summary>Appends one item, as one line of the current data file.</summary>
    public async ValueTask WriteAsync(Item item, CancellationToken cancellationToken = default)
    {
        ThrowIfCompleted();
        _current ??= await OpenDataFileAsync(cancellationToken);

        _line.ResetWrittenCount();
        _json.Reset(_line);
        _json.WriteStartObject();
        _json.WritePropertyName(ItemName);
        AttributeValueWriter.WriteItem(_json, item);
        _json.WriteEndObject();
        _json.Flush();
        _line.Write("\n"u8);
        await _current.Compressed.WriteAsync(_line.WrittenMemory, cancellationToken);

        _current.ItemCount++;
        _itemCount++;
        _billedSizeBytes += item.SizeInBytes;
        if (_current.ItemCount >= _itemsPerFile) await CloseDataFileAsync(cancellationToken);
    }

    /// <summary>Closes the last data file and writes the manifests. Nothing can be written afterwards.</summary>
    public async Task<ExportResult> CompleteAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfCompleted();
        // DynamoDB writes at least one data file, an empty one for an empty table.
        if (_current is null && _files.Count == 0) _current = await OpenDataFileAsync(cancellationToken);
        if (_current is not null) await CloseDataFileAsync(cancellationToken);

        var filesManifest = FilesManifest();
        await WriteManifestAsync(ExportLayout.ManifestFiles, ExportLayout.ManifestFilesChecksum, filesManifest, cancellationToken);
        // The summary names manifest-files.json, so it comes last: its presence means the export is whole.
        var summary = SummaryManifest(_time.GetUtcNow());
        await WriteManifestAsync(ExportLayout.ManifestSummary, ExportLayout.ManifestSummaryChecksum, summary, cancellationToken);

        _completed = true;
        return new ExportResult(_itemCount, _billedSizeBytes, _keyPrefix + ExportLayout.ManifestSummary);
    }

    /// <summary>Closes an open data file without writing manifests: an export given up leaves no manifest.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_current is { } current)
        {
            _current = null;
            await current.Compressed.DisposeAsync();
            await current.File.DisposeAsync();
        }
        _completed = true;
        await _json.DisposeAsync();
    }

    private void ThrowIfCompleted()
    {
        if (_completed) throw new InvalidOperationException("The export is already complete or given up");
    }

    private async Task<DataFile> OpenDataFileAsync(CancellationToken cancellationToken)
    {
        if (!_started)
        {
            Directory.CreateDirectory(Path.Combine(_exportFolder, ExportLayout.DataFolder));
            // DynamoDB's proof that the destination is writable and the export has begun.
            await File.WriteAllBytesAsync(Path.Combine(_exportFolder, ExportLayout.Started), [], cancellationToken);
            _started = true;
        }
        var name = RandomFileName() + ExportLayout.DataFileExtension;
        var file = new FileStream(Path.Combine(_exportFolder, ExportLayout.DataFolder, name), FileMode.CreateNew, FileAccess.ReadWrite,
            FileShare.None, FileBufferBytes, FileOptions.Asynchronous);
        return new DataFile(file, new GZipStream(file, CompressionLevel.Optimal, leaveOpen: true),
            $"{_keyPrefix}{ExportLayout.DataFolder}/{name}");
    }

    private async Task CloseDataFileAsync(CancellationToken cancellationToken)
    {
        var current = _current!;
        _current = null;
        await using (current.File)
        {
            await current.Compressed.DisposeAsync();
            await current.File.FlushAsync(cancellationToken);
            current.File.Flush(flushToDisk: true);
            // The MD5 of the object as stored, as S3 reports it: read back while the file is still open.
            current.File.Position = 0;
            var md5 = await MD5.HashDataAsync(current.File, cancellationToken);
            _files.Add(new DataFileEntry(current.ItemCount, md5, current.Key));
        }
    }

    /// <summary>JSON lines, one per data file: itemCount, md5Checksum (base64), etag (hex, as S3's single-part one), dataFileS3Key.</summary>
    private byte[] FilesManifest()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using var json = new Utf8JsonWriter(buffer, JsonOptions);
        foreach (var file in _files)
        {
            json.Reset(buffer);
            json.WriteStartObject();
            json.WriteNumber("itemCount", file.ItemCount);
            json.WriteString("md5Checksum", Convert.ToBase64String(file.Md5));
            json.WriteString("etag", Convert.ToHexStringLower(file.Md5));
            json.WriteString("dataFileS3Key", file.Key);
            json.WriteEndObject();
            json.Flush();
            buffer.Write("\n"u8);
        }
        return buffer.WrittenSpan.ToArray();
    }

    private byte[] SummaryManifest(DateTimeOffset endTime)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, JsonOptions))
        {
            json.WriteStartObject();
            json.WriteString("version", ManifestVersion);
            json.WriteString("exportArn", _summary.ExportArn);
            json.WriteString("startTime", Timestamp(_summary.StartTime));
            json.WriteString("endTime", Timestamp(endTime));
            json.WriteString("tableArn", _summary.TableArn);
            json.WriteString("tableId", _summary.TableId);
            json.WriteString("exportTime", Timestamp(_summary.ExportTime));
            json.WriteString("s3Bucket", _summary.S3Bucket);
            json.WriteString("s3Prefix", string.IsNullOrEmpty(_summary.S3Prefix) ? null : _summary.S3Prefix);
            json.WriteString("s3SseAlgorithm", _summary.S3SseAlgorithm);
            json.WriteString("s3SseKmsKeyId", _summary.S3SseKmsKeyId);
            json.WriteString("manifestFilesS3Key", _keyPrefix + ExportLayout.ManifestFiles);
            json.WriteNumber("billedSizeBytes", _billedSizeBytes);
            json.WriteNumber("itemCount", _itemCount);
            json.WriteString("outputFormat", OutputFormat);
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes a manifest and then its checksum file (the manifest's MD5 in hex), each under a temporary name first.</summary>
    private async Task WriteManifestAsync(string name, string checksumName, byte[] content, CancellationToken cancellationToken)
    {
        await WriteAtomicallyAsync(name, content, cancellationToken);
        await WriteAtomicallyAsync(checksumName, System.Text.Encoding.ASCII.GetBytes(Convert.ToHexStringLower(MD5.HashData(content))), cancellationToken);
    }

    private async Task WriteAtomicallyAsync(string name, byte[] content, CancellationToken cancellationToken)
    {
        var path = Path.Combine(_exportFolder, name);
        var partial = path + ExportLayout.PartialSuffix;
        await using (var file = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, FileBufferBytes, FileOptions.Asynchronous))
        {
            await file.WriteAsync(content, cancellationToken);
            await file.FlushAsync(cancellationToken);
            file.Flush(flushToDisk: true);
        }
        File.Move(partial, path, overwrite: true);
    }

    // DynamoDB's own form: 2020-11-04T07:28:34.028Z.
    private static string Timestamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    // Lowercase base32, 26 characters, as DynamoDB names its data files.
    private static string RandomFileName() => new(RandomNumberGenerator.GetItems<char>("abcdefghijklmnopqrstuvwxyz234567", 26));

    private sealed class DataFile(FileStream file, GZipStream compressed, string key)
    {
        public FileStream File { get; } = file;
        public GZipStream Compressed { get; } = compressed;
        public string Key { get; } = key;
        public long ItemCount { get; set; }
    }

    private sealed record DataFileEntry(long ItemCount, byte[] Md5, string Key);
}
