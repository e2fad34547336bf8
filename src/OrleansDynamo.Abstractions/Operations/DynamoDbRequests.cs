namespace OrleansDynamo.Operations;

/// <summary>
/// A DynamoDB request record, whatever its operation, run on an <see cref="IDynamoDb"/>: how the request gate
/// runs what an Orleans client sends it. The operation's name is the record's name without <c>Request</c>.
/// </summary>
public static class DynamoDbRequests
{
    public static string OperationOf(object request)
    {
        var name = request.GetType().Name;
        return name.EndsWith("Request", StringComparison.Ordinal) ? name[..^"Request".Length] : name;
    }

    /// <summary>Runs <paramref name="request"/>; null for an object that is no DynamoDB request.</summary>
    public static Task<object>? TryInvoke(IDynamoDb db, object request, CancellationToken cancellationToken = default) => request switch
    {
        CreateTableRequest r => Boxed(db.CreateTableAsync(r, cancellationToken)),
        DescribeTableRequest r => Boxed(db.DescribeTableAsync(r, cancellationToken)),
        ListTablesRequest r => Boxed(db.ListTablesAsync(r, cancellationToken)),
        DeleteTableRequest r => Boxed(db.DeleteTableAsync(r, cancellationToken)),
        UpdateTableRequest r => Boxed(db.UpdateTableAsync(r, cancellationToken)),
        PutItemRequest r => Boxed(db.PutItemAsync(r, cancellationToken)),
        GetItemRequest r => Boxed(db.GetItemAsync(r, cancellationToken)),
        DeleteItemRequest r => Boxed(db.DeleteItemAsync(r, cancellationToken)),
        UpdateItemRequest r => Boxed(db.UpdateItemAsync(r, cancellationToken)),
        QueryRequest r => Boxed(db.QueryAsync(r, cancellationToken)),
        ScanRequest r => Boxed(db.ScanAsync(r, cancellationToken)),
        BatchGetItemRequest r => Boxed(db.BatchGetItemAsync(r, cancellationToken)),
        BatchWriteItemRequest r => Boxed(db.BatchWriteItemAsync(r, cancellationToken)),
        TransactWriteItemsRequest r => Boxed(db.TransactWriteItemsAsync(r, cancellationToken)),
        TransactGetItemsRequest r => Boxed(db.TransactGetItemsAsync(r, cancellationToken)),
        UpdateTimeToLiveRequest r => Boxed(db.UpdateTimeToLiveAsync(r, cancellationToken)),
        DescribeTimeToLiveRequest r => Boxed(db.DescribeTimeToLiveAsync(r, cancellationToken)),
        ExecuteStatementRequest r => Boxed(db.ExecuteStatementAsync(r, cancellationToken)),
        BatchExecuteStatementRequest r => Boxed(db.BatchExecuteStatementAsync(r, cancellationToken)),
        ExecuteTransactionRequest r => Boxed(db.ExecuteTransactionAsync(r, cancellationToken)),
        TagResourceRequest r => Boxed(db.TagResourceAsync(r, cancellationToken)),
        UntagResourceRequest r => Boxed(db.UntagResourceAsync(r, cancellationToken)),
        ListTagsOfResourceRequest r => Boxed(db.ListTagsOfResourceAsync(r, cancellationToken)),
        DescribeLimitsRequest r => Boxed(db.DescribeLimitsAsync(r, cancellationToken)),
        DescribeEndpointsRequest r => Boxed(db.DescribeEndpointsAsync(r, cancellationToken)),
        DescribeContinuousBackupsRequest r => Boxed(db.DescribeContinuousBackupsAsync(r, cancellationToken)),
        CreateBackupRequest r => Boxed(db.CreateBackupAsync(r, cancellationToken)),
        DescribeBackupRequest r => Boxed(db.DescribeBackupAsync(r, cancellationToken)),
        DeleteBackupRequest r => Boxed(db.DeleteBackupAsync(r, cancellationToken)),
        ListBackupsRequest r => Boxed(db.ListBackupsAsync(r, cancellationToken)),
        RestoreTableFromBackupRequest r => Boxed(db.RestoreTableFromBackupAsync(r, cancellationToken)),
        RestoreTableToPointInTimeRequest r => Boxed(db.RestoreTableToPointInTimeAsync(r, cancellationToken)),
        UpdateContinuousBackupsRequest r => Boxed(db.UpdateContinuousBackupsAsync(r, cancellationToken)),
        ExportTableToPointInTimeRequest r => Boxed(db.ExportTableToPointInTimeAsync(r, cancellationToken)),
        DescribeExportRequest r => Boxed(db.DescribeExportAsync(r, cancellationToken)),
        ListExportsRequest r => Boxed(db.ListExportsAsync(r, cancellationToken)),
        ImportTableRequest r => Boxed(db.ImportTableAsync(r, cancellationToken)),
        DescribeImportRequest r => Boxed(db.DescribeImportAsync(r, cancellationToken)),
        ListImportsRequest r => Boxed(db.ListImportsAsync(r, cancellationToken)),
        ListStreamsRequest r => Boxed(db.ListStreamsAsync(r, cancellationToken)),
        DescribeStreamRequest r => Boxed(db.DescribeStreamAsync(r, cancellationToken)),
        GetShardIteratorRequest r => Boxed(db.GetShardIteratorAsync(r, cancellationToken)),
        GetRecordsRequest r => Boxed(db.GetRecordsAsync(r, cancellationToken)),
        _ => null,
    };

    private static async Task<object> Boxed<T>(Task<T> response) where T : class => await response.ConfigureAwait(false);
}
