using System.Runtime.CompilerServices;
using OrleansDynamo.Operations;

namespace OrleansDynamo.Client.Changes;

/// <summary>A table's changes as a .NET stream, over any <see cref="IDynamoDb"/> (the Orleans client's, or the silo's).</summary>
public static class TableChanges
{
    /// <summary>
    /// The changes of the table's latest stream (or of the checkpoint's stream), in order per item, after
    /// <paramref name="from"/> or from the oldest record kept. Waits <paramref name="pollInterval"/> (default 50 ms)
    /// when there is nothing new; ends when the stream is disabled and read to its end, or when cancelled. Store a
    /// change's <see cref="TableChange.Checkpoint"/> to continue after it later.
    /// </summary>
    public static async IAsyncEnumerable<TableChange> ReadChangesAsync(this IDynamoDb dynamoDb, string tableName, ChangeCheckpoint? from = null,
        TimeSpan? pollInterval = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var reader = await ChangeReader.OpenAsync(dynamoDb, tableName, from);
        while (!reader.Ended)
        {
            var changes = await reader.ReadAsync(cancellationToken: cancellationToken);
            foreach (var change in changes) yield return change;
            if (changes.Count == 0) await Task.Delay(pollInterval ?? TimeSpan.FromMilliseconds(50), cancellationToken);
        }
    }
}
