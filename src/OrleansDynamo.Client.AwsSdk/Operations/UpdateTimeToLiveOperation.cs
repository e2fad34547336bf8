using OrleansDynamo.Operations;
using Sdk = Amazon.DynamoDBv2.Model;

namespace OrleansDynamo.Client.AwsSdk.Operations;

internal static class UpdateTimeToLiveOperation
{
    public static readonly AwsOperation Instance = AwsOperation.Create<Sdk.UpdateTimeToLiveRequest, UpdateTimeToLiveRequest, UpdateTimeToLiveResponse, Sdk.UpdateTimeToLiveResponse>(
        static r => new UpdateTimeToLiveRequest
        {
            TableName = r.TableName,
            TimeToLiveSpecification = r.TimeToLiveSpecification is { } ttl
                ? new TimeToLiveSpecification { AttributeName = ttl.AttributeName, Enabled = ttl.Enabled }
                : null,
        },
        static (db, r, ct) => db.UpdateTimeToLiveAsync(r, ct),
        static r => new Sdk.UpdateTimeToLiveResponse
        {
            TimeToLiveSpecification = r.TimeToLiveSpecification is { } ttl
                ? new Sdk.TimeToLiveSpecification { AttributeName = ttl.AttributeName, Enabled = ttl.Enabled }
                : null,
        });
}
