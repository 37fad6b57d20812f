using Microsoft.Extensions.Options;

namespace OneThing.WebConsole;

/// <summary>
/// Where the console's bearer tokens come from. The console calls the hub as an operator (its
/// pages for operators) and, when a clerk files at the window, with the token of the applicant who
/// identified themself there (<see cref="ActingApplicant"/>).
/// </summary>
public interface IHubTokenSource
{
    /// <summary>The token for the next call: the applicant's while one is acting, otherwise the operator's who acts (or the console's own).</summary>
    ValueTask<string?> TokenAsync(string? applicantIdNumber, string? operatorId, CancellationToken cancellationToken);
}

/// <summary>The applicant a clerk is filing for on this request (flows with the async call).</summary>
public static class ActingApplicant
{
    private static readonly AsyncLocal<string?> Current = new();

    /// <summary>The acting applicant's ID number, if any.</summary>
    public static string? IdNumber => Current.Value;

    /// <summary>Acts for the applicant until disposed.</summary>
    public static IDisposable For(string idNumber) => Acting.Set(Current, idNumber);
}

/// <summary>The operator who acts on this request (flows with the async call).</summary>
public static class ActingOperator
{
    private static readonly AsyncLocal<string?> Current = new();

    /// <summary>The acting operator's id, if any.</summary>
    public static string? Id => Current.Value;

    /// <summary>Acts as the operator until disposed.</summary>
    public static IDisposable For(string operatorId) => Acting.Set(Current, operatorId);
}

internal static class Acting
{
    public static IDisposable Set(AsyncLocal<string?> slot, string value)
    {
        var previous = slot.Value;
        slot.Value = value;
        return new Restore(slot, previous);
    }

    private sealed class Restore(AsyncLocal<string?> slot, string? previous) : IDisposable
    {
        public void Dispose() => slot.Value = previous;
    }
}

/// <summary>
/// A deployment's tokens from configuration: <c>Hub:Token</c>, the console's own (operator) token,
/// issued by the identity platform. Filing for an applicant needs the applicant's own token, which a
/// deployment's hall terminal obtains; without one the hub refuses the filing and the clerk sees why.
/// </summary>
internal sealed class ConfiguredHubTokens(IOptions<HubOptions> options) : IHubTokenSource
{
    public ValueTask<string?> TokenAsync(string? applicantIdNumber, string? operatorId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(options.Value.Token is { Length: > 0 } token ? token : null);
}
