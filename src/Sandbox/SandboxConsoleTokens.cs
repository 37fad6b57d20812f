using OneThing.Simulators;
using OneThing.WebConsole;

namespace OneThing.Sandbox;

/// <summary>The web console's tokens in the sandbox: signed by the simulated identity platform.</summary>
public sealed class SandboxConsoleTokens(IdentityPlatformSimulator identity) : IHubTokenSource
{
    private readonly string _operator = identity.Operator("console-operator");

    /// <inheritdoc />
    public ValueTask<string?> TokenAsync(string? applicantIdNumber, string? operatorId, CancellationToken cancellationToken) =>
        ValueTask.FromResult<string?>(
            applicantIdNumber is { Length: > 0 } id ? identity.Applicant(id)
            : operatorId is { Length: > 0 } op ? identity.Operator(op)
            : _operator);
}
