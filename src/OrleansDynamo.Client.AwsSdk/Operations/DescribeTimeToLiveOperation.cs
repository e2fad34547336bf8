using OrleansDynamo.Operations;
using Sdk = Amazon.DynamoDBv2.Model;

namespace OrleansDynamo.Client.AwsSdk.Operations;

internal static class DescribeTimeToLiveOperation
{
    public static readonly AwsOperation Instance = AwsOperation.Create<Sdk.DescribeTimeToLiveRequest, DescribeTimeToLiveRequest, DescribeTimeToLiveResponse, Sdk.DescribeTimeToLiveResponse>(
        static r => new DescribeTimeToLiveRequest { TableName = r.TableName },
        static (db, r, ct) => db.DescribeTimeToLiveAsync(r, ct),
        static r => new Sdk.DescribeTimeToLiveResponse
        {
            TimeToLiveDescription = r.TimeToLiveDescription is { } ttl
                ? new Sdk.TimeToLiveDescription { AttributeName = ttl.AttributeName, TimeToLiveStatus = ttl.TimeToLiveStatus }
                : null,
        });
}
