using System.Collections.Frozen;
using Amazon.Runtime;
using OrleansDynamo.Client.AwsSdk.Operations;
using OrleansDynamo.Errors;
using OrleansDynamo.Operations;

namespace OrleansDynamo.Client.AwsSdk;

/// <summary>
/// The operations the adapter serves, by the SDK's request type: the same list as the HTTP endpoint's operation
/// table. Every other request gets the UnknownOperationException the
/// HTTP endpoint answers with.
/// </summary>
internal static class AwsOperationTable
{
    private static readonly FrozenDictionary<Type, AwsOperation> ByRequestType = new[]
    {
        CreateTableOperation.Instance,
        DescribeTableOperation.Instance,
        ListTablesOperation.Instance,
        DeleteTableOperation.Instance,
        UpdateTableOperation.Instance,
        PutItemOperation.Instance,
        GetItemOperation.Instance,
        DeleteItemOperation.Instance,
        UpdateItemOperation.Instance,
        QueryOperation.Instance,
        ScanOperation.Instance,
        BatchGetItemOperation.Instance,
        BatchWriteItemOperation.Instance,
        TransactWriteItemsOperation.Instance,
        TransactGetItemsOperation.Instance,
        UpdateTimeToLiveOperation.Instance,
        DescribeTimeToLiveOperation.Instance,
        ExecuteStatementOperation.Instance,
        BatchExecuteStatementOperation.Instance,
        ExecuteTransactionOperation.Instance,
        TagResourceOperation.Instance,
        UntagResourceOperation.Instance,
        ListTagsOfResourceOperation.Instance,
        DescribeLimitsOperation.Instance,
        DescribeEndpointsOperation.Instance,
        DescribeContinuousBackupsOperation.Instance,
        CreateBackupOperation.Instance,
        DescribeBackupOperation.Instance,
        DeleteBackupOperation.Instance,
        ListBackupsOperation.Instance,
        RestoreTableFromBackupOperation.Instance,
        RestoreTableToPointInTimeOperation.Instance,
        UpdateContinuousBackupsOperation.Instance,
        ExportTableToPointInTimeOperation.Instance,
        DescribeExportOperation.Instance,
        ListExportsOperation.Instance,
        ImportTableOperation.Instance,
        DescribeImportOperation.Instance,
        ListImportsOperation.Instance,
    }.ToFrozenDictionary(operation => operation.RequestType);

    public static Task<AmazonWebServiceResponse> InvokeAsync(IDynamoDb dynamoDb, AmazonWebServiceRequest request, CancellationToken cancellationToken) =>
        ByRequestType.TryGetValue(request.GetType(), out var operation)
            ? operation.InvokeAsync(dynamoDb, request, cancellationToken)
            : throw DynamoErrors.UnknownOperation();
}
