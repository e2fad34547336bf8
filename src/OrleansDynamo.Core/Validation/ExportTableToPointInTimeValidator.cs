using OrleansDynamo.Errors;
using OrleansDynamo.Operations;

namespace OrleansDynamo.Validation;

/// <summary>ExportTableToPointInTime: the table ARN, the bucket, and the format and type we write (full DynamoDB JSON exports).</summary>
public static class ExportTableToPointInTimeValidator
{
    public static void Validate(ExportTableToPointInTimeRequest request)
    {
        var violations = new Violations();
        violations.NotNull(request.TableArn, "tableArn");
        violations.Length(request.TableArn, "tableArn", 1, 1024);
        violations.NotNull(request.S3Bucket, "s3Bucket");
        violations.Length(request.S3Bucket, "s3Bucket", 0, 255);
        violations.Length(request.S3Prefix, "s3Prefix", 0, 1024);
        violations.Length(request.ClientToken, "clientToken", 0, 2048);
        violations.Enum(request.S3SseAlgorithm, "s3SseAlgorithm", "AES256", "KMS");
        violations.Enum(request.ExportFormat, "exportFormat", "DYNAMODB_JSON", "ION");
        violations.Enum(request.ExportType, "exportType", "FULL_EXPORT", "INCREMENTAL_EXPORT");
        violations.ThrowIfAny();
        if (request.ExportFormat == "ION") throw DynamoErrors.TransferFormatNotSupported("ExportFormat", "ION");
        if (request.ExportType == "INCREMENTAL_EXPORT") throw DynamoErrors.TransferFormatNotSupported("ExportType", "INCREMENTAL_EXPORT");
        if (!TableArns.TryTableOf(request.TableArn!, out _)) throw DynamoErrors.InvalidResourceArn(request.TableArn!);
    }
}
