using OrleansDynamo.Operations;

namespace OrleansDynamo.Throughput;

/// <summary>
/// DynamoDB's capacity units: reads in 4 KB units (half for eventually consistent reads), writes in 1 KB
/// units, at least one unit per item. https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html
/// </summary>
public static class CapacityUnits
{
    public const string None = "NONE";
    public const string Total = "TOTAL";
    public const string Indexes = "INDEXES";

    private const int ReadUnitBytes = 4 * 1024;
    private const int WriteUnitBytes = 1024;

    /// <summary>Read units for <paramref name="bytes"/> read in one go (an item, or all items of a Query/Scan page).</summary>
    public static double Read(long bytes, bool consistentRead) =>
        Math.Max(1, (bytes + ReadUnitBytes - 1) / ReadUnitBytes) * (consistentRead ? 1.0 : 0.5);

    /// <summary>Write units for writing an item of <paramref name="bytes"/> (the larger of old and new item).</summary>
    public static double Write(long bytes) => Math.Max(1, (bytes + WriteUnitBytes - 1) / WriteUnitBytes);

    /// <summary>Whether the request asked for ConsumedCapacity in its response.</summary>
    public static bool Wanted(string? returnConsumedCapacity) => returnConsumedCapacity is Total or Indexes;

    /// <summary>What a response reports for <paramref name="units"/> consumed on one table, or null when not asked.</summary>
    public static ConsumedCapacity? Report(string? returnConsumedCapacity, string tableName, double units, bool isWrite) =>
        Report(returnConsumedCapacity, tableName, isWrite ? 0 : units, isWrite ? units : 0);

    /// <summary>
    /// What a response reports for reads and writes on one table together (a transaction's), or null when not asked.
    /// A kind with no units is left out (a read always has some: at least half a unit).
    /// </summary>
    public static ConsumedCapacity? Report(string? returnConsumedCapacity, string tableName, double readUnits, double writeUnits)
    {
        if (!Wanted(returnConsumedCapacity)) return null;
        double? reads = readUnits > 0 ? readUnits : null, writes = writeUnits > 0 || readUnits == 0 ? writeUnits : null;
        return new ConsumedCapacity
        {
            TableName = tableName,
            CapacityUnits = readUnits + writeUnits,
            ReadCapacityUnits = reads,
            WriteCapacityUnits = writes,
            Table = returnConsumedCapacity == Indexes
                ? new Capacity { CapacityUnits = readUnits + writeUnits, ReadCapacityUnits = reads, WriteCapacityUnits = writes }
                : null,
        };
    }

    /// <summary>Adds ReturnConsumedCapacity's enum violation, with DynamoDB's value order.</summary>
    public static void CheckEnum(Validation.Violations violations, string? returnConsumedCapacity) =>
        violations.Enum(returnConsumedCapacity, "returnConsumedCapacity", Indexes, Total, None);
}
