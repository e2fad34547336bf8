using System.Text.RegularExpressions;
using OrleansDynamo.Errors;
using OrleansDynamo.Model;
using OrleansDynamo.Operations;

namespace OrleansDynamo.Validation;

/// <summary>
/// TagResource, UntagResource, ListTagsOfResource and CreateTable's Tags: DynamoDB's limits (50 tags; keys of 1 to 128
/// and values of 0 to 256 letters, digits, blanks and <c>_ . : / = + - @</c>; no <c>aws:</c> prefix) and its messages,
/// in its order: the ARN, the list, then each tag.
/// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Tagging.html
/// </summary>
public static partial class TagRules
{
    public const int MaxTags = 50;

    /// <summary>The table a TagResource names.</summary>
    public static string Validate(TagResourceRequest request)
    {
        if (request.ResourceArn is null) throw DynamoErrors.InvalidTableArn();
        NotNull(request.Tags, "tags");
        var table = TableArns.TableOf(request.ResourceArn);
        if (request.Tags!.Count == 0) throw DynamoErrors.NoTagsGiven();
        Check(request.Tags);
        return table;
    }

    public static string Validate(UntagResourceRequest request)
    {
        if (request.ResourceArn is null) throw DynamoErrors.InvalidTableArn();
        NotNull(request.TagKeys, "tagKeys");
        var table = TableArns.TableOf(request.ResourceArn);
        if (request.TagKeys!.Count == 0) throw DynamoErrors.NoTagKeysGiven();
        foreach (var key in request.TagKeys) CheckPrefix(key);
        if (request.TagKeys.Count > MaxTags) throw DynamoErrors.TooManyTags();
        return table;
    }

    public static string Validate(ListTagsOfResourceRequest request) =>
        request.ResourceArn is null ? throw DynamoErrors.InvalidTableArn() : TableArns.TableOf(request.ResourceArn);

    /// <summary>Each tag's key and value, no key twice, and no more than <see cref="MaxTags"/>.</summary>
    public static void Check(IReadOnlyList<Tag> tags)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            if (tag.Key is not { Length: >= 1 and <= 128 } key || !Allowed().IsMatch(key)) throw DynamoErrors.InvalidTagKey(tag.Key);
            CheckPrefix(key);
            if (tag.Value is not { Length: <= 256 } value || !Allowed().IsMatch(value)) throw DynamoErrors.InvalidTagValue(tag.Value);
            if (!keys.Add(key)) throw DynamoErrors.DuplicateTagKey(key);
        }
        if (tags.Count > MaxTags) throw DynamoErrors.TooManyTags();
    }

    /// <summary>The tags after a TagResource: new keys added, existing ones given their new value.</summary>
    public static List<Tag> Merged(IReadOnlyList<Tag> current, IReadOnlyList<Tag> added)
    {
        var merged = current.ToList();
        foreach (var tag in added)
        {
            var at = merged.FindIndex(t => t.Key == tag.Key);
            if (at >= 0) merged[at] = tag;
            else merged.Add(tag);
        }
        return merged.Count > MaxTags ? throw DynamoErrors.TooManyTags() : merged;
    }

    private static void CheckPrefix(string? key)
    {
        if (key is not null && key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase)) throw DynamoErrors.ReservedTagPrefix(key);
    }

    private static void NotNull(object? value, string member)
    {
        var violations = new Violations();
        violations.NotNull(value, member);
        violations.ThrowIfAny();
    }

    [GeneratedRegex(@"^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$")]
    private static partial Regex Allowed();
}

/// <summary>Table ARNs: <c>arn:aws:dynamodb:&lt;region&gt;:&lt;account&gt;:table/&lt;name&gt;</c>.</summary>
public static partial class TableArns
{
    /// <summary>The ARN of a table of this server.</summary>
    public static string Of(string region, string account, string table) => $"arn:aws:dynamodb:{region}:{account}:table/{table}";

    /// <summary>How long a table name or ARN may be, where DynamoDB takes either.</summary>
    public const int MaxLength = 1024;

    /// <summary>The table an ARN names; ValidationException when it is not a table ARN.</summary>
    public static string TableOf(string arn)
    {
        if (!arn.StartsWith("arn:", StringComparison.Ordinal)) throw DynamoErrors.NotAnArn(arn);
        return TryTableOf(arn, out var table) ? table : throw DynamoErrors.InvalidResourceArn(arn);
    }

    public static bool TryTableOf(string arn, out string table)
    {
        var match = TableArn().Match(arn);
        table = match.Success ? match.Groups["table"].Value : "";
        return match.Success && Violations.IsValidTableName(table);
    }

    /// <summary>The table name a request's TableName stands for: the name itself, or the table an ARN names.</summary>
    public static string NameOf(string nameOrArn) =>
        nameOrArn.StartsWith("arn:", StringComparison.Ordinal) && TryTableOf(nameOrArn, out var table) ? table : nameOrArn;

    [GeneratedRegex(@"^arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:[0-9]{12}:table/(?<table>[^/]+)$")]
    private static partial Regex TableArn();
}
