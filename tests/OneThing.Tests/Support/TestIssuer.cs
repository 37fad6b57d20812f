using OneThing.Simulators;

namespace OneThing.Tests.Support;

/// <summary>An identity platform for tests that build a hub without the sandbox: the hub refuses to start without a trusted issuer.</summary>
public static class TestIssuer
{
    /// <summary>The issuer (one per test run).</summary>
    public static IdentityPlatformSimulator Identity { get; } = new(TimeProvider.System);

    /// <summary>The hub settings that trust it.</summary>
    public static IEnumerable<KeyValuePair<string, string?>> Settings => Identity.HubSettings();
}
