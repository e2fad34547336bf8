using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using static OrleansDynamo.Api.Tests.Backups.BackupTestSupport;
using static OrleansDynamo.Api.Tests.TestTables;

namespace OrleansDynamo.Api.Tests.Backups;

/// <summary>On-demand backups through the AWS SDK: CreateBackup, DescribeBackup, ListBackups, DeleteBackup, RestoreTableFromBackup.</summary>
[Collection(ServerCollection.Name)]
public sealed class BackupTests(ServerFixture server)
{
    private IAmazonDynamoDB Client => server.Client;

    /// <summary>A value the SDK's analyzers do not check at compile time, so that the server's own checks are reached.</summary>
    internal static T Unchecked<T>(T value) => value;

    private async Task<string> IndexedTableAsync()
    {
        var name = NewName();
        await Client.CreateTableAsync(new CreateTableRequest
        {
            TableName = name, BillingMode = BillingMode.PAY_PER_REQUEST,
            KeySchema = [new("pk", KeyType.HASH), new("sk", KeyType.RANGE)],
            AttributeDefinitions = [new("pk", ScalarAttributeType.S), new("sk", ScalarAttributeType.N), new("color", ScalarAttributeType.S)],
            GlobalSecondaryIndexes = [new GlobalSecondaryIndex { IndexName = "by-color", KeySchema = [new("color", KeyType.HASH)], Projection = new Projection { ProjectionType = ProjectionType.ALL } }],
            LocalSecondaryIndexes = [new LocalSecondaryIndex { IndexName = "by-pk-color", KeySchema = [new("pk", KeyType.HASH), new("color", KeyType.RANGE)], Projection = new Projection { ProjectionType = ProjectionType.KEYS_ONLY } }],
        });
        return name;
    }

    private static Dictionary<string, AttributeValue> Row(string pk, int sk, string color) =>
        new() { ["pk"] = S(pk), ["sk"] = N(sk.ToString()), ["color"] = S(color), ["payload"] = S(new string('x', 100)) };

    [Fact]
    public async Task A_backup_holds_the_items_written_before_it_and_restores_into_a_new_table_with_its_indexes()
    {
        var source = await IndexedTableAsync();
        var before = Enumerable.Range(0, 300).Select(i => Row($"p{i % 30}", i, i % 2 == 0 ? "red" : "blue")).ToList();
        await PutAllAsync(Client, source, before);
        var expected = await ItemsAsync(Client, source);

        var created = (await Client.CreateBackupAsync(new CreateBackupRequest { TableName = source, BackupName = "nightly" })).BackupDetails;
        Assert.Equal("nightly", created.BackupName);
        Assert.Equal(BackupType.USER, created.BackupType);
        Assert.StartsWith($"arn:aws:dynamodb:us-east-1:000000000000:table/{source}/backup/", created.BackupArn);
        // Written after the backup's instant: not in it.
        await Client.PutItemAsync(source, Row("late", 1, "red"));
        await Client.DeleteItemAsync(source, new() { ["pk"] = S("p0"), ["sk"] = N("0") });

        var described = await AvailableAsync(Client, created.BackupArn);
        Assert.Equal(300, described.SourceTableDetails.ItemCount);
        Assert.Equal(source, described.SourceTableDetails.TableName);
        Assert.True(described.BackupDetails.BackupSizeBytes > 300 * 100);
        Assert.Equal("by-color", Assert.Single(described.SourceTableFeatureDetails.GlobalSecondaryIndexes).IndexName);

        var target = NewName("restored");
        var restore = (await Client.RestoreTableFromBackupAsync(new RestoreTableFromBackupRequest { BackupArn = created.BackupArn, TargetTableName = target })).TableDescription;
        Assert.Equal(TableStatus.CREATING, restore.TableStatus);
        Assert.Equal(created.BackupArn, restore.RestoreSummary.SourceBackupArn);
        Assert.True(restore.RestoreSummary.RestoreInProgress);
        var restored = await ActiveAsync(Client, target);
        Assert.False(restored.RestoreSummary.RestoreInProgress);
        Assert.Equal(expected, await ItemsAsync(Client, target));
        Assert.Equal(300, restored.ItemCount);
        var red = await Client.QueryAsync(new QueryRequest
        {
            TableName = target, IndexName = "by-color", KeyConditionExpression = "color = :c", ExpressionAttributeValues = new() { [":c"] = S("red") },
        });
        Assert.Equal(150, red.Count);
        var local = await Client.QueryAsync(new QueryRequest
        {
            TableName = target, IndexName = "by-pk-color", KeyConditionExpression = "pk = :p", ExpressionAttributeValues = new() { [":p"] = S("p1") },
        });
        Assert.Equal(10, local.Count);
    }

    [Fact]
    public async Task A_backup_outlives_its_table_is_listed_and_paged_and_is_gone_once_deleted()
    {
        var source = await CreateAsync(Client);
        await Client.PutItemAsync(source, new() { ["pk"] = S("a"), ["v"] = N("1") });
        var arns = new List<string>();
        for (var i = 0; i < 3; i++)
            arns.Add((await Client.CreateBackupAsync(new CreateBackupRequest { TableName = source, BackupName = $"bak{i}" })).BackupDetails.BackupArn);
        foreach (var arn in arns) await AvailableAsync(Client, arn);
        await Client.DeleteTableAsync(source);

        var listed = new List<BackupSummary>();
        string? start = null;
        do
        {
            var page = await Client.ListBackupsAsync(new ListBackupsRequest { TableName = source, Limit = 2, ExclusiveStartBackupArn = start });
            Assert.True(page.BackupSummaries.Count <= 2);
            listed.AddRange(page.BackupSummaries);
            start = page.LastEvaluatedBackupArn;
        }
        while (start is not null);
        Assert.Equal(arns, listed.Select(b => b.BackupArn));
        Assert.All(listed, b => Assert.Equal(BackupStatus.AVAILABLE, b.BackupStatus));
        Assert.Contains(arns[0], (await Client.ListBackupsAsync(new ListBackupsRequest())).BackupSummaries.Select(b => b.BackupArn));
        Assert.Empty((await Client.ListBackupsAsync(new ListBackupsRequest { TableName = source, TimeRangeUpperBound = DateTime.UtcNow.AddDays(-1) })).BackupSummaries);

        // The table is gone; its backup still restores it.
        var target = NewName("again");
        await Client.RestoreTableFromBackupAsync(new RestoreTableFromBackupRequest { BackupArn = arns[2], TargetTableName = target });
        await ActiveAsync(Client, target);
        Assert.Equal("1", (await Client.GetItemAsync(target, new() { ["pk"] = S("a") })).Item["v"].N);

        var deleted = (await Client.DeleteBackupAsync(new DeleteBackupRequest { BackupArn = arns[0] })).BackupDescription;
        Assert.Equal(BackupStatus.DELETED, deleted.BackupDetails.BackupStatus);
        await Assert.ThrowsAsync<BackupNotFoundException>(() => Client.DescribeBackupAsync(new DescribeBackupRequest { BackupArn = arns[0] }));
        await Assert.ThrowsAsync<BackupNotFoundException>(() => Client.DeleteBackupAsync(new DeleteBackupRequest { BackupArn = arns[0] }));
    }

    [Fact]
    public async Task A_restore_takes_the_billing_and_throughput_overrides()
    {
        var source = await CreateAsync(Client);
        var arn = (await Client.CreateBackupAsync(new CreateBackupRequest { TableName = source, BackupName = "plain" })).BackupDetails.BackupArn;
        await AvailableAsync(Client, arn);
        var target = NewName("provisioned");
        await Client.RestoreTableFromBackupAsync(new RestoreTableFromBackupRequest
        {
            BackupArn = arn, TargetTableName = target, BillingModeOverride = BillingMode.PROVISIONED,
            ProvisionedThroughputOverride = new ProvisionedThroughput(7, 3),
        });
        var restored = await ActiveAsync(Client, target);
        Assert.Equal(7, restored.ProvisionedThroughput.ReadCapacityUnits);
        Assert.Equal(3, restored.ProvisionedThroughput.WriteCapacityUnits);
    }

    [Fact]
    public async Task Backup_errors_are_DynamoDBs()
    {
        var missing = await Assert.ThrowsAsync<TableNotFoundException>(() => Client.CreateBackupAsync(new CreateBackupRequest { TableName = "no-such-table", BackupName = "b" + "ak" }));
        Assert.Equal("Table not found: no-such-table", missing.Message);
        var badName = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Client.CreateBackupAsync(new CreateBackupRequest { TableName = "some-table", BackupName = Unchecked("no spaces!") }));
        Assert.Equal("ValidationException", badName.ErrorCode);
        Assert.Contains("at 'backupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+", badName.Message);
        var unknown = "arn:aws:dynamodb:us-east-1:000000000000:table/x/backup/01700000000000-deadbeef";
        await Assert.ThrowsAsync<BackupNotFoundException>(() => Client.DescribeBackupAsync(new DescribeBackupRequest { BackupArn = unknown }));
        await Assert.ThrowsAsync<BackupNotFoundException>(() => Client.RestoreTableFromBackupAsync(new RestoreTableFromBackupRequest { BackupArn = unknown, TargetTableName = "target" }));
        var shortArn = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Client.DescribeBackupAsync(new DescribeBackupRequest { BackupArn = Unchecked("arn:short") }));
        Assert.Contains("Member must have length greater than or equal to 37", shortArn.Message);
        var limit = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Client.ListBackupsAsync(new ListBackupsRequest { Limit = Unchecked(101) }));
        Assert.Contains("at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100", limit.Message);

        var source = await CreateAsync(Client);
        var arn = (await Client.CreateBackupAsync(new CreateBackupRequest { TableName = source, BackupName = "taken" })).BackupDetails.BackupArn;
        await AvailableAsync(Client, arn);
        var exists = await Assert.ThrowsAsync<TableAlreadyExistsException>(() => Client.RestoreTableFromBackupAsync(new RestoreTableFromBackupRequest { BackupArn = arn, TargetTableName = source }));
        Assert.Equal($"Table already exists: {source}", exists.Message);
    }

    [Fact]
    public async Task A_backup_being_created_is_in_use_and_a_table_being_restored_is_in_use()
    {
        var source = await CreateAsync(Client);
        await PutAllAsync(Client, source, Enumerable.Range(0, 10_000).Select(i => Item($"k{i}", ("v", S(new string('v', 50))))));
        var arn = (await Client.CreateBackupAsync(new CreateBackupRequest { TableName = source, BackupName = "busy" })).BackupDetails.BackupArn;
        // The copy of 10,000 items keeps to its duty cycle: it is still CREATING for these calls.
        await Assert.ThrowsAsync<BackupInUseException>(() => Client.DeleteBackupAsync(new DeleteBackupRequest { BackupArn = arn }));
        await Assert.ThrowsAsync<BackupInUseException>(() => Client.RestoreTableFromBackupAsync(new RestoreTableFromBackupRequest { BackupArn = arn, TargetTableName = NewName() }));
        await AvailableAsync(Client, arn);

        // Restored at 1 write unit: restores consume no capacity, so 10,000 items (far past the burst) go in at once.
        var target = NewName("restoring");
        await Client.RestoreTableFromBackupAsync(new RestoreTableFromBackupRequest
        {
            BackupArn = arn, TargetTableName = target, BillingModeOverride = BillingMode.PROVISIONED, ProvisionedThroughputOverride = new ProvisionedThroughput(1, 1),
        });
        // All three at once, while the 10,000 items go in.
        var update = Assert.ThrowsAsync<ResourceInUseException>(() => Client.UpdateTableAsync(new UpdateTableRequest
        {
            TableName = target, ProvisionedThroughput = new ProvisionedThroughput(2, 2),
        }));
        var delete = Assert.ThrowsAsync<ResourceInUseException>(() => Client.DeleteTableAsync(target));
        var backup = Assert.ThrowsAsync<TableInUseException>(() => Client.CreateBackupAsync(new CreateBackupRequest { TableName = target, BackupName = "early" }));
        await Task.WhenAll(update, delete, backup);
        Assert.Equal($"Attempt to change a resource which is still in use: Table is being created: {target}", (await update).Message);
        Assert.Equal(10_000, (await ActiveAsync(Client, target)).ItemCount);
        await Client.DeleteTableAsync(target);
    }
}
