using OrleansDynamo.Operations;

namespace OrleansDynamo.Validation;

/// <summary>UpdateTimeToLive: the table name and a whole TimeToLiveSpecification.</summary>
public static class UpdateTimeToLiveValidator
{
    public static void Validate(UpdateTimeToLiveRequest request)
    {
        var violations = new Violations();
        violations.TableName(request.TableName);
        violations.NotNull(request.TimeToLiveSpecification, "timeToLiveSpecification");
        if (request.TimeToLiveSpecification is { } specification)
        {
            violations.NotNull(specification.AttributeName, "timeToLiveSpecification.attributeName");
            violations.Length(specification.AttributeName, "timeToLiveSpecification.attributeName", 1, 255);
            violations.NotNull(specification.Enabled, "timeToLiveSpecification.enabled");
        }
        violations.ThrowIfAny();
    }
}
