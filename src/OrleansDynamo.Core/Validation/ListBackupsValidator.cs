using OrleansDynamo.Errors;
using OrleansDynamo.Operations;

namespace OrleansDynamo.Validation;

/// <summary>ListBackups: an optional table, a page size of 1 to 100, a time range and a backup type.</summary>
public static class ListBackupsValidator
{
    public static void Validate(ListBackupsRequest request)
    {
        var violations = new Violations();
        violations.TableName(request.TableName, required: false);
        violations.Range(request.Limit, "limit", 1, 100);
        violations.Length(request.ExclusiveStartBackupArn, "exclusiveStartBackupArn", 37, 1024);
        violations.Enum(request.BackupType, "backupType", "USER", "SYSTEM", "AWS_BACKUP", "ALL");
        violations.ThrowIfAny();
        if (request.TimeRangeLowerBound > request.TimeRangeUpperBound) throw DynamoErrors.BackupTimeRangeInverted();
    }
}
