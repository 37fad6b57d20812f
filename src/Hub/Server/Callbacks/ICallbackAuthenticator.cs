using Grpc.Core;
using OneThing.Adapters;
using OneThing.Hub.Applications;

namespace OneThing.Hub.Callbacks;

/// <summary>
/// Establishes which department sent a callback. The seam for per-department signatures: an
/// implementation that checks a client certificate or a signed token returns the department the
/// credential proves, whatever the request claims.
/// </summary>
public interface ICallbackAuthenticator
{
    /// <summary>Returns the stable name of the department that sent the call.</summary>
    /// <exception cref="HubPermissionDeniedException">The caller is not a department the hub accepts callbacks from.</exception>
    ValueTask<string> AuthenticateAsync(string claimedDepartment, ServerCallContext context);
}

/// <summary>
/// Accepts the department the request names, if the hub knows a department of that name. It proves
/// nothing about the caller: signatures per department (mutual TLS or signed tokens) replace it when
/// the hub's security lands, and the deployment keeps the callback endpoint on the government network
/// until then.
/// </summary>
internal sealed class NamedDepartmentAuthenticator : ICallbackAuthenticator
{
    public ValueTask<string> AuthenticateAsync(string claimedDepartment, ServerCallContext context) =>
        DepartmentNames.TryParse(claimedDepartment, out var department)
            ? ValueTask.FromResult(department.ToName())
            : throw new HubPermissionDeniedException(ErrorReasons.UnknownDepartment, $"平台未登记部门“{claimedDepartment}”，不能接收其回调");
}
