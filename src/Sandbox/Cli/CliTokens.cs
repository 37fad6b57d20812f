using System.Net.Http.Json;
using Grpc.Core;
using Grpc.Net.Client;

namespace OneThing.Sandbox.Cli;

/// <summary>
/// The bearer token the CLI sends: <c>ONETHING_TOKEN</c> when set (a token of a real identity
/// platform), otherwise one the sandbox's development identity platform issues at the control API,
/// for the applicant of a filing or for an operator (reads and operator actions).
/// </summary>
internal sealed class CliTokens(Uri control, string? applicantIdNumber, string? operatorId)
{
    /// <summary>The environment variable that carries a token to use as is.</summary>
    public const string Variable = "ONETHING_TOKEN";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _token;

    /// <summary>A channel whose every call carries the token.</summary>
    public static GrpcChannel Channel(Uri hub, Uri control, string? applicantIdNumber = null, string? operatorId = null)
    {
        var tokens = new CliTokens(control, applicantIdNumber, operatorId);
        return GrpcChannel.ForAddress(hub, new GrpcChannelOptions
        {
            Credentials = ChannelCredentials.Create(
                ChannelCredentials.Insecure,
                CallCredentials.FromInterceptor(async (context, metadata) => metadata.Add("authorization", "Bearer " + await tokens.GetAsync(context.CancellationToken)))),

            // The sandbox hub listens on cleartext loopback; a deployment's hub sits behind TLS.
            UnsafeUseInsecureChannelCallCredentials = true,
        });
    }

    /// <summary>The token, fetched once.</summary>
    public async Task<string> GetAsync(CancellationToken cancellationToken)
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } given)
        {
            return given.Trim();
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            return _token ??= await IssueAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<string> IssueAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = control, Timeout = TimeSpan.FromSeconds(30) };
        object body = applicantIdNumber is { Length: > 0 }
            ? new { role = "applicant", idNumber = applicantIdNumber }
            : new { role = "operator", subject = operatorId is { Length: > 0 } o ? o : "cli-" + Environment.UserName };
        try
        {
            using var response = await http.PostAsJsonAsync("identity/tokens", body, cancellationToken);
            response.EnsureSuccessStatusCode();
            var issued = await response.Content.ReadFromJsonAsync<IssuedToken>(cancellationToken);
            return issued?.AccessToken is { Length: > 0 } token
                ? token
                : throw new CliException(ExitCodes.Refused, $"The sandbox identity platform at {control} returned no token.");
        }
        catch (HttpRequestException e)
        {
            throw new CliException(
                ExitCodes.Unreachable,
                $"Cannot get a token from the sandbox identity platform at {control} ({e.Message}). Is the sandbox running (dotnet run --project src/Sandbox)? Against another hub, set {Variable} to a bearer token.");
        }
    }

    private sealed record IssuedToken(string AccessToken, string TokenType);
}
