using OrleansDynamo.Model;
using Amazon.DynamoDBv2;
using Sdk = Amazon.DynamoDBv2.Model;

namespace OrleansDynamo.Client.AwsSdk;

/// <summary>Table-level shapes (key schema, throughput, description) between the AWS SDK's model and OrleansDynamo's.</summary>
internal static class AwsTables
{
    public static IReadOnlyList<KeySchemaElement>? KeySchema(List<Sdk.KeySchemaElement>? schema) =>
        AwsRequestReader.IsSent(schema)
            ? schema!.Select(k => new KeySchemaElement { AttributeName = k?.AttributeName, KeyType = k?.KeyType?.Value }).ToArray()
            : null;

    public static IReadOnlyList<AttributeDefinition>? AttributeDefinitions(List<Sdk.AttributeDefinition>? definitions) =>
        AwsRequestReader.IsSent(definitions)
            ? definitions!.Select(d => new AttributeDefinition { AttributeName = d?.AttributeName, AttributeType = d?.AttributeType?.Value }).ToArray()
            : null;

    public static ProvisionedThroughput? Throughput(Sdk.ProvisionedThroughput? throughput) => throughput is null ? null : new ProvisionedThroughput
    {
        ReadCapacityUnits = throughput.ReadCapacityUnits,
        WriteCapacityUnits = throughput.WriteCapacityUnits,
    };

    public static Sdk.TableDescription? Description(TableDescription? table) => table is null ? null : new Sdk.TableDescription
    {
        TableName = table.TableName,
        KeySchema = KeySchema(table.KeySchema),
        AttributeDefinitions = AttributeDefinitions(table.AttributeDefinitions),
        TableStatus = table.TableStatus,
        CreationDateTime = AwsValues.Time(table.CreationDateTime),
        ProvisionedThroughput = Throughput(table.ProvisionedThroughput),
        BillingModeSummary = table.BillingModeSummary is { } billing
            ? new Sdk.BillingModeSummary
            {
                BillingMode = billing.BillingMode is { } mode ? BillingMode.FindValue(mode) : null,
                LastUpdateToPayPerRequestDateTime = AwsValues.Time(billing.LastUpdateToPayPerRequestDateTime),
            }
            : null,
        TableSizeBytes = table.TableSizeBytes,
        ItemCount = table.ItemCount,
        TableArn = table.TableArn,
        TableId = table.TableId,
        DeletionProtectionEnabled = table.DeletionProtectionEnabled,
        LocalSecondaryIndexes = AwsIndexes.Describe(table.LocalSecondaryIndexes),
        GlobalSecondaryIndexes = AwsIndexes.Describe(table.GlobalSecondaryIndexes),
        StreamSpecification = table.StreamSpecification is { } stream
            ? new Sdk.StreamSpecification { StreamEnabled = stream.StreamEnabled, StreamViewType = stream.StreamViewType }
            : null,
        LatestStreamArn = table.LatestStreamArn,
        LatestStreamLabel = table.LatestStreamLabel,
        TableClassSummary = AwsTableSettings.Summary(table.TableClassSummary),
        SSEDescription = AwsTableSettings.Encryption(table.SSEDescription),
        OnDemandThroughput = AwsTableSettings.OnDemand(table.OnDemandThroughput),
        WarmThroughput = AwsTableSettings.Warm(table.WarmThroughput),
        RestoreSummary = table.RestoreSummary is { } restore
            ? new Sdk.RestoreSummary
            {
                SourceBackupArn = restore.SourceBackupArn,
                SourceTableArn = restore.SourceTableArn,
                RestoreDateTime = AwsValues.Time(restore.RestoreDateTime),
                RestoreInProgress = restore.RestoreInProgress,
            }
            : null,
    };

    public static List<Sdk.KeySchemaElement>? KeySchema(IReadOnlyList<KeySchemaElement>? schema) =>
        schema?.Select(k => new Sdk.KeySchemaElement { AttributeName = k.AttributeName, KeyType = k.KeyType }).ToList();

    public static List<Sdk.AttributeDefinition>? AttributeDefinitions(IReadOnlyList<AttributeDefinition>? definitions) =>
        definitions?.Select(d => new Sdk.AttributeDefinition { AttributeName = d.AttributeName, AttributeType = d.AttributeType }).ToList();

    public static Sdk.ProvisionedThroughput? Throughput(ProvisionedThroughput? throughput) => throughput is null ? null : new Sdk.ProvisionedThroughput
    {
        ReadCapacityUnits = throughput.ReadCapacityUnits,
        WriteCapacityUnits = throughput.WriteCapacityUnits,
    };

    public static StreamSpecification? Stream(Sdk.StreamSpecification? stream) => stream is null ? null : new StreamSpecification
    {
        StreamEnabled = stream.StreamEnabled,
        StreamViewType = stream.StreamViewType?.Value,
    };

    public static Sdk.ProvisionedThroughputDescription Throughput(ProvisionedThroughputDescription throughput) => new()
    {
        ReadCapacityUnits = throughput.ReadCapacityUnits,
        WriteCapacityUnits = throughput.WriteCapacityUnits,
        NumberOfDecreasesToday = throughput.NumberOfDecreasesToday,
        LastIncreaseDateTime = AwsValues.Time(throughput.LastIncreaseDateTime),
        LastDecreaseDateTime = AwsValues.Time(throughput.LastDecreaseDateTime),
    };
}
