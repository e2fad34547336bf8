using OrleansDynamo.Operations;
using Sdk = Amazon.DynamoDBv2.Model;

namespace OrleansDynamo.Client.AwsSdk.Operations;

internal static class CreateTableOperation
{
    public static readonly AwsOperation Instance = AwsOperation.Create<Sdk.CreateTableRequest, CreateTableRequest, CreateTableResponse, Sdk.CreateTableResponse>(
        ToModel, static (db, r, ct) => db.CreateTableAsync(r, ct), ToSdk);

    private static CreateTableRequest ToModel(Sdk.CreateTableRequest r) => new()
    {
        AttributeDefinitions = AwsTables.AttributeDefinitions(r.AttributeDefinitions),
        BillingMode = r.BillingMode?.Value,
        DeletionProtectionEnabled = r.DeletionProtectionEnabled,
        GlobalSecondaryIndexes = AwsIndexes.Global(r.GlobalSecondaryIndexes),
        KeySchema = AwsTables.KeySchema(r.KeySchema),
        LocalSecondaryIndexes = AwsIndexes.Local(r.LocalSecondaryIndexes),
        ProvisionedThroughput = AwsTables.Throughput(r.ProvisionedThroughput),
        StreamSpecification = AwsTables.Stream(r.StreamSpecification),
        TableName = r.TableName,
        Tags = AwsTableSettings.Tags(r.Tags),
        TableClass = r.TableClass?.Value,
        SSESpecification = AwsTableSettings.Encryption(r.SSESpecification),
        OnDemandThroughput = AwsTableSettings.OnDemand(r.OnDemandThroughput),
        WarmThroughput = AwsTableSettings.Warm(r.WarmThroughput),
    };

    private static Sdk.CreateTableResponse ToSdk(CreateTableResponse r) => new() { TableDescription = AwsTables.Description(r.TableDescription) };
}
