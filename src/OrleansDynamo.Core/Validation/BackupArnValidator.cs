using OrleansDynamo.Operations;

namespace OrleansDynamo.Validation;

/// <summary>DescribeBackup and DeleteBackup take only a backup ARN: 37 to 1024 characters.</summary>
public static class BackupArnValidator
{
    public static void Validate(DescribeBackupRequest request) => Check(request.BackupArn);

    public static void Validate(DeleteBackupRequest request) => Check(request.BackupArn);

    private static void Check(string? arn)
    {
        var violations = new Violations();
        violations.NotNull(arn, "backupArn");
        violations.Length(arn, "backupArn", 37, 1024);
        violations.ThrowIfAny();
    }
}
