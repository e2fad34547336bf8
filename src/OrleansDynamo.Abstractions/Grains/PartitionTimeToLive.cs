namespace OrleansDynamo.Grains;

/// <summary>A time-to-live entry as stored: its key (generation, expiry second, item key) and the item's key attributes.</summary>
[GenerateSerializer, Immutable, Alias("odyn.ExpiryEntry")]
public sealed record ExpiryEntry([property: Id(0)] byte[] Key, [property: Id(1)] byte[] Value);
