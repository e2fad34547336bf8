using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using OrleansDynamo.Operations;

namespace OrleansDynamo.Server.Protocol;

/// <summary>
/// The operations the endpoint serves, by <c>X-Amz-Target</c>. Adding one is one line here (and its method on
/// <see cref="IDynamoDb"/>). DynamoDB Streams' operations have a target prefix of their own. Every other
/// target, including DynamoDB operations not built yet, gets DynamoDB's UnknownOperationException.
/// </summary>
internal static class OperationTable
{
    /// <summary>The API version in every target: <c>DynamoDB_20120810.PutItem</c>.</summary>
    public const string TargetPrefix = "DynamoDB_20120810.";

    /// <summary>DynamoDB Streams' API version: <c>DynamoDBStreams_20120810.GetRecords</c>.</summary>
    public const string StreamsTargetPrefix = "DynamoDBStreams_20120810.";

    private static readonly FrozenDictionary<string, DynamoOperation> ByTarget = new DynamoOperation[]
    {
        Operation<CreateTableRequest, CreateTableResponse>("CreateTable", static (db, r, ct) => db.CreateTableAsync(r, ct)),
        Operation<DescribeTableRequest, DescribeTableResponse>("DescribeTable", static (db, r, ct) => db.DescribeTableAsync(r, ct)),
        Operation<ListTablesRequest, ListTablesResponse>("ListTables", static (db, r, ct) => db.ListTablesAsync(r, ct)),
        Operation<DeleteTableRequest, DeleteTableResponse>("DeleteTable", static (db, r, ct) => db.DeleteTableAsync(r, ct)),
        Operation<UpdateTableRequest, UpdateTableResponse>("UpdateTable", static (db, r, ct) => db.UpdateTableAsync(r, ct)),
        Operation<PutItemRequest, PutItemResponse>("PutItem", static (db, r, ct) => db.PutItemAsync(r, ct)),
        Operation<GetItemRequest, GetItemResponse>("GetItem", static (db, r, ct) => db.GetItemAsync(r, ct)),
        Operation<DeleteItemRequest, DeleteItemResponse>("DeleteItem", static (db, r, ct) => db.DeleteItemAsync(r, ct)),
        Operation<UpdateItemRequest, UpdateItemResponse>("UpdateItem", static (db, r, ct) => db.UpdateItemAsync(r, ct)),
        Operation<QueryRequest, QueryResponse>("Query", static (db, r, ct) => db.QueryAsync(r, ct)),
        Operation<ScanRequest, ScanResponse>("Scan", static (db, r, ct) => db.ScanAsync(r, ct)),
        Operation<BatchGetItemRequest, BatchGetItemResponse>("BatchGetItem", static (db, r, ct) => db.BatchGetItemAsync(r, ct)),
        Operation<BatchWriteItemRequest, BatchWriteItemResponse>("BatchWriteItem", static (db, r, ct) => db.BatchWriteItemAsync(r, ct)),
        Operation<TransactWriteItemsRequest, TransactWriteItemsResponse>("TransactWriteItems", static (db, r, ct) => db.TransactWriteItemsAsync(r, ct)),
        Operation<TransactGetItemsRequest, TransactGetItemsResponse>("TransactGetItems", static (db, r, ct) => db.TransactGetItemsAsync(r, ct)),
        Operation<UpdateTimeToLiveRequest, UpdateTimeToLiveResponse>("UpdateTimeToLive", static (db, r, ct) => db.UpdateTimeToLiveAsync(r, ct)),
        Operation<DescribeTimeToLiveRequest, DescribeTimeToLiveResponse>("DescribeTimeToLive", static (db, r, ct) => db.DescribeTimeToLiveAsync(r, ct)),
        Operation<ExecuteStatementRequest, ExecuteStatementResponse>("ExecuteStatement", static (db, r, ct) => db.ExecuteStatementAsync(r, ct)),
        Operation<BatchExecuteStatementRequest, BatchExecuteStatementResponse>("BatchExecuteStatement", static (db, r, ct) => db.BatchExecuteStatementAsync(r, ct)),
        Operation<ExecuteTransactionRequest, ExecuteTransactionResponse>("ExecuteTransaction", static (db, r, ct) => db.ExecuteTransactionAsync(r, ct)),
        Operation<TagResourceRequest, TagResourceResponse>("TagResource", static (db, r, ct) => db.TagResourceAsync(r, ct), emptyBody: true),
        Operation<UntagResourceRequest, UntagResourceResponse>("UntagResource", static (db, r, ct) => db.UntagResourceAsync(r, ct), emptyBody: true),
        Operation<ListTagsOfResourceRequest, ListTagsOfResourceResponse>("ListTagsOfResource", static (db, r, ct) => db.ListTagsOfResourceAsync(r, ct)),
        Operation<DescribeLimitsRequest, DescribeLimitsResponse>("DescribeLimits", static (db, r, ct) => db.DescribeLimitsAsync(r, ct)),
        // The address is the host the request was sent to.
        Operation<DescribeEndpointsRequest, DescribeEndpointsResponse>("DescribeEndpoints", static (db, r, ct) => db.DescribeEndpointsAsync(r, ct),
            static (r, host) => r with { Host = host }),
        Operation<DescribeContinuousBackupsRequest, DescribeContinuousBackupsResponse>("DescribeContinuousBackups",
            static (db, r, ct) => db.DescribeContinuousBackupsAsync(r, ct)),
        Operation<CreateBackupRequest, CreateBackupResponse>("CreateBackup", static (db, r, ct) => db.CreateBackupAsync(r, ct)),
        Operation<DescribeBackupRequest, DescribeBackupResponse>("DescribeBackup", static (db, r, ct) => db.DescribeBackupAsync(r, ct)),
        Operation<DeleteBackupRequest, DeleteBackupResponse>("DeleteBackup", static (db, r, ct) => db.DeleteBackupAsync(r, ct)),
        Operation<ListBackupsRequest, ListBackupsResponse>("ListBackups", static (db, r, ct) => db.ListBackupsAsync(r, ct)),
        Operation<RestoreTableFromBackupRequest, RestoreTableFromBackupResponse>("RestoreTableFromBackup", static (db, r, ct) => db.RestoreTableFromBackupAsync(r, ct)),
        Operation<RestoreTableToPointInTimeRequest, RestoreTableToPointInTimeResponse>("RestoreTableToPointInTime", static (db, r, ct) => db.RestoreTableToPointInTimeAsync(r, ct)),
        Operation<UpdateContinuousBackupsRequest, UpdateContinuousBackupsResponse>("UpdateContinuousBackups", static (db, r, ct) => db.UpdateContinuousBackupsAsync(r, ct)),
        Operation<ExportTableToPointInTimeRequest, ExportTableToPointInTimeResponse>("ExportTableToPointInTime", static (db, r, ct) => db.ExportTableToPointInTimeAsync(r, ct)),
        Operation<DescribeExportRequest, DescribeExportResponse>("DescribeExport", static (db, r, ct) => db.DescribeExportAsync(r, ct)),
        Operation<ListExportsRequest, ListExportsResponse>("ListExports", static (db, r, ct) => db.ListExportsAsync(r, ct)),
        Operation<ImportTableRequest, ImportTableResponse>("ImportTable", static (db, r, ct) => db.ImportTableAsync(r, ct)),
        Operation<DescribeImportRequest, DescribeImportResponse>("DescribeImport", static (db, r, ct) => db.DescribeImportAsync(r, ct)),
        Operation<ListImportsRequest, ListImportsResponse>("ListImports", static (db, r, ct) => db.ListImportsAsync(r, ct)),
    }.Select(operation => (TargetPrefix, operation)).Concat(new DynamoOperation[]
    {
        Operation<ListStreamsRequest, ListStreamsResponse>("ListStreams", static (db, r, ct) => db.ListStreamsAsync(r, ct)),
        Operation<DescribeStreamRequest, DescribeStreamResponse>("DescribeStream", static (db, r, ct) => db.DescribeStreamAsync(r, ct)),
        Operation<GetShardIteratorRequest, GetShardIteratorResponse>("GetShardIterator", static (db, r, ct) => db.GetShardIteratorAsync(r, ct)),
        Operation<GetRecordsRequest, GetRecordsResponse>("GetRecords", static (db, r, ct) => db.GetRecordsAsync(r, ct)),
    }.Select(operation => (StreamsTargetPrefix, operation)))
    .ToFrozenDictionary(entry => entry.Item1 + entry.operation.Name, entry => entry.operation, StringComparer.Ordinal);

    public static IEnumerable<string> Names => ByTarget.Values.Select(operation => operation.Name);

    public static bool TryFind(string? target, [NotNullWhen(true)] out DynamoOperation? operation)
    {
        if (target is not null) return ByTarget.TryGetValue(target, out operation);
        operation = null;
        return false;
    }

    private static DynamoOperation<TRequest, TResponse> Operation<TRequest, TResponse>(
        string name, Func<IDynamoDb, TRequest, CancellationToken, Task<TResponse>> call, Func<TRequest, string, TRequest>? withHost = null,
        bool emptyBody = false)
        where TRequest : class => new(name, call, withHost, emptyBody);
}
