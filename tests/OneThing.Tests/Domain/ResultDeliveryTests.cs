using OneThing.Hub.Catalog;
using OneThing.Hub.Domain.Applications;
using OneThing.Hub.Domain.Catalog;
using OneThing.Hub.Domain.Deliveries;
using OneThing.Hub.Domain.Divisions;
using OneThing.Hub.Domain.Notifications;
using OneThing.Hub.Domain.Validation;

namespace OneThing.Tests.Domain;

/// <summary>Unified delivery (统一出件): which results go out on paper, the delivery's states, what is checked and told. No I/O.</summary>
public sealed class ResultDeliveryTests
{
    private const string Licence = "market.licence-verification";
    private const string Certificate = "hr.employment-certificate";
    private const string Pension = "si.flexible-pension-registration";
    private const string ApplicantId = "11010519491231002X";
    private const string Clerk = "clerk:c-1";
    private static readonly CatalogSnapshot Catalog = CatalogFiles.Load(Path.Combine(AppContext.BaseDirectory, "catalog"));
    private static readonly ThemeDefinition Luoyang = Catalog.Latest("luoyang.personal-startup")!;
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 9, 0, 0, TimeSpan.FromHours(8));
    private static readonly DeliveryInfo Mail = new(DeliveryKind.Mail, new AddressInfo("410302001", "西关街道中州路1号"), "张三", "13800000000", string.Empty);
    private static readonly DeliveryInfo Pickup = new(DeliveryKind.Pickup, null, string.Empty, string.Empty, "洛阳市政务服务中心一件事窗口");

    [Fact]
    public void Catalog_PaperResultsAsTheSeedsSay_ElectronicOnlyItemsHaveNone()
    {
        var certificate = Luoyang.FindItem(Certificate)!.PaperResult;
        Assert.NotNull(certificate);
        Assert.Contains("就业创业证", certificate.Title, StringComparison.Ordinal);
        Assert.Equal("certificate_number", certificate.NumberKey);
        Assert.Null(Luoyang.FindItem("tax.taxpayer-confirmation")!.PaperResult);
        Assert.NotNull(Catalog.Latest("baotou.startup")!.FindItem("hr.guaranteed-loan")!.PaperResult);

        // Every theme with a paper result asks how it is delivered.
        Assert.All(Catalog.LatestThemes.Where(t => t.Items.Any(i => i.PaperResult is not null)), t => Assert.True(t.Requirements.DeliveryRequired, t.Code));
    }

    [Fact]
    public void CatalogRules_PaperResultWithoutDeliveryChoiceOrTitle_BothReported()
    {
        var item = new ItemDefinition("a", "A", "tax", "税务", [], 0, true, [], string.Empty, PaperResult: new PaperResultDefinition(" "));
        var theme = new ThemeDefinition("t", 1, "T", new ThemeRegion("1", "n"), "s", 0, [item], [], [], requirements: ThemeRequirements.None);

        var problems = CatalogRules.Check(theme);

        Assert.Contains(problems, p => p.Place == "items[0].paperResult.title");
        Assert.Contains(problems, p => p.Place == "items[0].paperResult" && p.Problem.Contains("deliveryRequired", StringComparison.Ordinal));
    }

    [Fact]
    public void Open_SubmittedWithPaperItemAndChoice_AwaitsTheExpectedDocuments()
    {
        var application = Submitted(Mail, Licence, Certificate, Pension);

        var delivery = ResultDelivery.Open(application, Luoyang, Now)!;

        Assert.Equal(DeliveryState.Awaiting, delivery.State);
        Assert.Equal(DeliveryKind.Mail, delivery.Method);
        Assert.Equal([Certificate], delivery.Documents.Select(d => d.ItemCode));
        Assert.Null(delivery.Documents[0].Number);
        Assert.Equal("待出件", delivery.StatusText());
        Assert.Equal(ResultDelivery.SystemActor, Assert.Single(delivery.History).Actor);
    }

    [Fact]
    public void Open_NoPaperItemOrNoChoiceOrDraft_NoDelivery()
    {
        Assert.Null(ResultDelivery.Open(Submitted(Mail, Licence, "tax.taxpayer-confirmation"), Luoyang, Now));
        Assert.Null(ResultDelivery.Open(Submitted(null, Licence, Certificate), Luoyang, Now));
        var draft = JointApplication.CreateDraft("d1", null, Luoyang, Content(Mail, Licence, Certificate), Now);
        Assert.Null(ResultDelivery.Open(draft, Luoyang, Now));
    }

    [Fact]
    public void Refresh_LastPaperItemGranted_ReadyWithTheNumberWhileOtherItemsStillRun()
    {
        var application = Submitted(Mail, Licence, Certificate, Pension);
        var delivery = ResultDelivery.Open(application, Luoyang, Now)!;
        application.RecordDecision(Licence, new ItemDecision.Completed("V1", new Dictionary<string, string>(), null), Now);
        Assert.Null(delivery.Refresh(application, Luoyang, Now));

        application.RecordDecision(Certificate, new ItemDecision.Completed("H1", new Dictionary<string, string> { ["certificate_number"] = "4103002026000123" }, null), Now.AddMinutes(1));
        var step = delivery.Refresh(application, Luoyang, Now.AddMinutes(1));

        Assert.NotNull(step);
        Assert.Equal(DeliveryState.Ready, delivery.State);
        Assert.Equal(ItemState.Pending, application.Item(Pension).State);
        Assert.Equal("4103002026000123", Assert.Single(delivery.Documents).Number);
        Assert.Equal(Now.AddMinutes(1), delivery.ReadyAt);
        Assert.Equal("待寄递", delivery.StatusText());
        Assert.Null(delivery.Refresh(application, Luoyang, Now.AddMinutes(2)));
    }

    [Fact]
    public void Refresh_PaperItemNotGranted_NothingToDeliver()
    {
        var application = Submitted(Pickup, Licence, Certificate);
        var delivery = ResultDelivery.Open(application, Luoyang, Now)!;

        application.RecordDecision(Licence, new ItemDecision.Rejected(null, [new ItemReason("LICENCE_NOT_FOUND", "未查询到营业执照")]), Now);
        var step = delivery.Refresh(application, Luoyang, Now);

        Assert.Equal(DeliveryState.NothingToDeliver, step!.State);
        Assert.Empty(delivery.Documents);
        Assert.True(delivery.IsFinal);
        var refused = Assert.Throws<DeliveryRuleException>(() => delivery.RecordPickup(Facts(), Clerk, "r1", Now));
        Assert.Equal(DeliveryReasons.NothingToDeliver, refused.Reason);
    }

    [Fact]
    public void RecordShipment_OnlyForAReadyMailDelivery_OnceWithItsTrackingNumber()
    {
        var pickup = Ready(Pickup);
        Assert.Equal(DeliveryReasons.MethodMismatch, Assert.Throws<DeliveryRuleException>(() => pickup.RecordShipment(Shipment(), Clerk, "r1", Now)).Reason);

        var awaiting = ResultDelivery.Open(Submitted(Mail, Licence, Certificate), Luoyang, Now)!;
        Assert.Equal(DeliveryReasons.NotReady, Assert.Throws<DeliveryRuleException>(() => awaiting.RecordShipment(Shipment(), Clerk, "r1", Now)).Reason);

        var delivery = Ready(Mail);
        Assert.Equal(DeliveryReasons.NotShipped, Assert.Throws<DeliveryRuleException>(() => delivery.RecordDelivered(new DeliveredInput(null, string.Empty), Clerk, "r0", Now)).Reason);
        var step = delivery.RecordShipment(Shipment(), Clerk, "r1", Now.AddHours(1));

        Assert.Equal(DeliveryState.Shipped, step.State);
        Assert.Equal(("中国邮政EMS", "EA123456789CN", Clerk), (delivery.Carrier, delivery.TrackingNumber, delivery.ShippedBy));
        Assert.True(delivery.HasRequest("r1"));
        Assert.Contains("EA123456789CN", step.Description, StringComparison.Ordinal);
        Assert.Equal(DeliveryReasons.AlreadyShipped, Assert.Throws<DeliveryRuleException>(() => delivery.RecordShipment(Shipment(), Clerk, "r2", Now)).Reason);

        delivery.RecordDelivered(new DeliveredInput(null, "本人签收"), "operator:op-1", "r3", Now.AddDays(2));
        Assert.Equal(DeliveryState.Delivered, delivery.State);
        Assert.Equal("本人签收", delivery.DeliveryNote);
        Assert.Equal(DeliveryReasons.AlreadyDelivered, Assert.Throws<DeliveryRuleException>(() => delivery.RecordDelivered(new DeliveredInput(null, string.Empty), Clerk, "r4", Now)).Reason);
    }

    [Fact]
    public void RecordPickup_ReadyPickup_KeepsOnlyTheMaskedCollectorAndLastFour()
    {
        var mail = Ready(Mail);
        Assert.Equal(DeliveryReasons.MethodMismatch, Assert.Throws<DeliveryRuleException>(() => mail.RecordPickup(Facts(), Clerk, "r1", Now)).Reason);

        var delivery = Ready(Pickup);
        Assert.Equal("待领取", delivery.StatusText());
        var step = delivery.RecordPickup(new PickupFacts(CollectorKind.Authorised, "李*", "1234", "3号窗口"), Clerk, "r1", Now);

        Assert.Equal(DeliveryState.PickedUp, step.State);
        Assert.Equal(("李*", "1234", "3号窗口", Clerk), (delivery.CollectorName, delivery.CollectorIdLast4, delivery.PickupWindow, delivery.PickedUpBy));
        Assert.Contains("受托人李*代领（证件尾号1234）", step.Description, StringComparison.Ordinal);
        Assert.Equal(DeliveryReasons.AlreadyPickedUp, Assert.Throws<DeliveryRuleException>(() => delivery.RecordPickup(Facts(), Clerk, "r2", Now)).Reason);
    }

    [Fact]
    public void Refresh_ChoiceCorrectedBeforeAnythingWentOut_DeliveryFollowsIt()
    {
        var application = Submitted(Mail, Licence, Certificate);
        var delivery = ResultDelivery.Open(application, Luoyang, Now)!;
        var corrected = JointApplication.CreateDraft(application.Id, null, Luoyang, Content(Pickup, Licence, Certificate), Now);
        corrected.Submit(Luoyang, "r2", Catalog.Calendar, () => Guid.NewGuid().ToString("N"), Now);

        delivery.Refresh(corrected, Luoyang, Now);

        Assert.Equal((DeliveryKind.Pickup, Pickup.PickupSite), (delivery.Method, delivery.PickupSite));
        Assert.Contains("领取方式已更新", delivery.History[^1].Description, StringComparison.Ordinal);
    }

    [Fact]
    public void StateMachine_OnlyForwardSteps_FinalStatesAllowNothing()
    {
        var allowed = Enum.GetValues<DeliveryState>()
            .SelectMany(from => Enum.GetValues<DeliveryTrigger>().Select(trigger => (from, trigger, to: DeliveryStateMachine.Next(from, trigger))))
            .Where(t => t.to is not null)
            .Select(t => $"{t.from}-{t.trigger}->{t.to}")
            .ToList();

        Assert.Equal(
            ["Awaiting-ResultsIn->Ready", "Awaiting-NoneGranted->NothingToDeliver", "Ready-Ship->Shipped", "Ready-Collect->PickedUp", "Shipped-ConfirmDelivery->Delivered"],
            allowed);
    }

    [Fact]
    public void CheckShipment_EveryProblemAtOnce()
    {
        var v = DeliveryRules.CheckShipment(new ShipmentInput(" ", "EA 123", Now.AddHours(1)), string.Empty, Now);

        Assert.Equal(
            [("carrier", ViolationReasons.Required), ("tracking_number", DeliveryReasons.InvalidTrackingNumber), ("ship_time", DeliveryReasons.TimeInFuture), ("request_id", ViolationReasons.Required)],
            v.Select(x => (x.Field, x.Reason)));
        Assert.All(v, x => Assert.False(string.IsNullOrWhiteSpace(x.Description)));
        Assert.Empty(DeliveryRules.CheckShipment(Shipment(), "r1", Now));
    }

    [Fact]
    public void CheckPickup_ApplicantWithSomeoneElsesIdOrAuthorisedWithoutAuthorisation_Refused()
    {
        var applicant = Content(Pickup, Licence).Applicant;

        var wrongId = DeliveryRules.CheckPickup(new PickupInput(CollectorKind.Applicant, string.Empty, IdDocumentKind.ResidentId, "110105194912310038", "3号窗口", false), applicant, "r1", new DateOnly(2026, 11, 23));
        Assert.Equal(DeliveryReasons.CollectorNotApplicant, Assert.Single(wrongId).Reason);

        var unauthorised = DeliveryRules.CheckPickup(new PickupInput(CollectorKind.Authorised, string.Empty, IdDocumentKind.ResidentId, "110105194912310037", " ", false), applicant, "r1", new DateOnly(2026, 11, 23));
        Assert.Equal(
            ["collector_id_document.number", "collector_name", "authorisation_checked", "window"],
            unauthorised.Select(x => x.Field));

        Assert.Empty(DeliveryRules.CheckPickup(new PickupInput(CollectorKind.Applicant, string.Empty, IdDocumentKind.ResidentId, ApplicantId.ToLowerInvariant(), "3号窗口", false), applicant, "r1", new DateOnly(2026, 11, 23)));
        Assert.Equal("002X", DeliveryRules.Last4(ApplicantId));
    }

    [Fact]
    public void Notices_ReadyAndShipped_BothChannelsUnderDeliveryKeysWithTheTrackingNumber()
    {
        var delivery = Ready(Mail);
        var ready = DeliveryNotices.Plan(delivery, Luoyang.Title, delivery.History[^1]);

        Assert.Equal(["delivery/a1/ready/sms", "delivery/a1/ready/in-app"], ready.Select(n => n.Key));
        Assert.Equal([NotificationChannel.Sms, NotificationChannel.InApp], ready.Select(n => n.Channel));
        Assert.Contains("邮寄", ready[0].Text, StringComparison.Ordinal);

        var shipped = DeliveryNotices.Plan(delivery, Luoyang.Title, delivery.RecordShipment(Shipment(), Clerk, "r1", Now));
        Assert.All(shipped, n => Assert.Contains("运单号EA123456789CN", n.Text, StringComparison.Ordinal));
        Assert.All(shipped, n => Assert.StartsWith(DeliveryNotices.KeyPrefix("a1"), n.Key, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_MailToACountyCode_RefusedAsNotStreetLevel_WithOrWithoutTheDivisionData()
    {
        var county = Content(Mail with { Address = new AddressInfo("410302", "中州路1号") }, Licence);

        static bool NotStreet(FieldViolation v) => v is { Field: "delivery.address.division_code", Reason: DivisionViolationReasons.DivisionNotStreetLevel };
        Assert.Contains(ApplicationValidator.Validate(Luoyang, county, new DateOnly(2026, 11, 23), Catalog.Divisions), NotStreet);
        Assert.Contains(ApplicationValidator.Validate(Luoyang, county, new DateOnly(2026, 11, 23)), NotStreet);
        Assert.DoesNotContain(ApplicationValidator.Validate(Luoyang, Content(Mail, Licence), new DateOnly(2026, 11, 23), Catalog.Divisions), NotStreet);
        Assert.Equal(DivisionLevel.Street, Catalog.Divisions.Find("410302001")!.Level);
    }

    private static ShipmentInput Shipment() => new("中国邮政EMS", "ea123456789cn", null);

    private static PickupFacts Facts() => new(CollectorKind.Applicant, string.Empty, "002X", "3号窗口");

    private static ResultDelivery Ready(DeliveryInfo choice)
    {
        var application = Submitted(choice, Licence, Certificate);
        var delivery = ResultDelivery.Open(application, Luoyang, Now)!;
        application.RecordDecision(Licence, new ItemDecision.Completed("V1", new Dictionary<string, string>(), null), Now);
        application.RecordDecision(Certificate, new ItemDecision.Completed("H1", new Dictionary<string, string> { ["certificate_number"] = "N1" }, null), Now);
        Assert.Equal(DeliveryState.Ready, delivery.Refresh(application, Luoyang, Now)!.State);
        return delivery;
    }

    private static ApplicationContent Content(DeliveryInfo? delivery, params string[] items) => new(
        new ApplicantInfo("张三", Sex.Male, "汉族", IdDocumentKind.ResidentId, ApplicantId, "13800000000", null),
        items,
        new Dictionary<string, string>(),
        null,
        delivery,
        null);

    private static JointApplication Submitted(DeliveryInfo? delivery, params string[] items)
    {
        var application = JointApplication.CreateDraft("a1", null, Luoyang, Content(delivery, items), Now);
        var n = 0;
        application.Submit(Luoyang, "r1", Catalog.Calendar, () => $"s{n++}", Now);
        return application;
    }
}
