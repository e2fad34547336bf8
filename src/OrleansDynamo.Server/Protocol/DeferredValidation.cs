using OrleansDynamo.Errors;

namespace OrleansDynamo.Server.Protocol;

/// <summary>
/// Holds back the first invalid attribute value found while a request is read, so that a JSON type
/// error anywhere in the body still wins: DynamoDB checks all types before it validates any value.
/// </summary>
/// <remarks>Thread-static because a request is deserialized synchronously from one buffer, on one thread.
/// Outside <see cref="Begin"/>/<see cref="End"/> (converters used directly), errors are thrown at once.</remarks>
internal static class DeferredValidation
{
    [ThreadStatic] private static bool t_collecting;
    [ThreadStatic] private static DynamoException? t_first;

    public static void Report(DynamoException error)
    {
        if (!t_collecting) throw error;
        t_first ??= error;
    }

    public static void Begin()
    {
        t_collecting = true;
        t_first = null;
    }

    /// <summary>Stops collecting and returns the first error reported since <see cref="Begin"/>.</summary>
    public static DynamoException? End()
    {
        var first = t_first;
        t_collecting = false;
        t_first = null;
        return first;
    }
}
