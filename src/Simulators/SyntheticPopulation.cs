using OneThing.Simulators.Internal;

namespace OneThing.Simulators;

/// <summary>
/// The residents and businesses the simulated departments know: a bulk population of eligible Luoyang
/// people and one person per named scenario (Luoyang, Shaoguan, Baotou, Jieyang, Jiangsu), all derived
/// deterministically from (size, seed, today).
/// </summary>
public sealed class SyntheticPopulation
{
    private readonly Dictionary<string, SimulatedPerson> peopleByIdNumber;
    private readonly Dictionary<string, SimulatedLicence> licencesByUscc;

    private SyntheticPopulation(IReadOnlyList<SimulatedPerson> people, ScenarioPeople scenarios, DateOnly today)
    {
        People = people;
        Scenarios = scenarios;
        Today = today;
        peopleByIdNumber = new Dictionary<string, SimulatedPerson>(StringComparer.Ordinal);
        licencesByUscc = new Dictionary<string, SimulatedLicence>(StringComparer.Ordinal);
        foreach (var person in people.Concat(scenarios.All()))
        {
            peopleByIdNumber.Add(person.IdNumber, person);
            if (person.Licence is { } licence)
            {
                licencesByUscc.Add(licence.Uscc, licence);
            }
        }
    }

    /// <summary>The bulk population, index 0..size-1: Luoyang people eligible for every Luoyang item.</summary>
    public IReadOnlyList<SimulatedPerson> People { get; }

    /// <summary>One person per named scenario; none of them is in <see cref="People"/>.</summary>
    public ScenarioPeople Scenarios { get; }

    /// <summary>The date ("today" in China) the population was built for; ages and licence dates count from it.</summary>
    public DateOnly Today { get; }

    /// <summary>Builds the population; the same arguments always give the same people.</summary>
    /// <param name="size">How many bulk people to create (0 or more).</param>
    /// <param name="seed">The seed of the pseudo-random choices.</param>
    /// <param name="today">The date ages (22..50) and licence registration dates count from.</param>
    public static SyntheticPopulation Create(int size, int seed, DateOnly today)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        var generator = new PopulationGenerator(seed, today);
        var scenarios = generator.CreateScenarioPeople();
        var people = generator.CreateBulkPeople(size);
        return new SyntheticPopulation(people, scenarios, today);
    }

    /// <summary>Finds a bulk or scenario person by resident ID number; null if unknown.</summary>
    public SimulatedPerson? FindByIdNumber(string idNumber)
    {
        ArgumentNullException.ThrowIfNull(idNumber);
        return peopleByIdNumber.GetValueOrDefault(idNumber.Trim().ToUpperInvariant());
    }

    /// <summary>Finds a registered licence by USCC; null if the registry has none.</summary>
    public SimulatedLicence? FindLicence(string uscc)
    {
        ArgumentNullException.ThrowIfNull(uscc);
        return licencesByUscc.GetValueOrDefault(uscc.Trim().ToUpperInvariant());
    }

    /// <summary>The registered licences a person operates (by resident ID number), oldest first.</summary>
    public IReadOnlyList<SimulatedLicence> FindLicencesByHolder(string idNumber)
    {
        ArgumentNullException.ThrowIfNull(idNumber);
        var normalised = idNumber.Trim().ToUpperInvariant();
        return licencesByUscc.Values.Where(l => l.OperatorIdNumber == normalised).OrderBy(l => l.RegistrationDate).ToList();
    }

    /// <summary>The bulk people, then the scenario people.</summary>
    internal IEnumerable<SimulatedPerson> Everyone => People.Concat(Scenarios.All());
}
