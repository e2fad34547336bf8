using OrleansDynamo.Model;

namespace OrleansDynamo.Expressions;

/// <summary>A request's ExpressionAttributeNames and Values, already validated against its expressions.</summary>
internal sealed class Bindings(IReadOnlyDictionary<string, string>? names, IReadOnlyDictionary<string, AttributeValue>? values)
{
    public PathStep[] Resolve(PathOperand path)
    {
        if (path.LiteralSteps is { } literal) return literal;
        var steps = new PathStep[path.Elements.Length];
        for (var i = 0; i < steps.Length; i++)
        {
            var element = path.Elements[i];
            steps[i] = element.IsIndex ? new PathStep(null, element.Index)
                : new PathStep(element.IsPlaceholder ? names![element.Name!] : element.Name, 0);
        }
        return steps;
    }

    public AttributeValue Value(ValueOperand operand) => values![operand.Placeholder];

    /// <summary>The value at a document path, or null when any step is missing or of the wrong type.</summary>
    public static AttributeValue? Get(IReadOnlyDictionary<string, AttributeValue>? item, PathStep[] path)
    {
        if (item is null || !item.TryGetValue(path[0].Name!, out var current)) return null;
        for (var i = 1; i < path.Length; i++)
        {
            var step = path[i];
            if (step.IsIndex)
            {
                if (current.Type != AttributeType.L || step.Index >= current.L.Count) return null;
                current = current.L[step.Index];
            }
            else
            {
                if (current.Type != AttributeType.M || !current.M.TryGetValue(step.Name!, out var child)) return null;
                current = child;
            }
        }
        return current;
    }
}
