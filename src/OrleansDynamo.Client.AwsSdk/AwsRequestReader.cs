using Amazon.Util.Internal;
using OrleansDynamo.Errors;
using OrleansDynamo.Model;
using OrleansDynamo.Validation;
using Sdk = Amazon.DynamoDBv2.Model;

namespace OrleansDynamo.Client.AwsSdk;

/// <summary>
/// Reads the AWS SDK's request members into OrleansDynamo's records, with the checks the HTTP endpoint makes
/// while it parses JSON: the first invalid attribute value is held back and thrown by <see cref="Done{T}"/>,
/// as DynamoDB reports it before it validates anything else.
/// </summary>
/// <remarks>
/// Operation mappings read members in the order the SDK's marshaller writes them (alphabetical), so that with
/// two invalid values the same one is reported as over HTTP. A member the SDK would not send (null, or an empty
/// collection with <c>AWSConfigs.InitializeCollections</c>) reads as null. The checks mirror the server's
/// <c>AttributeValueReader</c>: members in the marshaller's order (B, BOOL, BS, L, M, N, NS, NULL, S, SS),
/// the first problem wins, "more than one datatypes" only when every member is fine.
/// </remarks>
internal sealed class AwsRequestReader
{
    private DynamoException? _invalid;

    /// <summary>Returns the request, or throws the first invalid attribute value found while reading it.</summary>
    public T Done<T>(T request) => _invalid is null ? request : throw _invalid;

    private void Report(DynamoException error) => _invalid ??= error;

    public static bool IsSent<T>(List<T>? list) => list is not null && InternalSDKUtils.GetIsSet(list);

    public static bool IsSent<TKey, TValue>(Dictionary<TKey, TValue>? map) where TKey : notnull => map is not null && InternalSDKUtils.GetIsSet(map);

    public static IReadOnlyList<T>? List<T>(List<T>? list) => IsSent(list) ? list!.ToArray() : null;

    public static IReadOnlyDictionary<string, string>? Names(Dictionary<string, string>? names) =>
        IsSent(names) ? new Dictionary<string, string>(names!, StringComparer.Ordinal) : null;

    /// <summary>An item or a key.</summary>
    public Item? Item(Dictionary<string, Sdk.AttributeValue>? attributes)
    {
        if (!IsSent(attributes)) return null;
        var result = new Dictionary<string, AttributeValue>(attributes!.Count, StringComparer.Ordinal);
        foreach (var (name, value) in attributes)
        {
            result[name] = Value(value, out var invalid);
            if (invalid is not null) Report(invalid);
        }
        return new Item(result);
    }

    public IReadOnlyList<Item>? Items(List<Dictionary<string, Sdk.AttributeValue>>? items) =>
        IsSent(items) ? items!.Select(item => Item(item) ?? Model.Item.Empty).ToArray() : null;

    /// <summary>ExpressionAttributeValues: like an item, but DynamoDB names the placeholder in its error.</summary>
    public IReadOnlyDictionary<string, AttributeValue>? ExpressionValues(Dictionary<string, Sdk.AttributeValue>? values)
    {
        if (!IsSent(values)) return null;
        var result = new Dictionary<string, AttributeValue>(values!.Count, StringComparer.Ordinal);
        foreach (var (placeholder, value) in values)
        {
            result[placeholder] = Value(value, out var invalid);
            if (invalid is not null) Report(DynamoErrors.InvalidExpressionAttributeValue(placeholder, invalid));
        }
        return result;
    }

    /// <summary>A single attribute value member (Expected's Value, AttributeUpdates' Value), null when not sent.</summary>
    public AttributeValue? OptionalValue(Sdk.AttributeValue? value)
    {
        if (value is null) return null;
        var result = Value(value, out var invalid);
        if (invalid is not null) Report(invalid);
        return result;
    }

    public IReadOnlyList<AttributeValue>? Values(List<Sdk.AttributeValue>? values)
    {
        if (!IsSent(values)) return null;
        var result = new AttributeValue[values!.Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = Value(values[i], out var invalid);
            if (invalid is not null) Report(invalid);
        }
        return result;
    }

    private static readonly AttributeValue Placeholder = AttributeValue.Null;

    /// <summary>One attribute value; a null (which the SDK sends as <c>{}</c>) is DynamoDB's "empty" value.</summary>
    private static AttributeValue Value(Sdk.AttributeValue? value, out DynamoException? invalid)
    {
        invalid = null;
        if (value is null)
        {
            invalid = DynamoErrors.EmptyAttributeValue();
            return Placeholder;
        }
        AttributeValue? result = null;
        var types = 0;
        void Take(AttributeValue typed, DynamoException? error, ref DynamoException? first)
        {
            types++;
            result = typed;
            first ??= error;
        }

        if (value.B is not null) Take(AttributeValue.FromB(value.B.ToArray()), null, ref invalid);
        if (value.IsBOOLSet) Take(AttributeValue.FromBool(value.BOOL!.Value), null, ref invalid);
        if (IsSent(value.BS)) Take(BinarySet(value.BS, out var error), error, ref invalid);
        if (IsSent(value.L)) Take(List(value.L, out var error), error, ref invalid);
        if (IsSent(value.M)) Take(Map(value.M, out var error), error, ref invalid);
        if (value.N is not null) Take(Number(value.N, out var error), error, ref invalid);
        if (IsSent(value.NS)) Take(NumberSet(value.NS, out var error), error, ref invalid);
        if (value.NULL is { } isNull) Take(AttributeValue.Null, isNull ? null : DynamoErrors.NullAttributeValueNotTrue(), ref invalid);
        if (value.S is not null) Take(AttributeValue.FromS(value.S), null, ref invalid);
        if (IsSent(value.SS)) Take(StringSet(value.SS, out var error), error, ref invalid);

        if (invalid is null && types != 1)
            invalid = types == 0 ? DynamoErrors.EmptyAttributeValue() : DynamoErrors.AttributeValueHasMultipleTypes();
        return invalid is null ? result! : Placeholder;
    }

    private static AttributeValue Number(string text, out DynamoException? invalid)
    {
        if (DynamoNumber.TryParse(text, out var number, out var error))
        {
            invalid = null;
            return AttributeValue.FromN(number);
        }
        invalid = DynamoErrors.InvalidNumber(error);
        return Placeholder;
    }

    private static AttributeValue StringSet(List<string> members, out DynamoException? invalid)
    {
        invalid = members.Any(m => m is null) ? DynamoErrors.NullStringSetMember() : ItemRules.StringSetError(members);
        return invalid is null ? AttributeValue.FromSS(members) : Placeholder;
    }

    private static AttributeValue NumberSet(List<string> texts, out DynamoException? invalid)
    {
        invalid = texts.Count == 0 ? DynamoErrors.EmptyNumberSet() : null;
        var members = new DynamoNumber[texts.Count];
        for (var i = 0; i < texts.Count && invalid is null; i++)
        {
            if (!DynamoNumber.TryParse(texts[i], out members[i], out var error)) invalid = DynamoErrors.InvalidNumber(error);
        }
        invalid ??= ItemRules.NumberSetError(members);
        return invalid is null ? AttributeValue.FromNS(members) : Placeholder;
    }

    private static AttributeValue BinarySet(List<MemoryStream> streams, out DynamoException? invalid)
    {
        if (streams.Any(s => s is null))
        {
            invalid = DynamoErrors.NullBinarySetMember();
            return Placeholder;
        }
        var members = streams.Select(s => s.ToArray()).ToList();
        invalid = ItemRules.BinarySetError(members);
        return invalid is null ? AttributeValue.FromBS(members) : Placeholder;
    }

    private static AttributeValue Map(Dictionary<string, Sdk.AttributeValue> entries, out DynamoException? invalid)
    {
        invalid = null;
        var result = new Dictionary<string, AttributeValue>(entries.Count, StringComparer.Ordinal);
        foreach (var (name, entry) in entries)
        {
            result[name] = Value(entry, out var error);
            invalid ??= error;
        }
        return invalid is null ? AttributeValue.FromM(result) : Placeholder;
    }

    private static AttributeValue List(List<Sdk.AttributeValue> elements, out DynamoException? invalid)
    {
        invalid = null;
        var result = new AttributeValue[elements.Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = Value(elements[i], out var error);
            invalid ??= error;
        }
        return invalid is null ? AttributeValue.FromL(result) : Placeholder;
    }
}
