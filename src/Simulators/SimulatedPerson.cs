namespace OneThing.Simulators;

/// <summary>
/// A synthetic resident known to the simulated departments: identity, contact, the business they run
/// (if registered), their subsidy category, social security card, photo receipt, insurance and bank account.
/// </summary>
/// <param name="Name">The name in Chinese.</param>
/// <param name="IdNumber">The resident ID number (GB 11643).</param>
/// <param name="Sex">"1" male or "2" female, consistent with <paramref name="IdNumber"/>.</param>
/// <param name="Ethnicity">The ethnicity in Chinese, e.g. "汉族".</param>
/// <param name="BirthDate">The birth date, consistent with <paramref name="IdNumber"/>.</param>
/// <param name="Mobile">An 11-digit mobile number.</param>
/// <param name="ResidenceDivisionCode">The 6-digit division code of the residence (a Luoyang district).</param>
/// <param name="ResidenceAddress">The residence address down to the house number.</param>
/// <param name="LicenceUscc">The USCC of the person's business licence (valid; registered unless <paramref name="Licence"/> is null).</param>
/// <param name="LicenceName">The name on the person's business licence.</param>
/// <param name="Licence">The registered licence, or null when the market regulation registry has none.</param>
/// <param name="SubsidyCategory">recent-graduate, employment-difficulty, returning-migrant-worker or veteran; null if none.</param>
/// <param name="HasCard">Whether the person already holds a valid social security card.</param>
/// <param name="CardNumber">The card number when <paramref name="HasCard"/>.</param>
/// <param name="PhotoReceiptNo">The photo receipt number (相片回执号) registered for the person.</param>
/// <param name="InsuredByEmployer">Whether the person is already insured through an employer.</param>
/// <param name="BankName">The bank of the person's account.</param>
/// <param name="AccountNumber">The 19-digit account number (Luhn-valid).</param>
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
    string AccountNumber);

/// <summary>A business licence registered with the simulated market regulation registry.</summary>
/// <param name="Uscc">The unified social credit code (GB 32100).</param>
/// <param name="EntityName">The registered name (营业执照名称).</param>
/// <param name="EntityType">The entity type, e.g. "个体工商户" or "个体工商户(无雇工)".</param>
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
/// The people that drive each named scenario. None of them is in <see cref="SyntheticPopulation.People"/>;
/// apart from the property their scenario names, each is as eligible as a bulk person.
/// </summary>
/// <param name="Ready">Eligible for everything.</param>
/// <param name="NoLicence">Holds a valid USCC that no registry knows (<see cref="SimulatedPerson.Licence"/> is null).</param>
/// <param name="RecentLicence">Licence registered 60 days before today: the startup subsidy is not yet due.</param>
/// <param name="NoEmployeeUnit">Runs a 个体工商户(无雇工).</param>
/// <param name="ExistingCard">Already holds a social security card.</param>
/// <param name="InsuredByEmployer">Already insured through an employer.</param>
public sealed record ScenarioPeople(
    SimulatedPerson Ready,
    SimulatedPerson NoLicence,
    SimulatedPerson RecentLicence,
    SimulatedPerson NoEmployeeUnit,
    SimulatedPerson ExistingCard,
    SimulatedPerson InsuredByEmployer);
