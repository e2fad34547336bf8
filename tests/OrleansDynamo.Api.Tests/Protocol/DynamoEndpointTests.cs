using System.IO.Hashing;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OrleansDynamo.Errors;
using OrleansDynamo.Model;
using OrleansDynamo.Operations;
using OrleansDynamo.Server.Protocol;

namespace OrleansDynamo.Api.Tests.Protocol;

/// <summary>The HTTP exchange: headers, status codes and the order in which DynamoDB checks a request.</summary>
public class DynamoEndpointTests
{
    private sealed record Exchange(int Status, string Body, IHeaderDictionary Headers);

    private static async Task<Exchange> SendAsync(
        string? target, string body, Func<PutItemRequest, Task<PutItemResponse>>? putItem = null,
        string contentType = ContentTypes.AmzJson, long? contentLength = null)
    {
        var services = new ServiceCollection().AddSingleton<IDynamoDb>(new FakeDynamoDb(putItem)).BuildServiceProvider();
        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.Method = "POST";
        context.Request.ContentType = contentType;
        if (target is not null) context.Request.Headers["X-Amz-Target"] = target;
        var bytes = Encoding.UTF8.GetBytes(body);
        context.Request.Body = new MemoryStream(bytes);
        context.Request.ContentLength = contentLength ?? bytes.Length;
        var response = new MemoryStream();
        context.Response.Body = response;

        await DynamoEndpoint.HandleAsync(context);

        return new Exchange(context.Response.StatusCode, Encoding.UTF8.GetString(response.ToArray()), context.Response.Headers);
    }

    [Fact]
    public async Task An_operation_is_answered_with_request_id_checksum_and_content_type()
    {
        PutItemRequest? received = null;
        var exchange = await SendAsync("DynamoDB_20120810.PutItem", """{"TableName":"t","Item":{"id":{"S":"a"}}}""",
            request => { received = request; return Task.FromResult(new PutItemResponse()); });

        Assert.Equal(200, exchange.Status);
        Assert.Equal("{}", exchange.Body);
        Assert.Equal("t", received!.TableName);
        Assert.Equal("a", received.Item!["id"].S);
        Assert.Equal(ContentTypes.AmzJson, exchange.Headers.ContentType.ToString());
        Assert.Matches("^[A-Z0-9]{52}$", exchange.Headers["x-amzn-RequestId"].ToString());
        Assert.Equal(Crc32.HashToUInt32("{}"u8).ToString(), exchange.Headers["x-amz-crc32"].ToString());
    }

    [Fact]
    public async Task Plain_JSON_clients_get_plain_JSON_back()
    {
        var exchange = await SendAsync("DynamoDB_20120810.PutItem", """{"TableName":"t"}""",
            _ => Task.FromResult(new PutItemResponse()), contentType: "application/json; charset=utf-8");

        Assert.Equal(ContentTypes.Json, exchange.Headers.ContentType.ToString());
    }

    [Theory]
    [InlineData("DynamoDB_20120810.Nonsense")]
    [InlineData("DynamoDB_20120810.CreateGlobalTable")]
    [InlineData("DynamoDB_20120810.GetRecords")]
    [InlineData("DynamoDBStreams_20120810.PutItem")]
    [InlineData("DynamoDB_20111205.PutItem")]
    [InlineData("PutItem")]
    [InlineData(null)]
    public async Task Unknown_and_unbuilt_operations_are_UnknownOperationException(string? target)
    {
        var exchange = await SendAsync(target, "{}");

        Assert.Equal(400, exchange.Status);
        Assert.Equal("""{"__type":"com.amazon.coral.service#UnknownOperationException"}""", exchange.Body);
    }

    [Fact]
    public async Task A_body_that_is_not_JSON_is_reported_before_an_unknown_target()
    {
        var exchange = await SendAsync("DynamoDB_20120810.Nonsense", "{");

        Assert.Equal("""{"__type":"com.amazon.coral.service#SerializationException"}""", exchange.Body);
    }

    [Fact]
    public async Task An_empty_body_is_a_SerializationException()
    {
        var exchange = await SendAsync("DynamoDB_20120810.ListTables", "");

        Assert.Equal(400, exchange.Status);
        Assert.Equal("""{"__type":"com.amazon.coral.service#SerializationException"}""", exchange.Body);
    }

    [Fact]
    public async Task Other_content_types_are_not_DynamoDB_requests()
    {
        var exchange = await SendAsync("DynamoDB_20120810.ListTables", "{}", contentType: "text/plain");

        Assert.Equal(404, exchange.Status);
        Assert.Equal("<UnknownOperationException/>\n", exchange.Body);
    }

    [Fact]
    public async Task Bodies_over_16_MB_are_refused()
    {
        var exchange = await SendAsync("DynamoDB_20120810.ListTables", "{}", contentLength: 16 * 1024 * 1024 + 1);

        Assert.Equal(413, exchange.Status);
        Assert.Equal("", exchange.Body);
    }

    [Fact]
    public async Task DynamoDB_errors_from_the_operation_are_written_as_DynamoDB_writes_them()
    {
        var item = new Item([KeyValuePair.Create("id", AttributeValue.FromS("a"))]);
        var exchange = await SendAsync("DynamoDB_20120810.PutItem", "{}", _ => throw DynamoErrors.ConditionalCheckFailed(item));

        Assert.Equal(400, exchange.Status);
        Assert.Equal("""{"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException","message":"The conditional request failed","Item":{"id":{"S":"a"}}}""", exchange.Body);
        Assert.Equal(Crc32.HashToUInt32(Encoding.UTF8.GetBytes(exchange.Body)).ToString(), exchange.Headers["x-amz-crc32"].ToString());
    }

    [Fact]
    public async Task Unexpected_exceptions_are_InternalServerError_without_details()
    {
        var exchange = await SendAsync("DynamoDB_20120810.PutItem", "{}", _ => throw new InvalidOperationException("secret detail"));

        Assert.Equal(500, exchange.Status);
        Assert.Equal("""{"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError","message":"Internal server error"}""", exchange.Body);
    }

    [Fact]
    public async Task Request_errors_are_answered_before_the_operation_runs()
    {
        var called = false;
        var exchange = await SendAsync("DynamoDB_20120810.PutItem", """{"Item":{"a":{"SS":[]}}}""",
            _ => { called = true; return Task.FromResult(new PutItemResponse()); });

        Assert.False(called);
        Assert.Equal(400, exchange.Status);
        Assert.Contains("An string set  may not be empty", exchange.Body);
    }

    private sealed class FakeDynamoDb(Func<PutItemRequest, Task<PutItemResponse>>? putItem) : IDynamoDb
    {
        public Task<PutItemResponse> PutItemAsync(PutItemRequest request, CancellationToken cancellationToken = default) =>
            putItem is null ? throw new NotSupportedException() : putItem(request);

        public Task<CreateTableResponse> CreateTableAsync(CreateTableRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<DescribeTableResponse> DescribeTableAsync(DescribeTableRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<ListTablesResponse> ListTablesAsync(ListTablesRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<DeleteTableResponse> DeleteTableAsync(DeleteTableRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<UpdateTableResponse> UpdateTableAsync(UpdateTableRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<GetItemResponse> GetItemAsync(GetItemRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<DeleteItemResponse> DeleteItemAsync(DeleteItemRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<UpdateItemResponse> UpdateItemAsync(UpdateItemRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<QueryResponse> QueryAsync(QueryRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<ScanResponse> ScanAsync(ScanRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<BatchGetItemResponse> BatchGetItemAsync(BatchGetItemRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<BatchWriteItemResponse> BatchWriteItemAsync(BatchWriteItemRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<TransactWriteItemsResponse> TransactWriteItemsAsync(TransactWriteItemsRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<TransactGetItemsResponse> TransactGetItemsAsync(TransactGetItemsRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<UpdateTimeToLiveResponse> UpdateTimeToLiveAsync(UpdateTimeToLiveRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<DescribeTimeToLiveResponse> DescribeTimeToLiveAsync(DescribeTimeToLiveRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<ExecuteStatementResponse> ExecuteStatementAsync(ExecuteStatementRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<BatchExecuteStatementResponse> BatchExecuteStatementAsync(BatchExecuteStatementRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<ExecuteTransactionResponse> ExecuteTransactionAsync(ExecuteTransactionRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<ListStreamsResponse> ListStreamsAsync(ListStreamsRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<DescribeStreamResponse> DescribeStreamAsync(DescribeStreamRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<GetShardIteratorResponse> GetShardIteratorAsync(GetShardIteratorRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<GetRecordsResponse> GetRecordsAsync(GetRecordsRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<TagResourceResponse> TagResourceAsync(TagResourceRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<UntagResourceResponse> UntagResourceAsync(UntagResourceRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<ListTagsOfResourceResponse> ListTagsOfResourceAsync(ListTagsOfResourceRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<DescribeLimitsResponse> DescribeLimitsAsync(DescribeLimitsRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<DescribeEndpointsResponse> DescribeEndpointsAsync(DescribeEndpointsRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<DescribeContinuousBackupsResponse> DescribeContinuousBackupsAsync(DescribeContinuousBackupsRequest request, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();
        public Task<CreateBackupResponse> CreateBackupAsync(CreateBackupRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<DescribeBackupResponse> DescribeBackupAsync(DescribeBackupRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<DeleteBackupResponse> DeleteBackupAsync(DeleteBackupRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<ListBackupsResponse> ListBackupsAsync(ListBackupsRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<RestoreTableFromBackupResponse> RestoreTableFromBackupAsync(RestoreTableFromBackupRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<RestoreTableToPointInTimeResponse> RestoreTableToPointInTimeAsync(RestoreTableToPointInTimeRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<UpdateContinuousBackupsResponse> UpdateContinuousBackupsAsync(UpdateContinuousBackupsRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<ExportTableToPointInTimeResponse> ExportTableToPointInTimeAsync(ExportTableToPointInTimeRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<DescribeExportResponse> DescribeExportAsync(DescribeExportRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<ListExportsResponse> ListExportsAsync(ListExportsRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<ImportTableResponse> ImportTableAsync(ImportTableRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<DescribeImportResponse> DescribeImportAsync(DescribeImportRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<ListImportsResponse> ListImportsAsync(ListImportsRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
