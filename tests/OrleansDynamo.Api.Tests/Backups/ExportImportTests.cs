using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using static OrleansDynamo.Api.Tests.Backups.BackupTestSupport;
using static OrleansDynamo.Api.Tests.TestTables;

namespace OrleansDynamo.Api.Tests.Backups;

/// <summary>ExportTableToPointInTime, ImportTable and their Describe and List operations, with buckets as folders under the export root.</summary>
[Collection(ServerCollection.Name)]
public sealed class ExportImportTests(ServerFixture server)
{
    private IAmazonDynamoDB Client => server.Client;

    private const string Bucket = "exports";

    private static Dictionary<string, AttributeValue> Typed(int i) => new()
    {
        ["pk"] = S($"item-{i}"), ["n"] = N($"{i}.5"), ["b"] = new() { B = new MemoryStream([(byte)i, 0, 255]) }, ["t"] = new() { BOOL = i % 2 == 0 },
        ["z"] = new() { NULL = true }, ["ss"] = new() { SS = ["a", $"s{i}"] }, ["ns"] = new() { NS = ["1", $"{i + 2}"] },
        ["bs"] = new() { BS = [new MemoryStream([1]), new MemoryStream([(byte)(i + 2)])] },
        ["l"] = new() { L = [S("x"), N("2"), new() { M = new() { ["deep"] = S("ü ✓ \"quoted\"\n") } }] },
        ["m"] = new() { M = new() { ["inner"] = new() { L = [] }, ["e"] = new() { M = [] } } },
    };

    private async Task<(string Table, string Arn)> RecoverableTableAsync()
    {
        var table = await CreateAsync(Client);
        await Client.UpdateContinuousBackupsAsync(new UpdateContinuousBackupsRequest
        {
            TableName = table, PointInTimeRecoverySpecification = new PointInTimeRecoverySpecification { PointInTimeRecoveryEnabled = true },
        });
        return (table, (await Client.DescribeTableAsync(table)).Table.TableArn);
    }

    private Task<ExportDescription> CompletedAsync(string exportArn) =>
        UntilAsync(async () => (await Client.DescribeExportAsync(new DescribeExportRequest { ExportArn = exportArn })).ExportDescription,
            e => e.ExportStatus != ExportStatus.IN_PROGRESS);

    private Task<ImportTableDescription> ImportedAsync(string importArn) =>
        UntilAsync(async () => (await Client.DescribeImportAsync(new DescribeImportRequest { ImportArn = importArn })).ImportTableDescription,
            i => i.ImportStatus != ImportStatus.IN_PROGRESS);

    private Task<ImportTableResponse> ImportAsync(string target, string prefix, InputFormat format, InputFormatOptions? options = null,
        InputCompressionType? compression = null) =>
        Client.ImportTableAsync(new ImportTableRequest
        {
            S3BucketSource = new S3BucketSource { S3Bucket = Bucket, S3KeyPrefix = prefix }, InputFormat = format, InputFormatOptions = options,
            InputCompressionType = compression ?? InputCompressionType.NONE,
            TableCreationParameters = new TableCreationParameters
            {
                TableName = target, BillingMode = BillingMode.PAY_PER_REQUEST,
                KeySchema = [new("pk", KeyType.HASH)], AttributeDefinitions = [new("pk", ScalarAttributeType.S)],
            },
        });

    [Fact]
    public async Task An_export_then_an_import_gives_a_table_identical_to_the_source()
    {
        var (table, arn) = await RecoverableTableAsync();
        await PutAllAsync(Client, table, Enumerable.Range(0, 250).Select(Typed));
        var source = await ItemsAsync(Client, table);

        var started = (await Client.ExportTableToPointInTimeAsync(new ExportTableToPointInTimeRequest
        {
            TableArn = arn, S3Bucket = Bucket, S3Prefix = $"round-trip/{table}", ExportFormat = ExportFormat.DYNAMODB_JSON,
        })).ExportDescription;
        Assert.Equal(ExportStatus.IN_PROGRESS, started.ExportStatus);
        Assert.StartsWith($"{arn}/export/", started.ExportArn);
        var export = await CompletedAsync(started.ExportArn);
        Assert.Equal(ExportStatus.COMPLETED, export.ExportStatus);
        Assert.Equal(250, export.ItemCount);
        Assert.True(File.Exists(Path.Combine(server.ExportRoot, Bucket, export.ExportManifest)), export.ExportManifest);
        Assert.Contains(started.ExportArn, (await Client.ListExportsAsync(new ListExportsRequest { TableArn = arn })).ExportSummaries.Select(e => e.ExportArn));

        var exportId = started.ExportArn[(started.ExportArn.LastIndexOf('/') + 1)..];
        var target = NewName("imported");
        var import = (await ImportAsync(target, $"round-trip/{table}/AWSDynamoDB/{exportId}/data", InputFormat.DYNAMODB_JSON, compression: InputCompressionType.GZIP))
            .ImportTableDescription;
        Assert.StartsWith($"arn:aws:dynamodb:us-east-1:000000000000:table/{target}/import/", import.ImportArn);
        var done = await ImportedAsync(import.ImportArn);
        Assert.Equal(ImportStatus.COMPLETED, done.ImportStatus);
        Assert.Equal(250, done.ImportedItemCount);
        Assert.Equal(0, done.ErrorCount);
        Assert.True(done.ProcessedSizeBytes > 0);
        await ActiveAsync(Client, target);
        Assert.Equal(source, await ItemsAsync(Client, target));
        Assert.Contains(import.ImportArn, (await Client.ListImportsAsync(new ListImportsRequest())).ImportSummaryList.Select(i => i.ImportArn));
    }

    [Fact]
    public async Task A_CSV_import_types_the_keys_reads_the_rest_as_strings_and_counts_bad_rows()
    {
        var folder = Directory.CreateDirectory(Path.Combine(server.ExportRoot, Bucket, "csv", Guid.NewGuid().ToString("N")));
        await File.WriteAllTextAsync(Path.Combine(folder.FullName, "rows.csv"), "pk,sk,note\na,1,\"hello, world\"\nb,2,plain\nc,not-a-number,x\n");
        var target = NewName("csv");
        var import = (await Client.ImportTableAsync(new ImportTableRequest
        {
            S3BucketSource = new S3BucketSource { S3Bucket = Bucket, S3KeyPrefix = $"csv/{folder.Name}" }, InputFormat = InputFormat.CSV,
            TableCreationParameters = new TableCreationParameters
            {
                TableName = target, BillingMode = BillingMode.PAY_PER_REQUEST,
                KeySchema = [new("pk", KeyType.HASH), new("sk", KeyType.RANGE)], AttributeDefinitions = [new("pk", ScalarAttributeType.S), new("sk", ScalarAttributeType.N)],
            },
        })).ImportTableDescription;
        var done = await ImportedAsync(import.ImportArn);
        Assert.Equal(ImportStatus.COMPLETED, done.ImportStatus);
        Assert.Equal(2, done.ImportedItemCount);
        Assert.Equal(1, done.ErrorCount);
        await ActiveAsync(Client, target);
        var a = (await Client.GetItemAsync(target, new() { ["pk"] = S("a"), ["sk"] = N("1") })).Item;
        Assert.Equal("hello, world", a["note"].S);
    }

    [Fact]
    public async Task Export_and_import_errors_are_DynamoDBs()
    {
        var plain = await CreateAsync(Client);
        var plainArn = (await Client.DescribeTableAsync(plain)).Table.TableArn;
        await Assert.ThrowsAsync<PointInTimeRecoveryUnavailableException>(() => Client.ExportTableToPointInTimeAsync(new ExportTableToPointInTimeRequest { TableArn = plainArn, S3Bucket = Bucket }));
        await Assert.ThrowsAsync<TableNotFoundException>(() => Client.ExportTableToPointInTimeAsync(new ExportTableToPointInTimeRequest
        {
            TableArn = "arn:aws:dynamodb:us-east-1:000000000000:table/no-such-table", S3Bucket = Bucket,
        }));
        var (_, arn) = await RecoverableTableAsync();
        await Assert.ThrowsAsync<InvalidExportTimeException>(() => Client.ExportTableToPointInTimeAsync(new ExportTableToPointInTimeRequest
        {
            TableArn = arn, S3Bucket = Bucket, ExportTime = DateTime.UtcNow.AddDays(-2),
        }));
        var outside = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Client.ExportTableToPointInTimeAsync(new ExportTableToPointInTimeRequest
        {
            TableArn = arn, S3Bucket = Bucket, S3Prefix = "../../escape",
        }));
        Assert.Equal("ValidationException", outside.ErrorCode);
        var ion = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Client.ExportTableToPointInTimeAsync(new ExportTableToPointInTimeRequest
        {
            TableArn = arn, S3Bucket = Bucket, ExportFormat = ExportFormat.ION,
        }));
        Assert.Equal("ValidationException", ion.ErrorCode);

        await Assert.ThrowsAsync<ExportNotFoundException>(() => Client.DescribeExportAsync(new DescribeExportRequest { ExportArn = arn + "/export/01700000000000-deadbeef" }));
        await Assert.ThrowsAsync<ImportNotFoundException>(() => Client.DescribeImportAsync(new DescribeImportRequest { ImportArn = arn + "/import/01700000000000-deadbeef" }));
        var taken = await Assert.ThrowsAsync<ResourceInUseException>(() => ImportAsync(plain, "anything", InputFormat.DYNAMODB_JSON));
        Assert.Contains(plain, taken.Message);
        var pageSize = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Client.ListExportsAsync(new ListExportsRequest { MaxResults = BackupTests.Unchecked(26) }));
        Assert.Contains("at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 25", pageSize.Message);
    }
    [Fact]
    public async Task A_ClientToken_answers_the_same_transfer_again_and_refuses_other_parameters()
    {
        var (table, arn) = await RecoverableTableAsync();
        await Client.PutItemAsync(table, new() { ["pk"] = S("one") });
        var token = Guid.NewGuid().ToString();
        var first = (await Client.ExportTableToPointInTimeAsync(new ExportTableToPointInTimeRequest { TableArn = arn, S3Bucket = Bucket, S3Prefix = "token", ClientToken = token })).ExportDescription;
        var again = (await Client.ExportTableToPointInTimeAsync(new ExportTableToPointInTimeRequest { TableArn = arn, S3Bucket = Bucket, S3Prefix = "token", ClientToken = token })).ExportDescription;
        Assert.Equal(first.ExportArn, again.ExportArn);
        await Assert.ThrowsAsync<ExportConflictException>(() => Client.ExportTableToPointInTimeAsync(new ExportTableToPointInTimeRequest
        {
            TableArn = arn, S3Bucket = Bucket, S3Prefix = "elsewhere", ClientToken = token,
        }));
        await CompletedAsync(first.ExportArn);

        var importToken = Guid.NewGuid().ToString();
        var target = NewName("token");
        var request = new ImportTableRequest
        {
            ClientToken = importToken, S3BucketSource = new S3BucketSource { S3Bucket = Bucket, S3KeyPrefix = "token" }, InputFormat = InputFormat.DYNAMODB_JSON,
            InputCompressionType = InputCompressionType.GZIP,
            TableCreationParameters = new TableCreationParameters
            {
                TableName = target, BillingMode = BillingMode.PAY_PER_REQUEST, KeySchema = [new("pk", KeyType.HASH)], AttributeDefinitions = [new("pk", ScalarAttributeType.S)],
            },
        };
        var imported = (await Client.ImportTableAsync(request)).ImportTableDescription;
        Assert.Equal(imported.ImportArn, (await Client.ImportTableAsync(request)).ImportTableDescription.ImportArn);
        request.S3BucketSource = new S3BucketSource { S3Bucket = Bucket, S3KeyPrefix = "other" };
        await Assert.ThrowsAsync<ImportConflictException>(() => Client.ImportTableAsync(request));
        Assert.Equal(1, (await ImportedAsync(imported.ImportArn)).ImportedItemCount);
    }

    [Fact]
    public async Task An_item_whose_index_key_has_the_wrong_type_fails_alone()
    {
        var folder = Directory.CreateDirectory(Path.Combine(server.ExportRoot, Bucket, "typed", Guid.NewGuid().ToString("N")));
        await File.WriteAllLinesAsync(Path.Combine(folder.FullName, "items.json"),
        [
            """{"Item":{"pk":{"S":"a"},"rank":{"N":"1"}}}""",
            """{"Item":{"pk":{"S":"b"},"rank":{"S":"not a number"}}}""",
            """{"Item":{"pk":{"S":"c"}}}""",
        ]);
        var target = NewName("typed");
        var import = (await Client.ImportTableAsync(new ImportTableRequest
        {
            S3BucketSource = new S3BucketSource { S3Bucket = Bucket, S3KeyPrefix = $"typed/{folder.Name}" }, InputFormat = InputFormat.DYNAMODB_JSON,
            TableCreationParameters = new TableCreationParameters
            {
                TableName = target, BillingMode = BillingMode.PAY_PER_REQUEST, KeySchema = [new("pk", KeyType.HASH)],
                AttributeDefinitions = [new("pk", ScalarAttributeType.S), new("rank", ScalarAttributeType.N)],
                GlobalSecondaryIndexes = [new GlobalSecondaryIndex { IndexName = "by-rank", KeySchema = [new("rank", KeyType.HASH)], Projection = new Projection { ProjectionType = ProjectionType.ALL } }],
            },
        })).ImportTableDescription;
        var done = await ImportedAsync(import.ImportArn);
        Assert.Equal((2, 1), (done.ImportedItemCount, done.ErrorCount));
        Assert.Equal(["S:a", "S:c"], (await ItemsAsync(Client, target)).Keys);
    }
}
