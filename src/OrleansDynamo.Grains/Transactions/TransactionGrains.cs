using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Orleans.Serialization;
using OrleansDynamo.Client;
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

    public Task<TransactWriteItemsResponse> Execute(TransactWriteItemsRequest request) =>
        _commit.RunAsync(request, Guid.NewGuid().ToString("N"),
            // The request's fingerprint tells a repeated request from a different one with the same token.
            request.ClientRequestToken is null ? null : SHA256.HashData(serializer.SerializeToArray(request)));
}
