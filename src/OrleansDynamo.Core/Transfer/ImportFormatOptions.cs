using System.Diagnostics.CodeAnalysis;
using OrleansDynamo.Model;

namespace OrleansDynamo.Transfer;

/// <summary>ImportTable's InputFormat, of those read here (ION is not).</summary>
public enum ImportInputFormat { DynamoDbJson, Csv }

/// <summary>ImportTable's InputCompressionType.</summary>
public enum ImportCompression { None, Gzip, Zstd }

/// <summary>How to read an import's objects, and the keys that every item needs.</summary>
/// <param name="Keys">The new table's key schema: every item must carry these, with these types.</param>
public sealed record ImportFormatOptions(ImportInputFormat Format, TableSchema Keys)
{
    public ImportCompression Compression { get; init; } = ImportCompression.None;

    /// <summary>InputFormatOptions.Csv.Delimiter: one of , ; : | tab or space.</summary>
    public char CsvDelimiter { get; init; } = ',';

    /// <summary>InputFormatOptions.Csv.HeaderList. When given, the first line of every file is data, not a header.</summary>
    public IReadOnlyList<string>? CsvHeaderList { get; init; }

    /// <summary>The key attributes of the secondary indexes: CSV gives them their type too, everything else is a String.</summary>
    /// <remarks>Their types in DYNAMODB_JSON are checked where the items are written (IndexRules.CheckItem), as for any write.</remarks>
    public IReadOnlyList<KeyAttribute> IndexKeys { get; init; } = [];
}

/// <summary>A record that could not be imported, with where it is: what DynamoDB logs to CloudWatch for it.</summary>
/// <param name="File">The object's path below the folder read, with '/' between folders (its S3 key after the prefix).</param>
/// <param name="Line">The 1-based line the record starts on.</param>
public sealed record ImportItemError(string File, long Line, string Message);

/// <summary>One input record, read into an item or not, and how far the whole import has got.</summary>
/// <param name="BytesRead">Bytes of the input objects read so far, as stored (compressed): DescribeImport's ProcessedSizeBytes.</param>
/// <param name="TotalBytes">The size of all the input objects together.</param>
public sealed record ImportRecord(Item? Item, ImportItemError? Error, long BytesRead, long TotalBytes)
{
    [MemberNotNullWhen(true, nameof(Error))]
    [MemberNotNullWhen(false, nameof(Item))]
    public bool IsError => Error is not null;
}
