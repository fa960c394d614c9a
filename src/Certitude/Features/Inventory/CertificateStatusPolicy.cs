namespace Certitude.Features.Inventory;

/// <summary>The status of a certificate as a pure function of its validity, now, and the expiring window.</summary>
public static class CertificateStatusPolicy
{
    public static CertificateStatus StatusAt(DateTimeOffset notBefore, DateTimeOffset notAfter, DateTimeOffset now, TimeSpan expiringWindow)
    {
        if (now < notBefore)
        {
            return CertificateStatus.NotYetValid;
        }

        if (now >= notAfter)
        {
            return CertificateStatus.Expired;
        }

        return notAfter - now <= expiringWindow ? CertificateStatus.Expiring : CertificateStatus.Valid;
    }

    /// <summary>Whole days left (negative once expired), rounded down.</summary>
    public static int DaysLeft(DateTimeOffset notAfter, DateTimeOffset now) => (int)Math.Floor((notAfter - now).TotalDays);
}
