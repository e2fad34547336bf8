using OrleansDynamo.Grains;
using OrleansDynamo.Operations;
using OrleansDynamo.Security;

namespace OrleansDynamo.Client.Security;

/// <summary>
/// <see cref="IDynamoDb"/> for an Orleans client of silos that check credentials: every request goes, with the
/// client's proof, to the request gate of the gateway silo, which validates, authorizes, routes and answers it. The
/// answers and errors are those of <see cref="DynamoDbClient"/>, which runs the request inside the silo.
/// </summary>
public sealed class GatedDynamoDbClient(IGrainFactory grains, ClientProofSigner signer) : IDynamoDb
{
    // Stateless worker: whichever key, the activation is on the silo the call reaches first, the gateway.
    private readonly IRequestGateGrain _gate = grains.GetGrain<IRequestGateGrain>(0);

    public Task<CreateTableResponse> CreateTableAsync(CreateTableRequest request, CancellationToken cancellationToken = default) => SendAsync<CreateTableResponse>(request);
    public Task<DescribeTableResponse> DescribeTableAsync(DescribeTableRequest request, CancellationToken cancellationToken = default) => SendAsync<DescribeTableResponse>(request);
    public Task<ListTablesResponse> ListTablesAsync(ListTablesRequest request, CancellationToken cancellationToken = default) => SendAsync<ListTablesResponse>(request);
    public Task<DeleteTableResponse> DeleteTableAsync(DeleteTableRequest request, CancellationToken cancellationToken = default) => SendAsync<DeleteTableResponse>(request);
    public Task<UpdateTableResponse> UpdateTableAsync(UpdateTableRequest request, CancellationToken cancellationToken = default) => SendAsync<UpdateTableResponse>(request);
    public Task<PutItemResponse> PutItemAsync(PutItemRequest request, CancellationToken cancellationToken = default) => SendAsync<PutItemResponse>(request);
    public Task<GetItemResponse> GetItemAsync(GetItemRequest request, CancellationToken cancellationToken = default) => SendAsync<GetItemResponse>(request);
    public Task<DeleteItemResponse> DeleteItemAsync(DeleteItemRequest request, CancellationToken cancellationToken = default) => SendAsync<DeleteItemResponse>(request);
    public Task<UpdateItemResponse> UpdateItemAsync(UpdateItemRequest request, CancellationToken cancellationToken = default) => SendAsync<UpdateItemResponse>(request);
    public Task<QueryResponse> QueryAsync(QueryRequest request, CancellationToken cancellationToken = default) => SendAsync<QueryResponse>(request);
    public Task<ScanResponse> ScanAsync(ScanRequest request, CancellationToken cancellationToken = default) => SendAsync<ScanResponse>(request);
    public Task<BatchGetItemResponse> BatchGetItemAsync(BatchGetItemRequest request, CancellationToken cancellationToken = default) => SendAsync<BatchGetItemResponse>(request);
    public Task<BatchWriteItemResponse> BatchWriteItemAsync(BatchWriteItemRequest request, CancellationToken cancellationToken = default) => SendAsync<BatchWriteItemResponse>(request);
    public Task<TransactWriteItemsResponse> TransactWriteItemsAsync(TransactWriteItemsRequest request, CancellationToken cancellationToken = default) => SendAsync<TransactWriteItemsResponse>(request);
    public Task<TransactGetItemsResponse> TransactGetItemsAsync(TransactGetItemsRequest request, CancellationToken cancellationToken = default) => SendAsync<TransactGetItemsResponse>(request);
    public Task<UpdateTimeToLiveResponse> UpdateTimeToLiveAsync(UpdateTimeToLiveRequest request, CancellationToken cancellationToken = default) => SendAsync<UpdateTimeToLiveResponse>(request);
    public Task<ExecuteStatementResponse> ExecuteStatementAsync(ExecuteStatementRequest request, CancellationToken cancellationToken = default) => SendAsync<ExecuteStatementResponse>(request);
    public Task<BatchExecuteStatementResponse> BatchExecuteStatementAsync(BatchExecuteStatementRequest request, CancellationToken cancellationToken = default) => SendAsync<BatchExecuteStatementResponse>(request);
    public Task<ExecuteTransactionResponse> ExecuteTransactionAsync(ExecuteTransactionRequest request, CancellationToken cancellationToken = default) => SendAsync<ExecuteTransactionResponse>(request);
    public Task<DescribeTimeToLiveResponse> DescribeTimeToLiveAsync(DescribeTimeToLiveRequest request, CancellationToken cancellationToken = default) => SendAsync<DescribeTimeToLiveResponse>(request);
    public Task<TagResourceResponse> TagResourceAsync(TagResourceRequest request, CancellationToken cancellationToken = default) => SendAsync<TagResourceResponse>(request);
    public Task<UntagResourceResponse> UntagResourceAsync(UntagResourceRequest request, CancellationToken cancellationToken = default) => SendAsync<UntagResourceResponse>(request);
    public Task<ListTagsOfResourceResponse> ListTagsOfResourceAsync(ListTagsOfResourceRequest request, CancellationToken cancellationToken = default) => SendAsync<ListTagsOfResourceResponse>(request);
    public Task<DescribeLimitsResponse> DescribeLimitsAsync(DescribeLimitsRequest request, CancellationToken cancellationToken = default) => SendAsync<DescribeLimitsResponse>(request);
    public Task<DescribeEndpointsResponse> DescribeEndpointsAsync(DescribeEndpointsRequest request, CancellationToken cancellationToken = default) => SendAsync<DescribeEndpointsResponse>(request);
    public Task<DescribeContinuousBackupsResponse> DescribeContinuousBackupsAsync(DescribeContinuousBackupsRequest request, CancellationToken cancellationToken = default) => SendAsync<DescribeContinuousBackupsResponse>(request);
    public Task<CreateBackupResponse> CreateBackupAsync(CreateBackupRequest request, CancellationToken cancellationToken = default) => SendAsync<CreateBackupResponse>(request);
    public Task<DescribeBackupResponse> DescribeBackupAsync(DescribeBackupRequest request, CancellationToken cancellationToken = default) => SendAsync<DescribeBackupResponse>(request);
    public Task<DeleteBackupResponse> DeleteBackupAsync(DeleteBackupRequest request, CancellationToken cancellationToken = default) => SendAsync<DeleteBackupResponse>(request);
    public Task<ListBackupsResponse> ListBackupsAsync(ListBackupsRequest request, CancellationToken cancellationToken = default) => SendAsync<ListBackupsResponse>(request);
    public Task<RestoreTableFromBackupResponse> RestoreTableFromBackupAsync(RestoreTableFromBackupRequest request, CancellationToken cancellationToken = default) => SendAsync<RestoreTableFromBackupResponse>(request);
    public Task<RestoreTableToPointInTimeResponse> RestoreTableToPointInTimeAsync(RestoreTableToPointInTimeRequest request, CancellationToken cancellationToken = default) => SendAsync<RestoreTableToPointInTimeResponse>(request);
    public Task<UpdateContinuousBackupsResponse> UpdateContinuousBackupsAsync(UpdateContinuousBackupsRequest request, CancellationToken cancellationToken = default) => SendAsync<UpdateContinuousBackupsResponse>(request);
    public Task<ExportTableToPointInTimeResponse> ExportTableToPointInTimeAsync(ExportTableToPointInTimeRequest request, CancellationToken cancellationToken = default) => SendAsync<ExportTableToPointInTimeResponse>(request);
    public Task<DescribeExportResponse> DescribeExportAsync(DescribeExportRequest request, CancellationToken cancellationToken = default) => SendAsync<DescribeExportResponse>(request);
    public Task<ListExportsResponse> ListExportsAsync(ListExportsRequest request, CancellationToken cancellationToken = default) => SendAsync<ListExportsResponse>(request);
    public Task<ImportTableResponse> ImportTableAsync(ImportTableRequest request, CancellationToken cancellationToken = default) => SendAsync<ImportTableResponse>(request);
    public Task<DescribeImportResponse> DescribeImportAsync(DescribeImportRequest request, CancellationToken cancellationToken = default) => SendAsync<DescribeImportResponse>(request);
    public Task<ListImportsResponse> ListImportsAsync(ListImportsRequest request, CancellationToken cancellationToken = default) => SendAsync<ListImportsResponse>(request);
    public Task<ListStreamsResponse> ListStreamsAsync(ListStreamsRequest request, CancellationToken cancellationToken = default) => SendAsync<ListStreamsResponse>(request);
    public Task<DescribeStreamResponse> DescribeStreamAsync(DescribeStreamRequest request, CancellationToken cancellationToken = default) => SendAsync<DescribeStreamResponse>(request);
    public Task<GetShardIteratorResponse> GetShardIteratorAsync(GetShardIteratorRequest request, CancellationToken cancellationToken = default) => SendAsync<GetShardIteratorResponse>(request);
    public Task<GetRecordsResponse> GetRecordsAsync(GetRecordsRequest request, CancellationToken cancellationToken = default) => SendAsync<GetRecordsResponse>(request);

    private async Task<TResponse> SendAsync<TResponse>(object request) =>
        (TResponse)await _gate.Invoke(signer.Current, request).ConfigureAwait(false);
}
