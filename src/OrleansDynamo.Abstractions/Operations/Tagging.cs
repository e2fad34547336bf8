using OrleansDynamo.Model;

namespace OrleansDynamo.Operations;

/// <summary>TagResource, as in https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TagResource.html</summary>
[GenerateSerializer, Immutable, Alias("odyn.TagResourceRequest")]
public sealed record TagResourceRequest
{
    [Id(0)] public string? ResourceArn { get; init; }
    [Id(1)] public IReadOnlyList<Tag>? Tags { get; init; }
}

/// <summary>TagResource and UntagResource answer with an empty body.</summary>
[GenerateSerializer, Immutable, Alias("odyn.TagResourceResponse")]
public sealed record TagResourceResponse;

/// <summary>UntagResource, as in https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UntagResource.html</summary>
[GenerateSerializer, Immutable, Alias("odyn.UntagResourceRequest")]
public sealed record UntagResourceRequest
{
    [Id(0)] public string? ResourceArn { get; init; }
    [Id(1)] public IReadOnlyList<string>? TagKeys { get; init; }
}

[GenerateSerializer, Immutable, Alias("odyn.UntagResourceResponse")]
public sealed record UntagResourceResponse;

/// <summary>ListTagsOfResource, as in https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ListTagsOfResource.html</summary>
[GenerateSerializer, Immutable, Alias("odyn.ListTagsOfResourceRequest")]
public sealed record ListTagsOfResourceRequest
{
    [Id(0)] public string? ResourceArn { get; init; }
    [Id(1)] public string? NextToken { get; init; }
}

[GenerateSerializer, Immutable, Alias("odyn.ListTagsOfResourceResponse")]
public sealed record ListTagsOfResourceResponse
{
    [Id(0)] public IReadOnlyList<Tag> Tags { get; init; } = [];
    [Id(1)] public string? NextToken { get; init; }
}
