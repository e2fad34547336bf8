using System.Diagnostics;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using OrleansDynamo.Server;

namespace OrleansDynamo.LoadGenerator;

/// <summary>
/// Backups, restores, exports and imports of one large table on the embedded store, in items/s, and the write
/// throughput clients see while a backup runs against the same writers without one (goal: ≥ 0.8x). Import goal:
/// ≥ 20,000 items/s. One in-process server over HTTP with the AWS SDK, so client and server share the 2 cores.
/// </summary>
public static class BackupBenchmark
{
    private const string Table = "big";

    public static async Task<int> RunAsync(BenchArgs args)
    {
        var items = args.Int("items", 1_000_000);
        var itemBytes = args.Int("item-bytes", 200);
        var writers = args.Int("writers", 32);
        var seconds = TimeSpan.FromSeconds(args.Int("seconds", 5));
        args.ThrowOnUnknown();
        var dataDir = Directory.CreateTempSubdirectory("odyn-bench-backup-").FullName;
        var exportRoot = Directory.CreateTempSubdirectory("odyn-bench-exports-").FullName;
        var app = ServerHost.Build(["--port", "0", "--silo-port", ClientVsHttpBenchmark.FreePort().ToString(), "--gateway-port", ClientVsHttpBenchmark.FreePort().ToString(),
            "--admin-port", "0", "--data-dir", dataDir, "--export-root", exportRoot, "--Logging:LogLevel:Default=Warning"]);
        await app.StartAsync();
        using var client = new AmazonDynamoDBClient(new BasicAWSCredentials("bench", "bench"),
            new AmazonDynamoDBConfig { ServiceURL = ServerHost.GetEndpoint(app).ToString(), AuthenticationRegion = "us-east-1", MaxErrorRetry = 3 });
        try
        {
            var payload = new string('x', itemBytes);
            await client.CreateTableAsync(new CreateTableRequest
            {
                TableName = Table, BillingMode = BillingMode.PAY_PER_REQUEST,
                KeySchema = [new("pk", KeyType.HASH)], AttributeDefinitions = [new("pk", ScalarAttributeType.S)],
            });
            var load = await TimedAsync(() => LoadAsync(client, items, payload));
            Report("bulk load (BatchWriteItem x25)", items, load);

            Task<bool> Put(Worker w) => client.PutItemAsync(Table, Item($"item-{w.Random.Next(items):D7}", payload)).ContinueWith(_ => true);
            var without = await ClosedLoop.RunAsync("PutItem", writers, seconds, Put);

            // Backups one after another for as long as the writers run, so the whole window has a backup in progress.
            var writes = ClosedLoop.RunAsync("PutItem", writers, seconds, Put);
            var backups = new List<(string Arn, TimeSpan Took)>();
            while (!writes.IsCompleted || backups.Count == 0)
            {
                var backup = Stopwatch.StartNew();
                var created = (await client.CreateBackupAsync(new CreateBackupRequest { TableName = Table, BackupName = $"bench-{backups.Count}" })).BackupDetails.BackupArn;
                await UntilAsync(async () => (await client.DescribeBackupAsync(new DescribeBackupRequest { BackupArn = created })).BackupDescription.BackupDetails.BackupStatus == BackupStatus.AVAILABLE);
                backups.Add((created, backup.Elapsed));
            }
            var during = await writes;
            var backupArn = backups[0].Arn;
            Report("backup (under the write load)", items, backups[0].Took);
            Console.WriteLine($"writes during backups: {during.OpsPerSecond:F0}/s against {without.OpsPerSecond:F0}/s without: {during.OpsPerSecond / without.OpsPerSecond:F2}x (goal >= 0.8x; {backups.Count} backups in the {seconds.TotalSeconds:F0} s)");

            var restore = await TimedAsync(async () =>
            {
                await client.RestoreTableFromBackupAsync(new RestoreTableFromBackupRequest { BackupArn = backupArn, TargetTableName = "restored" });
                await UntilAsync(async () => (await client.DescribeTableAsync("restored")).Table.TableStatus == TableStatus.ACTIVE);
            });
            Report("restore from backup", items, restore);

            await client.UpdateContinuousBackupsAsync(new UpdateContinuousBackupsRequest
            {
                TableName = Table, PointInTimeRecoverySpecification = new PointInTimeRecoverySpecification { PointInTimeRecoveryEnabled = true },
            });
            var arn = (await client.DescribeTableAsync(Table)).Table.TableArn;
            var exportArn = "";
            var export = await TimedAsync(async () =>
            {
                exportArn = (await client.ExportTableToPointInTimeAsync(new ExportTableToPointInTimeRequest { TableArn = arn, S3Bucket = "bench" })).ExportDescription.ExportArn;
                await UntilAsync(async () => (await client.DescribeExportAsync(new DescribeExportRequest { ExportArn = exportArn })).ExportDescription.ExportStatus != ExportStatus.IN_PROGRESS);
            });
            Report("export (DYNAMODB_JSON, gzip)", items, export);

            var importArn = "";
            var import = await TimedAsync(async () =>
            {
                importArn = (await client.ImportTableAsync(new ImportTableRequest
                {
                    S3BucketSource = new S3BucketSource { S3Bucket = "bench", S3KeyPrefix = $"AWSDynamoDB/{exportArn[(exportArn.LastIndexOf('/') + 1)..]}/data" },
                    InputFormat = InputFormat.DYNAMODB_JSON, InputCompressionType = InputCompressionType.GZIP,
                    TableCreationParameters = new TableCreationParameters
                    {
                        TableName = "imported", BillingMode = BillingMode.PAY_PER_REQUEST,
                        KeySchema = [new("pk", KeyType.HASH)], AttributeDefinitions = [new("pk", ScalarAttributeType.S)],
                    },
                })).ImportTableDescription.ImportArn;
                await UntilAsync(async () => (await client.DescribeImportAsync(new DescribeImportRequest { ImportArn = importArn })).ImportTableDescription.ImportStatus != ImportStatus.IN_PROGRESS);
            });
            var imported = (await client.DescribeImportAsync(new DescribeImportRequest { ImportArn = importArn })).ImportTableDescription;
            Report("import (DYNAMODB_JSON, gzip)", imported.ImportedItemCount ?? 0, import);
            Console.WriteLine($"import: {(imported.ImportedItemCount ?? 0) / import.TotalSeconds:F0} items/s (goal >= 20,000), {imported.ErrorCount} errors");
            return 0;
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            Directory.Delete(dataDir, recursive: true);
            Directory.Delete(exportRoot, recursive: true);
        }
    }

    private static void Report(string what, long items, TimeSpan elapsed) =>
        Console.WriteLine($"{what,-32} {items,10} items {elapsed.TotalSeconds,8:F1} s {items / elapsed.TotalSeconds,10:F0} items/s");

    private static async Task<TimeSpan> TimedAsync(Func<Task> work)
    {
        var clock = Stopwatch.StartNew();
        await work();
        return clock.Elapsed;
    }

    private static async Task UntilAsync(Func<Task<bool>> done)
    {
        while (!await done()) await Task.Delay(100);
    }

    private static Dictionary<string, AttributeValue> Item(string key, string payload) => new() { ["pk"] = new() { S = key }, ["v"] = new() { S = payload } };

    private static async Task LoadAsync(IAmazonDynamoDB client, int items, string payload)
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 16).Select(async _ =>
        {
            int start;
            while ((start = Interlocked.Add(ref next, 25) - 24) < items)
            {
                var writes = new Dictionary<string, List<WriteRequest>>
                {
                    [Table] = Enumerable.Range(start, Math.Min(25, items - start)).Select(i => new WriteRequest(new PutRequest(Item($"item-{i:D7}", payload)))).ToList(),
                };
                while (writes.Count > 0) writes = (await client.BatchWriteItemAsync(new BatchWriteItemRequest { RequestItems = writes })).UnprocessedItems;
            }
        }));
    }
}
