using OneThing.Hub.CallbackSigning;
using OneThing.Simulators;

namespace OneThing.Sandbox;

/// <summary>
/// Gives the hub the keys the simulated departments sign their callbacks with (made at random for each
/// run of the simulators, see <see cref="SimulatorCluster.CallbackKeys"/>): development keys only,
/// production keys come from the deployment's secret store.
/// </summary>
public static class SandboxCallbackKeys
{
    /// <summary>Adds <c>Security:Callbacks:*</c> for every simulated department to <paramref name="settings"/> and returns them.</summary>
    public static Dictionary<string, string?> Merge(SimulatorCluster simulators, Dictionary<string, string?> settings)
    {
        ArgumentNullException.ThrowIfNull(simulators);
        ArgumentNullException.ThrowIfNull(settings);
        foreach (var (key, value) in CallbackKeySettings.For(simulators.CallbackKeys))
        {
            settings[key] = value;
        }

        return settings;
    }
}
