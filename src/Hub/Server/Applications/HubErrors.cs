using OneThing.Hub.Domain.Validation;

namespace OneThing.Hub.Applications;

/// <summary>The request is invalid; every problem is listed (maps to INVALID_ARGUMENT with BadRequest).</summary>
public sealed class HubRequestInvalidException(string reason, string message, IReadOnlyList<FieldViolation> violations)
    : Exception(message)
{
    /// <summary>The stable reason code, e.g. <c>APPLICATION_INVALID</c>.</summary>
    public string Reason { get; } = reason;

    /// <summary>Every problem, one per field.</summary>
    public IReadOnlyList<FieldViolation> Violations { get; } = violations;
}

/// <summary>The resource does not exist (maps to NOT_FOUND).</summary>
public sealed class HubNotFoundException(string reason, string message) : Exception(message)
{
    /// <summary>The stable reason code, e.g. <c>APPLICATION_NOT_FOUND</c>.</summary>
    public string Reason { get; } = reason;
}

/// <summary>The resource is not in a state that allows the request (maps to FAILED_PRECONDITION).</summary>
public sealed class HubPreconditionException(string reason, string message, IReadOnlyDictionary<string, string>? metadata = null) : Exception(message)
{
    /// <summary>The stable reason code, e.g. <c>NOT_A_DRAFT</c>.</summary>
    public string Reason { get; } = reason;

    /// <summary>Extra machine-readable facts (e.g. the next window's dates).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; } = metadata ?? new Dictionary<string, string>();
}

/// <summary>A concurrent change won (maps to ABORTED); the caller reads again and retries.</summary>
public sealed class HubConflictException(string reason, string message) : Exception(message)
{
    /// <summary>The stable reason code, e.g. <c>ETAG_MISMATCH</c>.</summary>
    public string Reason { get; } = reason;
}

/// <summary>The caller may not do this (maps to PERMISSION_DENIED).</summary>
public sealed class HubPermissionDeniedException(string reason, string message) : Exception(message)
{
    /// <summary>The stable reason code, e.g. <c>DEPARTMENT_MISMATCH</c>.</summary>
    public string Reason { get; } = reason;
}

/// <summary>The stable reason codes of the hub's errors (google.rpc.ErrorInfo.reason).</summary>
public static class ErrorReasons
{
    /// <summary>The application has field problems.</summary>
    public const string ApplicationInvalid = "APPLICATION_INVALID";

    /// <summary>A request field other than the application is wrong (page token, name).</summary>
    public const string RequestInvalid = "REQUEST_INVALID";

    /// <summary>No such application.</summary>
    public const string ApplicationNotFound = "APPLICATION_NOT_FOUND";

    /// <summary>No such theme.</summary>
    public const string ThemeNotFound = "THEME_NOT_FOUND";

    /// <summary>Only a draft allows this.</summary>
    public const string NotADraft = "NOT_A_DRAFT";

    /// <summary>The draft was submitted under another request id.</summary>
    public const string AlreadySubmitted = "ALREADY_SUBMITTED";

    /// <summary>The etag is stale.</summary>
    public const string EtagMismatch = "ETAG_MISMATCH";

    /// <summary>The theme takes no applications today; the next window is in the metadata.</summary>
    public const string OutsideApplicationWindow = "OUTSIDE_APPLICATION_WINDOW";

    /// <summary>The theme's windows for the applicant have all passed.</summary>
    public const string ApplicationWindowClosed = "APPLICATION_WINDOW_CLOSED";

    /// <summary>No item has this name or idempotency key.</summary>
    public const string ItemNotFound = "ITEM_NOT_FOUND";

    /// <summary>The caller names a department the hub does not know.</summary>
    public const string UnknownDepartment = "UNKNOWN_DEPARTMENT";

    /// <summary>A department reported on an item of another department.</summary>
    public const string DepartmentMismatch = "DEPARTMENT_MISMATCH";

    /// <summary>A department reported a case number other than the one the hub recorded for the item.</summary>
    public const string CaseNumberMismatch = "CASE_NUMBER_MISMATCH";

    /// <summary>The item already has its final result.</summary>
    public const string ItemAlreadyFinal = "ITEM_ALREADY_FINAL";

    /// <summary>No dispatch task of the item waits to be retried.</summary>
    public const string NothingToRetry = "NOTHING_TO_RETRY";

    /// <summary>The item is being sent to its department right now.</summary>
    public const string ItemBusy = "ITEM_BUSY";

    /// <summary>A draft cannot be withdrawn (it is deleted instead).</summary>
    public const string NotSubmitted = "NOT_SUBMITTED";

    /// <summary>Every item was accepted by its department or is final.</summary>
    public const string NothingToWithdraw = "NOTHING_TO_WITHDRAW";

    /// <summary>The department accepted the item; it can no longer be withdrawn.</summary>
    public const string ItemAlreadyAccepted = "ITEM_ALREADY_ACCEPTED";

    /// <summary>A correction was sent for an item that is not returned.</summary>
    public const string ItemNotReturned = "ITEM_NOT_RETURNED";

    /// <summary>A working-day count needs a year the calendar does not cover.</summary>
    public const string CalendarNotCovered = "CALENDAR_NOT_COVERED";

    /// <summary>An unexpected failure inside the hub.</summary>
    public const string Internal = "INTERNAL";

    /// <summary>The call carries no token, or one the hub cannot use (UNAUTHENTICATED).</summary>
    public const string AuthenticationRequired = "AUTHENTICATION_REQUIRED";

    /// <summary>The token is not signed by a trusted issuer, is for another audience, or is malformed (UNAUTHENTICATED).</summary>
    public const string TokenInvalid = "TOKEN_INVALID";

    /// <summary>The token has expired or is not yet valid (UNAUTHENTICATED).</summary>
    public const string TokenExpired = "TOKEN_EXPIRED";

    /// <summary>The caller's role may not make this call (PERMISSION_DENIED).</summary>
    public const string RoleNotAllowed = "ROLE_NOT_ALLOWED";

    /// <summary>The verified token lacks what the call needs (PERMISSION_DENIED).</summary>
    public const string CallerUnknown = "CALLER_UNKNOWN";

    /// <summary>
    /// The application is not the caller's (or does not exist): the same answer either way, so that
    /// nobody learns which applications exist (PERMISSION_DENIED).
    /// </summary>
    public const string ApplicationNotAccessible = "APPLICATION_NOT_ACCESSIBLE";

    /// <summary>An applicant files only for themself: the form's applicant is not the token's (PERMISSION_DENIED).</summary>
    public const string ApplicantMismatch = "APPLICANT_MISMATCH";

    /// <summary>A department callback carries no signature headers (UNAUTHENTICATED).</summary>
    public const string CallbackUnsigned = "CALLBACK_UNSIGNED";

    /// <summary>A department callback is signed with a key id the hub does not know (UNAUTHENTICATED).</summary>
    public const string CallbackKeyUnknown = "CALLBACK_KEY_UNKNOWN";

    /// <summary>A department callback's signature does not match its content (UNAUTHENTICATED).</summary>
    public const string CallbackSignatureInvalid = "CALLBACK_SIGNATURE_INVALID";

    /// <summary>A department callback's timestamp is outside the allowed window (UNAUTHENTICATED).</summary>
    public const string CallbackExpired = "CALLBACK_EXPIRED";

    /// <summary>A department callback's nonce was used before: a replay (UNAUTHENTICATED).</summary>
    public const string CallbackReplayed = "CALLBACK_REPLAYED";

    /// <summary>A department signed a callback that names another department (PERMISSION_DENIED).</summary>
    public const string CallbackDepartmentMismatch = "CALLBACK_DEPARTMENT_MISMATCH";
}
