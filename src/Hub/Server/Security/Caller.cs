using System.Security.Claims;
using Grpc.Core;
using OneThing.Hub.Applications;

namespace OneThing.Hub.Security;

/// <summary>The roles a token may carry (claim <c>roles</c>).</summary>
public static class HubRoles
{
    /// <summary>A citizen acting for themself.</summary>
    public const string Applicant = "applicant";

    /// <summary>A window clerk at a service centre, filing for applicants with their authorisation.</summary>
    public const string Clerk = "clerk";

    /// <summary>A department system.</summary>
    public const string Department = "department";

    /// <summary>An operator of the hub.</summary>
    public const string Operator = "operator";

    /// <summary>Those who file and follow applications: applicants and clerks.</summary>
    public const string Filers = Applicant + "," + Clerk;

    /// <summary>Those who may read an application: its filers and operators.</summary>
    public const string Readers = Applicant + "," + Clerk + "," + Operator;
}

/// <summary>The claim names of the hub's tokens.</summary>
public static class HubClaims
{
    /// <summary>The stable subject id.</summary>
    public const string Subject = "sub";

    /// <summary>The roles (one claim per role).</summary>
    public const string Roles = "roles";

    /// <summary>An applicant's resident ID number, as verified by the identity platform.</summary>
    public const string IdNumber = "id_number";

    /// <summary>An applicant's name.</summary>
    public const string Name = "name";

    /// <summary>A clerk's service centre.</summary>
    public const string ServiceCentre = "service_centre";

    /// <summary>A department system's stable department name.</summary>
    public const string Department = "department";
}

/// <summary>
/// The authenticated caller of a request, read from its verified token. Which role it acts in is
/// decided per call: a token with several roles uses the first that the call allows.
/// </summary>
/// <param name="Subject">The token's subject.</param>
/// <param name="Roles">The roles the token carries.</param>
/// <param name="IdNumber">For applicants: their resident ID number.</param>
/// <param name="Name">For applicants: their name.</param>
/// <param name="ServiceCentre">For clerks: their service centre.</param>
/// <param name="Department">For department systems: their department.</param>
public sealed record Caller(string Subject, IReadOnlySet<string> Roles, string? IdNumber, string? Name, string? ServiceCentre, string? Department)
{
    /// <summary>Whether the token carries <paramref name="role"/>.</summary>
    public bool Is(string role) => Roles.Contains(role);

    /// <summary>Who, for audit and logs: <c>{role}:{subject}</c>, never a clear ID number.</summary>
    public string Actor => $"{Roles.Order(StringComparer.Ordinal).FirstOrDefault() ?? "unknown"}:{Subject}";

    /// <summary>Reads the caller from a verified principal; null when the principal is anonymous.</summary>
    public static Caller? From(ClaimsPrincipal? user)
    {
        if (user?.Identity?.IsAuthenticated != true || user.FindFirst(HubClaims.Subject)?.Value is not { Length: > 0 } subject)
        {
            return null;
        }

        var roles = user.FindAll(HubClaims.Roles).Select(c => c.Value.Trim().ToLowerInvariant()).Where(r => r.Length > 0).ToHashSet(StringComparer.Ordinal);
        return new Caller(
            subject,
            roles,
            Claim(user, HubClaims.IdNumber)?.ToUpperInvariant(),
            Claim(user, HubClaims.Name),
            Claim(user, HubClaims.ServiceCentre),
            Claim(user, HubClaims.Department));
    }

    /// <summary>The caller of a gRPC call; the authorization policy has already required one.</summary>
    /// <exception cref="HubPermissionDeniedException">The call carries no verified identity.</exception>
    public static Caller Of(ServerCallContext context) =>
        From(context.GetHttpContext().User)
        ?? throw new HubPermissionDeniedException(ErrorReasons.CallerUnknown, "无法确认调用者身份，请重新登录");

    private static string? Claim(ClaimsPrincipal user, string type) =>
        user.FindFirst(type)?.Value is { Length: > 0 } value ? value.Trim() : null;
}

/// <summary>The operator an operator action is recorded under: always the token's subject.</summary>
public static class OperatorIdentity
{
    /// <summary>The caller's subject; a request that names another operator is refused.</summary>
    public static string Of(ServerCallContext context, string? requested)
    {
        var caller = Caller.Of(context);
        return string.IsNullOrWhiteSpace(requested) || string.Equals(requested.Trim(), caller.Subject, StringComparison.Ordinal)
            ? caller.Subject
            : throw new HubPermissionDeniedException(ErrorReasons.RoleNotAllowed, "操作人 operator_id 与登录身份不一致");
    }
}
