using OrleansDynamo.Operations;

namespace OrleansDynamo.Validation;

/// <summary>DescribeTable, DeleteTable, DescribeTimeToLive and DescribeContinuousBackups take only a table name.</summary>
public static class TableNameValidator
{
    public static void Validate(DescribeTableRequest request) => Check(request.TableName);

    public static void Validate(DeleteTableRequest request) => Check(request.TableName);

    public static void Validate(DescribeTimeToLiveRequest request) => Check(request.TableName);

    public static void Validate(DescribeContinuousBackupsRequest request) => Check(request.TableName);

    private static void Check(string? tableName)
    {
        var violations = new Violations();
        violations.TableName(tableName);
        violations.ThrowIfAny();
    }
}
