using System.CommandLine;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace OrleansDynamo.Cli.Commands;

/// <summary><c>odyn tables</c>: every table (ListTables, all pages) as DescribeTable tells it.</summary>
internal static class TablesCommand
{
    public static Command Create()
    {
        var command = new Command("tables", "list the tables with their status, item count, size and billing mode");
        command.SetRun(async (_, connection, output, cancellation) =>
        {
            var tables = new List<TableDescription>();
            foreach (var name in await ListTableNamesAsync(connection.Dynamo, cancellation))
            {
                try
                {
                    tables.Add((await connection.Dynamo.DescribeTableAsync(name, cancellation)).Table);
                }
                catch (ResourceNotFoundException)
                {
                    // Deleted between the listing and now: not a table any more.
                }
            }
            output.Write(tables.Select(t => new
            {
                Name = t.TableName,
                Status = t.TableStatus?.Value,
                ItemCount = t.ItemCount,
                SizeBytes = t.TableSizeBytes,
                BillingMode = BillingModeOf(t),
                Arn = t.TableArn,
            }).ToList(), () =>
            {
                var table = Output.Table(null, "Table", "Status", "Items", "Size (bytes)", "Billing mode");
                foreach (var t in tables) Output.AddRow(table, t.TableName, t.TableStatus?.Value, t.ItemCount, t.TableSizeBytes, BillingModeOf(t));
                return tables.Count == 0 ? [Output.Line("No tables.")] : [table];
            });
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>DynamoDB leaves out BillingModeSummary for tables that were always provisioned.</summary>
    private static string BillingModeOf(TableDescription table) => table.BillingModeSummary?.BillingMode?.Value ?? BillingMode.PROVISIONED.Value;

    private static async Task<List<string>> ListTableNamesAsync(IAmazonDynamoDB dynamo, CancellationToken cancellation)
    {
        var names = new List<string>();
        string? start = null;
        do
        {
            var page = await dynamo.ListTablesAsync(new ListTablesRequest { ExclusiveStartTableName = start }, cancellation);
            names.AddRange(page.TableNames ?? []);
            start = page.LastEvaluatedTableName;
        } while (start is not null);
        return names;
    }
}
