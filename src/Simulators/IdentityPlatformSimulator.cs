using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace OneThing.Simulators;

/// <summary>Who a token speaks for.</summary>
public enum TokenRole
{
    /// <summary>A citizen, identified by the identity platform (实名认证).</summary>
    Applicant,

    /// <summary>A window clerk at a service centre, acting for applicants.</summary>
    Clerk,

    /// <summary>A department system.</summary>
    Department,

    /// <summary>An operator of the hub.</summary>
    Operator,
}

/// <summary>
/// The sandbox's stand-in for the province's unified identity platform (统一身份认证平台): it signs
/// short-lived ES256 tokens for applicants, clerks, departments and operators with a key made for
/// this run only. The hub trusts it only when started in sandbox mode, and says so. A development
/// issuer: nothing signed by it means anything outside the sandbox.
/// </summary>
public sealed class IdentityPlatformSimulator : IDisposable
{
    /// <summary>The issuer (<c>iss</c>) of every sandbox token.</summary>
    public const string IssuerName = "https://identity.sandbox.onething.invalid";

    /// <summary>The audience (<c>aud</c>) the hub expects.</summary>
    public const string HubAudience = "onething-hub";

    private static readonly TimeSpan DefaultLifetime = TimeSpan.FromHours(8);
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly SigningCredentials _credentials;
    private readonly JsonWebTokenHandler _handler = new();
    private readonly TimeProvider _time;

    /// <summary>Creates the issuer with a fresh P-256 key.</summary>
    public IdentityPlatformSimulator(TimeProvider time)
    {
        _time = time;
        KeyId = $"sandbox-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
        _credentials = new SigningCredentials(new ECDsaSecurityKey(_key) { KeyId = KeyId }, SecurityAlgorithms.EcdsaSha256);
    }

    /// <summary>The id (<c>kid</c>) of the signing key.</summary>
    public string KeyId { get; }

    /// <summary>The public half of the signing key (SubjectPublicKeyInfo PEM), for the hub's configuration.</summary>
    public string PublicKeyPem => _key.ExportSubjectPublicKeyInfoPem();

    /// <summary>The hub settings that make it trust this issuer (section <c>Security:Tokens</c>), marked as a development issuer.</summary>
    public IReadOnlyDictionary<string, string?> HubSettings() => new Dictionary<string, string?>
    {
        ["Security:Tokens:Audience"] = HubAudience,
        ["Security:Tokens:Issuers:sandbox:Issuer"] = IssuerName,
        ["Security:Tokens:Issuers:sandbox:Development"] = "true",
        [$"Security:Tokens:Issuers:sandbox:Keys:{KeyId}"] = PublicKeyPem,
    };

    /// <summary>A token for a citizen, as the identity platform issues after real-name verification.</summary>
    public string Applicant(string idNumber, string? name = null, TimeSpan? lifetime = null, DateTimeOffset? issuedAt = null) =>
        Issue(TokenRole.Applicant, $"citizen-{Subject(idNumber)}", new Dictionary<string, object> { ["id_number"] = idNumber, ["name"] = name ?? string.Empty }, lifetime, issuedAt);

    /// <summary>A token for a window clerk of <paramref name="serviceCentre"/>.</summary>
    public string Clerk(string clerkId, string serviceCentre, TimeSpan? lifetime = null, DateTimeOffset? issuedAt = null) =>
        Issue(TokenRole.Clerk, clerkId, new Dictionary<string, object> { ["service_centre"] = serviceCentre }, lifetime, issuedAt);

    /// <summary>A token for a department system.</summary>
    public string Department(string department, TimeSpan? lifetime = null) =>
        Issue(TokenRole.Department, $"department-{department}", new Dictionary<string, object> { ["department"] = department }, lifetime);

    /// <summary>A token for an operator.</summary>
    public string Operator(string operatorId, TimeSpan? lifetime = null, DateTimeOffset? issuedAt = null) =>
        Issue(TokenRole.Operator, operatorId, new Dictionary<string, object>(), lifetime, issuedAt);

    /// <summary>Signs a token for <paramref name="role"/> with the given claims, valid from <paramref name="issuedAt"/> (default now) for <paramref name="lifetime"/>.</summary>
    public string Issue(TokenRole role, string subject, IReadOnlyDictionary<string, object> claims, TimeSpan? lifetime = null, DateTimeOffset? issuedAt = null)
    {
        var now = (issuedAt ?? _time.GetUtcNow()).UtcDateTime;
        var all = new Dictionary<string, object>(claims)
        {
            ["sub"] = subject,
            ["roles"] = new[] { RoleName(role) },
            ["jti"] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)),
        };
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = IssuerName,
            Audience = HubAudience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + (lifetime ?? DefaultLifetime),
            Claims = all,
            SigningCredentials = _credentials,
        });
    }

    /// <summary>The claim value of a role, as the hub reads it.</summary>
    public static string RoleName(TokenRole role) => role switch
    {
        TokenRole.Applicant => "applicant",
        TokenRole.Clerk => "clerk",
        TokenRole.Department => "department",
        TokenRole.Operator => "operator",
        _ => throw new ArgumentOutOfRangeException(nameof(role)),
    };

    /// <summary>Parses a role's claim value.</summary>
    public static bool TryParseRole(string? text, out TokenRole role)
    {
        foreach (var candidate in Enum.GetValues<TokenRole>())
        {
            if (string.Equals(RoleName(candidate), text, StringComparison.OrdinalIgnoreCase))
            {
                role = candidate;
                return true;
            }
        }

        role = default;
        return false;
    }

    /// <inheritdoc />
    public void Dispose() => _key.Dispose();

    // A stable pseudonymous subject: the platform's user id is not the ID number itself.
    private static string Subject(string idNumber) =>
        Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("sandbox-subject:" + idNumber.Trim().ToUpperInvariant())))[..16];
}
