using OrleansDynamo.Errors;
using OrleansDynamo.Operations;
using OrleansDynamo.Validation;

namespace OrleansDynamo.Client;

/// <summary>What DynamoDB tells about the account and the service: limits and endpoints.</summary>
public sealed partial class DynamoDbClient
{
    /// <summary>DynamoDB's documented default quotas, in capacity units.</summary>
    public const long AccountMaxCapacityUnits = 80_000, TableMaxCapacityUnits = 40_000;

    /// <summary>How long a client may keep the endpoint address, as DynamoDB answers (a day).</summary>
    public const long EndpointCachePeriodInMinutes = 1440;

    /// <summary>The address DescribeEndpoints gives when the request did not come over HTTP.</summary>
    public const string DefaultEndpointAddress = "localhost:8000";

    public Task<DescribeLimitsResponse> DescribeLimitsAsync(DescribeLimitsRequest request, CancellationToken cancellationToken = default) =>
        Task.FromResult(new DescribeLimitsResponse
        {
            AccountMaxReadCapacityUnits = AccountMaxCapacityUnits,
            AccountMaxWriteCapacityUnits = AccountMaxCapacityUnits,
            TableMaxReadCapacityUnits = TableMaxCapacityUnits,
            TableMaxWriteCapacityUnits = TableMaxCapacityUnits,
        });

    public Task<DescribeEndpointsResponse> DescribeEndpointsAsync(DescribeEndpointsRequest request, CancellationToken cancellationToken = default) =>
        Task.FromResult(new DescribeEndpointsResponse
        {
            Endpoints = [new Endpoint { Address = request.Host ?? DefaultEndpointAddress, CachePeriodInMinutes = EndpointCachePeriodInMinutes }],
        });
}
