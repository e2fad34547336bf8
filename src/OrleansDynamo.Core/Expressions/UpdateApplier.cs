using OrleansDynamo.Errors;
using OrleansDynamo.Model;

namespace OrleansDynamo.Expressions;

/// <summary>
/// Applies an UpdateExpression to an item, purely: the result is a new item. Every operand is read
/// from the item as it was before the update, as DynamoDB does. SET, ADD and DELETE are applied
/// first, then REMOVE, highest list index first, so that removing several elements of one list
/// removes the ones the expression named.
/// </summary>
/// <remarks>https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.UpdateExpressions.html</remarks>
internal static class UpdateApplier
{
    public static Item Apply(ParsedUpdate update, Bindings bindings, Item original, PathStep[][] paths)
    {
        var writes = new List<(PathStep[] Path, AttributeValue Value)>();
        var removes = new List<PathStep[]>();
        for (var i = 0; i < update.Actions.Length; i++)
        {
            var action = update.Actions[i];
            var path = paths[i];
            switch (action.Kind)
            {
                case UpdateActionKind.Set:
                    writes.Add((path, Evaluate(action.Value!, original, bindings, update.OperandTypeError)));
                    break;
                case UpdateActionKind.Remove:
                    removes.Add(path);
                    break;
                case UpdateActionKind.Add:
                    var addend = bindings.Value((ValueOperand)action.Value!);
                    var current = Bindings.Get(original, path);
                    writes.Add((path, current is null ? addend : Add(current, addend, update.OperandTypeError)));
                    break;
                case UpdateActionKind.Delete:
                    var subtrahend = bindings.Value((ValueOperand)action.Value!);
                    if (Bindings.Get(original, path) is not { } existing) break;
                    var remaining = Except(existing, subtrahend, update.OperandTypeError);
                    if (remaining is null) removes.Add(path);
                    else writes.Add((path, remaining));
                    break;
            }
        }

        var attributes = new Dictionary<string, AttributeValue>(original, StringComparer.Ordinal);
        foreach (var (path, value) in writes) SetAt(attributes, path, value);
        removes.Sort(RemovalOrder.Instance);
        foreach (var path in removes) RemoveAt(attributes, path);
        return new Item(attributes);
    }

    private static AttributeValue Evaluate(Operand operand, Item item, Bindings bindings, Func<DynamoException> typeError)
    {
        switch (operand)
        {
            case PathOperand path:
                return Bindings.Get(item, bindings.Resolve(path)) ?? throw DynamoErrors.UpdateAttributeMissing();
            case ValueOperand value:
                return bindings.Value(value);
            case Arithmetic arithmetic:
                var left = Evaluate(arithmetic.Left, item, bindings, typeError);
                var right = Evaluate(arithmetic.Right, item, bindings, typeError);
                if (left.Type != AttributeType.N || right.Type != AttributeType.N) throw typeError();
                var ok = arithmetic.IsPlus
                    ? left.N.TryAdd(right.N, out var result, out var error)
                    : left.N.TrySubtract(right.N, out result, out error);
                return ok ? AttributeValue.FromN(result) : throw DynamoErrors.InvalidNumber(error!);
            case FunctionCall { Name: "if_not_exists" } ifNotExists:
                return Bindings.Get(item, bindings.Resolve((PathOperand)ifNotExists.Arguments[0]))
                    ?? Evaluate(ifNotExists.Arguments[1], item, bindings, typeError);
            case FunctionCall { Name: "list_append" } listAppend:
                var first = Evaluate(listAppend.Arguments[0], item, bindings, typeError);
                var second = Evaluate(listAppend.Arguments[1], item, bindings, typeError);
                if (first.Type != AttributeType.L || second.Type != AttributeType.L) throw typeError();
                return AttributeValue.FromL(first.L.Concat(second.L));
            default:
                throw new InvalidOperationException($"Operand {operand.GetType().Name} is not allowed in SET");
        }
    }

    /// <summary>ADD: number plus number, or the union of two sets of the same type.</summary>
    private static AttributeValue Add(AttributeValue current, AttributeValue addend, Func<DynamoException> typeError)
    {
        if (current.Type != addend.Type) throw typeError();
        switch (current.Type)
        {
            case AttributeType.N:
                return current.N.TryAdd(addend.N, out var sum, out var error) ? AttributeValue.FromN(sum) : throw DynamoErrors.InvalidNumber(error);
            case AttributeType.SS:
                return AttributeValue.FromSS(current.SS.Union(addend.SS, StringComparer.Ordinal));
            case AttributeType.NS:
                return AttributeValue.FromNS(current.NS.Union(addend.NS));
            case AttributeType.BS:
                return AttributeValue.FromBS(current.BS.Union(addend.BS, ByteArrayComparer.Instance));
            default:
                throw typeError();
        }
    }

    /// <summary>DELETE: the set without the given members; null when nothing is left.</summary>
    private static AttributeValue? Except(AttributeValue current, AttributeValue subtrahend, Func<DynamoException> typeError)
    {
        if (current.Type != subtrahend.Type) throw typeError();
        var result = current.Type switch
        {
            AttributeType.SS => AttributeValue.FromSS(current.SS.Except(subtrahend.SS, StringComparer.Ordinal)),
            AttributeType.NS => AttributeValue.FromNS(current.NS.Except(subtrahend.NS)),
            AttributeType.BS => AttributeValue.FromBS(current.BS.Except(subtrahend.BS, ByteArrayComparer.Instance)),
            _ => throw typeError(),
        };
        return result.Count == 0 ? null : result;
    }

    private static void SetAt(Dictionary<string, AttributeValue> attributes, PathStep[] path, AttributeValue value)
    {
        var name = path[0].Name!;
        if (path.Length == 1)
        {
            attributes[name] = value;
            return;
        }
        if (!attributes.TryGetValue(name, out var current)) throw DynamoErrors.UpdateDocumentPathInvalid();
        attributes[name] = SetIn(current, path, 1, value);
    }

    private static AttributeValue SetIn(AttributeValue current, PathStep[] path, int depth, AttributeValue value)
    {
        var step = path[depth];
        var last = depth == path.Length - 1;
        if (step.IsIndex)
        {
            if (current.Type != AttributeType.L) throw DynamoErrors.UpdateDocumentPathInvalid();
            var list = current.L.ToList();
            if (last)
            {
                // An index past the end appends, as DynamoDB does.
                if (step.Index >= list.Count) list.Add(value);
                else list[step.Index] = value;
            }
            else
            {
                if (step.Index >= list.Count) throw DynamoErrors.UpdateDocumentPathInvalid();
                list[step.Index] = SetIn(list[step.Index], path, depth + 1, value);
            }
            return AttributeValue.FromL(list);
        }
        if (current.Type != AttributeType.M) throw DynamoErrors.UpdateDocumentPathInvalid();
        var map = new Dictionary<string, AttributeValue>(current.M, StringComparer.Ordinal);
        if (last) map[step.Name!] = value;
        else if (map.TryGetValue(step.Name!, out var child)) map[step.Name!] = SetIn(child, path, depth + 1, value);
        else throw DynamoErrors.UpdateDocumentPathInvalid();
        return AttributeValue.FromM(map);
    }

    private static void RemoveAt(Dictionary<string, AttributeValue> attributes, PathStep[] path)
    {
        var name = path[0].Name!;
        if (path.Length == 1)
        {
            attributes.Remove(name);
            return;
        }
        if (!attributes.TryGetValue(name, out var current)) throw DynamoErrors.UpdateDocumentPathInvalid();
        attributes[name] = RemoveIn(current, path, 1);
    }

    private static AttributeValue RemoveIn(AttributeValue current, PathStep[] path, int depth)
    {
        var step = path[depth];
        var last = depth == path.Length - 1;
        if (step.IsIndex)
        {
            if (current.Type != AttributeType.L) throw DynamoErrors.UpdateDocumentPathInvalid();
            if (step.Index >= current.L.Count)
                return last ? current : throw DynamoErrors.UpdateDocumentPathInvalid();
            var list = current.L.ToList();
            if (last) list.RemoveAt(step.Index);
            else list[step.Index] = RemoveIn(list[step.Index], path, depth + 1);
            return AttributeValue.FromL(list);
        }
        if (current.Type != AttributeType.M) throw DynamoErrors.UpdateDocumentPathInvalid();
        if (!current.M.TryGetValue(step.Name!, out var child))
            return last ? current : throw DynamoErrors.UpdateDocumentPathInvalid();
        var map = new Dictionary<string, AttributeValue>(current.M, StringComparer.Ordinal);
        if (last) map.Remove(step.Name!);
        else map[step.Name!] = RemoveIn(child, path, depth + 1);
        return AttributeValue.FromM(map);
    }

    /// <summary>Orders removals so that a higher index of the same list goes first.</summary>
    private sealed class RemovalOrder : IComparer<PathStep[]>
    {
        public static readonly RemovalOrder Instance = new();

        public int Compare(PathStep[]? x, PathStep[]? y)
        {
            for (var i = 0; i < Math.Min(x!.Length, y!.Length); i++)
            {
                var (a, b) = (x[i], y[i]);
                if (a.IsIndex != b.IsIndex) return a.IsIndex ? 1 : -1;
                var order = a.IsIndex ? b.Index.CompareTo(a.Index) : string.CompareOrdinal(a.Name, b.Name);
                if (order != 0) return order;
            }
            return y.Length.CompareTo(x.Length);
        }
    }
}
