namespace OrleansDynamo.Transfer;

/// <summary>
/// The object names of a DynamoDB export to S3:
/// <c>&lt;prefix&gt;/AWSDynamoDB/&lt;exportId&gt;/</c> holds <c>_started</c>, the two manifests with their checksums,
/// and <c>data/*.json.gz</c>. https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/S3DataExport.Output.html
/// </summary>
public static class ExportLayout
{
    public const string ExportsFolder = "AWSDynamoDB";
    public const string DataFolder = "data";
    public const string DataFileExtension = ".json.gz";
    public const string Started = "_started";
    public const string ManifestSummary = "manifest-summary.json";
    public const string ManifestSummaryChecksum = "manifest-summary.checksum";
    public const string ManifestFiles = "manifest-files.json";
    public const string ManifestFilesChecksum = "manifest-files.checksum";

    /// <summary>A manifest being written; renamed to its real name once complete.</summary>
    public const string PartialSuffix = ".partial";

    private static readonly HashSet<string> MetadataNames = new(StringComparer.Ordinal)
    {
        Started, ManifestSummary, ManifestSummaryChecksum, ManifestFiles, ManifestFilesChecksum,
        // Checksum files spelled .md5 are bookkeeping too.
        "manifest-summary.md5", "manifest-files.md5",
    };

    /// <summary>Whether a file is an export's bookkeeping rather than data: an import of an export folder skips it.</summary>
    public static bool IsMetadata(string fileName) =>
        MetadataNames.Contains(fileName) ||
        (fileName.EndsWith(PartialSuffix, StringComparison.Ordinal) && MetadataNames.Contains(fileName[..^PartialSuffix.Length]));
}
