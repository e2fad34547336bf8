using OrleansDynamo.Model;
using OrleansDynamo.Operations;

namespace OrleansDynamo.Backups;

/// <summary>
/// What a backup keeps of its table besides the items: the CreateTable request that makes the table again (keys,
/// attribute definitions, billing, throughput, indexes, encryption; not streams, time to live, tags or recovery,
/// which DynamoDB does not restore either), and the description DescribeBackup gives of the source.
/// </summary>
public static class BackupDefinitions
{
    public static CreateTableRequest Of(TableDescription table)
    {
        var payPerRequest = table.BillingModeSummary?.BillingMode == "PAY_PER_REQUEST";
        return new CreateTableRequest
        {
            KeySchema = table.KeySchema,
            AttributeDefinitions = table.AttributeDefinitions,
            BillingMode = payPerRequest ? "PAY_PER_REQUEST" : "PROVISIONED",
            ProvisionedThroughput = payPerRequest ? null : Provisioned(table.ProvisionedThroughput),
            OnDemandThroughput = payPerRequest ? table.OnDemandThroughput : null,
            LocalSecondaryIndexes = table.LocalSecondaryIndexes?.Select(i => new LocalSecondaryIndex
            {
                IndexName = i.IndexName, KeySchema = i.KeySchema, Projection = i.Projection,
            }).ToList(),
            GlobalSecondaryIndexes = table.GlobalSecondaryIndexes?.Where(i => i.IndexStatus != "DELETING").Select(i => new GlobalSecondaryIndex
            {
                IndexName = i.IndexName, KeySchema = i.KeySchema, Projection = i.Projection,
                ProvisionedThroughput = payPerRequest || i.ProvisionedThroughput is null ? null : Provisioned(i.ProvisionedThroughput),
            }).ToList(),
            SSESpecification = table.SSEDescription is { Status: "ENABLED" } sse
                ? new SSESpecification { Enabled = true, SSEType = sse.SSEType, KMSMasterKeyId = sse.KMSMasterKeyArn }
                : null,
        };
    }

    public static SourceTableDetails Source(TableDescription table) => new()
    {
        TableName = table.TableName, TableId = table.TableId, TableArn = table.TableArn, TableSizeBytes = table.TableSizeBytes,
        KeySchema = table.KeySchema ?? [], TableCreationDateTime = table.CreationDateTime ?? 0,
        ProvisionedThroughput = Provisioned(table.ProvisionedThroughput), OnDemandThroughput = table.OnDemandThroughput,
        ItemCount = table.ItemCount, BillingMode = table.BillingModeSummary?.BillingMode ?? "PROVISIONED",
    };

    public static SourceTableFeatureDetails Features(TableDescription table, TimeToLiveDescription timeToLive) => new()
    {
        LocalSecondaryIndexes = table.LocalSecondaryIndexes?.Select(i => new LocalSecondaryIndexInfo { IndexName = i.IndexName, KeySchema = i.KeySchema, Projection = i.Projection }).ToList(),
        GlobalSecondaryIndexes = table.GlobalSecondaryIndexes?.Select(i => new GlobalSecondaryIndexInfo
        {
            IndexName = i.IndexName, KeySchema = i.KeySchema, Projection = i.Projection,
            ProvisionedThroughput = i.ProvisionedThroughput is null ? null : Provisioned(i.ProvisionedThroughput),
        }).ToList(),
        StreamDescription = table.StreamSpecification,
        TimeToLiveDescription = timeToLive,
        SSEDescription = table.SSEDescription,
    };

    private static ProvisionedThroughput Provisioned(ProvisionedThroughputDescription throughput) =>
        new() { ReadCapacityUnits = throughput.ReadCapacityUnits, WriteCapacityUnits = throughput.WriteCapacityUnits };
}
