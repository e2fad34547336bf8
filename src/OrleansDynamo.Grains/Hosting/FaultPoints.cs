using System.Diagnostics;

namespace OrleansDynamo.Hosting;

/// <summary>
/// Named places where a process test can make the server kill itself (SIGKILL, as <c>kill -9</c> would),
/// to check that a crash at exactly that step loses nothing: set <c>ODYN_FAULT_POINT</c> to the name, and
/// <c>ODYN_FAULT_AFTER</c> to how many times it is passed before it kills (default 1: the first time).
/// Without the variable, a fault point costs one comparison of a cached null.
/// </summary>
public static class FaultPoints
{
    /// <summary>A partition has chosen its split point and is about to ask for the split.</summary>
    public const string SplitBeforeMap = "split-before-map";
    /// <summary>The store has the new map; neither the table grain's routing nor the parent knows yet.</summary>
    public const string SplitAfterMap = "split-after-map";
    /// <summary>The parent has adopted its smaller range; the child has not been activated.</summary>
    public const string SplitAfterAdopt = "split-after-adopt";

    /// <summary>Every partition of a transaction has voted yes; the commit record is not written yet.</summary>
    public const string TransactionAfterPrepare = "transaction-after-prepare";
    /// <summary>The commit record is written; no partition has applied the transaction yet.</summary>
    public const string TransactionAfterDecision = "transaction-after-decision";

    private static readonly string? Armed = Environment.GetEnvironmentVariable("ODYN_FAULT_POINT");
    private static int _remaining = int.TryParse(Environment.GetEnvironmentVariable("ODYN_FAULT_AFTER"), out var after) && after > 0 ? after : 1;

    public static void Hit(string name)
    {
        if (Armed is not null && Armed == name && Interlocked.Decrement(ref _remaining) == 0) Process.GetCurrentProcess().Kill();
    }
}
