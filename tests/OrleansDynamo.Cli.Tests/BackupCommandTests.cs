using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using OrleansDynamo.ProcessTests;

namespace OrleansDynamo.Cli.Tests;

/// <summary>odyn's backup, export and import commands against a real server, as DynamoDB documents the operations.</summary>
public sealed class BackupCommandTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Backup_create_list_and_restore_give_a_table_with_the_same_items()
    {
        await fixture.CreateTableAsync("cli-backup-source", 25);
        var before = await fixture.ScanAsync("cli-backup-source");

        var created = await fixture.OdynAsync("backup", "create", "cli-backup-source", "--name", "cli-nightly");
        Assert.True(created.ExitCode == 0, created.ToString());
        var arn = created.Stdout.Trim();
        Assert.StartsWith("arn:aws:dynamodb:", arn);
        Assert.Contains("cli-backup-source", arn);

        var listed = await fixture.OdynAsync("backup", "list", "--table", "cli-backup-source", "--json");
        Assert.True(listed.ExitCode == 0, listed.ToString());
        using (var backups = JsonDocument.Parse(listed.Stdout))
        {
            var backup = Assert.Single(backups.RootElement.EnumerateArray());
            Assert.Equal(arn, backup.GetProperty("backupArn").GetString());
            Assert.Equal("cli-nightly", backup.GetProperty("backupName").GetString());
            Assert.Equal("cli-backup-source", backup.GetProperty("tableName").GetString());
            Assert.Equal("AVAILABLE", backup.GetProperty("backupStatus").GetString());
        }
        var human = await fixture.OdynAsync("backup", "list");
        Assert.Contains(arn, human.Stdout);

        // Writes after the backup are not in it.
        await fixture.Dynamo.PutItemAsync("cli-backup-source", new() { ["id"] = new() { S = "after-the-backup" } });
        var restored = await fixture.OdynAsync("backup", "restore", arn, "cli-backup-restored", "--json");
        Assert.True(restored.ExitCode == 0, restored.ToString());
        using (var table = JsonDocument.Parse(restored.Stdout))
            Assert.Equal("ACTIVE", table.RootElement.GetProperty("tableStatus").GetString());

        Assert.Equal(before, await fixture.ScanAsync("cli-backup-restored"));
        var description = (await fixture.Dynamo.DescribeTableAsync("cli-backup-restored")).Table;
        Assert.Equal(TableStatus.ACTIVE, description.TableStatus);
        Assert.False(description.RestoreSummary?.RestoreInProgress ?? false);

        var deleted = await fixture.OdynAsync("backup", "delete", arn);
        Assert.True(deleted.ExitCode == 0, deleted.ToString());
        var afterDelete = await fixture.OdynAsync("backup", "list", "--table", "cli-backup-source", "--json");
        using (var none = JsonDocument.Parse(afterDelete.Stdout))
            Assert.DoesNotContain(none.RootElement.EnumerateArray(), b => b.GetProperty("backupArn").GetString() == arn && b.GetProperty("backupStatus").GetString() == "AVAILABLE");
    }

    [Fact]
    public async Task Backup_create_no_wait_prints_the_arn_at_once()
    {
        await fixture.CreateTableAsync("cli-backup-nowait", 3);

        var created = await fixture.OdynAsync("backup", "create", "cli-backup-nowait", "--no-wait", "--json");

        Assert.True(created.ExitCode == 0, created.ToString());
        using var backup = JsonDocument.Parse(created.Stdout);
        Assert.StartsWith("arn:aws:dynamodb:", backup.RootElement.GetProperty("backupArn").GetString());
        Assert.StartsWith("cli-backup-nowait-", backup.RootElement.GetProperty("backupName").GetString()); // the default name: <table>-<time>
    }

    [Fact]
    public async Task Restoring_a_backup_that_does_not_exist_exits_1_with_BackupNotFoundException()
    {
        var result = await fixture.OdynAsync("backup", "restore", "arn:aws:dynamodb:us-east-1:000000000000:table/cli-gone/backup/nope", "cli-never-restored");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.StartsWith("error: BackupNotFoundException: ", result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr);
    }

    [Fact]
    public async Task Backing_up_a_missing_table_exits_1_with_TableNotFoundException()
    {
        var result = await fixture.OdynAsync("backup", "create", "cli-no-such-table");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.StartsWith("error: TableNotFoundException: ", result.Stderr);
    }

    [Fact]
    public async Task Deleting_a_backup_that_does_not_exist_exits_1_with_BackupNotFoundException()
    {
        var result = await fixture.OdynAsync("backup", "delete", "arn:aws:dynamodb:us-east-1:000000000000:table/cli-gone/backup/nope");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.StartsWith("error: BackupNotFoundException: ", result.Stderr);
    }
}

/// <summary>A server that stands a folder in for S3 (--export-root), for export and import.</summary>
public sealed class ExportServerFixture : ServerFixture
{
    private readonly string _exportRoot = Directory.CreateTempSubdirectory("odyn-cli-exports-").FullName;

    protected override string[] ServerArguments => ["--in-memory", "--export-root", _exportRoot];

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(_exportRoot, recursive: true);
    }
}

/// <summary>odyn export then odyn import, through the server's folder for buckets.</summary>
public sealed class ExportImportTests(ExportServerFixture fixture) : IClassFixture<ExportServerFixture>
{
    [Fact]
    public async Task Export_then_import_gives_a_table_with_the_same_items()
    {
        await fixture.CreateTableAsync("cli-export-source", 40);
        var before = await fixture.ScanAsync("cli-export-source");
        // ExportTableToPointInTime needs point-in-time recovery on the table.
        await fixture.Dynamo.UpdateContinuousBackupsAsync(new UpdateContinuousBackupsRequest
        {
            TableName = "cli-export-source",
            PointInTimeRecoverySpecification = new PointInTimeRecoverySpecification { PointInTimeRecoveryEnabled = true },
        });

        var exported = await fixture.OdynAsync("export", "cli-export-source", "--bucket", "cli-exports", "--prefix", "nightly", "--json");
        Assert.True(exported.ExitCode == 0, exported.ToString() + fixture.Server.Output);
        string manifest;
        using (var export = JsonDocument.Parse(exported.Stdout))
        {
            Assert.Equal("COMPLETED", export.RootElement.GetProperty("exportStatus").GetString());
            Assert.Equal(40, export.RootElement.GetProperty("itemCount").GetInt64());
            manifest = export.RootElement.GetProperty("exportManifest").GetString()!;
        }

        // An export's layout: <prefix>/AWSDynamoDB/<export id>/manifest-summary.json beside data/, gzipped DynamoDB JSON.
        var dataPrefix = manifest[..(manifest.LastIndexOf('/') + 1)] + "data/";
        var imported = await fixture.OdynAsync("import", "--bucket", "cli-exports", "--prefix", dataPrefix, "--table", "cli-import-target",
            "--partition-key", "id:S", "--format", "DYNAMODB_JSON", "--compression", "GZIP", "--json");
        Assert.True(imported.ExitCode == 0, imported.ToString() + fixture.Server.Output);
        using (var import = JsonDocument.Parse(imported.Stdout))
        {
            Assert.Equal("COMPLETED", import.RootElement.GetProperty("importStatus").GetString());
            Assert.Equal(40, import.RootElement.GetProperty("importedItemCount").GetInt64());
            Assert.Equal(0, import.RootElement.GetProperty("errorCount").GetInt64());
        }

        Assert.Equal(before, await fixture.ScanAsync("cli-import-target"));
        var table = (await fixture.Dynamo.DescribeTableAsync("cli-import-target")).Table;
        Assert.Equal("PAY_PER_REQUEST", table.BillingModeSummary?.BillingMode?.Value);
    }

    [Fact]
    public async Task An_import_into_a_table_that_exists_exits_1()
    {
        await fixture.CreateTableAsync("cli-import-exists", 1);

        var result = await fixture.OdynAsync("import", "--bucket", "cli-exports", "--table", "cli-import-exists", "--partition-key", "id:S");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.StartsWith("error: ResourceInUseException: ", result.Stderr);
    }
}
