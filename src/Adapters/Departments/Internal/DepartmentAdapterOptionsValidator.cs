using Microsoft.Extensions.Options;

namespace OneThing.Adapters.Internal;

/// <summary>
/// Checks each department's options at start, so a bad setting stops the host with a message that
/// names the setting instead of failing on the first item hours later.
/// </summary>
internal sealed class DepartmentAdapterOptionsValidator : IValidateOptions<DepartmentAdapterOptions>
{
    // Polly's own lower bounds; checked here so the message names our setting, not Polly's option.
    private static readonly TimeSpan MinimumTimeout = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan MinimumBreakerWindow = TimeSpan.FromMilliseconds(500);

    public ValidateOptionsResult Validate(string? name, DepartmentAdapterOptions options)
    {
        if (name is null || !DepartmentNames.TryParse(name, out _))
        {
            // Options of this type registered by someone else under another name are not ours to judge.
            return ValidateOptionsResult.Skip;
        }

        var section = $"Departments:{name}";
        var failures = new List<string>();

        if (options.Endpoint is null)
        {
            failures.Add($"{section}:Endpoint is required: the base address of the {name} department system or its gateway, e.g. http://127.0.0.1:5101.");
        }
        else if (!options.Endpoint.IsAbsoluteUri || (options.Endpoint.Scheme != Uri.UriSchemeHttp && options.Endpoint.Scheme != Uri.UriSchemeHttps))
        {
            failures.Add($"{section}:Endpoint must be an absolute http:// or https:// address; '{options.Endpoint}' is not.");
        }

        if (!string.Equals(options.Transport, DepartmentAdapterOptions.NativeTransport, StringComparison.OrdinalIgnoreCase)
            && !string.Equals(options.Transport, DepartmentAdapterOptions.GatewayTransport, StringComparison.OrdinalIgnoreCase))
        {
            failures.Add($"{section}:Transport must be '{DepartmentAdapterOptions.NativeTransport}' or '{DepartmentAdapterOptions.GatewayTransport}'; '{options.Transport}' is neither.");
        }

        if (options.AttemptTimeout < MinimumTimeout)
        {
            failures.Add($"{section}:AttemptTimeout must be at least {MinimumTimeout.TotalMilliseconds} ms; it is {options.AttemptTimeout}.");
        }

        if (options.TotalTimeout < MinimumTimeout)
        {
            failures.Add($"{section}:TotalTimeout must be at least {MinimumTimeout.TotalMilliseconds} ms; it is {options.TotalTimeout}.");
        }

        if (options.AttemptTimeout > options.TotalTimeout)
        {
            failures.Add($"{section}:AttemptTimeout ({options.AttemptTimeout}) must not exceed TotalTimeout ({options.TotalTimeout}).");
        }

        if (options.MaxRetryAttempts < 0)
        {
            failures.Add($"{section}:MaxRetryAttempts must be 0 or more; it is {options.MaxRetryAttempts}.");
        }

        if (options.RetryBaseDelay < TimeSpan.Zero)
        {
            failures.Add($"{section}:RetryBaseDelay must not be negative; it is {options.RetryBaseDelay}.");
        }

        if (!(options.BreakerFailureRatio > 0 && options.BreakerFailureRatio <= 1))
        {
            failures.Add($"{section}:BreakerFailureRatio must lie in (0, 1]; it is {options.BreakerFailureRatio}.");
        }

        if (options.BreakerMinimumThroughput < 2)
        {
            failures.Add($"{section}:BreakerMinimumThroughput must be at least 2; it is {options.BreakerMinimumThroughput}.");
        }

        if (options.BreakerSamplingDuration < MinimumBreakerWindow)
        {
            failures.Add($"{section}:BreakerSamplingDuration must be at least 0.5 s; it is {options.BreakerSamplingDuration}.");
        }

        if (options.BreakDuration < MinimumBreakerWindow)
        {
            failures.Add($"{section}:BreakDuration must be at least 0.5 s; it is {options.BreakDuration}.");
        }

        if (options.MaxConcurrency < 1)
        {
            failures.Add($"{section}:MaxConcurrency must be at least 1; it is {options.MaxConcurrency}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
