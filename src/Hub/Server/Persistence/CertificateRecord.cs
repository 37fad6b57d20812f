namespace OneThing.Hub.Persistence;

/// <summary>
/// An electronic certificate (电子证照) a department issued with a granted item. It keeps only masked
/// personal data: enough for whoever holds the verification code to see that it is genuine and whose.
/// </summary>
public sealed class CertificateRecord
{
    /// <summary>The id.</summary>
    public long Id { get; set; }

    /// <summary>The application.</summary>
    public required string ApplicationId { get; set; }

    /// <summary>The item that issued it.</summary>
    public required string ItemCode { get; set; }

    /// <summary>What it is, e.g. 就业创业证.</summary>
    public required string Title { get; set; }

    /// <summary>Its number.</summary>
    public required string Number { get; set; }

    /// <summary>The code anyone holding it can verify it with.</summary>
    public required string VerificationCode { get; set; }

    /// <summary>The holder's name, masked (张*).</summary>
    public required string HolderName { get; set; }

    /// <summary>The holder's identity number, masked (first 3 and last 4).</summary>
    public required string HolderIdNumber { get; set; }

    /// <summary>The issuing department's name.</summary>
    public required string Issuer { get; set; }

    /// <summary>The issue date.</summary>
    public DateOnly? IssuedOn { get; set; }

    /// <summary>When the hub recorded it.</summary>
    public DateTimeOffset CreatedAt { get; set; }
}
