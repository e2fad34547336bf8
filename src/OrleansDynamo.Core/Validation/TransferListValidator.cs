using OrleansDynamo.Operations;

namespace OrleansDynamo.Validation;

/// <summary>DescribeExport, ListExports, DescribeImport and ListImports: ARNs and page sizes of 1 to 25.</summary>
public static class TransferListValidator
{
    public static void Validate(DescribeExportRequest request) => Arn(request.ExportArn, "exportArn");

    public static void Validate(DescribeImportRequest request) => Arn(request.ImportArn, "importArn");

    public static void Validate(ListExportsRequest request)
    {
        var violations = new Violations();
        violations.Length(request.TableArn, "tableArn", 1, 1024);
        violations.Range(request.MaxResults, "maxResults", 1, 25);
        violations.ThrowIfAny();
    }

    public static void Validate(ListImportsRequest request)
    {
        var violations = new Violations();
        violations.Length(request.TableArn, "tableArn", 1, 1024);
        violations.Range(request.PageSize, "pageSize", 1, 25);
        violations.ThrowIfAny();
    }

    private static void Arn(string? arn, string member)
    {
        var violations = new Violations();
        violations.NotNull(arn, member);
        violations.Length(arn, member, 37, 1024);
        violations.ThrowIfAny();
    }
}
