namespace OrleansDynamo.Backups;

/// <summary>Paging of the backup and transfer catalogs: a page after the entry an ARN names, and the ARN to ask after it.</summary>
internal static class CatalogPages
{
    /// <summary>
    /// Up to <paramref name="size"/> entries after the one <paramref name="after"/> names (from the start when null or
    /// unknown), and the ARN of the page's last entry when more follow (null at the end).
    /// </summary>
    public static (List<T> Page, string? Next) After<T>(List<T> entries, Func<T, string> arn, string? after, int size)
    {
        var start = after is null ? 0 : entries.FindIndex(e => arn(e) == after) + 1;
        var page = entries.Skip(start).Take(size).ToList();
        return (page, start + page.Count < entries.Count && page.Count > 0 ? arn(page[^1]) : null);
    }
}
