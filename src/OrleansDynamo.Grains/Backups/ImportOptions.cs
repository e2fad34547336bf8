using OrleansDynamo.Model;
using OrleansDynamo.Operations;
using OrleansDynamo.Transfer;

namespace OrleansDynamo.Backups;

/// <summary>How an import reads its files: ImportTable's format, compression and CSV options, and the new table's keys.</summary>
internal static class ImportOptions
{
    public static ImportFormatOptions Of(ImportTableDescription import, TableInfo table) =>
        new(import.InputFormat == "CSV" ? ImportInputFormat.Csv : ImportInputFormat.DynamoDbJson, table.Schema)
        {
            Compression = import.InputCompressionType switch
            {
                "GZIP" => ImportCompression.Gzip,
                "ZSTD" => ImportCompression.Zstd,
                _ => ImportCompression.None,
            },
            CsvDelimiter = import.InputFormatOptions?.Csv?.Delimiter is [var delimiter] ? delimiter : ',',
            CsvHeaderList = import.InputFormatOptions?.Csv?.HeaderList,
            IndexKeys = table.SecondaryIndexes.SelectMany(i => (i.PartitionKeys ?? [i.KeySchema.HashKey]).Concat(i.SortKeys ?? (i.KeySchema.RangeKey is { } range ? [range] : [])))
                .DistinctBy(k => k.Name).ToList(),
        };
}
