using OrleansDynamo.Operations;
using Sdk = Amazon.DynamoDBv2.Model;

namespace OrleansDynamo.Client.AwsSdk.Operations;

internal static class TagResourceOperation
{
    public static readonly AwsOperation Instance = AwsOperation.Create<Sdk.TagResourceRequest, TagResourceRequest, TagResourceResponse, Sdk.TagResourceResponse>(
        static r => new TagResourceRequest { ResourceArn = r.ResourceArn, Tags = AwsTableSettings.Tags(r.Tags) },
        static (db, r, ct) => db.TagResourceAsync(r, ct),
        static _ => new Sdk.TagResourceResponse());
}

internal static class UntagResourceOperation
{
    public static readonly AwsOperation Instance = AwsOperation.Create<Sdk.UntagResourceRequest, UntagResourceRequest, UntagResourceResponse, Sdk.UntagResourceResponse>(
        static r => new UntagResourceRequest { ResourceArn = r.ResourceArn, TagKeys = r.TagKeys },
        static (db, r, ct) => db.UntagResourceAsync(r, ct),
        static _ => new Sdk.UntagResourceResponse());
}

internal static class ListTagsOfResourceOperation
{
    public static readonly AwsOperation Instance = AwsOperation.Create<Sdk.ListTagsOfResourceRequest, ListTagsOfResourceRequest, ListTagsOfResourceResponse, Sdk.ListTagsOfResourceResponse>(
        static r => new ListTagsOfResourceRequest { ResourceArn = r.ResourceArn, NextToken = r.NextToken },
        static (db, r, ct) => db.ListTagsOfResourceAsync(r, ct),
        static r => new Sdk.ListTagsOfResourceResponse { Tags = r.Tags.Select(t => new Sdk.Tag { Key = t.Key, Value = t.Value }).ToList(), NextToken = r.NextToken });
}
