using OrleansDynamo.Operations;
using Sdk = Amazon.DynamoDBv2.Model;

namespace OrleansDynamo.Client.AwsSdk.Operations;

internal static class ListTablesOperation
{
    public static readonly AwsOperation Instance = AwsOperation.Create<Sdk.ListTablesRequest, ListTablesRequest, ListTablesResponse, Sdk.ListTablesResponse>(
        static r => new ListTablesRequest { ExclusiveStartTableName = r.ExclusiveStartTableName, Limit = r.Limit },
        static (db, r, ct) => db.ListTablesAsync(r, ct),
        static r => new Sdk.ListTablesResponse { TableNames = [.. r.TableNames], LastEvaluatedTableName = r.LastEvaluatedTableName });
}
