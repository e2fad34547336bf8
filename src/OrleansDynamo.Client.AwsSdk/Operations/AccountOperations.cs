using OrleansDynamo.Operations;
using Sdk = Amazon.DynamoDBv2.Model;

namespace OrleansDynamo.Client.AwsSdk.Operations;

internal static class DescribeLimitsOperation
{
    public static readonly AwsOperation Instance = AwsOperation.Create<Sdk.DescribeLimitsRequest, DescribeLimitsRequest, DescribeLimitsResponse, Sdk.DescribeLimitsResponse>(
        static _ => new DescribeLimitsRequest(),
        static (db, r, ct) => db.DescribeLimitsAsync(r, ct),
        static r => new Sdk.DescribeLimitsResponse
        {
            AccountMaxReadCapacityUnits = r.AccountMaxReadCapacityUnits,
            AccountMaxWriteCapacityUnits = r.AccountMaxWriteCapacityUnits,
            TableMaxReadCapacityUnits = r.TableMaxReadCapacityUnits,
            TableMaxWriteCapacityUnits = r.TableMaxWriteCapacityUnits,
        });
}

internal static class DescribeEndpointsOperation
{
    public static readonly AwsOperation Instance = AwsOperation.Create<Sdk.DescribeEndpointsRequest, DescribeEndpointsRequest, DescribeEndpointsResponse, Sdk.DescribeEndpointsResponse>(
        static _ => new DescribeEndpointsRequest(),
        static (db, r, ct) => db.DescribeEndpointsAsync(r, ct),
        static r => new Sdk.DescribeEndpointsResponse
        {
            Endpoints = r.Endpoints.Select(e => new Sdk.Endpoint { Address = e.Address, CachePeriodInMinutes = e.CachePeriodInMinutes }).ToList(),
        });
}

internal static class DescribeContinuousBackupsOperation
{
    public static readonly AwsOperation Instance = AwsOperation.Create<Sdk.DescribeContinuousBackupsRequest, DescribeContinuousBackupsRequest,
        DescribeContinuousBackupsResponse, Sdk.DescribeContinuousBackupsResponse>(
        static r => new DescribeContinuousBackupsRequest { TableName = r.TableName },
        static (db, r, ct) => db.DescribeContinuousBackupsAsync(r, ct),
        static r => new Sdk.DescribeContinuousBackupsResponse { ContinuousBackupsDescription = AwsBackups.Continuous(r.ContinuousBackupsDescription) });
}
