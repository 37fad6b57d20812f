namespace OneThing.Sandbox.Cli;

/// <summary>A problem the CLI reports in one sentence and ends with <see cref="ExitCode"/>.</summary>
internal sealed class CliException(int exitCode, string message) : Exception(message)
{
    /// <summary>The exit code to end with.</summary>
    public int ExitCode { get; } = exitCode;
}

/// <summary>The simulators' control API answered with an error.</summary>
internal sealed class ControlApiException(int statusCode, string error, string message)
    : Exception($"{error}: {message}")
{
    /// <summary>The HTTP status code.</summary>
    public int StatusCode { get; } = statusCode;

    /// <summary>The control API's stable error code, e.g. unknown_department.</summary>
    public string Error { get; } = error;

    /// <summary>The control API's message.</summary>
    public string Detail { get; } = message;
}
