using OrleansDynamo.Errors;
using OrleansDynamo.Model;

namespace OrleansDynamo.Validation;

/// <summary>The StreamSpecification of CreateTable and UpdateTable.</summary>
public static class StreamSpecificationRules
{
    public static void CheckShape(Violations violations, StreamSpecification? specification)
    {
        if (specification is null) return;
        violations.NotNull(specification.StreamEnabled, "streamSpecification.streamEnabled");
        violations.Enum(specification.StreamViewType, "streamSpecification.streamViewType", [.. StreamViewTypes.All]);
    }

    /// <summary>A view type is needed to enable a stream and not allowed to disable one.</summary>
    public static void CheckViewType(StreamSpecification? specification, bool creating)
    {
        if (specification?.StreamEnabled is not { } enabled) return;
        if (enabled == (specification.StreamViewType is null)) throw DynamoErrors.StreamViewTypeMismatch(enabled, creating);
    }
}
