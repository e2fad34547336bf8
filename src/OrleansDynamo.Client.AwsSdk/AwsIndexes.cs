using Amazon.DynamoDBv2;
using OrleansDynamo.Model;
using Sdk = Amazon.DynamoDBv2.Model;

namespace OrleansDynamo.Client.AwsSdk;

/// <summary>Secondary indexes (definitions, UpdateTable actions, descriptions) and item collection metrics.</summary>
internal static class AwsIndexes
{
    public static IReadOnlyList<LocalSecondaryIndex>? Local(List<Sdk.LocalSecondaryIndex>? indexes) =>
        AwsRequestReader.IsSent(indexes)
            ? indexes!.Select(i => i is null ? new LocalSecondaryIndex() : new LocalSecondaryIndex
            {
                IndexName = i.IndexName,
                KeySchema = AwsTables.KeySchema(i.KeySchema),
                Projection = Projection(i.Projection),
            }).ToArray()
            : null;

    public static IReadOnlyList<GlobalSecondaryIndex>? Global(List<Sdk.GlobalSecondaryIndex>? indexes) =>
        AwsRequestReader.IsSent(indexes)
            ? indexes!.Select(i => i is null ? new GlobalSecondaryIndex() : new GlobalSecondaryIndex
            {
                IndexName = i.IndexName,
                KeySchema = AwsTables.KeySchema(i.KeySchema),
                Projection = Projection(i.Projection),
                ProvisionedThroughput = AwsTables.Throughput(i.ProvisionedThroughput),
            }).ToArray()
            : null;

    public static IReadOnlyList<GlobalSecondaryIndexUpdate>? Updates(List<Sdk.GlobalSecondaryIndexUpdate>? updates) =>
        AwsRequestReader.IsSent(updates)
            ? updates!.Select(u => u is null ? new GlobalSecondaryIndexUpdate() : new GlobalSecondaryIndexUpdate
            {
                Create = u.Create is { } create
                    ? new GlobalSecondaryIndex
                    {
                        IndexName = create.IndexName,
                        KeySchema = AwsTables.KeySchema(create.KeySchema),
                        Projection = Projection(create.Projection),
                        ProvisionedThroughput = AwsTables.Throughput(create.ProvisionedThroughput),
                    }
                    : null,
                Delete = u.Delete is { } delete ? new DeleteGlobalSecondaryIndexAction { IndexName = delete.IndexName } : null,
                Update = u.Update is { } update
                    ? new UpdateGlobalSecondaryIndexAction { IndexName = update.IndexName, ProvisionedThroughput = AwsTables.Throughput(update.ProvisionedThroughput) }
                    : null,
            }).ToArray()
            : null;

    private static Projection? Projection(Sdk.Projection? projection) => projection is null ? null : new Projection
    {
        NonKeyAttributes = AwsRequestReader.List(projection.NonKeyAttributes),
        ProjectionType = projection.ProjectionType?.Value,
    };

    public static Sdk.Projection Projection(Projection projection) => new()
    {
        ProjectionType = projection.ProjectionType is { } type ? ProjectionType.FindValue(type) : null,
        NonKeyAttributes = projection.NonKeyAttributes?.ToList(),
    };

    private static List<Sdk.KeySchemaElement> KeySchema(IReadOnlyList<KeySchemaElement> schema) =>
        schema.Select(k => new Sdk.KeySchemaElement { AttributeName = k.AttributeName, KeyType = k.KeyType }).ToList();

    /// <summary>Global indexes as asked for, echoed in an import's TableCreationParameters.</summary>
    public static List<Sdk.GlobalSecondaryIndex>? Global(IReadOnlyList<GlobalSecondaryIndex>? indexes) =>
        indexes?.Select(i => new Sdk.GlobalSecondaryIndex
        {
            IndexName = i.IndexName,
            KeySchema = AwsTables.KeySchema(i.KeySchema),
            Projection = i.Projection is { } projection ? Projection(projection) : null,
            ProvisionedThroughput = AwsTables.Throughput(i.ProvisionedThroughput),
        }).ToList();

    public static List<Sdk.LocalSecondaryIndexDescription>? Describe(IReadOnlyList<LocalSecondaryIndexDescription>? indexes) =>
        indexes?.Select(i => new Sdk.LocalSecondaryIndexDescription
        {
            IndexName = i.IndexName,
            KeySchema = KeySchema(i.KeySchema),
            Projection = Projection(i.Projection),
            IndexSizeBytes = i.IndexSizeBytes,
            ItemCount = i.ItemCount,
            IndexArn = i.IndexArn,
        }).ToList();

    public static List<Sdk.GlobalSecondaryIndexDescription>? Describe(IReadOnlyList<GlobalSecondaryIndexDescription>? indexes) =>
        indexes?.Select(i => new Sdk.GlobalSecondaryIndexDescription
        {
            IndexName = i.IndexName,
            KeySchema = KeySchema(i.KeySchema),
            Projection = Projection(i.Projection),
            IndexStatus = IndexStatus.FindValue(i.IndexStatus),
            Backfilling = i.Backfilling,
            ProvisionedThroughput = i.ProvisionedThroughput is { } throughput ? AwsTables.Throughput(throughput) : null,
            IndexSizeBytes = i.IndexSizeBytes,
            ItemCount = i.ItemCount,
            IndexArn = i.IndexArn,
        }).ToList();

    public static Sdk.ItemCollectionMetrics? Metrics(ItemCollectionMetrics? metrics) => metrics is null ? null : new Sdk.ItemCollectionMetrics
    {
        ItemCollectionKey = AwsValues.Item(metrics.ItemCollectionKey),
        SizeEstimateRangeGB = metrics.SizeEstimateRangeGB?.ToList(),
    };
}
