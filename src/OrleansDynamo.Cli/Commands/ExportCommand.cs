using System.CommandLine;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace OrleansDynamo.Cli.Commands;

/// <summary><c>odyn export TABLE --bucket B</c>: ExportTableToPointInTime in DynamoDB JSON, waited for.</summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var table = new Argument<string>("table") { Description = "the table to export (point-in-time recovery must be on)" };
        var bucket = SharedOptions.Bucket("the bucket the export is written to");
        var prefix = SharedOptions.Prefix("the key prefix in the bucket");
        var time = new Option<DateTimeOffset?>("--time")
        {
            Description = "the point in time to export, ISO 8601 (now)",
            HelpName = "ISO8601",
        };
        var noWait = SharedOptions.NoWait();
        var command = new Command("export", "export a table to a bucket and wait until it is COMPLETED") { table, bucket, prefix, time, noWait };
        command.SetRun(async (parsed, connection, output, cancellation) =>
        {
            // The export names its table by ARN, and the table's item count is the bar's end.
            var source = (await connection.Dynamo.DescribeTableAsync(parsed.GetValue(table)!, cancellation)).Table;
            var export = (await connection.Dynamo.ExportTableToPointInTimeAsync(new ExportTableToPointInTimeRequest
            {
                TableArn = source.TableArn,
                S3Bucket = parsed.GetValue(bucket),
                S3Prefix = parsed.GetValue(prefix),
                ExportTime = parsed.GetValue(time)?.UtcDateTime,
                ExportFormat = ExportFormat.DYNAMODB_JSON,
            }, cancellation)).ExportDescription;
            if (!parsed.GetValue(noWait))
                export = await ProgressWatcher.WaitAsync(output, $"export of {source.TableName}",
                    async c => (await connection.Dynamo.DescribeExportAsync(new DescribeExportRequest { ExportArn = export.ExportArn }, c)).ExportDescription,
                    e => new Step(e.ExportStatus != ExportStatus.IN_PROGRESS, e.ExportStatus?.Value ?? "?", e.ItemCount, source.ItemCount,
                        Failed: e.ExportStatus != ExportStatus.COMPLETED),
                    $"stopped waiting: the export goes on on the server ({export.ExportArn}); see it with 'aws dynamodb describe-export --export-arn {export.ExportArn} --endpoint-url {connection.Endpoint}'",
                    cancellation);
            if (export.ExportStatus == ExportStatus.FAILED)
                throw new OdynException(export.FailureCode ?? "ExportFailed", export.FailureMessage ?? $"the export {export.ExportArn} FAILED");
            output.Write(new
            {
                export.ExportArn,
                ExportStatus = export.ExportStatus?.Value,
                export.ItemCount,
                export.BilledSizeBytes,
                export.S3Bucket,
                export.S3Prefix,
                export.ExportManifest,
                export.ExportTime,
            }, () => [Output.Details(("Export", export.ExportArn), ("Status", export.ExportStatus?.Value), ("Items", export.ItemCount),
                ("Bucket", export.S3Bucket), ("Prefix", export.S3Prefix), ("Manifest", export.ExportManifest))]);
            return ExitCodes.Success;
        });
        return command;
    }
}
