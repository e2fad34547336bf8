using System.Buffers;

namespace OrleansDynamo.Server.Protocol;

/// <summary>A growable byte buffer on <see cref="ArrayPool{T}"/>: holds a request body or a response being written.</summary>
internal sealed class PooledBuffer(int initialCapacity) : IBufferWriter<byte>, IDisposable
{
    private byte[] _array = ArrayPool<byte>.Shared.Rent(Math.Max(initialCapacity, 256));
    private int _written;

    public int WrittenCount => _written;
    public ReadOnlyMemory<byte> WrittenMemory => _array.AsMemory(0, _written);
    public ReadOnlySpan<byte> WrittenSpan => _array.AsSpan(0, _written);

    public void Clear() => _written = 0;

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _array.Length - _written);
        _written += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        EnsureFree(sizeHint);
        return _array.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        EnsureFree(sizeHint);
        return _array.AsSpan(_written);
    }

    public void Dispose()
    {
        var array = _array;
        _array = [];
        _written = 0;
        if (array.Length > 0) ArrayPool<byte>.Shared.Return(array);
    }

    private void EnsureFree(int sizeHint)
    {
        var needed = Math.Max(sizeHint, 1);
        if (_array.Length - _written >= needed) return;
        var size = (int)Math.Min(Array.MaxLength, Math.Max((long)_array.Length * 2, (long)_written + needed));
        var larger = ArrayPool<byte>.Shared.Rent(size);
        _array.AsSpan(0, _written).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_array);
        _array = larger;
    }
}
