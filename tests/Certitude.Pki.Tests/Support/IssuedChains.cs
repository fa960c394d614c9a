using System.Collections.Concurrent;

using Certitude.Pki.Signing;

namespace Certitude.Pki.Tests.Support;

/// <summary>One <see cref="TestChain"/> per key type, made on first use and shared by the whole test assembly: RSA 4096
/// key generation is too slow to repeat per test.</summary>
public sealed class IssuedChains : IDisposable
{
    private readonly ConcurrentDictionary<SigningKeyType, Lazy<TestChain>> _chains = new();

    internal TestChain Get(SigningKeyType type)
    {
        return _chains.GetOrAdd(type, static t => new Lazy<TestChain>(() => TestChain.Create(t))).Value;
    }

    public void Dispose()
    {
        foreach (var chain in _chains.Values.Where(c => c.IsValueCreated))
        {
            chain.Value.Dispose();
        }
    }
}
