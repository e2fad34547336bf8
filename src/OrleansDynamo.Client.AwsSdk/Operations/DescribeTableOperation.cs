using OrleansDynamo.Operations;
using Sdk = Amazon.DynamoDBv2.Model;

namespace OrleansDynamo.Client.AwsSdk.Operations;

internal static class DescribeTableOperation
{
    public static readonly AwsOperation Instance = AwsOperation.Create<Sdk.DescribeTableRequest, DescribeTableRequest, DescribeTableResponse, Sdk.DescribeTableResponse>(
        static r => new DescribeTableRequest { TableName = r.TableName },
        static (db, r, ct) => db.DescribeTableAsync(r, ct),
        static r => new Sdk.DescribeTableResponse { Table = AwsTables.Description(r.Table) });
}
