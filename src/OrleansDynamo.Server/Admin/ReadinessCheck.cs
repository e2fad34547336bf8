using Microsoft.Extensions.Diagnostics.HealthChecks;
using OrleansDynamo.Storage;
using OrleansDynamo.Tables;

namespace OrleansDynamo.Server.Admin;

/// <summary>
/// <c>/health/ready</c>: this silo can serve. The startup recovery of the tables has finished, the silo is active in the
/// cluster's membership, and the partition store answers (within 3 s). <c>/health/live</c> asks nothing: the process
/// answers HTTP.
/// </summary>
internal sealed class ReadinessCheck(IPartitionStore store, TableRecovery recovery, IClusterMembershipService membership, ILocalSiloDetails silo)
    : IHealthCheck
{
    private static readonly TimeSpan StoreTimeout = TimeSpan.FromSeconds(3);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!recovery.Completed.IsCompleted) return HealthCheckResult.Unhealthy("the startup recovery of the tables is still running");
        var status = membership.CurrentSnapshot.GetSiloStatus(silo.SiloAddress);
        if (status != SiloStatus.Active) return HealthCheckResult.Unhealthy($"the silo is {status} in the cluster's membership");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StoreTimeout);
        try
        {
            await store.ListSpacesAsync(timeout.Token).WaitAsync(timeout.Token);
        }
        catch (Exception error) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"the partition store does not answer: {error.Message}");
        }
        return HealthCheckResult.Healthy();
    }
}
