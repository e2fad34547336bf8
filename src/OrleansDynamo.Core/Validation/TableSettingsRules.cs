using OrleansDynamo.Errors;
using OrleansDynamo.Model;
using OrleansDynamo.Operations;

namespace OrleansDynamo.Validation;

/// <summary>
/// The table settings DynamoDB accepts and reports but that change nothing here: TableClass, SSESpecification,
/// OnDemandThroughput and WarmThroughput. Checked with DynamoDB's messages, and described as DynamoDB describes them.
/// </summary>
public static class TableSettingsRules
{
    public const string Standard = "STANDARD";
    public const string InfrequentAccess = "STANDARD_INFREQUENT_ACCESS";

    /// <summary>What an on-demand table can serve at once, as DynamoDB reports it for a new table.</summary>
    public const long WarmReadUnits = 12000, WarmWriteUnits = 4000;

    /// <summary>The constraint checks, reported with the request's others: SSEType is AES256 or KMS.</summary>
    public static void CheckShape(Violations violations, SSESpecification? sse) =>
        violations.Enum(sse?.SSEType, "sSESpecification.sSEType", "AES256", "KMS");

    public static void Check(string? tableClass, SSESpecification? sse, OnDemandThroughput? onDemand, string billingMode)
    {
        if (tableClass is not (null or Standard or InfrequentAccess)) throw DynamoErrors.InvalidTableClass();
        if (sse is { Enabled: false, SSEType: not null }) throw DynamoErrors.SseTypeWithoutEncryption();
        if (sse is { Enabled: false, KMSMasterKeyId: not null }) throw DynamoErrors.SseKeyWithoutEncryption();
        if (sse?.SSEType == "AES256") throw DynamoErrors.SseAes256NotSupported();
        if (onDemand is null) return;
        if (billingMode == "PROVISIONED") throw DynamoErrors.OnDemandThroughputWhenProvisioned(onDemand.MaxReadRequestUnits is null ? "MaxWriteRequestUnits" : "MaxReadRequestUnits");
        if (onDemand.MaxReadRequestUnits is < 1 and not -1) throw DynamoErrors.OnDemandThroughputOutOfRange("MaxReadRequestUnits");
        if (onDemand.MaxWriteRequestUnits is < 1 and not -1) throw DynamoErrors.OnDemandThroughputOutOfRange("MaxWriteRequestUnits");
    }

    /// <summary>UpdateTable's rule: a table class, encryption or warm throughput change comes alone.</summary>
    public static void CheckAlone(UpdateTableRequest request)
    {
        var others = new object?[]
        {
            request.BillingMode, request.ProvisionedThroughput, request.DeletionProtectionEnabled, request.GlobalSecondaryIndexUpdates,
            request.StreamSpecification, request.OnDemandThroughput,
        }.Count(o => o is not null);
        var settings = new (object? Value, string Name)[] { (request.TableClass, "TableClass modification"), (request.SSESpecification, "Server-Side Encryption modification"),
            (request.WarmThroughput, "WarmThroughput") };
        foreach (var (value, name) in settings)
            if (value is not null && (others > 0 || settings.Count(s => s.Value is not null) > 1)) throw DynamoErrors.SettingMustComeAlone(name);
    }

    /// <summary>The description with the settings a CreateTable asked for.</summary>
    public static TableDescription Described(TableDescription table, CreateTableRequest request, string region, string account) => table with
    {
        TableClassSummary = request.TableClass is { } tableClass ? new TableClassSummary { TableClass = tableClass } : null,
        SSEDescription = Encryption(request.SSESpecification, region, account),
        OnDemandThroughput = request.OnDemandThroughput,
        WarmThroughput = Warm(table, request.WarmThroughput),
    };

    /// <summary>The description after an UpdateTable's settings.</summary>
    public static TableDescription Updated(TableDescription table, UpdateTableRequest request, double now, string region, string account)
    {
        CheckNoDecrease(table.WarmThroughput, request.WarmThroughput);
        var updated = table;
        if (request.TableClass is { } tableClass) updated = updated with { TableClassSummary = new TableClassSummary { TableClass = tableClass, LastUpdateDateTime = now } };
        if (request.SSESpecification is { } sse) updated = updated with { SSEDescription = Encryption(sse, region, account) };
        if (request.OnDemandThroughput is { } onDemand)
            updated = updated with
            {
                OnDemandThroughput = new OnDemandThroughput
                {
                    MaxReadRequestUnits = onDemand.MaxReadRequestUnits ?? table.OnDemandThroughput?.MaxReadRequestUnits,
                    MaxWriteRequestUnits = onDemand.MaxWriteRequestUnits ?? table.OnDemandThroughput?.MaxWriteRequestUnits,
                },
            };
        return updated with { WarmThroughput = Warm(updated, request.WarmThroughput ?? Asked(table.WarmThroughput)) };
    }

    private static void CheckNoDecrease(TableWarmThroughputDescription? current, WarmThroughput? asked)
    {
        if (current is null || asked is null) return;
        if (asked.ReadUnitsPerSecond < current.ReadUnitsPerSecond) throw DynamoErrors.WarmThroughputDecrease("ReadUnitsPerSecond", current.ReadUnitsPerSecond ?? 0);
        if (asked.WriteUnitsPerSecond < current.WriteUnitsPerSecond) throw DynamoErrors.WarmThroughputDecrease("WriteUnitsPerSecond", current.WriteUnitsPerSecond ?? 0);
    }

    /// <summary>Encryption with a KMS key (the AWS-managed one unless a key is named); none for the default owned key.</summary>
    private static SSEDescription? Encryption(SSESpecification? sse, string region, string account)
    {
        if (sse is null || (sse.Enabled != true && sse.SSEType is null)) return null;
        var key = sse.KMSMasterKeyId is { } id && id.StartsWith("arn:", StringComparison.Ordinal)
            ? id
            : $"arn:aws:kms:{region}:{account}:key/{ManagedKeyId(sse.KMSMasterKeyId ?? "alias/aws/dynamodb", account)}";
        return new SSEDescription { Status = "ENABLED", SSEType = "KMS", KMSMasterKeyArn = key };
    }

    // A key id that stays the same for the same alias and account.
    private static Guid ManagedKeyId(string alias, string account) =>
        new(System.Security.Cryptography.MD5.HashData(System.Text.Encoding.UTF8.GetBytes(account + "/" + alias)));

    /// <summary>Warm throughput: what was asked for, at least what the table can serve anyway.</summary>
    private static TableWarmThroughputDescription Warm(TableDescription table, WarmThroughput? asked)
    {
        var onDemand = table.BillingModeSummary?.BillingMode == "PAY_PER_REQUEST";
        var read = onDemand ? WarmReadUnits : table.ProvisionedThroughput.ReadCapacityUnits;
        var write = onDemand ? WarmWriteUnits : table.ProvisionedThroughput.WriteCapacityUnits;
        return new TableWarmThroughputDescription
        {
            ReadUnitsPerSecond = Math.Max(read, asked?.ReadUnitsPerSecond ?? 0),
            WriteUnitsPerSecond = Math.Max(write, asked?.WriteUnitsPerSecond ?? 0),
            Status = "ACTIVE",
        };
    }

    private static WarmThroughput? Asked(TableWarmThroughputDescription? current) =>
        current is null ? null : new WarmThroughput { ReadUnitsPerSecond = current.ReadUnitsPerSecond, WriteUnitsPerSecond = current.WriteUnitsPerSecond };
}
