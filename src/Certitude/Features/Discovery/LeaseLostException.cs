namespace Certitude.Features.Discovery;

/// <summary>The scanner's lease on a chunk ran out and another scanner took it over: its work on the chunk is void.</summary>
public sealed class LeaseLostException(long chunkId) : Exception($"The lease on chunk {chunkId} was lost; another scanner took it over.")
{
    public long ChunkId { get; } = chunkId;
}
