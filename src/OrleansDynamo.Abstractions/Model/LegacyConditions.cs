namespace OrleansDynamo.Model;

/// <summary>
/// One entry of the legacy <c>Expected</c> parameter of PutItem, UpdateItem and DeleteItem.
/// </summary>
/// <remarks>https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ExpectedAttributeValue.html</remarks>
[GenerateSerializer, Immutable, Alias("odyn.ExpectedAttributeValue")]
public sealed record ExpectedAttributeValue
{
    [Id(0)] public AttributeValue? Value { get; init; }
    [Id(1)] public bool? Exists { get; init; }
    [Id(2)] public string? ComparisonOperator { get; init; }
    [Id(3)] public IReadOnlyList<AttributeValue>? AttributeValueList { get; init; }
}

/// <summary>
/// One entry of the legacy <c>KeyConditions</c>, <c>QueryFilter</c> and <c>ScanFilter</c> parameters.
/// </summary>
/// <remarks>https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Condition.html</remarks>
[GenerateSerializer, Immutable, Alias("odyn.Condition")]
public sealed record Condition
{
    [Id(0)] public string? ComparisonOperator { get; init; }
    [Id(1)] public IReadOnlyList<AttributeValue>? AttributeValueList { get; init; }
}

/// <summary>
/// One entry of the legacy <c>AttributeUpdates</c> parameter of UpdateItem: PUT (the default), ADD or DELETE.
/// </summary>
/// <remarks>https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_AttributeValueUpdate.html</remarks>
[GenerateSerializer, Immutable, Alias("odyn.AttributeValueUpdate")]
public sealed record AttributeValueUpdate
{
    [Id(0)] public AttributeValue? Value { get; init; }
    [Id(1)] public string? Action { get; init; }
}
