namespace OrleansDynamo.Model;

/// <summary>CreateTable's and UpdateTable's <c>StreamSpecification</c>, and DescribeTable's while a stream is on.</summary>
[GenerateSerializer, Immutable, Alias("odyn.StreamSpecification")]
public sealed record StreamSpecification
{
    [Id(0)] public bool? StreamEnabled { get; init; }
    /// <summary>One of <see cref="StreamViewTypes"/>.</summary>
    [Id(1)] public string? StreamViewType { get; init; }
}

/// <summary>What a stream record holds besides the keys.</summary>
public static class StreamViewTypes
{
    public const string KeysOnly = "KEYS_ONLY";
    public const string NewImage = "NEW_IMAGE";
    public const string OldImage = "OLD_IMAGE";
    public const string NewAndOldImages = "NEW_AND_OLD_IMAGES";

    public static IReadOnlyList<string> All { get; } = [NewImage, OldImage, NewAndOldImages, KeysOnly];

    public static bool HasNewImage(string viewType) => viewType is NewImage or NewAndOldImages;
    public static bool HasOldImage(string viewType) => viewType is OldImage or NewAndOldImages;
}

/// <summary>
/// The enabled stream of a table, as its partitions need it: the stream's label (which names it) and what
/// its records hold. Partitions write change records only while their table has one.
/// </summary>
[GenerateSerializer, Immutable, Alias("odyn.StreamInfo")]
public sealed record StreamInfo([property: Id(0)] string Label, [property: Id(1)] string ViewType);

/// <summary>
/// Time to live of a table as its partitions need it: the attribute holding each item's expiry, and a
/// generation that is new each time TTL is enabled (expiry entries of an older generation are ignored).
/// </summary>
[GenerateSerializer, Immutable, Alias("odyn.TimeToLiveInfo")]
public sealed record TimeToLiveInfo([property: Id(0)] string AttributeName, [property: Id(1)] int Generation);
