using System.Globalization;
using OneThing.Simulators;

namespace OneThing.Adapters.Conformance;

/// <summary>
/// Runs the conformance checks of one department against an adapter: how every kind of department
/// answer is mapped (done, accepted then done by status, returned, rejected, deferred), idempotency
/// under a repeated key, transient errors, an outage, and a department slower than the adapter's deadline.
/// The department side is the bundled simulator; the suite steers its faults and reads its counters.
/// </summary>
/// <remarks>
/// The suite changes the department simulator's faults while it runs and clears them at the end; it
/// never resets the simulator's counters, so other users of the same simulators keep theirs. Run one
/// suite per department at a time: the idempotency check counts the department's cases.
/// </remarks>
public static class ConformanceSuite
{
    /// <summary>Runs the checks with the default options (an adapter deadline of 20 s, the hub's default).</summary>
    public static Task<ConformanceReport> RunAsync(
        IDepartmentAdapter adapterUnderTest, Department department, SimulatorCluster simulators, CancellationToken cancellationToken = default) =>
        RunAsync(adapterUnderTest, department, simulators, new ConformanceOptions(), cancellationToken);

    /// <summary>Runs the checks of <paramref name="department"/> (<see cref="DepartmentCaseCatalog"/>) against an adapter.</summary>
    /// <param name="adapterUnderTest">Any adapter: in process, or a <see cref="GatewayAdapter"/> in front of an out-of-process gateway.</param>
    /// <param name="department">The department whose simulator answers.</param>
    /// <param name="simulators">The running simulators; the adapter must be configured to reach this department's simulator.</param>
    /// <param name="options">Deadlines and fault levels; <see cref="ConformanceOptions.AdapterDeadline"/> must be the adapter's total timeout.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    public static Task<ConformanceReport> RunAsync(
        IDepartmentAdapter adapterUnderTest,
        Department department,
        SimulatorCluster simulators,
        ConformanceOptions options,
        CancellationToken cancellationToken = default) =>
        RunAsync(adapterUnderTest, DepartmentCaseCatalog.For(department), simulators, options, adapterUnderTest?.GetType().Name ?? "adapter", cancellationToken);

    /// <summary>Runs the checks against an adapter the kit built (<see cref="AdapterUnderTest"/>), with its deadline.</summary>
    public static Task<ConformanceReport> RunAsync(AdapterUnderTest adapterUnderTest, SimulatorCluster simulators, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(adapterUnderTest);
        return RunAsync(
            adapterUnderTest.Adapter,
            DepartmentCaseCatalog.For(adapterUnderTest.Department),
            simulators,
            new ConformanceOptions { AdapterDeadline = adapterUnderTest.Deadline },
            adapterUnderTest.Description,
            cancellationToken);
    }

    /// <summary>Runs the given cases (your own, or <see cref="DepartmentCaseCatalog"/>'s) against an adapter.</summary>
    /// <param name="adapterUnderTest">The adapter.</param>
    /// <param name="cases">The department's cases.</param>
    /// <param name="simulators">The running simulators.</param>
    /// <param name="options">Deadlines and fault levels.</param>
    /// <param name="adapterName">How the report names the adapter.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    public static async Task<ConformanceReport> RunAsync(
        IDepartmentAdapter adapterUnderTest,
        DepartmentCases cases,
        SimulatorCluster simulators,
        ConformanceOptions options,
        string adapterName,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(adapterUnderTest);
        ArgumentNullException.ThrowIfNull(cases);
        ArgumentNullException.ThrowIfNull(simulators);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        var run = new SuiteRun(adapterUnderTest, cases, simulators, options);
        var started = TimeProvider.System.GetTimestamp();
        var checks = await run.RunAsync(cancellationToken).ConfigureAwait(false);
        return new ConformanceReport(cases.Department, adapterName, checks, TimeProvider.System.GetElapsedTime(started));
    }

    /// <summary>One run: the adapter, the department simulator, and the checks in order.</summary>
    private sealed class SuiteRun(IDepartmentAdapter adapter, DepartmentCases cases, SimulatorCluster simulators, ConformanceOptions options)
    {
        private readonly DepartmentSimulator department = simulators[cases.Department.ToName()];
        private readonly CaseContext context = new(simulators, options.ThemeCode);
        private readonly TimeProvider time = TimeProvider.System;

        public async Task<IReadOnlyList<ConformanceCheck>> RunAsync(CancellationToken cancellationToken)
        {
            var checks = new List<ConformanceCheck>
            {
                Check("contract.department-and-items", "the adapter names its department and carries the department's items", ContractCheck),
            };

            foreach (var outcomeCase in cases.Outcomes)
            {
                checks.Add(await CheckAsync(outcomeCase.Name, outcomeCase.Description, () => OutcomeAsync(outcomeCase, cancellationToken)).ConfigureAwait(false));
            }

            checks.Add(await CheckAsync(
                "idempotency.same-key-twice",
                "the same submission twice (same idempotency key) opens one case and gets the first answer again",
                () => IdempotencyAsync(cancellationToken)).ConfigureAwait(false));

            try
            {
                checks.Add(await CheckAsync(
                    "transient.error-rate",
                    string.Create(CultureInfo.InvariantCulture, $"with {options.TransientErrorRate * 100:0}% of department calls failing transiently, every answer is right or a DepartmentUnavailableException"),
                    () => TransientErrorsAsync(cancellationToken)).ConfigureAwait(false));
                checks.Add(await CheckAsync(
                    "transient.outage",
                    "while the department is down the adapter throws DepartmentUnavailableException; afterwards the same key gets the real answer",
                    () => OutageAsync(cancellationToken)).ConfigureAwait(false));
                checks.Add(await CheckAsync(
                    "timeout.latency-beyond-deadline",
                    "a department slower than the adapter's deadline gives DepartmentUnavailableException in time, never an outcome; afterwards the same key opens at most one case",
                    () => TimeoutAsync(cancellationToken)).ConfigureAwait(false));
            }
            finally
            {
                department.Faults.Clear();
            }

            return checks;
        }

        private Verdict ContractCheck()
        {
            var expected = $"Department {cases.Department}, ItemCodes containing the items of the cases";
            var actual = $"Department {adapter.Department}, ItemCodes [{string.Join(", ", adapter.ItemCodes.Order(StringComparer.Ordinal))}]";
            if (adapter.Department != cases.Department)
            {
                return Verdict.Fail(expected, actual, $"the adapter says it serves {adapter.Department}, not {cases.Department}", "the adapter's Department property");
            }

            var needed = CaseItemCodes().Where(code => !adapter.ItemCodes.Contains(code)).ToList();
            return needed.Count > 0
                ? Verdict.Fail(expected, actual, $"the adapter does not list item(s) {string.Join(", ", needed)} in ItemCodes", "the adapter's ItemCodes property")
                : Verdict.Pass(expected, actual, "the adapter's Department and ItemCodes properties");
        }

        private IEnumerable<string> CaseItemCodes() =>
            cases.Department switch
            {
                Department.MarketRegulation => ["market.licence-verification"],
                Department.Tax => ["tax.taxpayer-confirmation"],
                Department.HumanResources => ["hr.employment-certificate", "hr.startup-subsidy"],
                Department.SocialInsurance => ["si.flexible-pension-registration"],
                Department.SocialSecurityCard => ["sscard.card-application"],
                _ => [],
            };

        private async Task<Verdict> OutcomeAsync(OutcomeCase outcomeCase, CancellationToken cancellationToken)
        {
            var input = outcomeCase.Build(context);
            var submission = input.Submission;
            var answer = await SubmitAsync(submission, cancellationToken).ConfigureAwait(false);
            var expected = input.Expected.Describe();
            var inputText = Descriptions.Input(submission);
            if (answer.Outcome is not { } outcome)
            {
                return Verdict.Fail(expected, answer.Describe(options.CallBound), "the adapter gave no outcome for a business answer of the department", inputText);
            }

            if (FirstAnswerProblem(input.Expected, outcome) is { } problem)
            {
                return Verdict.Fail(expected, Descriptions.Outcome(outcome), problem, inputText);
            }

            if (input.Expected is not Expectation.AcceptedThenCompleted final)
            {
                return Verdict.Pass(expected, $"{Descriptions.Outcome(outcome)} in {Descriptions.Seconds(answer.Elapsed)}", inputText);
            }

            return await FollowStatusAsync(submission, outcome, final, expected, inputText, cancellationToken).ConfigureAwait(false);
        }

        private async Task<Verdict> FollowStatusAsync(
            ItemSubmission submission, ItemOutcome accepted, Expectation.AcceptedThenCompleted final, string expected, string inputText, CancellationToken cancellationToken)
        {
            var query = new ItemStatusQuery(submission.IdempotencyKey, submission.ItemCode, accepted.CaseNumber!, CaseContext.NewKey());
            var started = time.GetTimestamp();
            var reads = 0;
            while (true)
            {
                reads++;
                var status = await GetStatusAsync(query, cancellationToken).ConfigureAwait(false);
                var trail = $"{Descriptions.Outcome(accepted)}, then GetStatusAsync #{reads}: ";
                if (status.Outcome is not { } outcome)
                {
                    return Verdict.Fail(expected, trail + status.Describe(options.CallBound), "reading the accepted item's status failed", inputText);
                }

                if (!string.Equals(outcome.CaseNumber, accepted.CaseNumber, StringComparison.Ordinal))
                {
                    return Verdict.Fail(
                        expected,
                        trail + Descriptions.Outcome(outcome),
                        $"the status answer carries case number '{outcome.CaseNumber}', not the accepted case '{accepted.CaseNumber}'",
                        inputText);
                }

                if (outcome is not ItemOutcome.Accepted)
                {
                    var problem = outcome is ItemOutcome.Completed completed
                        ? ResultProblem(final.Result, completed.Result)
                        : $"the status answer is {Descriptions.Kind(outcome)}, expected Completed";
                    var actual = trail + Descriptions.Outcome(outcome) + $" after {Descriptions.Seconds(time.GetElapsedTime(started))}";
                    return problem is null ? Verdict.Pass(expected, actual, inputText) : Verdict.Fail(expected, actual, problem, inputText);
                }

                if (time.GetElapsedTime(started) > options.StatusTimeout)
                {
                    return Verdict.Fail(
                        expected,
                        trail + Descriptions.Outcome(outcome),
                        $"the item was still Accepted after {Descriptions.Seconds(options.StatusTimeout)} of status reads, though the department decides it after {Descriptions.Seconds(department.CompletionDelay)}",
                        inputText);
                }

                await Task.Delay(options.StatusPollInterval, time, cancellationToken).ConfigureAwait(false);
            }
        }

        private async Task<Verdict> IdempotencyAsync(CancellationToken cancellationToken)
        {
            var input = cases.Fresh(context);
            var submission = input.Submission;
            var key = submission.IdempotencyKey;
            var inputText = Descriptions.Input(submission) + " (submitted twice)";
            var expected = $"the first answer {FirstAnswerOf(input.Expected)}; the second answer equal to the first; the department receiving key {key} at least twice, opening 1 case and replaying the first answer for every repeat";
            var casesBefore = department.CaseCount;
            var replaysBefore = department.ReplayCount;

            var first = await SubmitAsync(submission, cancellationToken).ConfigureAwait(false);
            var second = await SubmitAsync(submission, cancellationToken).ConfigureAwait(false);

            var received = department.CountFor(key);
            var opened = department.CaseCount - casesBefore;
            var replayed = department.ReplayCount - replaysBefore;
            var actual = $"first {first.Describe(options.CallBound)}; second {second.Describe(options.CallBound)}; the department received the key {received} time(s), opened {opened} case(s), replayed {replayed}";

            var problems = new List<string>();
            if (first.Outcome is not { } firstOutcome)
            {
                problems.Add("the first submission gave no outcome");
            }
            else if (FirstAnswerProblem(input.Expected, firstOutcome) is { } problem)
            {
                problems.Add("first answer: " + problem);
            }

            if (!string.Equals(first.Describe(options.CallBound), second.Describe(options.CallBound), StringComparison.Ordinal))
            {
                problems.Add("the repeated submission did not get the first answer back");
            }

            // At least twice, not exactly: on a busy machine an attempt may time out after the department
            // processed it, and the retry (same key) is then replayed too, which is right.
            if (received < 2)
            {
                problems.Add($"the department received idempotency key {key} {received} time(s), expected at least 2: the adapter must send ItemSubmission.IdempotencyKey as the department's own idempotency key on every call");
            }

            if (opened != 1)
            {
                problems.Add($"the department opened {opened} case(s) for one submission sent twice, expected 1");
            }

            if (replayed != Math.Max(received - 1, 1))
            {
                problems.Add($"the department replayed {replayed} answer(s) for a repeated key, expected {Math.Max(received - 1, 1)}");
            }

            return problems.Count == 0
                ? Verdict.Pass(expected, actual, inputText)
                : Verdict.Fail(expected, actual, string.Join("; ", problems), inputText);
        }

        private async Task<Verdict> TransientErrorsAsync(CancellationToken cancellationToken)
        {
            var faultedBefore = department.FaultedCount;
            var rate = options.TransientErrorRate.ToString("0.##", CultureInfo.InvariantCulture);
            var answers = new List<string>();
            var problems = new List<string>();
            var inputs = new List<string>();
            var expected = "each submission answered as without faults, or DepartmentUnavailableException (never another outcome or a protocol error); each key processed at most once";
            var right = 0;
            var unavailable = 0;
            department.Faults.Clear();
            department.Faults.ErrorRate = options.TransientErrorRate;
            try
            {
                for (var i = 0; i < options.TransientMaximumSubmissions; i++)
                {
                    if (i >= options.TransientMinimumSubmissions && department.FaultedCount - faultedBefore >= 2)
                    {
                        break;
                    }

                    var input = cases.Fresh(context);
                    inputs.Add(Descriptions.Input(input.Submission, $"errorRate {rate}"));
                    var answer = await SubmitAsync(input.Submission, cancellationToken).ConfigureAwait(false);
                    answers.Add(answer.Outcome is { } o ? Descriptions.Kind(o) : answer.Error?.GetType().Name ?? "no answer");
                    var processed = ProcessedCount(input.Submission.IdempotencyKey);
                    if (answer.Outcome is { } outcome)
                    {
                        if (FirstAnswerProblem(input.Expected, outcome) is { } problem)
                        {
                            problems.Add($"submission #{i + 1} ({input.Submission.IdempotencyKey}) answered {Descriptions.Outcome(outcome)}: {problem}");
                        }
                        else
                        {
                            right++;
                        }
                    }
                    else if (answer.Error is DepartmentUnavailableException)
                    {
                        unavailable++;
                    }
                    else
                    {
                        problems.Add($"submission #{i + 1} ({input.Submission.IdempotencyKey}) {answer.Describe(options.CallBound)}, expected the answer or DepartmentUnavailableException");
                    }

                    if (processed > 1)
                    {
                        problems.Add($"submission #{i + 1}: the department processed key {input.Submission.IdempotencyKey} {processed} times as new");
                    }
                }
            }
            finally
            {
                department.Faults.ErrorRate = 0;
            }

            var faulted = department.FaultedCount - faultedBefore;
            if (faulted == 0)
            {
                problems.Add("inconclusive: the simulator injected no error, so nothing was tested");
            }

            var actual = $"{answers.Count} submissions: {right} answered right, {unavailable} DepartmentUnavailableException; the simulator failed {faulted} call(s) [{string.Join(", ", answers)}]";
            var inputText = inputs.Count == 0 ? "none" : $"{inputs.Count} submissions like: {inputs[0]}";
            return problems.Count == 0 ? Verdict.Pass(expected, actual, inputText) : Verdict.Fail(expected, actual, string.Join("; ", problems), inputText);
        }

        private async Task<Verdict> OutageAsync(CancellationToken cancellationToken)
        {
            var input = cases.Fresh(context);
            var submission = input.Submission;
            var inputText = Descriptions.Input(submission, "outage, then none");
            var expected = $"during the outage DepartmentUnavailableException with nothing processed; after it, the same key {FirstAnswerOf(input.Expected)}";
            department.Faults.Clear();
            department.Faults.Outage = true;
            Answer during;
            try
            {
                during = await SubmitAsync(submission, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                department.Faults.Outage = false;
            }

            var processedDuring = ProcessedCount(submission.IdempotencyKey);
            var after = await SubmitAsync(submission, cancellationToken).ConfigureAwait(false);
            var actual = $"during: {during.Describe(options.CallBound)}; after: {after.Describe(options.CallBound)}";
            var problems = new List<string>();
            if (during.Error is not DepartmentUnavailableException)
            {
                problems.Add($"during the outage the adapter {(during.Outcome is { } o ? "answered " + Descriptions.Outcome(o) : during.Describe(options.CallBound))}, expected DepartmentUnavailableException");
            }

            if (processedDuring != 0)
            {
                problems.Add($"the department processed key {submission.IdempotencyKey} {processedDuring} time(s) during the outage");
            }

            if (after.Outcome is not { } afterOutcome)
            {
                problems.Add("after the outage the same submission gave no outcome");
            }
            else if (FirstAnswerProblem(input.Expected, afterOutcome) is { } problem)
            {
                problems.Add("after the outage: " + problem);
            }

            return problems.Count == 0 ? Verdict.Pass(expected, actual, inputText) : Verdict.Fail(expected, actual, string.Join("; ", problems), inputText);
        }

        private async Task<Verdict> TimeoutAsync(CancellationToken cancellationToken)
        {
            var input = cases.Fresh(context);
            var submission = input.Submission;
            var latency = options.AdapterDeadline + TimeSpan.FromSeconds(2);
            var inputText = Descriptions.Input(submission, $"latency {Descriptions.Seconds(latency)} against an adapter deadline of {Descriptions.Seconds(options.AdapterDeadline)}, then none");
            var expected = $"DepartmentUnavailableException within {Descriptions.Seconds(options.CallBound)}; then, without latency, the same key {FirstAnswerOf(input.Expected)}, the department processing it as new at most once";
            department.Faults.Clear();
            department.Faults.Latency = latency;
            Answer slow;
            try
            {
                slow = await SubmitAsync(submission, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                department.Faults.Latency = TimeSpan.Zero;
            }

            var after = await SubmitAsync(submission, cancellationToken).ConfigureAwait(false);
            var processed = ProcessedCount(submission.IdempotencyKey);
            var actual = $"slow department: {slow.Describe(options.CallBound)} after {Descriptions.Seconds(slow.Elapsed)}; then: {after.Describe(options.CallBound)}; processed as new {processed} time(s)";
            var problems = new List<string>();
            if (slow.Hung)
            {
                problems.Add($"the adapter did not answer within {Descriptions.Seconds(options.CallBound)}: it does not bound its calls by its deadline (or ConformanceOptions.AdapterDeadline is shorter than its total timeout)");
            }
            else if (slow.Outcome is { } outcome)
            {
                problems.Add($"the adapter answered {Descriptions.Outcome(outcome)} though the department never answered in time; expected DepartmentUnavailableException");
            }
            else if (slow.Error is not DepartmentUnavailableException)
            {
                problems.Add($"the adapter {slow.Describe(options.CallBound)}; a timeout is transient: expected DepartmentUnavailableException");
            }

            if (after.Outcome is not { } afterOutcome)
            {
                problems.Add("without latency the same submission gave no outcome");
            }
            else if (FirstAnswerProblem(input.Expected, afterOutcome) is { } problem)
            {
                problems.Add("without latency: " + problem);
            }

            if (processed > 1)
            {
                problems.Add($"the department processed key {submission.IdempotencyKey} {processed} times as new: a retry after a timeout opened a second case");
            }

            return problems.Count == 0 ? Verdict.Pass(expected, actual, inputText) : Verdict.Fail(expected, actual, string.Join("; ", problems), inputText);
        }

        /// <summary>How many calls with this key the department processed as new (not as a replay).</summary>
        private int ProcessedCount(string key) =>
            department.Received.Count(r => !r.Replayed && string.Equals(r.IdempotencyKey, key, StringComparison.Ordinal));

        private async Task<Answer> SubmitAsync(ItemSubmission submission, CancellationToken cancellationToken) =>
            await CallAsync(token => adapter.SubmitAsync(submission, token), cancellationToken).ConfigureAwait(false);

        private async Task<Answer> GetStatusAsync(ItemStatusQuery query, CancellationToken cancellationToken) =>
            await CallAsync(token => adapter.GetStatusAsync(query, token), cancellationToken).ConfigureAwait(false);

        /// <summary>Calls the adapter, bounded: an adapter that ignores its deadline and the token still cannot hang the suite.</summary>
        private async Task<Answer> CallAsync(Func<CancellationToken, Task<ItemOutcome>> call, CancellationToken cancellationToken)
        {
            using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            bound.CancelAfter(options.CallBound);
            var started = time.GetTimestamp();
            try
            {
                var outcome = await call(bound.Token).WaitAsync(options.CallBound + TimeSpan.FromSeconds(1), time, cancellationToken).ConfigureAwait(false);
                return new Answer(outcome, null, time.GetElapsedTime(started), Hung: false);
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                var hung = exception is TimeoutException || (bound.IsCancellationRequested && exception is OperationCanceledException);
                return new Answer(null, exception, time.GetElapsedTime(started), hung);
            }
        }

        private ConformanceCheck Check(string name, string description, Func<Verdict> verify)
        {
            var started = time.GetTimestamp();
            Verdict verdict;
            try
            {
                verdict = verify();
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                verdict = Verdict.Fail("the check to run", Descriptions.Failure(exception), "the suite could not run the check", "(none)");
            }

            return verdict.ToCheck(name, description, time.GetElapsedTime(started));
        }

        private async Task<ConformanceCheck> CheckAsync(string name, string description, Func<Task<Verdict>> verify)
        {
            var started = time.GetTimestamp();
            Verdict verdict;
            try
            {
                verdict = await verify().ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                verdict = Verdict.Fail("the check to run", Descriptions.Failure(exception), "the suite could not run the check", "(none)");
            }

            return verdict.ToCheck(name, description, time.GetElapsedTime(started));
        }

        private static string FirstAnswerOf(Expectation expectation) => expectation switch
        {
            Expectation.AcceptedThenCompleted => "answered Accepted with a case number",
            _ => "answered " + expectation.Describe(),
        };

        /// <summary>What is wrong with an adapter's first answer to a case; null when it is right.</summary>
        private static string? FirstAnswerProblem(Expectation expectation, ItemOutcome outcome)
        {
            switch (expectation)
            {
                case Expectation.Completed completed:
                    return outcome is ItemOutcome.Completed c
                        ? string.IsNullOrEmpty(c.CaseNumber) ? "Completed without a case number" : ResultProblem(completed.Result, c.Result)
                        : $"the adapter answered {Descriptions.Kind(outcome)}, expected Completed";
                case Expectation.AcceptedThenCompleted:
                    return outcome is ItemOutcome.Accepted a
                        ? string.IsNullOrEmpty(a.CaseNumber) ? "Accepted without a case number to ask about later" : null
                        : $"the adapter answered {Descriptions.Kind(outcome)}, expected Accepted";
                case Expectation.Returned returned:
                    return outcome is ItemOutcome.Returned r
                        ? ReasonProblem(r.Reasons, returned.Code, returned.Field)
                        : $"the adapter answered {Descriptions.Kind(outcome)}, expected Returned ({returned.Code})";
                case Expectation.Rejected rejected:
                    return outcome is ItemOutcome.Rejected j
                        ? ReasonProblem(j.Reasons, rejected.Code, rejected.Field)
                        : $"the adapter answered {Descriptions.Kind(outcome)}, expected Rejected ({rejected.Code})";
                case Expectation.Deferred deferred:
                    if (outcome is not ItemOutcome.Deferred d)
                    {
                        return $"the adapter answered {Descriptions.Kind(outcome)}, expected Deferred ({deferred.Code})";
                    }

                    return d.EligibleOn != deferred.EligibleOn
                        ? string.Create(CultureInfo.InvariantCulture, $"eligible on {d.EligibleOn:yyyy-MM-dd}, expected {deferred.EligibleOn:yyyy-MM-dd}")
                        : ReasonProblem(d.Reasons, deferred.Code, null);
                default:
                    return $"unknown expectation {expectation.GetType().Name}";
            }
        }

        private static string? ReasonProblem(IReadOnlyList<OutcomeReason> reasons, string code, string? field)
        {
            if (reasons.Count == 0)
            {
                return "no reason given: a citizen must be told why";
            }

            foreach (var reason in reasons)
            {
                if (string.IsNullOrWhiteSpace(reason.Code) || string.IsNullOrWhiteSpace(reason.Message))
                {
                    return $"a reason lacks a code or a message (code '{reason.Code}')";
                }

                if (!Descriptions.IsChinese(reason.Message))
                {
                    return $"reason {reason.Code} has message '{reason.Message}', which is not in Chinese (what a citizen reads is in Chinese)";
                }
            }

            var match = reasons.FirstOrDefault(r => string.Equals(r.Code, code, StringComparison.Ordinal));
            if (match is null)
            {
                return $"reason code(s) [{string.Join(", ", reasons.Select(r => r.Code))}], expected {code}";
            }

            return field is not null && !string.Equals(match.Field, field, StringComparison.Ordinal)
                ? $"reason {code} names field '{match.Field ?? "(none)"}', expected '{field}' (the form field the citizen must fix)"
                : null;
        }

        private static string? ResultProblem(IReadOnlyDictionary<string, string?> expected, IReadOnlyDictionary<string, string> actual)
        {
            foreach (var (key, value) in expected)
            {
                if (!actual.TryGetValue(key, out var got))
                {
                    return $"the result lacks key '{key}' (it has: {string.Join(", ", actual.Keys.Order(StringComparer.Ordinal))})";
                }

                if (value is null ? string.IsNullOrWhiteSpace(got) : !string.Equals(got, value, StringComparison.Ordinal))
                {
                    return value is null ? $"result key '{key}' is empty" : $"result key '{key}' is '{got}', expected '{value}'";
                }
            }

            return null;
        }
    }

    /// <summary>What one adapter call gave: an outcome, or an exception, or nothing in time.</summary>
    private sealed record Answer(ItemOutcome? Outcome, Exception? Error, TimeSpan Elapsed, bool Hung)
    {
        public string Describe(TimeSpan bound) =>
            Outcome is { } outcome ? Descriptions.Outcome(outcome)
            : Hung ? $"no answer within {Descriptions.Seconds(bound)}"
            : Descriptions.Failure(Error!);
    }

    private sealed record Verdict(bool Passed, string Expected, string Actual, string? Problem, string Input)
    {
        public static Verdict Pass(string expected, string actual, string input) => new(true, expected, actual, null, input);

        public static Verdict Fail(string expected, string actual, string problem, string input) => new(false, expected, actual, problem, input);

        public ConformanceCheck ToCheck(string name, string description, TimeSpan duration) =>
            new(name, description, Passed, Expected, Actual, Problem, Input, duration);
    }
}
