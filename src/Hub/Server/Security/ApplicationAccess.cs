using Grpc.Core;
using OneThing.Hub.Applications;
using OneThing.Hub.Domain.Applications;

namespace OneThing.Hub.Security;

/// <summary>
/// Who may see and act on which application: an applicant their own (the form's ID number is the
/// token's), an operator any (every read is audited), a clerk those filed at their service centre.
/// Refusals never tell whether the application exists.
/// </summary>
public sealed class ApplicationAccess(ApplicationUseCases useCases, PersonalDataProtector protector)
{
    /// <summary>Loads an application the caller may see, or refuses as if it did not exist.</summary>
    public async Task<JointApplication> GuardAsync(string applicationId, ServerCallContext context)
    {
        var caller = Caller.Of(context);
        JointApplication application;
        try
        {
            application = await useCases.GetAsync(applicationId, context.CancellationToken);
        }
        catch (HubNotFoundException) when (!caller.Is(HubRoles.Operator))
        {
            throw NotAccessible();
        }

        return MaySee(caller, application) ? application : throw NotAccessible();
    }

    /// <summary>Refuses a result the caller may not see (e.g. an idempotent replay of someone else's request id).</summary>
    public static JointApplication Visible(Caller caller, JointApplication application) =>
        MaySee(caller, application) ? application : throw NotAccessible();

    /// <summary>Whether <paramref name="caller"/> may see <paramref name="application"/>.</summary>
    public static bool MaySee(Caller caller, JointApplication application) =>
        caller.Is(HubRoles.Operator)
        || (caller.Is(HubRoles.Applicant) && caller.IdNumber is { Length: > 0 } own && SameIdNumber(own, application.Content.Applicant.IdNumber))
        || (caller.Is(HubRoles.Clerk) && caller.ServiceCentre is { Length: > 0 } centre
            && string.Equals(application.Content.Filing?.ServiceCentre, centre, StringComparison.Ordinal));

    /// <summary>
    /// Refuses an applicant filing for someone else. An ID number that is empty or not yet valid is
    /// left to validation, which lists it with every other field problem.
    /// </summary>
    public static void EnsureMayFile(Caller caller, ApplicantInfo applicant)
    {
        if (caller.Is(HubRoles.Applicant) && applicant.IdNumber.Trim().ToUpperInvariant() is { Length: 18 } filed && HasValidCheckCharacter(filed)
            && (caller.IdNumber is not { Length: > 0 } own || !SameIdNumber(own, filed)))
        {
            throw new HubPermissionDeniedException(ErrorReasons.ApplicantMismatch, "只能为本人申请：申请人证件号码与登录身份不一致");
        }

        if (!caller.Is(HubRoles.Applicant))
        {
            throw new HubPermissionDeniedException(ErrorReasons.RoleNotAllowed, "只有申请人本人可以提交申请");
        }
    }

    /// <summary>The blind index of the caller's own applications when they are an applicant; null for operators (all).</summary>
    public string? ListScope(Caller caller) =>
        caller.Is(HubRoles.Operator) ? null
        : caller.Is(HubRoles.Applicant) && caller.IdNumber is { Length: > 0 } own ? protector.ApplicantIndex(own)
        : caller.Is(HubRoles.Clerk) ? throw new HubPermissionDeniedException(ErrorReasons.RoleNotAllowed, "窗口人员请按申请编号查询所代办的申请")
        : throw new HubPermissionDeniedException(ErrorReasons.CallerUnknown, "身份令牌缺少证件信息，无法列出本人的申请");

    /// <summary>The one answer for "not yours" and "not there".</summary>
    public static HubPermissionDeniedException NotAccessible() =>
        new(ErrorReasons.ApplicationNotAccessible, "无权查看或办理该申请（或该申请不存在）");

    // A number that fails its check character is a typing mistake validation reports, not someone else's number.
    private static bool HasValidCheckCharacter(string idNumber) =>
        idNumber[..17].All(char.IsAsciiDigit) && OneThing.Hub.Domain.Validation.ResidentIdNumber.CheckCharacter(idNumber.AsSpan(0, 17)) == idNumber[17];

    private static bool SameIdNumber(string a, string b) =>
        string.Equals(a.Trim(), b.Trim(), StringComparison.OrdinalIgnoreCase);
}
