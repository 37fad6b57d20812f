namespace OneThing.WebConsole;

/// <summary>Where the hub is and how long the console waits for it.</summary>
public sealed class HubOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Hub";

    /// <summary>The hub's gRPC address.</summary>
    public string Address { get; set; } = "http://127.0.0.1:5100";

    /// <summary>The console's own bearer token (an operator's), when no other token source is registered.</summary>
    public string? Token { get; set; }

    /// <summary>The deadline of one call to the hub.</summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(15);
}
