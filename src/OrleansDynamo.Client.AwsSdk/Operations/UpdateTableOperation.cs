using OrleansDynamo.Operations;
using Sdk = Amazon.DynamoDBv2.Model;

namespace OrleansDynamo.Client.AwsSdk.Operations;

internal static class UpdateTableOperation
{
    public static readonly AwsOperation Instance = AwsOperation.Create<Sdk.UpdateTableRequest, UpdateTableRequest, UpdateTableResponse, Sdk.UpdateTableResponse>(
        ToModel, static (db, r, ct) => db.UpdateTableAsync(r, ct), static r => new Sdk.UpdateTableResponse { TableDescription = AwsTables.Description(r.TableDescription) });

    private static UpdateTableRequest ToModel(Sdk.UpdateTableRequest r) => new()
    {
        AttributeDefinitions = AwsTables.AttributeDefinitions(r.AttributeDefinitions),
        BillingMode = r.BillingMode?.Value,
        DeletionProtectionEnabled = r.DeletionProtectionEnabled,
        GlobalSecondaryIndexUpdates = AwsIndexes.Updates(r.GlobalSecondaryIndexUpdates),
        ProvisionedThroughput = AwsTables.Throughput(r.ProvisionedThroughput),
        StreamSpecification = AwsTables.Stream(r.StreamSpecification),
        TableName = r.TableName,
        TableClass = r.TableClass?.Value,
        SSESpecification = AwsTableSettings.Encryption(r.SSESpecification),
        OnDemandThroughput = AwsTableSettings.OnDemand(r.OnDemandThroughput),
        WarmThroughput = AwsTableSettings.Warm(r.WarmThroughput),
    };
}
