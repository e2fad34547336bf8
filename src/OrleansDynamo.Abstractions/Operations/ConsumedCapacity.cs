namespace OrleansDynamo.Operations;

/// <summary>
/// The capacity an operation consumed, returned when the request asks for it with ReturnConsumedCapacity,
/// as in https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ConsumedCapacity.html
/// </summary>
[GenerateSerializer, Immutable, Alias("odyn.ConsumedCapacity")]
public sealed record ConsumedCapacity
{
    [Id(0)] public string? TableName { get; init; }
    [Id(1)] public double? CapacityUnits { get; init; }
    [Id(2)] public double? ReadCapacityUnits { get; init; }
    [Id(3)] public double? WriteCapacityUnits { get; init; }
    /// <summary>The table's share, reported with ReturnConsumedCapacity=INDEXES.</summary>
    [Id(4)] public Capacity? Table { get; init; }
}

/// <summary>The capacity consumed on one table or index, as in https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Capacity.html</summary>
[GenerateSerializer, Immutable, Alias("odyn.Capacity")]
public sealed record Capacity
{
    [Id(0)] public double? CapacityUnits { get; init; }
    [Id(1)] public double? ReadCapacityUnits { get; init; }
    [Id(2)] public double? WriteCapacityUnits { get; init; }
}
