using OrleansDynamo.Errors;
using OrleansDynamo.Operations;
using OrleansDynamo.PartiQL;
using OrleansDynamo.Streams;
using OrleansDynamo.Validation;

namespace OrleansDynamo.Security;

/// <summary>One permission a request needs: an IAM action (<c>dynamodb:PutItem</c>) on a resource ARN.</summary>
public readonly record struct Permission(string Action, string Resource);

/// <summary>
/// The permissions a request needs, as IAM names them for DynamoDB: the operation's action on each table (or index,
/// or stream) it names. Batches and transactions need an action per table; a transaction's actions are the
/// single-item ones (<c>dynamodb:ConditionCheckItem</c> for a ConditionCheck); PartiQL needs
/// <c>dynamodb:PartiQLSelect|Insert|Update|Delete</c>. Operations that name no table need their action on <c>*</c>.
/// </summary>
public sealed class RequestResources(string region, string account)
{
    private const string Any = "*";

    public string TableArn(string nameOrArn) =>
        nameOrArn.StartsWith("arn:", StringComparison.Ordinal) ? nameOrArn : TableArns.Of(region, account, nameOrArn);

    public string UserArn(string principal) => $"arn:aws:iam::{account}:user/{principal}";

    /// <summary>What the admin port's action (<see cref="AdminAction"/>) is on, for policies that name it.</summary>
    public string AdminArn => $"arn:aws:dynamodb:{region}:{account}:admin";

    /// <summary>The permission an admin request needs where the admin port listens beyond loopback.</summary>
    public const string AdminAction = "odyn:Admin";

    public IReadOnlyList<Permission> Of(string operation, object request) => request switch
    {
        GetItemRequest r => [On(operation, r.TableName)],
        PutItemRequest r => [On(operation, r.TableName)],
        UpdateItemRequest r => [On(operation, r.TableName)],
        DeleteItemRequest r => [On(operation, r.TableName)],
        QueryRequest r => [On(operation, r.TableName, r.IndexName)],
        ScanRequest r => [On(operation, r.TableName, r.IndexName)],
        BatchGetItemRequest r => Tables(operation, r.RequestItems?.Keys),
        BatchWriteItemRequest r => Tables(operation, r.RequestItems?.Keys),
        TransactWriteItemsRequest r => (r.TransactItems ?? []).Select(Action).ToList(),
        TransactGetItemsRequest r => (r.TransactItems ?? []).Select(g => On("GetItem", g.Get?.TableName)).ToList(),
        CreateTableRequest r => [On(operation, r.TableName)],
        DescribeTableRequest r => [On(operation, r.TableName)],
        DeleteTableRequest r => [On(operation, r.TableName)],
        UpdateTableRequest r => [On(operation, r.TableName)],
        UpdateTimeToLiveRequest r => [On(operation, r.TableName)],
        DescribeTimeToLiveRequest r => [On(operation, r.TableName)],
        DescribeContinuousBackupsRequest r => [On(operation, r.TableName)],
        UpdateContinuousBackupsRequest r => [On(operation, r.TableName)],
        CreateBackupRequest r => [On(operation, r.TableName)],
        DescribeBackupRequest r => [new("dynamodb:" + operation, r.BackupArn ?? Any)],
        DeleteBackupRequest r => [new("dynamodb:" + operation, r.BackupArn ?? Any)],
        // A restore needs its action on the source and on the table it creates.
        RestoreTableFromBackupRequest r => [new("dynamodb:" + operation, r.BackupArn ?? Any), On(operation, r.TargetTableName)],
        RestoreTableToPointInTimeRequest r => [On(operation, r.SourceTableArn ?? r.SourceTableName), On(operation, r.TargetTableName)],
        ExportTableToPointInTimeRequest r => [On(operation, r.TableArn)],
        DescribeExportRequest r => [new("dynamodb:" + operation, r.ExportArn ?? Any)],
        ImportTableRequest r => [On(operation, r.TableCreationParameters?.TableName)],
        DescribeImportRequest r => [new("dynamodb:" + operation, r.ImportArn ?? Any)],
        TagResourceRequest r => [new("dynamodb:" + operation, r.ResourceArn ?? Any)],
        UntagResourceRequest r => [new("dynamodb:" + operation, r.ResourceArn ?? Any)],
        ListTagsOfResourceRequest r => [new("dynamodb:" + operation, r.ResourceArn ?? Any)],
        ExecuteStatementRequest r => [Statement(r.Statement)],
        BatchExecuteStatementRequest r => (r.Statements ?? []).Select(s => Statement(s.Statement)).ToList(),
        ExecuteTransactionRequest r => (r.TransactStatements ?? []).Select(s => Statement(s.Statement)).ToList(),
        DescribeStreamRequest r => [new("dynamodb:" + operation, r.StreamArn ?? Any)],
        GetShardIteratorRequest r => [new("dynamodb:" + operation, r.StreamArn ?? Any)],
        GetRecordsRequest r => [new("dynamodb:" + operation, StreamOf(r.ShardIterator))],
        // ListTables, ListStreams, DescribeLimits, DescribeEndpoints: no one table, so IAM asks for "*".
        _ => [new("dynamodb:" + operation, Any)],
    };

    private Permission On(string operation, string? table, string? index = null) =>
        new("dynamodb:" + operation, table is null ? Any : index is null ? TableArn(table) : $"{TableArn(table)}/index/{index}");

    private List<Permission> Tables(string operation, IEnumerable<string>? tables) =>
        tables is null ? [new("dynamodb:" + operation, Any)] : tables.Select(t => On(operation, t)).ToList();

    private Permission Action(TransactWriteItem action) =>
        action.Put is { } put ? On("PutItem", put.TableName)
        : action.Update is { } update ? On("UpdateItem", update.TableName)
        : action.Delete is { } delete ? On("DeleteItem", delete.TableName)
        : On("ConditionCheckItem", action.ConditionCheck?.TableName);

    private Permission Statement(string? statement)
    {
        if (statement is null) return new("dynamodb:PartiQLSelect", Any);
        try
        {
            var parsed = PartiQLStatements.Parse(statement);
            return On("PartiQL" + parsed.Verb, parsed.TableName, parsed.IndexName);
        }
        catch (DynamoException)
        {
            // A statement that does not parse fails on its own; until then it may read anything.
            return new("dynamodb:PartiQLSelect", Any);
        }
    }

    private string StreamOf(string? iterator)
    {
        if (iterator is null) return Any;
        try
        {
            var parsed = ShardIterator.Parse(iterator);
            return StreamNames.StreamArn(TableArn(parsed.TableName), parsed.Label);
        }
        catch (DynamoException)
        {
            return Any;
        }
    }
}
