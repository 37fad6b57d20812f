using System.Security.Cryptography;
using Grpc.Core;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OneThing.Hub.Applications;
using OneThing.Hub.Grpc;

namespace OneThing.Hub.Security;

/// <summary>The identity platforms whose tokens the hub trusts (section <c>Security:Tokens</c>).</summary>
public sealed class TokenOptions
{
    /// <summary>The audience (<c>aud</c>) every token must name.</summary>
    public string Audience { get; set; } = "onething-hub";

    /// <summary>Allowed clock difference between the issuer and the hub.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The trusted issuers, by a local name.</summary>
    public Dictionary<string, TrustedIssuerOptions> Issuers { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Everything wrong with these options.</summary>
    public IEnumerable<string> Problems()
    {
        if (string.IsNullOrWhiteSpace(Audience))
        {
            yield return "Security:Tokens:Audience is empty";
        }

        if (Issuers.Count == 0)
        {
            yield return "Security:Tokens:Issuers names no identity platform: the hub would refuse every caller. " +
                "Configure Security:Tokens:Issuers:{name}:Issuer and :Keys:{kid} (a PEM public key), or run the sandbox (src/Sandbox), which brings its own development issuer";
        }

        foreach (var (name, issuer) in Issuers)
        {
            if (string.IsNullOrWhiteSpace(issuer.Issuer))
            {
                yield return $"Security:Tokens:Issuers:{name}:Issuer is empty";
            }

            if (issuer.Keys.Count == 0)
            {
                yield return $"Security:Tokens:Issuers:{name}:Keys has no key";
            }

            foreach (var (kid, pem) in issuer.Keys)
            {
                if (TrustedKeys.TryParse(kid, pem, out _) is { } problem)
                {
                    yield return $"Security:Tokens:Issuers:{name}:Keys:{kid}: {problem}";
                }
            }
        }
    }
}

/// <summary>One trusted identity platform.</summary>
public sealed class TrustedIssuerOptions
{
    /// <summary>The issuer (<c>iss</c>) its tokens carry.</summary>
    public string Issuer { get; set; } = string.Empty;

    /// <summary>Its signing keys by key id (<c>kid</c>): public keys in PEM (EC P-256 for ES256, or RSA). Several at once while keys rotate.</summary>
    public Dictionary<string, string> Keys { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The sandbox's development issuer: accepted, and announced loudly at start.</summary>
    public bool Development { get; set; }
}

/// <summary>
/// The signing keys of the trusted issuers, rebuilt whenever the configuration changes: adding a new
/// key before the issuer signs with it, and removing the old one after its last token expired,
/// rotates keys without a restart.
/// </summary>
public sealed class TrustedKeys : IDisposable
{
    private readonly IDisposable? _subscription;
    private volatile Snapshot _current;

    /// <summary>Builds the key set and follows configuration changes.</summary>
    public TrustedKeys(IOptionsMonitor<TokenOptions> options)
    {
        _current = Build(options.CurrentValue);
        _subscription = options.OnChange(o => _current = Build(o));
    }

    /// <summary>The audience tokens must name.</summary>
    public string Audience => _current.Audience;

    /// <summary>The allowed clock skew.</summary>
    public TimeSpan ClockSkew => _current.ClockSkew;

    /// <summary>Whether <paramref name="issuer"/> is trusted.</summary>
    public bool IsTrusted(string? issuer) => issuer is not null && _current.Keys.ContainsKey(issuer);

    /// <summary>The keys that may have signed a token of <paramref name="issuer"/> with key id <paramref name="kid"/> (all of the issuer's when no kid).</summary>
    public IEnumerable<SecurityKey> KeysFor(string? issuer, string? kid) =>
        issuer is not null && _current.Keys.TryGetValue(issuer, out var keys)
            ? keys.Where(k => string.IsNullOrEmpty(kid) || k.KeyId == kid)
            : [];

    /// <summary>The development issuers among the trusted ones.</summary>
    public IReadOnlyList<string> DevelopmentIssuers => _current.Development;

    /// <summary>Parses a PEM public key; returns a problem description, or null when it is usable.</summary>
    public static string? TryParse(string kid, string pem, out SecurityKey? key)
    {
        key = null;
        try
        {
            if (pem.Contains("BEGIN PUBLIC KEY", StringComparison.Ordinal) || pem.Contains("BEGIN EC PUBLIC KEY", StringComparison.Ordinal))
            {
                try
                {
                    var ec = ECDsa.Create();
                    ec.ImportFromPem(pem);
                    key = new ECDsaSecurityKey(ec) { KeyId = kid };
                    return null;
                }
                catch (CryptographicException)
                {
                    var rsa = RSA.Create();
                    rsa.ImportFromPem(pem);
                    key = new RsaSecurityKey(rsa) { KeyId = kid };
                    return rsa.KeySize < 2048 ? "an RSA key needs at least 2048 bits" : null;
                }
            }

            return "not a PEM public key (-----BEGIN PUBLIC KEY-----)";
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            return $"not a usable public key ({e.Message})";
        }
    }

    /// <inheritdoc />
    public void Dispose() => _subscription?.Dispose();

    private static Snapshot Build(TokenOptions options)
    {
        var keys = new Dictionary<string, IReadOnlyList<SecurityKey>>(StringComparer.Ordinal);
        foreach (var issuer in options.Issuers.Values.Where(i => !string.IsNullOrWhiteSpace(i.Issuer)))
        {
            var parsed = new List<SecurityKey>();
            foreach (var (kid, pem) in issuer.Keys)
            {
                if (TryParse(kid, pem, out var key) is null && key is not null)
                {
                    parsed.Add(key);
                }
            }

            keys[issuer.Issuer] = keys.TryGetValue(issuer.Issuer, out var earlier) ? [.. earlier, .. parsed] : parsed;
        }

        return new Snapshot(options.Audience, options.ClockSkew, keys, options.Issuers.Values.Where(i => i.Development).Select(i => i.Issuer).ToList());
    }

    private sealed record Snapshot(string Audience, TimeSpan ClockSkew, IReadOnlyDictionary<string, IReadOnlyList<SecurityKey>> Keys, IReadOnlyList<string> Development);
}

/// <summary>
/// Authentication (bearer tokens of the trusted identity platforms) and authorization (every RPC
/// declares its roles; whatever declares nothing is refused).
/// </summary>
public static partial class HubAuthentication
{
    /// <summary>Registers token verification and the deny-by-default authorization.</summary>
    public static IServiceCollection AddHubAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddHttpContextAccessor();
        services.AddOptions<TokenOptions>()
            .Bind(configuration.GetSection("Security:Tokens"))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<TokenOptions>, TokenOptionsValidation>();
        services.AddSingleton<TrustedKeys>();
        services.AddScoped<ApplicationAccess>();
        services.AddHostedService<DevelopmentIssuerNotice>();

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<TrustedKeys, TimeProvider>((o, keys, time) =>
            {
                // Claims keep their JWT names (sub, roles, id_number), not the WS-* URIs.
                o.MapInboundClaims = false;
                o.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidateIssuer = true,
                    IssuerValidator = (issuer, _, _) => keys.IsTrusted(issuer)
                        ? issuer
                        : throw new SecurityTokenInvalidIssuerException("the token's issuer is not trusted"),
                    ValidateAudience = true,
                    AudienceValidator = (audiences, _, _) => audiences.Contains(keys.Audience, StringComparer.Ordinal),
                    ValidateIssuerSigningKey = true,
                    IssuerSigningKeyResolver = (_, token, kid, _) => keys.KeysFor(token.Issuer, kid),
                    RequireSignedTokens = true,
                    RequireExpirationTime = true,
                    ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSsaPssSha256],

                    // Lifetimes by the hub's clock (TimeProvider), not the machine's: a sandbox on a
                    // fake date issues and checks tokens on that date.
                    LifetimeValidator = (notBefore, expires, _, _) =>
                    {
                        var now = time.GetUtcNow().UtcDateTime;
                        var skew = keys.ClockSkew;
                        return expires is { } e && now <= e + skew && (notBefore is not { } nb || now >= nb - skew)
                            ? true
                            : throw new SecurityTokenExpiredException("the token has expired or is not yet valid");
                    },
                    NameClaimType = HubClaims.Subject,
                    RoleClaimType = HubClaims.Roles,
                };
                o.Events = new JwtBearerEvents
                {
                    OnChallenge = async context =>
                    {
                        context.HandleResponse();
                        var (reason, message) = context.AuthenticateFailure switch
                        {
                            SecurityTokenExpiredException => (ErrorReasons.TokenExpired, "身份令牌已过期或尚未生效，请重新登录"),
                            not null => (ErrorReasons.TokenInvalid, "身份令牌无效（签发方、签名或受众不符），请重新登录"),
                            null when context.Request.Headers.Authorization.Count > 0 => (ErrorReasons.TokenInvalid, "身份令牌无效（应为 Bearer 令牌），请重新登录"),
                            _ => (ErrorReasons.AuthenticationRequired, "请先登录：请求缺少身份令牌（Authorization: Bearer …）"),
                        };
                        context.Response.Headers.WWWAuthenticate = "Bearer";
                        await GrpcErrorResponse.WriteAsync(context.HttpContext, StatusCode.Unauthenticated, reason, message);
                    },
                    OnForbidden = context => GrpcErrorResponse.WriteAsync(
                        context.HttpContext, StatusCode.PermissionDenied, ErrorReasons.RoleNotAllowed, "当前身份无权执行此操作"),
                };
            });

        services.AddAuthorization(o =>
        {
            // Deny by default: an endpoint that declares no roles (and is not marked anonymous) is
            // refused to everyone, so a new RPC is closed until its author decides who may call it.
            o.FallbackPolicy = new AuthorizationPolicyBuilder()
                .RequireAssertion(_ => false)
                .Build();
        });
        return services;
    }

}

/// <summary>Refuses to start with unusable token settings, naming every problem.</summary>
internal sealed class TokenOptionsValidation : IValidateOptions<TokenOptions>
{
    public ValidateOptionsResult Validate(string? name, TokenOptions options)
    {
        var problems = options.Problems().ToList();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}

/// <summary>Says at start, loudly, when the hub trusts a development issuer (the sandbox's).</summary>
internal sealed partial class DevelopmentIssuerNotice(TrustedKeys keys, ILogger<DevelopmentIssuerNotice> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var issuer in keys.DevelopmentIssuers)
        {
            LogDevelopmentIssuer(issuer);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "SANDBOX MODE: trusting the development identity issuer {Issuer}. Its tokens are made for testing on this machine only; never configure it in a deployment.")]
    private partial void LogDevelopmentIssuer(string issuer);
}
