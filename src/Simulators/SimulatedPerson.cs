namespace OneThing.Simulators;

/// <summary>
/// A synthetic resident known to the simulated departments: identity, contact, the business they run
/// (if registered), their subsidy categories, social security card, photo receipt, insurance, bank
/// account, and what the HR and social insurance records say about them.
/// </summary>
/// <param name="Name">The name in Chinese.</param>
/// <param name="IdNumber">The resident ID number (GB 11643).</param>
/// <param name="Sex">"1" male or "2" female, consistent with <paramref name="IdNumber"/>.</param>
/// <param name="Ethnicity">The ethnicity in Chinese, e.g. "汉族".</param>
/// <param name="BirthDate">The birth date, consistent with <paramref name="IdNumber"/>.</param>
/// <param name="Mobile">An 11-digit mobile number.</param>
/// <param name="ResidenceDivisionCode">The real 9-digit street-level division code (街道) of the residence,
/// one of <see cref="StreetDivisions"/>; its first 6 digits start <paramref name="IdNumber"/>.</param>
/// <param name="ResidenceAddress">The residence address from the province down to the room, naming the
/// district and street of <paramref name="ResidenceDivisionCode"/>.</param>
/// <param name="LicenceUscc">The USCC of the person's business licence (valid; registered unless <paramref name="Licence"/>
/// is null, which is also the case for a person who runs no business).</param>
/// <param name="LicenceName">The name on the person's business licence.</param>
/// <param name="Licence">The registered licence, or null when the market regulation registry has none.</param>
/// <param name="SubsidyCategory">recent-graduate, employment-difficulty, returning-migrant-worker or veteran; null if none.</param>
/// <param name="HasCard">Whether the person already holds a valid social security card (of any province).</param>
/// <param name="CardNumber">The card number when <paramref name="HasCard"/>.</param>
/// <param name="PhotoReceiptNo">The photo receipt number (相片回执号) registered for the person.</param>
/// <param name="InsuredByEmployer">Whether the person is already insured through an employer.</param>
/// <param name="BankName">The bank of the person's account.</param>
/// <param name="AccountNumber">The 19-digit account number (Luhn-valid).</param>
/// <param name="UnitType">The type of the person's business as HR records it, e.g. "个体工商户" or
/// "个体工商户(有雇工的)"; equals the licence's entity type when registered; empty when the person runs no business.</param>
/// <param name="HasEmploymentCertificate">Whether the person already holds a 就业创业证 issued before the simulation.</param>
/// <param name="StartupCategoryBaotou">The category of Baotou's one-time startup subsidy the person belongs to:
/// employment-difficulty, poverty-alleviated, graduate-within-2-years or graduate-within-5-years; null if none.</param>
/// <param name="DifficultyCategory">The employment difficulty category (就业困难人员类别) HR would recognise, in
/// Chinese, e.g. "低保家庭"; null if none.</param>
/// <param name="UnemploymentInsuranceMonths">How many months of unemployment insurance contributions the person has.</param>
/// <param name="StudentCategory">The category of Jiangsu's job-seeking subsidy a graduating student belongs to,
/// e.g. "dibao-family" (低保家庭); null if none.</param>
/// <param name="HasJiangsuCard">Whether the person holds a social security card issued in Jiangsu.</param>
/// <param name="CardAccount">The financial account of the held social security card when <paramref name="HasCard"/>; null otherwise.</param>
public sealed record SimulatedPerson(
    string Name,
    string IdNumber,
    string Sex,
    string Ethnicity,
    DateOnly BirthDate,
    string Mobile,
    string ResidenceDivisionCode,
    string ResidenceAddress,
    string LicenceUscc,
    string LicenceName,
    SimulatedLicence? Licence,
    string? SubsidyCategory,
    bool HasCard,
    string? CardNumber,
    string PhotoReceiptNo,
    bool InsuredByEmployer,
    string BankName,
    string AccountNumber,
    string UnitType,
    bool HasEmploymentCertificate,
    string? StartupCategoryBaotou,
    string? DifficultyCategory,
    int UnemploymentInsuranceMonths,
    string? StudentCategory,
    bool HasJiangsuCard,
    string? CardAccount);

/// <summary>A business licence registered with the simulated market regulation registry.</summary>
/// <param name="Uscc">The unified social credit code (GB 32100).</param>
/// <param name="EntityName">The registered name (营业执照名称).</param>
/// <param name="EntityType">The entity type, e.g. "个体工商户" or "个体工商户(无雇工)"; in Shaoguan "个体工商户(有雇工的)"
/// or "个体工商户(无雇工的)".</param>
/// <param name="OperatorName">The operator (经营者).</param>
/// <param name="OperatorIdNumber">The operator's resident ID number.</param>
/// <param name="RegistrationDate">The registration date.</param>
/// <param name="Address">The business address.</param>
/// <param name="Status">存续 (in operation), 注销 (deregistered) or 吊销 (revoked).</param>
public sealed record SimulatedLicence(
    string Uscc,
    string EntityName,
    string EntityType,
    string OperatorName,
    string OperatorIdNumber,
    DateOnly RegistrationDate,
    string Address,
    string Status);

/// <summary>
/// The people that drive each named scenario. None of them is in <see cref="SyntheticPopulation.People"/>.
/// The first six live in Luoyang and, apart from the property their scenario names, each is as eligible
/// as a bulk person; the others live in the region their name says, with the properties described.
/// </summary>
/// <param name="Ready">Eligible for everything.</param>
/// <param name="NoLicence">Holds a valid USCC that no registry knows (<see cref="SimulatedPerson.Licence"/> is null).</param>
/// <param name="RecentLicence">Licence registered 60 days before today: the startup subsidy is not yet due.</param>
/// <param name="NoEmployeeUnit">Runs a 个体工商户(无雇工).</param>
/// <param name="ExistingCard">Already holds a social security card.</param>
/// <param name="InsuredByEmployer">Already insured through an employer.</param>
/// <param name="ShaoguanReady">Shaoguan (武江区 or 浈江区); a 个体工商户(有雇工的) registered 1–2 years ago; holds a
/// social security card whose financial account is <see cref="SimulatedPerson.AccountNumber"/>.</param>
/// <param name="ShaoguanNoEmployeeUnit">Shaoguan; runs a 个体工商户(无雇工的), which has no startup grant or rent subsidy.</param>
/// <param name="ShaoguanNoCard">Shaoguan; like <paramref name="ShaoguanReady"/> but holds no card, so any account of theirs receives payments.</param>
/// <param name="BaotouReady">Baotou; holds a 就业创业证; startup subsidy category employment-difficulty.</param>
/// <param name="BaotouNoCertificate">Baotou; holds no 就业创业证; startup subsidy category graduate-within-2-years.</param>
/// <param name="BaotouOverAge">Baotou; 62 years old, outside the labour age of 16–60; otherwise like <paramref name="BaotouReady"/>.</param>
/// <param name="JieyangUnemployed">Jieyang (榕城区); runs no business, not insured by an employer, 24 months of
/// unemployment insurance, employment difficulty category 低保家庭.</param>
/// <param name="JieyangEmployed">Jieyang; still insured by an employer (36 months of unemployment insurance).</param>
/// <param name="JieyangShortContribution">Jieyang; unemployed with only 6 months of unemployment insurance; no difficulty category.</param>
/// <param name="JiangsuStudent">Nanjing; a graduating student (student category dibao-family) who holds a Jiangsu
/// social security card whose financial account is <see cref="SimulatedPerson.AccountNumber"/>.</param>
/// <param name="JiangsuStudentNoCard">Nanjing; a graduating student (dibao-family) without a Jiangsu card.</param>
public sealed record ScenarioPeople(
    SimulatedPerson Ready,
    SimulatedPerson NoLicence,
    SimulatedPerson RecentLicence,
    SimulatedPerson NoEmployeeUnit,
    SimulatedPerson ExistingCard,
    SimulatedPerson InsuredByEmployer,
    SimulatedPerson ShaoguanReady,
    SimulatedPerson ShaoguanNoEmployeeUnit,
    SimulatedPerson ShaoguanNoCard,
    SimulatedPerson BaotouReady,
    SimulatedPerson BaotouNoCertificate,
    SimulatedPerson BaotouOverAge,
    SimulatedPerson JieyangUnemployed,
    SimulatedPerson JieyangEmployed,
    SimulatedPerson JieyangShortContribution,
    SimulatedPerson JiangsuStudent,
    SimulatedPerson JiangsuStudentNoCard)
{
    /// <summary>Every scenario person, in the order above.</summary>
    public IReadOnlyList<SimulatedPerson> All() =>
    [
        Ready, NoLicence, RecentLicence, NoEmployeeUnit, ExistingCard, InsuredByEmployer,
        ShaoguanReady, ShaoguanNoEmployeeUnit, ShaoguanNoCard,
        BaotouReady, BaotouNoCertificate, BaotouOverAge,
        JieyangUnemployed, JieyangEmployed, JieyangShortContribution,
        JiangsuStudent, JiangsuStudentNoCard,
    ];
}
