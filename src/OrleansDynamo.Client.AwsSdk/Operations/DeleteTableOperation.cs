using OrleansDynamo.Operations;
using Sdk = Amazon.DynamoDBv2.Model;

namespace OrleansDynamo.Client.AwsSdk.Operations;

internal static class DeleteTableOperation
{
    public static readonly AwsOperation Instance = AwsOperation.Create<Sdk.DeleteTableRequest, DeleteTableRequest, DeleteTableResponse, Sdk.DeleteTableResponse>(
        static r => new DeleteTableRequest { TableName = r.TableName },
        static (db, r, ct) => db.DeleteTableAsync(r, ct),
        static r => new Sdk.DeleteTableResponse { TableDescription = AwsTables.Description(r.TableDescription) });
}
