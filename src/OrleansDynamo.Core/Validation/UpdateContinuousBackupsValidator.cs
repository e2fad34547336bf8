using OrleansDynamo.Errors;
using OrleansDynamo.Operations;

namespace OrleansDynamo.Validation;

/// <summary>UpdateContinuousBackups: a table name and a PointInTimeRecoverySpecification with a window of 1 to 35 days.</summary>
public static class UpdateContinuousBackupsValidator
{
    public const int DefaultRecoveryPeriodInDays = 35;

    public static void Validate(UpdateContinuousBackupsRequest request)
    {
        var violations = new Violations();
        violations.TableName(request.TableName);
        violations.NotNull(request.PointInTimeRecoverySpecification, "pointInTimeRecoverySpecification");
        if (request.PointInTimeRecoverySpecification is { } specification)
        {
            violations.NotNull(specification.PointInTimeRecoveryEnabled, "pointInTimeRecoverySpecification.pointInTimeRecoveryEnabled");
            violations.Range(specification.RecoveryPeriodInDays, "pointInTimeRecoverySpecification.recoveryPeriodInDays", 1, DefaultRecoveryPeriodInDays);
        }
        violations.ThrowIfAny();
        if (request.PointInTimeRecoverySpecification is { PointInTimeRecoveryEnabled: false, RecoveryPeriodInDays: not null })
            throw DynamoErrors.RecoveryPeriodWhileDisabled();
    }
}
