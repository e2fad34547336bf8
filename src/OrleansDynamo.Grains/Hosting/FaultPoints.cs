using System.Diagnostics;

namespace OrleansDynamo.Hosting;

/// <summary>
/// Named places where a process test can make the server kill itself (SIGKILL, as <c>kill -9</c> would),
/// to check that a crash at exactly that step loses nothing: set <c>ODYN_FAULT_POINT</c> to the name.
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

    private static readonly string? Armed = Environment.GetEnvironmentVariable("ODYN_FAULT_POINT");

    public static void Hit(string name)
    {
        if (Armed is not null && Armed == name) Process.GetCurrentProcess().Kill();
    }
}
