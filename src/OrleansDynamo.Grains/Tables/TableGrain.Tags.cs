using OrleansDynamo.Errors;
using OrleansDynamo.Model;
using OrleansDynamo.Validation;

namespace OrleansDynamo.Tables;

/// <summary>The table's tags, kept with its description; changed at once (DynamoDB applies them within seconds).</summary>
public sealed partial class TableGrain
{
    public async Task TagResource(string resourceArn, IReadOnlyList<Tag> tags)
    {
        CheckArn(resourceArn);
        state.State.Tags = TagRules.Merged(state.State.Tags, tags);
        await state.WriteStateAsync();
    }

    public async Task UntagResource(string resourceArn, IReadOnlyList<string> tagKeys)
    {
        CheckArn(resourceArn);
        // Removing a key that is not there is no error.
        if (state.State.Tags.RemoveAll(t => tagKeys.Contains(t.Key!)) > 0) await state.WriteStateAsync();
    }

    public Task<IReadOnlyList<Tag>> ListTags(string resourceArn)
    {
        CheckArn(resourceArn);
        return Task.FromResult<IReadOnlyList<Tag>>(state.State.Tags.ToList());
    }

    /// <summary>The ARN names this table: of this region and account, and of a table that exists.</summary>
    private void CheckArn(string resourceArn)
    {
        if (state.State.Description is not { } description) throw DynamoErrors.ResourceArnNotFound(resourceArn);
        if (description.TableArn != resourceArn) throw DynamoErrors.InvalidResourceArn(resourceArn);
    }
}
