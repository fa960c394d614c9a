using System.Runtime.InteropServices;

namespace Certitude.Pki.Tests.Support;

/// <summary>OpenSSL's per-thread error queue in libcrypto.so.3, the library .NET and LibCryptoEcdsa call: what a failed
/// operation leaves behind for the next one on the same thread.</summary>
internal static partial class OpenSslErrorQueue
{
    /// <summary>The oldest error on the calling thread's queue, without removing it; 0 when the queue is empty.</summary>
    public static ulong Peek() => ERR_peek_error();

    [LibraryImport("libcrypto.so.3")]
    private static partial nuint ERR_peek_error();
}
