using OrleansDynamo.Operations;

namespace OrleansDynamo.Validation;

/// <summary>CreateBackup: a table name and a backup name, which follows the table name rule.</summary>
public static class CreateBackupValidator
{
    public static void Validate(CreateBackupRequest request)
    {
        var violations = new Violations();
        violations.TableName(request.TableName);
        violations.IndexName(request.BackupName, "backupName");
        violations.ThrowIfAny();
    }
}
