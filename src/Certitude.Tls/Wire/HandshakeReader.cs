namespace Certitude.Tls.Wire;

/// <summary>
/// Reads the server's handshake messages: records in, messages out, alerts turned into failures, and — once the
/// TLS 1.3 handshake keys are known — encrypted records decrypted on the way.
/// </summary>
internal sealed class HandshakeReader : IDisposable
{
    private readonly TlsRecordReader _records;
    private readonly HandshakeReassembler _messages = new();
    private readonly bool _tls13;
    private Tls13RecordProtection? _protection;

    /// <param name="stream">The connection.</param>
    /// <param name="tls13">
    /// True for a TLS 1.3 handshake: change_cipher_spec records are skipped (RFC 8446 §5, middlebox compatibility
    /// mode, Appendix D.4) and every alert is fatal (RFC 8446 §6).
    /// </param>
    public HandshakeReader(Stream stream, bool tls13)
    {
        _records = new TlsRecordReader(stream);
        _tls13 = tls13;
    }

    public int BytesRead => _records.BytesRead;

    /// <summary>Decrypts every following record with the server's handshake traffic keys (RFC 8446 §7.3).</summary>
    public void UseServerHandshakeKeys(Tls13RecordProtection protection)
    {
        // RFC 8446 §5.1: handshake messages must not span a key change.
        if (!_messages.IsEmpty)
        {
            throw TlsFailures.Malformed("a handshake message spans the change to the handshake keys");
        }

        _protection = protection;
    }

    public async ValueTask<HandshakeMessage> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_messages.TryRead(out var message))
            {
                return message;
            }

            var record = await _records.ReadAsync(cancellationToken).ConfigureAwait(false);
            switch (record.ContentType)
            {
                case TlsContentType.Handshake:
                    if (_protection is not null)
                    {
                        throw TlsFailures.Malformed("a plaintext handshake record arrived after the server's handshake keys were set");
                    }

                    _messages.Append(record.Fragment.Span);
                    break;
                case TlsContentType.Alert:
                    OnAlert(record.Fragment.Span);
                    break;
                case TlsContentType.ChangeCipherSpec:
                    // Before the Certificate a TLS 1.2 server has no reason to change ciphers (no resumption offered).
                    if (!_tls13 || record.Fragment.Length != 1 || record.Fragment.Span[0] != 1)
                    {
                        throw TlsFailures.Malformed("unexpected change_cipher_spec record");
                    }

                    break;
                default:
                    if (_protection is null)
                    {
                        throw TlsFailures.Malformed("application data arrived before the handshake");
                    }

                    Decrypt(record);
                    break;
            }
        }
    }

    private void Decrypt(TlsRecord record)
    {
        var plaintext = _messages.GetSpan(record.Fragment.Length);
        var length = _protection!.Decrypt(record.Header.Span, record.Fragment.Span, plaintext, out var contentType);
        switch (contentType)
        {
            case TlsContentType.Handshake:
                _messages.Advance(length);
                break;
            case TlsContentType.Alert:
                OnAlert(plaintext[..length]);
                break;
            default:
                throw TlsFailures.Malformed($"an encrypted record of type {contentType} arrived during the handshake");
        }
    }

    private void OnAlert(ReadOnlySpan<byte> alert)
    {
        if (alert.Length != 2)
        {
            throw TlsFailures.Malformed("an alert record is not two bytes");
        }

        var level = alert[0];
        var description = alert[1];

        // A TLS 1.2 warning (level 1) other than close_notify lets the handshake go on; some servers send
        // unrecognized_name(112) as a warning before their ServerHello (RFC 6066 §3). TLS 1.3 has no warnings.
        if (!_tls13 && level == 1 && description != 0)
        {
            return;
        }

        throw TlsFailures.Alert(level, description);
    }

    public void Dispose()
    {
        _protection?.Dispose();
        _messages.Dispose();
        _records.Dispose();
    }
}
