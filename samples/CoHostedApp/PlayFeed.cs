using System.Collections.Concurrent;
using OrleansDynamo.Changes;
using OrleansDynamo.Client.Changes;

namespace OrleansDynamo.Samples.CoHostedApp;

/// <summary>What was played, newest last: filled from the Playlists table's stream, read by <c>GET /feed</c>.</summary>
public sealed class PlayFeed
{
    private readonly ConcurrentQueue<string> _entries = new();

    public void Add(string entry) => _entries.Enqueue(entry);

    public IReadOnlyList<string> Entries => [.. _entries];
}

/// <summary>
/// A change handler in place of a Lambda trigger: the silo hands it the table's changes, in order per item, at
/// least once, with a durable checkpoint (registered in <see cref="Program"/> with <c>AddTableChangeHandler</c>).
/// </summary>
public sealed class PlayFeedHandler(PlayFeed feed) : ITableChangeHandler
{
    public Task HandleAsync(IReadOnlyList<TableChange> changes, CancellationToken cancellationToken)
    {
        foreach (var change in changes)
        {
            var image = change.Record.Dynamodb.NewImage;
            if (image is null) continue; // a song removed
            feed.Add($"{image["Playlist"].S}: {image["Title"].S} ({image["Plays"].N})");
        }
        return Task.CompletedTask;
    }
}
