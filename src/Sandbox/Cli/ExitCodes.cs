namespace OneThing.Sandbox.Cli;

/// <summary>The exit codes of <c>onething</c>; scripts and CI steps rely on them, so they never change meaning.</summary>
public static class ExitCodes
{
    /// <summary>Done; for a watched application, every item succeeded.</summary>
    public const int Ok = 0;

    /// <summary>The application settled, but not every item succeeded (rejected, returned, deferred, not started, cancelled).</summary>
    public const int NotAllSucceeded = 1;

    /// <summary>The command line or a scenario file is wrong; nothing was sent.</summary>
    public const int Usage = 2;

    /// <summary>The hub or the simulators' control API refused the request (e.g. INVALID_ARGUMENT with every field violation).</summary>
    public const int Refused = 3;

    /// <summary>The hub or the control API could not be reached.</summary>
    public const int Unreachable = 4;

    /// <summary>A watched application did not settle within the watch's time limit.</summary>
    public const int TimedOut = 5;

    /// <summary><c>audit verify</c> found a broken link in the audit chain.</summary>
    public const int AuditBroken = 6;

    /// <summary>Stopped by Ctrl+C; the hub goes on with the application.</summary>
    public const int Interrupted = 130;
}
