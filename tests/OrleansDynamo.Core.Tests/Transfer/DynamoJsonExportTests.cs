using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using OrleansDynamo.Model;
using OrleansDynamo.Transfer;
using static OrleansDynamo.Core.Tests.Transfer.TransferTestFiles;

namespace OrleansDynamo.Core.Tests.Transfer;

/// <summary>
/// A full export in DynamoDB's layout, read back by the import.
/// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/S3DataExport.Output.html
/// </summary>
public sealed class DynamoJsonExportTests : IDisposable
{
    private const string Bucket = "my-bucket";
    private const string Prefix = "exports/2024";
    private const string ExportId = "01700000000000-a1b2c3d4";

    private static readonly DateTimeOffset Start = new(2024, 11, 4, 7, 28, 34, 28, TimeSpan.Zero);
    private static readonly DateTimeOffset End = new(2024, 11, 4, 7, 33, 43, 897, TimeSpan.Zero);
    private static readonly TableSchema Keys = new(new KeyAttribute("pk", AttributeType.S), null);

    private readonly TempFolder _root = new();
    private readonly string _folder;

    public DynamoJsonExportTests() => _folder = new BucketFolders(_root.Path).Resolve(Bucket, Prefix);

    public void Dispose() => _root.Dispose();

    private static ExportSummary Summary => new(
        ExportArn: $"arn:aws:dynamodb:us-east-1:000000000000:table/Books/export/{ExportId}",
        TableArn: "arn:aws:dynamodb:us-east-1:000000000000:table/Books",
        TableId: "12345a12-abcd-123a-ab12-1234abc12345",
        StartTime: Start,
        ExportTime: Start,
        S3Bucket: Bucket,
        S3Prefix: Prefix);

    private DynamoJsonExportWriter Writer(int itemsPerFile = DynamoJsonExportWriter.DefaultItemsPerFile) =>
        new(_folder, ExportId, Summary, itemsPerFile, new FixedTime(End));

    private string ExportFolder => Path.Combine(_folder, "AWSDynamoDB", ExportId);

    /// <summary>An S3 key of the manifests as a path: keys are relative to the bucket.</summary>
    private string PathOfKey(string key) => Path.Combine(_root.Path, Bucket, key.Replace('/', Path.DirectorySeparatorChar));

    private static Item Simple(int i) => ItemOf(("pk", AttributeValue.FromS($"item-{i}")), ("n", AttributeValue.FromN(i.ToString())));

    /// <summary>Every attribute type, nested ones inside lists and maps, and text that JSON must escape.</summary>
    private static Item EveryType() => ItemOf(
        ("pk", AttributeValue.FromS("every-type")),
        ("s", AttributeValue.FromS("é€😀 \"quoted\", a\nnew line and a \\ backslash")),
        ("empty", AttributeValue.FromS("")),
        ("n", AttributeValue.FromN("-12.5E+3")),
        ("big", AttributeValue.FromN("12345678901234567890123456789012345678")),
        ("b", AttributeValue.FromB([0, 1, 254, 255])),
        ("yes", AttributeValue.True),
        ("no", AttributeValue.False),
        ("nothing", AttributeValue.Null),
        ("ss", AttributeValue.FromSS(["a", "b", "c d"])),
        ("ns", AttributeValue.FromNS([DynamoNumber.Parse("1"), DynamoNumber.Parse("2.5"), DynamoNumber.Parse("-3")])),
        ("bs", AttributeValue.FromBS([[1], [2, 3]])),
        ("l", AttributeValue.FromL([
            AttributeValue.FromS("x"), AttributeValue.FromN("1"), AttributeValue.Null, AttributeValue.FromL([]),
            AttributeValue.FromL([AttributeValue.FromBS([[9]])]),
            AttributeValue.FromM(new Dictionary<string, AttributeValue> { ["in-list"] = AttributeValue.True }),
        ])),
        ("m", AttributeValue.FromM(new Dictionary<string, AttributeValue>
        {
            ["inner"] = AttributeValue.FromM(new Dictionary<string, AttributeValue>
            {
                ["deep"] = AttributeValue.FromSS(["z"]),
                ["numbers"] = AttributeValue.FromL([AttributeValue.FromN("0.001")]),
            }),
            ["empty map"] = AttributeValue.FromM(new Dictionary<string, AttributeValue>()),
            ["bin"] = AttributeValue.FromB([]),
        })));

    private static JsonElement[] JsonLines(string path) =>
        File.ReadAllLines(path).Select(line => JsonDocument.Parse(line).RootElement.Clone()).ToArray();

    [Fact]
    public async Task Manifests_count_every_item_and_name_data_files_that_exist_with_their_md5()
    {
        ExportResult result;
        await using (var writer = Writer(itemsPerFile: 2))
        {
            for (var i = 0; i < 5; i++) await writer.WriteAsync(Simple(i));
            result = await writer.CompleteAsync();
        }

        var expectedSize = Enumerable.Range(0, 5).Sum(i => Simple(i).SizeInBytes);
        Assert.Equal(new ExportResult(5, expectedSize, $"{Prefix}/AWSDynamoDB/{ExportId}/manifest-summary.json"), result);

        var files = JsonLines(Path.Combine(ExportFolder, "manifest-files.json"));
        Assert.Equal([2L, 2L, 1L], files.Select(f => f.GetProperty("itemCount").GetInt64()));
        foreach (var file in files)
        {
            var key = file.GetProperty("dataFileS3Key").GetString()!;
            Assert.Matches($"^{Prefix}/AWSDynamoDB/{ExportId}/data/[a-z2-7]{{26}}\\.json\\.gz$", key);
            var md5 = MD5.HashData(File.ReadAllBytes(PathOfKey(key)));
            Assert.Equal(Convert.ToBase64String(md5), file.GetProperty("md5Checksum").GetString());
            Assert.Equal(Convert.ToHexStringLower(md5), file.GetProperty("etag").GetString());
        }
        Assert.Equal(3, Directory.GetFiles(Path.Combine(ExportFolder, "data")).Length);
        Assert.True(File.Exists(Path.Combine(ExportFolder, "_started")));
    }

    [Fact]
    public async Task The_summary_manifest_describes_the_export_and_both_checksums_match()
    {
        await using (var writer = Writer())
        {
            await writer.WriteAsync(Simple(1));
            await writer.WriteAsync(Simple(2));
            await writer.CompleteAsync();
        }

        var summary = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(ExportFolder, "manifest-summary.json"))).RootElement;
        Assert.Equal("2020-06-30", summary.GetProperty("version").GetString());
        Assert.Equal(Summary.ExportArn, summary.GetProperty("exportArn").GetString());
        Assert.Equal("2024-11-04T07:28:34.028Z", summary.GetProperty("startTime").GetString());
        Assert.Equal("2024-11-04T07:33:43.897Z", summary.GetProperty("endTime").GetString());
        Assert.Equal("2024-11-04T07:28:34.028Z", summary.GetProperty("exportTime").GetString());
        Assert.Equal(Summary.TableArn, summary.GetProperty("tableArn").GetString());
        Assert.Equal(Summary.TableId, summary.GetProperty("tableId").GetString());
        Assert.Equal(Bucket, summary.GetProperty("s3Bucket").GetString());
        Assert.Equal(Prefix, summary.GetProperty("s3Prefix").GetString());
        Assert.Equal("AES256", summary.GetProperty("s3SseAlgorithm").GetString());
        Assert.Equal(JsonValueKind.Null, summary.GetProperty("s3SseKmsKeyId").ValueKind);
        Assert.Equal(2, summary.GetProperty("itemCount").GetInt64());
        Assert.Equal(Simple(1).SizeInBytes + Simple(2).SizeInBytes, summary.GetProperty("billedSizeBytes").GetInt64());
        Assert.Equal("DYNAMODB_JSON", summary.GetProperty("outputFormat").GetString());
        var filesKey = summary.GetProperty("manifestFilesS3Key").GetString()!;
        Assert.Equal($"{Prefix}/AWSDynamoDB/{ExportId}/manifest-files.json", filesKey);
        Assert.True(File.Exists(PathOfKey(filesKey)));

        foreach (var manifest in new[] { "manifest-summary", "manifest-files" })
        {
            var md5 = MD5.HashData(File.ReadAllBytes(Path.Combine(ExportFolder, manifest + ".json")));
            Assert.Equal(Convert.ToHexStringLower(md5), File.ReadAllText(Path.Combine(ExportFolder, manifest + ".checksum")));
        }
        Assert.Empty(Directory.GetFiles(ExportFolder, "*.partial"));
    }

    [Fact]
    public async Task Data_files_are_gzip_JSON_lines_of_one_Item_each()
    {
        await using (var writer = Writer())
        {
            await writer.WriteAsync(EveryType());
            await writer.WriteAsync(Simple(7));
            await writer.CompleteAsync();
        }

        var dataFile = Assert.Single(Directory.GetFiles(Path.Combine(ExportFolder, "data")));
        using var gzip = new GZipStream(File.OpenRead(dataFile), CompressionMode.Decompress);
        var text = new StreamReader(gzip, Encoding.UTF8).ReadToEnd();
        Assert.EndsWith("\n", text);
        var lines = text.TrimEnd('\n').Split('\n');
        Assert.Equal(2, lines.Length);
        foreach (var line in lines)
        {
            var root = JsonDocument.Parse(line).RootElement;
            Assert.Equal("Item", Assert.Single(root.EnumerateObject()).Name);
        }
        // Numbers are strings; text is UTF-8 (beyond the BMP the encoder escapes: still the same JSON string).
        Assert.Equal("""{"Item":{"pk":{"S":"item-7"},"n":{"N":"7"}}}""", lines[1]);
        Assert.Contains("é€", lines[0]);
    }

    [Fact]
    public async Task An_export_imports_back_to_the_same_items_of_every_type()
    {
        var items = Enumerable.Range(0, 25).Select(Simple).Append(EveryType()).ToList();
        await using (var writer = Writer(itemsPerFile: 10))
        {
            foreach (var item in items) await writer.WriteAsync(item);
            await writer.CompleteAsync();
        }

        // The export's folder as an import source: the manifests, checksums and _started are skipped.
        var records = await ReadAllAsync(_folder, new ImportFormatOptions(ImportInputFormat.DynamoDbJson, Keys) { Compression = ImportCompression.Gzip });
        Assert.Empty(records.Errors());
        var imported = records.Items().ToDictionary(i => i["pk"].S);
        Assert.Equal(items.Count, imported.Count);
        foreach (var item in items) AssertSameItem(item, imported[item["pk"].S]);
    }

    [Fact]
    public async Task An_empty_table_exports_one_empty_data_file()
    {
        await using (var writer = Writer())
            Assert.Equal(0, (await writer.CompleteAsync()).ItemCount);

        var file = Assert.Single(JsonLines(Path.Combine(ExportFolder, "manifest-files.json")));
        Assert.Equal(0, file.GetProperty("itemCount").GetInt64());
        Assert.True(File.Exists(PathOfKey(file.GetProperty("dataFileS3Key").GetString()!)));
        Assert.Empty(await ReadAllAsync(_folder, new ImportFormatOptions(ImportInputFormat.DynamoDbJson, Keys) { Compression = ImportCompression.Gzip }));
    }

    [Fact]
    public async Task An_export_given_up_leaves_data_but_no_manifest()
    {
        await using (var writer = Writer(itemsPerFile: 1))
        {
            await writer.WriteAsync(Simple(1));
            await writer.WriteAsync(Simple(2));
        }

        Assert.Equal(2, Directory.GetFiles(Path.Combine(ExportFolder, "data")).Length);
        Assert.Empty(Directory.GetFiles(ExportFolder, "manifest-*"));
    }

    [Fact]
    public async Task Nothing_is_written_after_completion()
    {
        await using var writer = Writer();
        await writer.CompleteAsync();
        await Assert.ThrowsAsync<InvalidOperationException>(() => writer.WriteAsync(Simple(1)).AsTask());
        await Assert.ThrowsAsync<InvalidOperationException>(() => writer.CompleteAsync());
    }

    [Theory]
    [InlineData("")]
    [InlineData("..")]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    public void An_export_id_is_one_path_segment(string exportId) =>
        Assert.Throws<ArgumentException>(() => new DynamoJsonExportWriter(_folder, exportId, Summary));

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
