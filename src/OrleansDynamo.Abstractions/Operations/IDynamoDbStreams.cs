namespace OrleansDynamo.Operations;

/// <summary>
/// The DynamoDB Streams operations (target prefix <c>DynamoDBStreams_20120810</c>), as a typed .NET API on
/// the same endpoint and client as <see cref="IDynamoDb"/>.
/// </summary>
public interface IDynamoDbStreams
{
    Task<ListStreamsResponse> ListStreamsAsync(ListStreamsRequest request, CancellationToken cancellationToken = default);
    Task<DescribeStreamResponse> DescribeStreamAsync(DescribeStreamRequest request, CancellationToken cancellationToken = default);
    Task<GetShardIteratorResponse> GetShardIteratorAsync(GetShardIteratorRequest request, CancellationToken cancellationToken = default);
    Task<GetRecordsResponse> GetRecordsAsync(GetRecordsRequest request, CancellationToken cancellationToken = default);
}
