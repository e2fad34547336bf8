using OrleansDynamo.Errors;
using OrleansDynamo.Model;

namespace OrleansDynamo.Expressions;

/// <summary>
/// Checks parsed expressions against the request's ExpressionAttributeNames and Values, and the
/// rules DynamoDB applies after parsing. DynamoDB reports only one error; when several apply it
/// picks by kind of error, so each check files its message in a slot and the lowest slot wins.
/// </summary>
/// <remarks>The slot order follows dynalite, which was checked against DynamoDB (db/*.pegjs).</remarks>
internal sealed class ExpressionValidator(
    IReadOnlyDictionary<string, string>? names, IReadOnlyDictionary<string, AttributeValue>? values)
{
    private static readonly string[] ConditionFunctions = ["attribute_exists", "attribute_not_exists", "attribute_type", "begins_with", "contains", "size"];
    private static readonly string[] AttributeTypeNames = ["S", "N", "B", "NULL", "SS", "BOOL", "L", "BS", "NS", "M"];

    public HashSet<string> UsedNames { get; } = new(StringComparer.Ordinal);
    public HashSet<string> UsedValues { get; } = new(StringComparer.Ordinal);

    private sealed class Slots(int count)
    {
        private readonly string?[] _messages = new string?[count];
        public void Add(int slot, string message) => _messages[slot] ??= message;
        public bool Has(int slot) => _messages[slot] is not null;
        public string? First() => _messages.FirstOrDefault(m => m is not null);
    }

    // ---- conditions ---------------------------------------------------------------------------

    private const int CRedundantParens = 0, CUnknownFunction = 1, CMisusedFunction = 2, CReserved = 3,
        CUndefined = 4, COperandCount = 5, CDistinct = 6, CFunction = 7, CConditionSlots = 8;

    public void ValidateCondition(ParsedCondition parsed, ExpressionKind kind)
    {
        var slots = new Slots(CConditionSlots);
        if (parsed.HasRedundantParentheses) slots.Add(CRedundantParens, "The expression has redundant parentheses;");
        WalkCondition(parsed.Root, slots);
        Throw(slots, kind);
    }

    private void WalkCondition(ConditionNode node, Slots slots)
    {
        switch (node)
        {
            case And and:
                WalkCondition(and.Left, slots);
                WalkCondition(and.Right, slots);
                break;
            case Or or:
                WalkCondition(or.Left, slots);
                WalkCondition(or.Right, slots);
                break;
            case Not not:
                WalkCondition(not.Operand, slots);
                break;
            case Comparison comparison:
                CheckMisused(slots, comparison.Left, comparison.Right);
                WalkConditionOperand(comparison.Left, slots);
                WalkConditionOperand(comparison.Right, slots);
                CheckDistinct(slots, comparison.Symbol, comparison.Left, comparison.Right);
                if (comparison.Comparator is not (Comparator.Equal or Comparator.NotEqual))
                    foreach (var operand in new[] { comparison.Left, comparison.Right })
                        if (ValueType(operand) is { } type && type is not (AttributeType.S or AttributeType.N or AttributeType.B))
                            slots.Add(CFunction, $"Incorrect operand type for operator or function; operator or function: {comparison.Symbol}, operand type: {type}");
                break;
            case Between between:
                CheckMisused(slots, between.Operand, between.Lower, between.Upper);
                WalkConditionOperand(between.Operand, slots);
                WalkConditionOperand(between.Lower, slots);
                WalkConditionOperand(between.Upper, slots);
                CheckBetweenBounds(slots, between);
                break;
            case In @in:
                CheckMisused(slots, [@in.Operand, .. @in.Candidates]);
                WalkConditionOperand(@in.Operand, slots);
                foreach (var candidate in @in.Candidates) WalkConditionOperand(candidate, slots);
                break;
            case FunctionCondition function:
                if (function.Call.Name == "size")
                    slots.Add(CMisusedFunction, "The function is not allowed to be used this way in an expression; function: size");
                WalkConditionOperand(function.Call, slots);
                break;
        }
    }

    private static void CheckMisused(Slots slots, params Operand[] operands)
    {
        foreach (var operand in operands)
            if (operand is FunctionCall call && call.Name != "size")
                slots.Add(CMisusedFunction, $"The function is not allowed to be used this way in an expression; function: {call.Name}");
    }

    private void WalkConditionOperand(Operand operand, Slots slots)
    {
        switch (operand)
        {
            case PathOperand path:
                ResolvePath(path, slots, CReserved, CUndefined);
                break;
            case ValueOperand value:
                ResolveValue(value, slots, CUndefined);
                break;
            case FunctionCall call:
                CheckMisused(slots, call.Arguments);
                foreach (var argument in call.Arguments) WalkConditionOperand(argument, slots);
                CheckConditionFunction(call, slots);
                break;
        }
    }

    private void CheckConditionFunction(FunctionCall call, Slots slots)
    {
        if (!ConditionFunctions.Contains(call.Name))
        {
            slots.Add(CUnknownFunction, call.Name is "if_not_exists" or "list_append"
                ? $"The function is not allowed in a condition expression; function: {call.Name}"
                : $"Invalid function name; function: {call.Name}");
            return;
        }
        var expected = call.Name switch { "attribute_exists" or "attribute_not_exists" or "size" => 1, _ => 2 };
        if (call.Arguments.Length != expected)
        {
            slots.Add(COperandCount, $"Incorrect number of operands for operator or function; operator or function: {call.Name}, number of operands: {call.Arguments.Length}");
            return;
        }
        CheckDistinct(slots, call.Name, call.Arguments);
        switch (call.Name)
        {
            case "attribute_exists" or "attribute_not_exists":
                if (call.Arguments[0] is not PathOperand)
                    slots.Add(CFunction, $"Operator or function requires a document path; operator or function: {call.Name}");
                break;
            case "begins_with":
                foreach (var argument in call.Arguments)
                    if (OperandType(argument) is { } type && type is not (AttributeType.S or AttributeType.B))
                    {
                        slots.Add(CFunction, $"Incorrect operand type for operator or function; operator or function: begins_with, operand type: {type}");
                        break;
                    }
                break;
            case "attribute_type":
                var typeOperand = call.Arguments[1];
                var typeOfType = OperandType(typeOperand);
                if (typeOfType != AttributeType.S)
                    slots.Add(CFunction, "Incorrect operand type for operator or function; operator or function: attribute_type, operand type: " +
                        (typeOfType?.ToString() ?? "{NS,SS,L,BS,N,M,B,BOOL,NULL,S}"));
                else if (ValueOf(typeOperand) is { } typeName && !AttributeTypeNames.Contains(typeName.S))
                    slots.Add(CFunction, $"Invalid attribute type name found; type: {typeName.S}, valid types: {{B,NULL,SS,BOOL,L,BS,N,NS,S,M}}");
                break;
            case "size":
                if (OperandType(call.Arguments[0]) is AttributeType.N or AttributeType.BOOL or AttributeType.NULL)
                    slots.Add(CFunction, $"Incorrect operand type for operator or function; operator or function: size, operand type: {OperandType(call.Arguments[0])}");
                break;
        }
    }

    private void CheckDistinct(Slots slots, string operatorName, params Operand[] operands)
    {
        if (operands.Length != 2 || operands[0] is not PathOperand first || operands[1] is not PathOperand second) return;
        var a = TryResolve(first);
        var b = TryResolve(second);
        if (a is null || b is null || !a.SequenceEqual(b)) return;
        slots.Add(CDistinct, $"The first operand must be distinct from the remaining operands for this operator or function; operator: {operatorName}, first operand: {PathText(a)}");
    }

    private void CheckBetweenBounds(Slots slots, Between between)
    {
        if (ValueOf(between.Lower) is not { } lower || ValueOf(between.Upper) is not { } upper) return;
        var bounds = $"lower bound operand: AttributeValue: {{{lower.Type}:{ScalarText(lower)}}}, upper bound operand: AttributeValue: {{{upper.Type}:{ScalarText(upper)}}}";
        if (lower.Type != upper.Type)
            slots.Add(CFunction, $"The BETWEEN operator requires same data type for lower and upper bounds; {bounds}");
        else if (lower.Type is AttributeType.S or AttributeType.N or AttributeType.B && AttributeValueComparer.CompareKeys(lower, upper) > 0)
            slots.Add(CFunction, $"The BETWEEN operator requires upper bound to be greater than or equal to lower bound; {bounds}");
    }

    private static string ScalarText(AttributeValue value) => value.Type switch
    {
        AttributeType.S => value.S,
        AttributeType.N => value.N.ToString(),
        AttributeType.B => Convert.ToBase64String(value.B.Span),
        _ => value.ToString(),
    };

    // ---- update -------------------------------------------------------------------------------

    private const int UReserved = 0, UUnknownFunction = 1, USection = 2, UName = 3, UValue = 4,
        UOverlap = 5, UConflict = 6, UOperand = 7, UFunction = 8, UUpdateSlots = 9;

    public void ValidateUpdate(ParsedUpdate parsed)
    {
        var slots = new Slots(UUpdateSlots);
        if (parsed.RepeatedSection is { } section)
            slots.Add(USection, $"The \"{section}\" section can only be used once in an update expression;");
        var seen = new List<PathStep[]>();
        foreach (var action in parsed.Actions)
        {
            var path = ResolvePath(action.Path, slots, UReserved, UName);
            if (action.Kind == UpdateActionKind.Set)
                WalkSetOperand(action.Value!, slots);
            else if (action.Value is ValueOperand value && ResolveValue(value, slots, UValue) is { } resolved)
                CheckAddDeleteOperand(action.Kind, resolved, slots);
            if (path is not null) CheckOverlap(seen, path, slots, UOverlap, UConflict);
        }
        Throw(slots, ExpressionKind.UpdateExpression);
    }

    private void WalkSetOperand(Operand operand, Slots slots)
    {
        switch (operand)
        {
            case PathOperand path:
                ResolvePath(path, slots, UReserved, UName);
                break;
            case ValueOperand value:
                ResolveValue(value, slots, UValue);
                break;
            case Arithmetic arithmetic:
                WalkSetOperand(arithmetic.Left, slots);
                WalkSetOperand(arithmetic.Right, slots);
                foreach (var side in new[] { arithmetic.Left, arithmetic.Right })
                    if (ValueType(side) is { } type && type != AttributeType.N)
                    {
                        slots.Add(UFunction, $"Incorrect operand type for operator or function; operator or function: {arithmetic.Symbol}, operand type: {type}");
                        break;
                    }
                break;
            case FunctionCall call:
                foreach (var argument in call.Arguments) WalkSetOperand(argument, slots);
                if (call.Name is not ("if_not_exists" or "list_append"))
                {
                    slots.Add(UUnknownFunction, ConditionFunctions.Contains(call.Name)
                        ? $"The function is not allowed in an update expression; function: {call.Name}"
                        : $"Invalid function name; function: {call.Name}");
                    break;
                }
                if (call.Arguments.Length != 2)
                {
                    slots.Add(UFunction, $"Incorrect number of operands for operator or function; operator or function: {call.Name}, number of operands: {call.Arguments.Length}");
                    break;
                }
                if (call.Name == "if_not_exists" && call.Arguments[0] is not PathOperand)
                    slots.Add(UFunction, "Operator or function requires a document path; operator or function: if_not_exists");
                if (call.Name == "list_append")
                    foreach (var argument in call.Arguments)
                        if (ValueType(argument) is { } type && type != AttributeType.L)
                        {
                            slots.Add(UFunction, $"Incorrect operand type for operator or function; operator or function: list_append, operand type: {type}");
                            break;
                        }
                break;
        }
    }

    private static void CheckAddDeleteOperand(UpdateActionKind kind, AttributeValue value, Slots slots)
    {
        var typeName = value.Type switch
        {
            AttributeType.S => "STRING",
            AttributeType.N => kind == UpdateActionKind.Add ? null : "NUMBER",
            AttributeType.B => "BINARY",
            AttributeType.NULL => "NULL",
            AttributeType.BOOL => "BOOLEAN",
            AttributeType.L => "LIST",
            AttributeType.M => "MAP",
            _ => null,
        };
        if (typeName is not null)
            slots.Add(UOperand, $"Incorrect operand type for operator or function; operator: {kind.ToString().ToUpperInvariant()}, operand type: {typeName}");
    }

    // ---- projection ---------------------------------------------------------------------------

    private const int PReserved = 0, PName = 1, POverlap = 2, PConflict = 3, PProjectionSlots = 4;

    public void ValidateProjection(ParsedProjection parsed)
    {
        var slots = new Slots(PProjectionSlots);
        var resolved = parsed.Paths.Select(p => ResolvePath(p, slots, PReserved, PName)).ToList();
        var seen = new List<PathStep[]>();
        foreach (var path in resolved)
            if (path is not null) CheckOverlap(seen, path, slots, POverlap, PConflict);
        Throw(slots, ExpressionKind.ProjectionExpression);
    }

    // ---- shared -------------------------------------------------------------------------------

    private static void CheckOverlap(List<PathStep[]> seen, PathStep[] path, Slots slots, int overlapSlot, int conflictSlot)
    {
        if (slots.Has(overlapSlot)) return;
        foreach (var other in seen)
        {
            var common = Math.Min(other.Length, path.Length);
            var diverges = false;
            for (var i = 0; i < common && !diverges; i++)
            {
                if (other[i].IsIndex != path[i].IsIndex)
                {
                    slots.Add(conflictSlot, $"Two document paths conflict with each other; must remove or rewrite one of these paths; path one: {PathText(other)}, path two: {PathText(path)}");
                    diverges = true;
                }
                else if (other[i] != path[i]) diverges = true;
            }
            if (diverges) continue;
            slots.Add(overlapSlot, $"Two document paths overlap with each other; must remove or rewrite one of these paths; path one: {PathText(other)}, path two: {PathText(path)}");
            return;
        }
        seen.Add(path);
    }

    public static string PathText(IEnumerable<PathStep> path) => "[" + string.Join(", ", path) + "]";

    private PathStep[]? ResolvePath(PathOperand path, Slots slots, int reservedSlot, int undefinedSlot)
    {
        var steps = new PathStep[path.Elements.Length];
        var complete = true;
        for (var i = 0; i < steps.Length; i++)
        {
            var element = path.Elements[i];
            if (element.IsIndex) steps[i] = new PathStep(null, element.Index);
            else if (!element.IsPlaceholder)
            {
                if (ReservedWords.IsReserved(element.Name!))
                    slots.Add(reservedSlot, $"Attribute name is a reserved keyword; reserved keyword: {element.Name}");
                steps[i] = new PathStep(element.Name, 0);
            }
            else if (names is not null && names.TryGetValue(element.Name!, out var name))
            {
                UsedNames.Add(element.Name!);
                steps[i] = new PathStep(name, 0);
            }
            else
            {
                slots.Add(undefinedSlot, $"An expression attribute name used in the document path is not defined; attribute name: {element.Name}");
                complete = false;
            }
        }
        return complete ? steps : null;
    }

    private AttributeValue? ResolveValue(ValueOperand value, Slots slots, int undefinedSlot)
    {
        if (values is not null && values.TryGetValue(value.Placeholder, out var resolved))
        {
            UsedValues.Add(value.Placeholder);
            return resolved;
        }
        slots.Add(undefinedSlot, $"An expression attribute value used in expression is not defined; attribute value: {value.Placeholder}");
        return null;
    }

    private PathStep[]? TryResolve(PathOperand path)
    {
        var steps = new PathStep[path.Elements.Length];
        for (var i = 0; i < steps.Length; i++)
        {
            var element = path.Elements[i];
            if (element.IsIndex) steps[i] = new PathStep(null, element.Index);
            else if (!element.IsPlaceholder) steps[i] = new PathStep(element.Name, 0);
            else if (names is not null && names.TryGetValue(element.Name!, out var name)) steps[i] = new PathStep(name, 0);
            else return null;
        }
        return steps;
    }

    private AttributeValue? ValueOf(Operand operand) =>
        operand is ValueOperand value && values is not null && values.TryGetValue(value.Placeholder, out var resolved) ? resolved : null;

    /// <summary>The type of a literal value operand; null for anything else.</summary>
    private AttributeType? ValueType(Operand operand) => ValueOf(operand)?.Type;

    /// <summary>The type an operand is known to have before evaluation: a value's type, or N for size().</summary>
    private AttributeType? OperandType(Operand operand) =>
        operand is FunctionCall { Name: "size" } ? AttributeType.N : ValueType(operand);

    private static void Throw(Slots slots, ExpressionKind kind)
    {
        if (slots.First() is { } message) throw DynamoErrors.InvalidExpression(kind.ToString(), message);
    }
}
