namespace OneThing.Hub.Domain.Applications;

/// <summary>What the applicant filled in: the one form (一表申请) of a joint application.</summary>
/// <param name="Applicant">The person applying.</param>
/// <param name="SelectedItems">The chosen item codes.</param>
/// <param name="Fields">Theme-specific values keyed by the catalog's field keys.</param>
/// <param name="Payment">The account that receives payments, if given.</param>
/// <param name="Delivery">How paper results are delivered, if given.</param>
/// <param name="Pledge">The signed pledge, if given.</param>
/// <param name="GuideAnswers">Answers to the theme's guided questions.</param>
/// <param name="Materials">The uploaded materials attached by code (一套材料), if any.</param>
public sealed record ApplicationContent(
    ApplicantInfo Applicant,
    IReadOnlyList<string> SelectedItems,
    IReadOnlyDictionary<string, string> Fields,
    PaymentAccountInfo? Payment,
    DeliveryInfo? Delivery,
    PledgeInfo? Pledge,
    IReadOnlyDictionary<string, string>? GuideAnswers = null,
    IReadOnlyList<Validation.AttachedMaterial>? Materials = null,
    ClerkFiling? Filing = null)
{
    /// <summary>The guided-question answers (never null).</summary>
    public IReadOnlyDictionary<string, string> Answers => GuideAnswers ?? new Dictionary<string, string>();
}

/// <summary>The applicant.</summary>
public sealed record ApplicantInfo(
    string Name,
    Sex Sex,
    string Ethnicity,
    IdDocumentKind IdType,
    string IdNumber,
    string Mobile,
    AddressInfo? Residence);

/// <summary>An address: a division code and the rest in words.</summary>
public sealed record AddressInfo(string DivisionCode, string Detail);

/// <summary>A payment account.</summary>
public sealed record PaymentAccountInfo(string BankName, string AccountNumber);

/// <summary>The delivery choice.</summary>
public sealed record DeliveryInfo(DeliveryKind Method, AddressInfo? Address, string Recipient, string RecipientMobile, string PickupSite);

/// <summary>How the applicant authorised a window clerk to file for them (窗口代办).</summary>
public enum FilingAuthorization
{
    /// <summary>Not given.</summary>
    Unspecified = 0,

    /// <summary>The applicant came in person and showed their identity document.</summary>
    InPerson = 1,

    /// <summary>An agent came with the applicant's written authorisation (授权委托书).</summary>
    Written = 2,
}

/// <summary>A filing by a window clerk for the applicant, with the authorisation recorded.</summary>
/// <param name="Clerk">The clerk (their token's subject).</param>
/// <param name="ServiceCentre">The clerk's service centre.</param>
/// <param name="Authorization">How the applicant authorised the filing.</param>
/// <param name="Reference">The written authorisation's or identity check's number.</param>
/// <param name="AgentName">For a written authorisation: the agent's name.</param>
public sealed record ClerkFiling(string Clerk, string ServiceCentre, FilingAuthorization Authorization, string Reference, string AgentName);

/// <summary>The signed pledge.</summary>
/// <param name="Accepted">The theme's single pledge was accepted.</param>
/// <param name="SignedDate">yyyy-MM-dd.</param>
/// <param name="AcceptedPledges">The codes of the pledges accepted, for a theme with several.</param>
public sealed record PledgeInfo(bool Accepted, string SignedDate, IReadOnlyList<string>? AcceptedPledges = null);

/// <summary>Sex (GB/T 2261.1).</summary>
public enum Sex
{
    /// <summary>Not given.</summary>
    Unspecified = 0,

    /// <summary>Male.</summary>
    Male = 1,

    /// <summary>Female.</summary>
    Female = 2,
}

/// <summary>The accepted identity documents.</summary>
public enum IdDocumentKind
{
    /// <summary>Not given.</summary>
    Unspecified = 0,

    /// <summary>居民身份证.</summary>
    ResidentId = 1,

    /// <summary>户口簿.</summary>
    HouseholdRegister = 2,

    /// <summary>港澳居民来往内地通行证.</summary>
    HongKongMacaoPermit = 3,

    /// <summary>台湾居民来往大陆通行证.</summary>
    TaiwanPermit = 4,

    /// <summary>港澳台居民居住证.</summary>
    HmtResidencePermit = 5,

    /// <summary>香港/澳门特区护照.</summary>
    HongKongMacaoPassport = 6,

    /// <summary>社会保障卡.</summary>
    SocialSecurityCard = 7,
}

/// <summary>How paper results are delivered.</summary>
public enum DeliveryKind
{
    /// <summary>Not given.</summary>
    Unspecified = 0,

    /// <summary>By post.</summary>
    Mail = 1,

    /// <summary>Pick-up at a window.</summary>
    Pickup = 2,
}
