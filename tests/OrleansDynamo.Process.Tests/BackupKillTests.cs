using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using OrleansDynamo.Tests.Shared;

namespace OrleansDynamo.ProcessTests;

/// <summary>
/// Backups, the recovery log and restores across kill -9 of a real server process: an AVAILABLE backup and the
/// point-in-time history survive, and a restore the kill interrupted starts again and completes.
/// </summary>
public sealed class BackupKillTests
{
    private const string Table = "history";
    private const int Items = 20_000;

    [Fact]
    public async Task Backups_history_and_an_interrupted_restore_survive_kill_9_on_the_embedded_store()
    {
        using var data = new TempDataDirectory();
        await SurvivesKillAsync(data.Arguments);
    }

    [Fact]
    public async Task Backups_history_and_an_interrupted_restore_survive_kill_9_on_PostgreSQL()
    {
        await using var postgres = await PostgresServer.StartAsync();
        await SurvivesKillAsync(["--storage", "postgres", "--postgres", await postgres.CreateDatabaseAsync("backup_kill")]);
    }

    private static async Task SurvivesKillAsync(string[] storage)
    {
        Dictionary<string, string> atInstant, atBackup;
        DateTime instant;
        string backupArn;
        await using (var server = await ServerProcess.StartAsync(storage))
        try
        {
            using var client = server.CreateClient();
            await client.CreateTableAsync(new CreateTableRequest
            {
                TableName = Table, BillingMode = BillingMode.PAY_PER_REQUEST,
                KeySchema = [new KeySchemaElement("pk", KeyType.HASH)], AttributeDefinitions = [new AttributeDefinition("pk", ScalarAttributeType.S)],
            });
            await client.UpdateContinuousBackupsAsync(new UpdateContinuousBackupsRequest
            {
                TableName = Table, PointInTimeRecoverySpecification = new PointInTimeRecoverySpecification { PointInTimeRecoveryEnabled = true },
            });
            await PutAsync(client, Enumerable.Range(0, Items).Select(i => ($"item-{i:D5}", "first")));
            atInstant = await ScanAsync(client, Table);
            await Task.Delay(100);
            instant = DateTime.UtcNow;
            await Task.Delay(100);
            await PutAsync(client, Enumerable.Range(0, Items).Where(i => i % 4 == 0).Select(i => ($"item-{i:D5}", "second")));
            await client.DeleteItemAsync(Table, new() { ["pk"] = new AttributeValue { S = "item-00001" } });

            backupArn = (await client.CreateBackupAsync(new CreateBackupRequest { TableName = Table, BackupName = "before-kill" })).BackupDetails.BackupArn;
            await UntilAsync(async () => (await client.DescribeBackupAsync(new DescribeBackupRequest { BackupArn = backupArn })).BackupDescription.BackupDetails.BackupStatus == BackupStatus.AVAILABLE);
            atBackup = await ScanAsync(client, Table);
            // Killed while this restore loads (or just after it finished): either way it must end complete.
            await client.RestoreTableFromBackupAsync(new RestoreTableFromBackupRequest { BackupArn = backupArn, TargetTableName = "interrupted" });
            await Task.Delay(200);
            await server.KillAsync();
        }
        catch (AmazonServiceException e)
        {
            throw new InvalidOperationException("The server failed:\n" + server.Output, e);
        }

        await using var restarted = await ServerProcess.StartAsync(storage);
        try
        {
            using var client = restarted.CreateClient();
            await ActiveAsync(client, "interrupted");
            Assert.Equal(atBackup, await ScanAsync(client, "interrupted"));

            Assert.Equal(BackupStatus.AVAILABLE, (await client.DescribeBackupAsync(new DescribeBackupRequest { BackupArn = backupArn })).BackupDescription.BackupDetails.BackupStatus);
            await client.RestoreTableToPointInTimeAsync(new RestoreTableToPointInTimeRequest { SourceTableName = Table, TargetTableName = "as-of-instant", RestoreDateTime = instant });
            await ActiveAsync(client, "as-of-instant");
            Assert.Equal(atInstant, await ScanAsync(client, "as-of-instant"));
        }
        catch (AmazonServiceException e)
        {
            throw new InvalidOperationException("The restarted server failed:\n" + restarted.Output, e);
        }
    }

    private static async Task PutAsync(IAmazonDynamoDB client, IEnumerable<(string Key, string Value)> items) =>
        await Parallel.ForEachAsync(items.Chunk(25), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (chunk, _) =>
        {
            var writes = new Dictionary<string, List<WriteRequest>>
            {
                [Table] = chunk.Select(i => new WriteRequest(new PutRequest(new() { ["pk"] = new AttributeValue { S = i.Key }, ["v"] = new AttributeValue { S = i.Value } }))).ToList(),
            };
            while (writes.Count > 0) writes = (await client.BatchWriteItemAsync(new BatchWriteItemRequest { RequestItems = writes })).UnprocessedItems;
        });

    private static async Task ActiveAsync(IAmazonDynamoDB client, string table) =>
        await UntilAsync(async () => (await client.DescribeTableAsync(table)).Table.TableStatus == TableStatus.ACTIVE);

    private static async Task UntilAsync(Func<Task<bool>> done)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (!await done())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("Still not done");
            await Task.Delay(100);
        }
    }

    private static async Task<Dictionary<string, string>> ScanAsync(IAmazonDynamoDB client, string table)
    {
        var items = new Dictionary<string, string>();
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var page = await client.ScanAsync(new ScanRequest { TableName = table, ExclusiveStartKey = start, ConsistentRead = true });
            foreach (var item in page.Items ?? []) items.Add(item["pk"].S, item["v"].S);
            start = page.LastEvaluatedKey is { Count: > 0 } ? page.LastEvaluatedKey : null;
        } while (start is not null);
        return items;
    }
}
