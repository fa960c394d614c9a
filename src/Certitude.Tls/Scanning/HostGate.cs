using System.Net;

namespace Certitude.Tls.Scanning;

/// <summary>
/// Limits the connections in flight to one address (per-host politeness). Only addresses with connections in flight
/// are tracked, so a sweep over a /16 keeps a handful of entries, not 65,536.
/// </summary>
internal sealed class HostGate(int limit)
{
    private readonly Dictionary<IPAddress, Slot> _slots = [];

    /// <summary>Addresses with a connection in flight (for tests: a gate left empty leaked nothing).</summary>
    public int TrackedAddresses
    {
        get
        {
            lock (_slots)
            {
                return _slots.Count;
            }
        }
    }

    /// <summary>Takes a place for <paramref name="address"/> when one is free, without waiting.</summary>
    public bool TryEnter(IPAddress address)
    {
        lock (_slots)
        {
            if (!_slots.TryGetValue(address, out var slot))
            {
                _slots[address] = new Slot { Active = 1 };
                return true;
            }

            if (slot.Active < limit)
            {
                slot.Active++;
                return true;
            }

            return false;
        }
    }

    /// <summary>Takes a place for <paramref name="address"/>, waiting for one in first-come order.</summary>
    public ValueTask EnterAsync(IPAddress address, CancellationToken cancellationToken)
    {
        TaskCompletionSource waiter;
        lock (_slots)
        {
            if (!_slots.TryGetValue(address, out var slot))
            {
                _slots[address] = new Slot { Active = 1 };
                return ValueTask.CompletedTask;
            }

            if (slot.Active < limit)
            {
                slot.Active++;
                return ValueTask.CompletedTask;
            }

            waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            slot.Waiters.Enqueue(waiter);
        }

        return WaitAsync(waiter, cancellationToken);
    }

    /// <summary>Gives back a place taken by <see cref="TryEnter"/> or <see cref="EnterAsync"/>.</summary>
    public void Leave(IPAddress address)
    {
        lock (_slots)
        {
            var slot = _slots[address];

            // The freed place goes straight to a waiter (Active stays as it is); a waiter whose wait was cancelled
            // has a completed task already and is skipped.
            while (slot.Waiters.TryDequeue(out var waiter))
            {
                if (waiter.TrySetResult())
                {
                    return;
                }
            }

            if (--slot.Active == 0)
            {
                _slots.Remove(address);
            }
        }
    }

    private static async ValueTask WaitAsync(TaskCompletionSource waiter, CancellationToken cancellationToken)
    {
        // Cancelling completes the waiter itself, so that Leave skips it instead of handing it a place nobody takes.
        await using (cancellationToken.Register(() => waiter.TrySetCanceled(cancellationToken)))
        {
            await waiter.Task.ConfigureAwait(false);
        }
    }

    private sealed class Slot
    {
        public int Active { get; set; }

        public Queue<TaskCompletionSource> Waiters { get; } = new();
    }
}
