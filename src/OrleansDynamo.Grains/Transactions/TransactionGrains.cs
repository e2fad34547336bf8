using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Orleans.Serialization;
using OrleansDynamo.Client;
using OrleansDynamo.Errors;
using OrleansDynamo.Grains;
using OrleansDynamo.Operations;

namespace OrleansDynamo.Transactions;

/// <summary>
/// Coordinates transactions. Stateless (the anchor partition records each outcome and token), so it runs where the
/// request arrived and costs no activation per transaction. The AWS SDKs give every TransactWriteItems a
/// ClientRequestToken, so the token path is the common one.
/// </summary>
[StatelessWorker, Reentrant]
public sealed class TransactionCoordinatorGrain(Serializer serializer, ILogger<TransactionCoordinatorGrain> logger) : Grain, ITransactionCoordinatorGrain
{
    private TwoPhaseCommit _commit = null!;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _commit = new TwoPhaseCommit(GrainFactory, new TableRouter(GrainFactory), logger);
        return Task.CompletedTask;
    }

    // Tokens of the transactions running in this silo: a repeat that arrives meanwhile (an SDK retry after a
    // timeout) is answered at once instead of racing the first for the same items, where both could lose.
    private static readonly ConcurrentDictionary<string, bool> RunningTokens = new(StringComparer.Ordinal);

    public async Task<TransactWriteItemsResponse> Execute(TransactWriteItemsRequest request)
    {
        // The request's fingerprint tells a repeated request from a different one with the same token.
        var token = request.ClientRequestToken;
        var fingerprint = token is null ? null : SHA256.HashData(serializer.SerializeToArray(request));
        if (token is not null && !RunningTokens.TryAdd(token, true)) throw DynamoErrors.TransactionInProgress();
        try
        {
            return await _commit.RunAsync(request, Guid.NewGuid().ToString("N"), fingerprint);
        }
        finally
        {
            if (token is not null) RunningTokens.TryRemove(token, out _);
        }
    }
}
