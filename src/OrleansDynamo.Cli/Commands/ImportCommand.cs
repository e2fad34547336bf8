using System.CommandLine;
using System.CommandLine.Parsing;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace OrleansDynamo.Cli.Commands;

/// <summary><c>odyn import --bucket B --table NEW --partition-key NAME:S</c>: ImportTable into a new on-demand table, waited for.</summary>
internal static class ImportCommand
{
    /// <summary>A key attribute as given on the command line, NAME:S, NAME:N or NAME:B.</summary>
    private sealed record KeyAttribute(string Name, ScalarAttributeType Type);

    public static Command Create()
    {
        var bucket = SharedOptions.Bucket("the bucket holding the data (an export's data/ files, or CSV)");
        var prefix = SharedOptions.Prefix("the key prefix of the data in the bucket");
        var table = new Option<string>("--table") { Description = "the new table's name; it must not exist", Required = true };
        var partitionKey = KeyOption("--partition-key", "the new table's partition key");
        partitionKey.Required = true;
        var sortKey = KeyOption("--sort-key", "the new table's sort key, if it has one");
        var format = new Option<string>("--format") { Description = "the data's format", DefaultValueFactory = _ => "DYNAMODB_JSON" };
        format.AcceptOnlyFromAmong("DYNAMODB_JSON", "CSV");
        var compression = new Option<string>("--compression") { Description = "the files' compression", DefaultValueFactory = _ => "NONE" };
        compression.AcceptOnlyFromAmong("NONE", "GZIP", "ZSTD");
        var noWait = SharedOptions.NoWait();
        var command = new Command("import", "import data from a bucket into a new table and wait until it is COMPLETED")
        {
            bucket, prefix, table, partitionKey, sortKey, format, compression, noWait,
        };
        command.SetRun(async (parsed, connection, output, cancellation) =>
        {
            var tableName = parsed.GetValue(table)!;
            var keys = new[] { (Key: parsed.GetValue(partitionKey)!, Role: KeyType.HASH), (Key: parsed.GetValue(sortKey), Role: KeyType.RANGE) }
                .Where(k => k.Key is not null).Select(k => (Key: k.Key!, k.Role)).ToList();
            var import = (await connection.Dynamo.ImportTableAsync(new ImportTableRequest
            {
                S3BucketSource = new S3BucketSource { S3Bucket = parsed.GetValue(bucket), S3KeyPrefix = parsed.GetValue(prefix) },
                InputFormat = new InputFormat(parsed.GetValue(format)),
                InputCompressionType = new InputCompressionType(parsed.GetValue(compression)),
                TableCreationParameters = new TableCreationParameters
                {
                    TableName = tableName,
                    AttributeDefinitions = keys.Select(k => new AttributeDefinition(k.Key.Name, k.Key.Type)).ToList(),
                    KeySchema = keys.Select(k => new KeySchemaElement(k.Key.Name, k.Role)).ToList(),
                    BillingMode = BillingMode.PAY_PER_REQUEST,
                },
            }, cancellation)).ImportTableDescription;
            if (!parsed.GetValue(noWait))
                import = await ProgressWatcher.WaitAsync(output, $"import into {tableName}",
                    async c => (await connection.Dynamo.DescribeImportAsync(new DescribeImportRequest { ImportArn = import.ImportArn }, c)).ImportTableDescription,
                    // How many items the bucket holds is not known before the end: the bar counts without a total.
                    i => new Step(i.ImportStatus != ImportStatus.IN_PROGRESS && i.ImportStatus != ImportStatus.CANCELLING, i.ImportStatus?.Value ?? "?",
                        i.ProcessedItemCount, Failed: i.ImportStatus != ImportStatus.COMPLETED),
                    $"stopped waiting: the import into {tableName} goes on on the server ({import.ImportArn}); see the table with 'odyn tables'",
                    cancellation);
            if (import.ImportStatus == ImportStatus.FAILED || import.ImportStatus == ImportStatus.CANCELLED)
                throw new OdynException(import.FailureCode ?? $"Import{import.ImportStatus.Value}",
                    import.FailureMessage ?? $"the import {import.ImportArn} ended {import.ImportStatus.Value}");
            output.Write(new
            {
                import.ImportArn,
                ImportStatus = import.ImportStatus?.Value,
                TableName = tableName,
                import.TableArn,
                import.ProcessedItemCount,
                import.ImportedItemCount,
                import.ErrorCount,
            }, () => [Output.Details(("Import", import.ImportArn), ("Table", tableName), ("Status", import.ImportStatus?.Value),
                ("Processed items", import.ProcessedItemCount), ("Imported items", import.ImportedItemCount), ("Errors", import.ErrorCount))]);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Option<KeyAttribute?> KeyOption(string name, string description) => new(name)
    {
        Description = description + ", NAME:S, NAME:N or NAME:B",
        HelpName = "NAME:TYPE",
        CustomParser = ParseKey,
    };

    private static KeyAttribute? ParseKey(ArgumentResult result)
    {
        var text = result.Tokens.Single().Value;
        var colon = text.LastIndexOf(':');
        var type = colon > 0 ? text[(colon + 1)..].ToUpperInvariant() : "";
        if (type is "S" or "N" or "B") return new KeyAttribute(text[..colon], new ScalarAttributeType(type));
        result.AddError($"'{text}' is not a key attribute: give NAME:S, NAME:N or NAME:B");
        return null;
    }
}
