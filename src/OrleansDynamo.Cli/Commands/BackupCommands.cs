using System.CommandLine;
using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace OrleansDynamo.Cli.Commands;

/// <summary><c>odyn backup create|list|restore|delete</c>: DynamoDB's on-demand backups.</summary>
internal static class BackupCommands
{
    public static Command Create()
    {
        var backup = new Command("backup", "on-demand backups: create, list, restore, delete");
        backup.Subcommands.Add(CreateBackup());
        backup.Subcommands.Add(ListBackups());
        backup.Subcommands.Add(RestoreBackup());
        backup.Subcommands.Add(DeleteBackup());
        return backup;
    }

    private static Command CreateBackup()
    {
        var table = new Argument<string>("table") { Description = "the table to back up" };
        var name = new Option<string?>("--name") { Description = "the backup's name (<table>-<yyyyMMddHHmmss>)" };
        var noWait = SharedOptions.NoWait();
        var command = new Command("create", "back up a table and wait until the backup is AVAILABLE") { table, name, noWait };
        command.SetRun(async (parsed, connection, output, cancellation) =>
        {
            var tableName = parsed.GetValue(table)!;
            var backupName = parsed.GetValue(name) ?? $"{tableName}-{DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture)}";
            var created = (await connection.Dynamo.CreateBackupAsync(new CreateBackupRequest { TableName = tableName, BackupName = backupName }, cancellation)).BackupDetails;
            var details = created;
            long? items = null;
            if (!parsed.GetValue(noWait) && created.BackupStatus != BackupStatus.AVAILABLE)
            {
                var description = await ProgressWatcher.WaitAsync(output, $"backup {backupName}",
                    c => DescribeAsync(connection.Dynamo, created.BackupArn, c),
                    d => new Step(d.BackupDetails.BackupStatus != BackupStatus.CREATING, d.BackupDetails.BackupStatus?.Value ?? "?",
                        Failed: d.BackupDetails.BackupStatus != BackupStatus.AVAILABLE),
                    $"stopped waiting: backup {backupName} goes on on the server ({created.BackupArn}); see its status with 'odyn backup list --table {tableName}'",
                    cancellation, counted: false);
                details = description.BackupDetails;
                items = description.SourceTableDetails?.ItemCount;
                if (details.BackupStatus != BackupStatus.AVAILABLE)
                    throw new OdynException("BackupFailed", $"backup {backupName} ended {details.BackupStatus?.Value ?? "without a status"} ({details.BackupArn})");
            }
            output.Write(new
            {
                details.BackupArn,
                details.BackupName,
                TableName = tableName,
                BackupStatus = details.BackupStatus?.Value,
                details.BackupSizeBytes,
                ItemCount = items,
            }, () => [Output.Line(details.BackupArn)]);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command ListBackups()
    {
        var table = new Option<string?>("--table") { Description = "only this table's backups" };
        var command = new Command("list", "list the backups, newest last") { table };
        command.SetRun(async (parsed, connection, output, cancellation) =>
        {
            var backups = new List<BackupSummary>();
            string? start = null;
            do
            {
                var page = await connection.Dynamo.ListBackupsAsync(new ListBackupsRequest { TableName = parsed.GetValue(table), ExclusiveStartBackupArn = start }, cancellation);
                backups.AddRange(page.BackupSummaries ?? []);
                start = page.LastEvaluatedBackupArn;
            } while (start is not null);
            output.Write(backups.Select(b => new
            {
                b.BackupName,
                b.TableName,
                BackupStatus = b.BackupStatus?.Value,
                b.BackupSizeBytes,
                b.BackupCreationDateTime,
                b.BackupArn,
            }).ToList(), () =>
            {
                var list = Output.Table(null, "Name", "Table", "Status", "Size (bytes)", "Created", "ARN");
                foreach (var b in backups) Output.AddRow(list, b.BackupName, b.TableName, b.BackupStatus?.Value, b.BackupSizeBytes, b.BackupCreationDateTime, b.BackupArn);
                return backups.Count == 0 ? [Output.Line("No backups.")] : [list];
            });
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command RestoreBackup()
    {
        var arn = new Argument<string>("backup-arn") { Description = "the backup to restore (see 'odyn backup list')" };
        var target = new Argument<string>("target-table") { Description = "the new table's name; it must not exist" };
        var noWait = SharedOptions.NoWait();
        var command = new Command("restore", "restore a backup into a new table and wait until it is ACTIVE") { arn, target, noWait };
        command.SetRun(async (parsed, connection, output, cancellation) =>
        {
            var backupArn = parsed.GetValue(arn)!;
            var targetName = parsed.GetValue(target)!;
            // The backup's item count is the bar's end; asking first also names a missing backup before anything starts.
            var backup = await DescribeAsync(connection.Dynamo, backupArn, cancellation);
            var restored = (await connection.Dynamo.RestoreTableFromBackupAsync(
                new RestoreTableFromBackupRequest { BackupArn = backupArn, TargetTableName = targetName }, cancellation)).TableDescription;
            if (!parsed.GetValue(noWait))
                restored = await ProgressWatcher.WaitAsync(output, $"restore into {targetName}",
                    async c => (await connection.Dynamo.DescribeTableAsync(targetName, c)).Table,
                    t => new Step(t.TableStatus == TableStatus.ACTIVE && t.RestoreSummary?.RestoreInProgress != true, t.TableStatus?.Value ?? "?",
                        t.ItemCount, backup.SourceTableDetails?.ItemCount),
                    $"stopped waiting: the restore into {targetName} goes on on the server; see its status with 'odyn tables'",
                    cancellation);
            output.Write(new
            {
                restored.TableName,
                TableStatus = restored.TableStatus?.Value,
                restored.ItemCount,
                restored.TableArn,
                BackupArn = backupArn,
            }, () => [Output.Details(("Table", restored.TableName), ("Status", restored.TableStatus?.Value), ("Items", restored.ItemCount),
                ("From backup", backupArn))]);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command DeleteBackup()
    {
        var arn = new Argument<string>("backup-arn") { Description = "the backup to delete" };
        var command = new Command("delete", "delete a backup") { arn };
        command.SetRun(async (parsed, connection, output, cancellation) =>
        {
            var deleted = (await connection.Dynamo.DeleteBackupAsync(new DeleteBackupRequest { BackupArn = parsed.GetValue(arn) }, cancellation)).BackupDescription;
            var details = deleted?.BackupDetails;
            output.Write(new
            {
                BackupArn = details?.BackupArn ?? parsed.GetValue(arn),
                details?.BackupName,
                BackupStatus = details?.BackupStatus?.Value,
            }, () => [Output.Line($"deleted {details?.BackupArn ?? parsed.GetValue(arn)}")]);
            return ExitCodes.Success;
        });
        return command;
    }

    private static async Task<BackupDescription> DescribeAsync(IAmazonDynamoDB dynamo, string arn, CancellationToken cancellation) =>
        (await dynamo.DescribeBackupAsync(new DescribeBackupRequest { BackupArn = arn }, cancellation)).BackupDescription;
}
