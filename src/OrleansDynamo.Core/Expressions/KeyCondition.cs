using OrleansDynamo.Errors;
using OrleansDynamo.Model;

namespace OrleansDynamo.Expressions;

/// <summary>A Query's KeyConditionExpression resolved against the key schema: the partition key value,
/// and optionally a condition on the sort key.</summary>
/// <remarks>For a multi-attribute key (a global index's), <see cref="HashValue"/> is the composite of
/// <see cref="HashParts"/>, <see cref="SortPrefix"/> the values the leading sort key attributes equal, and
/// <see cref="SortKey"/> the condition on the next one.</remarks>
public sealed record KeyCondition(AttributeValue HashValue, SortKeyCondition? SortKey,
    IReadOnlyList<AttributeValue>? HashParts = null, IReadOnlyList<AttributeValue>? SortPrefix = null)
{
    /// <summary>The key values every entry read starts with, in store order.</summary>
    public AttributeValue[] StorePrefix => [.. HashParts ?? [HashValue], .. SortPrefix ?? []];

    /// <summary>
    /// Whether an item's sort key attributes (<paramref name="rangeAttributes"/>, in order) satisfy the condition:
    /// the leading ones equal <see cref="SortPrefix"/>, the next one meets <see cref="SortKey"/>.
    /// </summary>
    public bool MatchesSortKey(IReadOnlyList<KeyAttribute> rangeAttributes, Item item)
    {
        var prefix = SortPrefix ?? [];
        for (var i = 0; i < prefix.Count; i++)
            if (!item.TryGetValue(rangeAttributes[i].Name, out var value) || !value.Equals(prefix[i])) return false;
        return SortKey is not { } sort || item.TryGetValue(rangeAttributes[prefix.Count].Name, out var next) && sort.Matches(next);
    }
}

/// <summary>The operators a KeyConditionExpression may apply to the sort key.</summary>
public enum SortKeyOperator { Equal, Less, LessOrEqual, Greater, GreaterOrEqual, Between, BeginsWith }

/// <summary>A condition on the sort key. BETWEEN uses <see cref="Value"/>..<see cref="Upper"/> inclusive.</summary>
public sealed record SortKeyCondition(SortKeyOperator Operator, AttributeValue Value, AttributeValue? Upper = null)
{
    /// <summary>Whether a sort key value satisfies the condition. Values of another type never do.</summary>
    public bool Matches(AttributeValue sortKeyValue)
    {
        if (Operator == SortKeyOperator.BeginsWith) return AttributeValueComparer.BeginsWith(sortKeyValue, Value);
        if (!AttributeValueComparer.AreComparable(sortKeyValue, Value)) return false;
        var order = AttributeValueComparer.CompareKeys(sortKeyValue, Value);
        return Operator switch
        {
            SortKeyOperator.Equal => order == 0,
            SortKeyOperator.Less => order < 0,
            SortKeyOperator.LessOrEqual => order <= 0,
            SortKeyOperator.Greater => order > 0,
            SortKeyOperator.GreaterOrEqual => order >= 0,
            _ => order >= 0 && Upper is not null && AttributeValueComparer.AreComparable(sortKeyValue, Upper) &&
                AttributeValueComparer.CompareKeys(sortKeyValue, Upper) <= 0,
        };
    }
}

/// <summary>One condition of a KeyConditionExpression, on one top-level attribute.</summary>
/// <remarks><paramref name="IsIndexable"/> is false for a legacy KeyConditions operator (NE, IN, NULL, CONTAINS...)
/// that DynamoDB rejects only after checking the key schema.</remarks>
internal sealed record KeyTerm(string AttributeName, SortKeyOperator Operator, AttributeValue Value, AttributeValue? Upper, bool IsIndexable = true);

/// <summary>
/// Turns a parsed KeyConditionExpression into per-attribute terms, with DynamoDB's rules: only AND
/// joins conditions; only =, &lt;, &lt;=, &gt;, &gt;=, BETWEEN and begins_with; one top-level key
/// attribute against values in each condition; one condition per attribute.
/// </summary>
internal static class KeyConditionAnalyzer
{
    public static List<KeyTerm> Analyze(ConditionNode root, Bindings bindings)
    {
        var terms = new List<KeyTerm>();
        Walk(root, bindings, terms);
        return terms;
    }

    private static void Walk(ConditionNode node, Bindings bindings, List<KeyTerm> terms)
    {
        switch (node)
        {
            case And and:
                Walk(and.Left, bindings, terms);
                Walk(and.Right, bindings, terms);
                return;
            case Or:
                throw InvalidOperator("OR");
            case Not:
                throw InvalidOperator("NOT");
            case In:
                throw InvalidOperator("IN");
            case Comparison { Comparator: Comparator.NotEqual }:
                throw InvalidOperator("<>");
            case FunctionCondition { Call.Name: not "begins_with" } function:
                throw InvalidOperator(function.Call.Name);
            case Comparison comparison:
            {
                var (name, pathFirst) = KeyAttribute(bindings, comparison.Left, comparison.Right);
                var value = bindings.Value((ValueOperand)(pathFirst ? comparison.Right : comparison.Left));
                var op = comparison.Comparator switch
                {
                    Comparator.Equal => SortKeyOperator.Equal,
                    Comparator.Less => pathFirst ? SortKeyOperator.Less : SortKeyOperator.Greater,
                    Comparator.LessOrEqual => pathFirst ? SortKeyOperator.LessOrEqual : SortKeyOperator.GreaterOrEqual,
                    Comparator.Greater => pathFirst ? SortKeyOperator.Greater : SortKeyOperator.Less,
                    _ => pathFirst ? SortKeyOperator.GreaterOrEqual : SortKeyOperator.LessOrEqual,
                };
                Add(terms, new KeyTerm(name, op, value, null));
                return;
            }
            case Between between:
            {
                if (between.Operand is not PathOperand)
                    throw DynamoErrors.KeyBetweenOperandOrder();
                var (name, _) = KeyAttribute(bindings, between.Operand, between.Lower, between.Upper);
                Add(terms, new KeyTerm(name, SortKeyOperator.Between,
                    bindings.Value((ValueOperand)between.Lower), bindings.Value((ValueOperand)between.Upper)));
                return;
            }
            case FunctionCondition function:
            {
                var arguments = function.Call.Arguments;
                if (arguments[0] is not PathOperand)
                    throw DynamoErrors.KeyBeginsWithOperandOrder();
                var (name, _) = KeyAttribute(bindings, arguments);
                Add(terms, new KeyTerm(name, SortKeyOperator.BeginsWith, bindings.Value((ValueOperand)arguments[1]), null));
                return;
            }
        }
    }

    /// <summary>The one key attribute a condition is on, and whether it is the first operand.</summary>
    private static (string Name, bool First) KeyAttribute(Bindings bindings, params Operand[] operands)
    {
        string? name = null;
        var first = false;
        for (var i = 0; i < operands.Length; i++)
        {
            switch (operands[i])
            {
                case FunctionCall:
                    throw DynamoErrors.KeyConditionNested();
                case PathOperand path:
                    if (name is not null)
                        throw DynamoErrors.KeyConditionManyAttributes();
                    var steps = bindings.Resolve(path);
                    if (steps.Length > 1)
                        throw DynamoErrors.KeyConditionOnNestedAttribute();
                    name = steps[0].Name!;
                    first = i == 0;
                    break;
            }
        }
        return name is null
            ? throw DynamoErrors.KeyConditionWithoutKey()
            : (name, first);
    }

    private static void Add(List<KeyTerm> terms, KeyTerm term)
    {
        if (terms.Any(t => t.AttributeName == term.AttributeName))
            throw DynamoErrors.KeyConditionTwicePerKey();
        terms.Add(term);
    }

    private static DynamoException InvalidOperator(string name) =>
        DynamoErrors.KeyConditionOperator(name);

    /// <summary>
    /// The terms checked against a multi-attribute key, with the developer guide's rules: equality on every
    /// partition key attribute; sort key attributes from the left, each with equality but the last one given,
    /// which may have any sort key condition.
    /// </summary>
    public static KeyCondition ResolveComposite(List<KeyTerm> terms, IReadOnlyList<KeyAttribute> hashKeys, IReadOnlyList<KeyAttribute> rangeKeys)
    {
        var hashParts = new List<AttributeValue>(hashKeys.Count);
        foreach (var key in hashKeys)
        {
            var term = terms.Find(t => t.AttributeName == key.Name) ?? throw DynamoErrors.KeyConditionMissing(key.Name);
            if (term.Operator != SortKeyOperator.Equal) throw DynamoErrors.KeyConditionNotSupported();
            hashParts.Add(term.Value);
        }
        var sortTerms = rangeKeys.Select(k => terms.Find(t => t.AttributeName == k.Name)).ToList();
        var given = sortTerms.TakeWhile(t => t is not null).Count();
        if (sortTerms.Skip(given).Any(t => t is not null)) throw DynamoErrors.KeyConditionSkipsSortKey(rangeKeys[given].Name);
        if (terms.Count != hashKeys.Count + given) throw DynamoErrors.KeyConditionNotSupported();
        if (terms.Exists(t => !t.IsIndexable)) throw DynamoErrors.NotIndexableOperation();
        if (sortTerms.Take(Math.Max(0, given - 1)).Any(t => t!.Operator != SortKeyOperator.Equal)) throw DynamoErrors.KeyConditionNotSupported();
        var last = given > 0 ? sortTerms[given - 1]! : null;
        return new KeyCondition(Keys.KeyBytes.Composite(hashParts), last is null ? null : new SortKeyCondition(last.Operator, last.Value, last.Upper),
            hashParts, sortTerms.Take(Math.Max(0, given - 1)).Select(t => t!.Value).ToList());
    }

    /// <summary>The terms checked against the key schema.</summary>
    public static KeyCondition Resolve(List<KeyTerm> terms, string hashKeyName, string? rangeKeyName)
    {
        var hash = terms.Find(t => t.AttributeName == hashKeyName)
            ?? throw DynamoErrors.KeyConditionMissing(hashKeyName);
        KeyTerm? range = null;
        if (terms.Count > 1)
        {
            if (rangeKeyName is null) throw DynamoErrors.KeyConditionNotSupported();
            range = terms.Find(t => t.AttributeName == rangeKeyName)
                ?? throw DynamoErrors.KeyConditionMissing(rangeKeyName);
            if (terms.Count > 2) throw DynamoErrors.KeyConditionNotSupported();
        }
        if (terms.Exists(t => !t.IsIndexable)) throw DynamoErrors.NotIndexableOperation();
        if (hash.Operator != SortKeyOperator.Equal) throw DynamoErrors.KeyConditionNotSupported();
        return new KeyCondition(hash.Value, range is null ? null : new SortKeyCondition(range.Operator, range.Value, range.Upper));
    }
}
