using OrleansDynamo.Model;
using Sdk = Amazon.DynamoDBv2.Model;

namespace OrleansDynamo.Client.AwsSdk;

/// <summary>Tags and the table settings (class, encryption, on-demand and warm throughput), between the SDK's types and ours.</summary>
internal static class AwsTableSettings
{
    public static IReadOnlyList<Tag>? Tags(List<Sdk.Tag>? tags) => tags?.Select(t => new Tag { Key = t.Key, Value = t.Value }).ToList();

    public static SSESpecification? Encryption(Sdk.SSESpecification? sse) => sse is null ? null : new SSESpecification
    {
        Enabled = sse.Enabled, SSEType = sse.SSEType?.Value, KMSMasterKeyId = sse.KMSMasterKeyId,
    };

    public static OnDemandThroughput? OnDemand(Sdk.OnDemandThroughput? throughput) => throughput is null ? null : new OnDemandThroughput
    {
        MaxReadRequestUnits = throughput.MaxReadRequestUnits, MaxWriteRequestUnits = throughput.MaxWriteRequestUnits,
    };

    public static WarmThroughput? Warm(Sdk.WarmThroughput? throughput) => throughput is null ? null : new WarmThroughput
    {
        ReadUnitsPerSecond = throughput.ReadUnitsPerSecond, WriteUnitsPerSecond = throughput.WriteUnitsPerSecond,
    };

    public static Sdk.TableClassSummary? Summary(TableClassSummary? summary) => summary is null ? null : new Sdk.TableClassSummary
    {
        TableClass = summary.TableClass, LastUpdateDateTime = AwsValues.Time(summary.LastUpdateDateTime),
    };

    public static Sdk.SSESpecification? Encryption(SSESpecification? sse) => sse is null ? null : new Sdk.SSESpecification
    {
        Enabled = sse.Enabled, SSEType = sse.SSEType, KMSMasterKeyId = sse.KMSMasterKeyId,
    };

    public static Sdk.SSEDescription? Encryption(SSEDescription? sse) => sse is null ? null : new Sdk.SSEDescription
    {
        Status = sse.Status, SSEType = sse.SSEType, KMSMasterKeyArn = sse.KMSMasterKeyArn,
    };

    public static Sdk.OnDemandThroughput? OnDemand(OnDemandThroughput? throughput) => throughput is null ? null : new Sdk.OnDemandThroughput
    {
        MaxReadRequestUnits = throughput.MaxReadRequestUnits, MaxWriteRequestUnits = throughput.MaxWriteRequestUnits,
    };

    public static Sdk.TableWarmThroughputDescription? Warm(TableWarmThroughputDescription? throughput) => throughput is null ? null : new Sdk.TableWarmThroughputDescription
    {
        ReadUnitsPerSecond = throughput.ReadUnitsPerSecond, WriteUnitsPerSecond = throughput.WriteUnitsPerSecond, Status = throughput.Status,
    };
}
