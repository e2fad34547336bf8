using OrleansDynamo.Operations;
using OrleansDynamo.Validation;

namespace OrleansDynamo.Client;

/// <summary>Tags on table ARNs: validated here (<see cref="TagRules"/>), kept by the table grain.</summary>
public sealed partial class DynamoDbClient
{
    public async Task<TagResourceResponse> TagResourceAsync(TagResourceRequest request, CancellationToken cancellationToken = default)
    {
        var table = TagRules.Validate(request);
        await Table(table).TagResource(request.ResourceArn!, request.Tags!);
        return new TagResourceResponse();
    }

    public async Task<UntagResourceResponse> UntagResourceAsync(UntagResourceRequest request, CancellationToken cancellationToken = default)
    {
        var table = TagRules.Validate(request);
        await Table(table).UntagResource(request.ResourceArn!, request.TagKeys!);
        return new UntagResourceResponse();
    }

    public async Task<ListTagsOfResourceResponse> ListTagsOfResourceAsync(ListTagsOfResourceRequest request, CancellationToken cancellationToken = default)
    {
        var table = TagRules.Validate(request);
        // At most 50 tags: one page.
        return new ListTagsOfResourceResponse { Tags = await Table(table).ListTags(request.ResourceArn!) };
    }
}
