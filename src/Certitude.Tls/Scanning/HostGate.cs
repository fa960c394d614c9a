using System.Net;

namespace Certitude.Tls.Scanning;

/// <summary>
/// Limits the connections in flight to one address (per-host politeness). Only addresses with connections in flight
/// are tracked, so a sweep over a /16 keeps a handful of entries, not 65,536.
/// </summary>
internal sealed class HostGate(int limit)
{
    private readonly Dictionary<IPAddress, Slot> _slots = [];

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
