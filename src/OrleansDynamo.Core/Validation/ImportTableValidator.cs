using OrleansDynamo.Errors;
using OrleansDynamo.Operations;

namespace OrleansDynamo.Validation;

/// <summary>ImportTable: the bucket source, the input format and compression, and the table to create (checked as a CreateTable).</summary>
public static class ImportTableValidator
{
    public static void Validate(ImportTableRequest request)
    {
        var violations = new Violations();
        violations.NotNull(request.S3BucketSource, "s3BucketSource");
        violations.NotNull(request.S3BucketSource?.S3Bucket, "s3BucketSource.s3Bucket");
        violations.Length(request.S3BucketSource?.S3KeyPrefix, "s3BucketSource.s3KeyPrefix", 0, 1024);
        violations.NotNull(request.InputFormat, "inputFormat");
        violations.Enum(request.InputFormat, "inputFormat", "DYNAMODB_JSON", "ION", "CSV");
        violations.Enum(request.InputCompressionType, "inputCompressionType", "GZIP", "ZSTD", "NONE");
        violations.Length(request.InputFormatOptions?.Csv?.Delimiter, "inputFormatOptions.csv.delimiter", 1, 1);
        violations.NotNull(request.TableCreationParameters, "tableCreationParameters");
        violations.Length(request.ClientToken, "clientToken", 1, 36);
        violations.ThrowIfAny();
        if (request.InputFormat == "ION") throw DynamoErrors.TransferFormatNotSupported("InputFormat", "ION");
        if (request.InputFormatOptions?.Csv is not null && request.InputFormat != "CSV") throw DynamoErrors.CsvOptionsWithoutCsv();
    }

    /// <summary>The CreateTable request of the table an import creates.</summary>
    public static CreateTableRequest TableOf(TableCreationParameters parameters) => new()
    {
        TableName = parameters.TableName,
        AttributeDefinitions = parameters.AttributeDefinitions,
        KeySchema = parameters.KeySchema,
        BillingMode = parameters.BillingMode,
        ProvisionedThroughput = parameters.ProvisionedThroughput,
        OnDemandThroughput = parameters.OnDemandThroughput,
        SSESpecification = parameters.SSESpecification,
        GlobalSecondaryIndexes = parameters.GlobalSecondaryIndexes,
    };
}
