namespace OneThing.Hub.Domain.Validation;

/// <summary>One problem with one field of an application.</summary>
/// <param name="Field">The field's path, e.g. <c>applicant.id_document.number</c> or <c>fields[licence.uscc]</c>.</param>
/// <param name="Reason">A stable machine-readable reason, e.g. <c>INVALID_RESIDENT_ID</c>.</param>
/// <param name="Description">What a citizen or clerk reads, in Chinese.</param>
public sealed record FieldViolation(string Field, string Reason, string Description);

/// <summary>The stable reason codes of field violations.</summary>
public static class ViolationReasons
{
    /// <summary>A required value is missing.</summary>
    public const string Required = "REQUIRED";

    /// <summary>A correction of a returned item tried to change what the item does not own.</summary>
    public const string NotCorrectable = "FIELD_NOT_CORRECTABLE";

    /// <summary>A value is longer than allowed.</summary>
    public const string TooLong = "TOO_LONG";

    /// <summary>A list or map holds more entries than allowed.</summary>
    public const string TooMany = "TOO_MANY";

    /// <summary>The theme does not exist.</summary>
    public const string UnknownTheme = "UNKNOWN_THEME";

    /// <summary>An item code the theme does not have.</summary>
    public const string UnknownItem = "UNKNOWN_ITEM";

    /// <summary>An item chosen twice.</summary>
    public const string DuplicateItem = "DUPLICATE_ITEM";

    /// <summary>An item chosen without an item it depends on.</summary>
    public const string PrerequisiteNotSelected = "PREREQUISITE_NOT_SELECTED";

    /// <summary>A field key the theme does not define.</summary>
    public const string UnknownField = "UNKNOWN_FIELD";

    /// <summary>A resident ID number that is malformed or has a wrong check character.</summary>
    public const string InvalidResidentId = "INVALID_RESIDENT_ID";

    /// <summary>The sex does not match the resident ID number.</summary>
    public const string SexMismatch = "SEX_MISMATCH";

    /// <summary>An identity document number that is malformed.</summary>
    public const string InvalidIdNumber = "INVALID_ID_NUMBER";

    /// <summary>A unified social credit code that is malformed or has a wrong check character.</summary>
    public const string InvalidUscc = "INVALID_USCC";

    /// <summary>A mobile number that is malformed.</summary>
    public const string InvalidMobile = "INVALID_MOBILE";

    /// <summary>A bank account number that is malformed.</summary>
    public const string InvalidBankAccount = "INVALID_BANK_ACCOUNT";

    /// <summary>An amount that is not money.</summary>
    public const string InvalidMoney = "INVALID_MONEY";

    /// <summary>An amount outside its allowed range.</summary>
    public const string AmountOutOfRange = "AMOUNT_OUT_OF_RANGE";

    /// <summary>A date that is malformed.</summary>
    public const string InvalidDate = "INVALID_DATE";

    /// <summary>A value that is not one of the field's options.</summary>
    public const string InvalidChoice = "INVALID_CHOICE";

    /// <summary>A division code that is malformed.</summary>
    public const string InvalidDivisionCode = "INVALID_DIVISION_CODE";

    /// <summary>The pledge was not accepted.</summary>
    public const string PledgeNotAccepted = "PLEDGE_NOT_ACCEPTED";
}
