using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using OneThing.Hub.Domain.Applications;
using OneThing.Hub.Domain.Catalog;
using Proto = OneThing.Hub.V1;

namespace OneThing.Hub.Grpc;

/// <summary>Maps between the public contract and the domain. Thin and mechanical, on purpose.</summary>
internal static class ProtoMapping
{
    public const string ThemePrefix = "themes/";
    public const string ApplicationPrefix = "applications/";

    public static string ThemeName(string code) => ThemePrefix + code;

    /// <summary>The theme code of "themes/{code}"; empty if the name is empty or malformed.</summary>
    public static string ThemeCode(string name) =>
        name.StartsWith(ThemePrefix, StringComparison.Ordinal) ? name[ThemePrefix.Length..] : string.Empty;

    /// <summary>The id of "applications/{id}", or null if malformed.</summary>
    public static string? ApplicationId(string name) =>
        name.StartsWith(ApplicationPrefix, StringComparison.Ordinal) && name.Length > ApplicationPrefix.Length && name.Length <= ApplicationPrefix.Length + 32
            ? name[ApplicationPrefix.Length..]
            : null;

    public static ApplicationContent ToContent(Proto.Application a)
    {
        var applicant = a.Applicant ?? new Proto.Applicant();
        return new ApplicationContent(
            new ApplicantInfo(
                applicant.Name.Trim(),
                (Sex)(int)applicant.Sex,
                applicant.Ethnicity.Trim(),
                (IdDocumentKind)(int)(applicant.IdDocument?.Type ?? Proto.IdDocumentType.Unspecified),
                (applicant.IdDocument?.Number ?? string.Empty).Trim().ToUpperInvariant(),
                applicant.Mobile.Trim(),
                applicant.Residence is null ? null : new AddressInfo(applicant.Residence.DivisionCode.Trim(), applicant.Residence.Detail.Trim())),
            a.SelectedItems.Select(i => i.Trim()).ToList(),
            a.Fields.ToDictionary(kv => kv.Key, kv => kv.Value.Trim(), StringComparer.Ordinal),
            ToPayment(a.PaymentAccount),
            ToDelivery(a.Delivery),
            a.Pledge is null ? null : new PledgeInfo(a.Pledge.Accepted, a.Pledge.SignedDate.Trim(), a.Pledge.AcceptedPledges.Select(p => p.Trim()).ToList()),
            a.GuideAnswers.ToDictionary(kv => kv.Key.Trim(), kv => kv.Value.Trim(), StringComparer.Ordinal),
            a.Materials.Count == 0 ? null : a.Materials.Select(ToAttachment).ToList());
    }

    private static Domain.Validation.AttachedMaterial ToAttachment(Proto.AttachedMaterial m)
    {
        var name = m.Material.Trim();
        var id = name.StartsWith(MaterialGrpcService.MaterialPrefix, StringComparison.Ordinal) ? name[MaterialGrpcService.MaterialPrefix.Length..] : name;
        return new Domain.Validation.AttachedMaterial(m.Code.Trim(), id);
    }

    public static PaymentAccountInfo? ToPayment(Proto.PaymentAccount? p) =>
        p is null ? null : new PaymentAccountInfo(p.BankName.Trim(), p.AccountNumber.Trim());

    public static DeliveryInfo? ToDelivery(Proto.Delivery? d) =>
        d is null
            ? null
            : new DeliveryInfo(
                (DeliveryKind)(int)d.Method,
                d.Address is null ? null : new AddressInfo(d.Address.DivisionCode.Trim(), d.Address.Detail.Trim()),
                d.Recipient.Trim(),
                d.RecipientMobile.Trim(),
                d.PickupSite.Trim());

    public static Proto.Application ToProto(JointApplication a, ThemeDefinition? theme)
    {
        var c = a.Content;
        var proto = new Proto.Application
        {
            Name = ApplicationPrefix + a.Id,
            Theme = ThemeName(a.ThemeCode),
            ThemeVersion = a.ThemeVersion,
            State = (Proto.Application.Types.State)(int)a.State,
            Applicant = new Proto.Applicant
            {
                Name = c.Applicant.Name,
                Sex = (Proto.Sex)(int)c.Applicant.Sex,
                Ethnicity = c.Applicant.Ethnicity,
                IdDocument = new Proto.IdDocument { Type = (Proto.IdDocumentType)(int)c.Applicant.IdType, Number = c.Applicant.IdNumber },
                Mobile = c.Applicant.Mobile,
                Residence = c.Applicant.Residence is { } r ? new Proto.Address { DivisionCode = r.DivisionCode, Detail = r.Detail } : null,
            },
            CreateTime = Timestamp.FromDateTimeOffset(a.CreatedAt),
            UpdateTime = Timestamp.FromDateTimeOffset(a.UpdatedAt),
            SubmitTime = a.SubmittedAt is { } s ? Timestamp.FromDateTimeOffset(s) : null,
            Etag = Applications.ApplicationUseCases.Etag(a),
            DueDate = Date(a.DueDate),
        };
        proto.SelectedItems.Add(c.SelectedItems);
        foreach (var (key, value) in c.Fields)
        {
            proto.Fields[key] = value;
        }
        if (c.Payment is { } p)
        {
            proto.PaymentAccount = new Proto.PaymentAccount { BankName = p.BankName, AccountNumber = p.AccountNumber };
        }

        if (c.Delivery is { } d)
        {
            proto.Delivery = new Proto.Delivery
            {
                Method = (Proto.DeliveryMethod)(int)d.Method,
                Address = d.Address is { } da ? new Proto.Address { DivisionCode = da.DivisionCode, Detail = da.Detail } : null,
                Recipient = d.Recipient,
                RecipientMobile = d.RecipientMobile,
                PickupSite = d.PickupSite,
            };
        }

        if (c.Filing is { } filing)
        {
            proto.Filing = new Proto.Filing
            {
                Authorization = (Proto.Filing.Types.Authorization)(int)filing.Authorization,
                AuthorizationReference = filing.Reference,
                AgentName = filing.AgentName,
                Clerk = filing.Clerk,
                ServiceCentre = filing.ServiceCentre,
            };
        }

        if (c.Pledge is { } pledge)
        {
            proto.Pledge = new Proto.Pledge { Accepted = pledge.Accepted, SignedDate = pledge.SignedDate };
            proto.Pledge.AcceptedPledges.Add(pledge.AcceptedPledges ?? []);
        }

        foreach (var (key, value) in c.Answers)
        {
            proto.GuideAnswers[key] = value;
        }

        proto.Materials.Add((c.Materials ?? []).Select(m => new Proto.AttachedMaterial { Code = m.Code, Material = MaterialGrpcService.MaterialPrefix + m.MaterialId }));

        proto.Items.Add(a.Items.OrderBy(i => i.Ordinal).Select(i => ToProto(a, i, theme)));
        return proto;
    }

    public static Proto.ApplicationItem ToProto(JointApplication a, ApplicationItem i, ThemeDefinition? theme)
    {
        var item = new Proto.ApplicationItem
        {
            Name = $"{ApplicationPrefix}{a.Id}/items/{i.ItemCode}",
            ItemCode = i.ItemCode,
            Title = i.Title,
            Department = i.Department,
            State = (Proto.ApplicationItem.Types.State)(int)i.State,
            CaseNumber = i.CaseNumber ?? string.Empty,
            DueDate = Date(i.DueDate),
            NextAttemptTime = i.NextAttemptAt is { } n ? Timestamp.FromDateTimeOffset(n) : null,
            Attempts = i.Attempts,
            LastError = i.LastError ?? string.Empty,
            EligibleDate = Date(i.EligibleDate),
            Opinion = i.Opinion ?? string.Empty,
            StatusText = StatusText(theme, i.State),
            Corrections = i.Corrections,
        };
        if (i.State == ItemState.Returned && theme is not null)
        {
            item.CorrectableFields.Add(JointApplication.CorrectablePaths(theme, i).Order(StringComparer.Ordinal));
        }

        foreach (var (key, value) in i.Result)
        {
            item.Result[key] = value;
        }
        item.Reasons.Add(i.Reasons.Select(r => new Proto.ItemReason { Code = r.Code, Message = r.Message, Field = r.Field ?? string.Empty }));
        item.History.Add(i.History.Select(h => new Proto.ItemEvent
        {
            Time = Timestamp.FromDateTimeOffset(h.At),
            State = (Proto.ApplicationItem.Types.State)(int)h.State,
            Description = h.Description,
        }));
        return item;
    }

    public static Proto.ApplicationItem ToPlannedItem(ItemDefinition item, DateOnly? due) => new()
    {
        ItemCode = item.Code,
        Title = item.Title,
        Department = item.Department,
        State = Proto.ApplicationItem.Types.State.Pending,
        DueDate = Date(due),
    };

    public static Proto.Theme ToProto(ThemeDefinition t)
    {
        var theme = new Proto.Theme
        {
            Name = ThemeName(t.Code),
            Code = t.Code,
            Title = t.Title,
            Region = new Proto.Region { Code = t.Region.Code, Name = t.Region.Name },
            Version = t.Version,
            TimeLimitWorkingDays = t.TimeLimitWorkingDays,
            Source = t.Source,
        };
        foreach (var i in t.Items)
        {
            var item = new Proto.ThemeItem
            {
                Code = i.Code,
                Title = i.Title,
                Department = i.Department,
                DepartmentTitle = i.DepartmentTitle,
                TimeLimitWorkingDays = i.TimeLimitWorkingDays,
                CompletesImmediately = i.CompletesImmediately,
                Description = i.Description,
                PaperResult = i.PaperResult?.Title ?? string.Empty,
            };
            item.Prerequisites.Add(i.Prerequisites);
            item.Materials.Add(i.Materials);
            theme.Items.Add(item);
        }

        theme.Materials.Add(t.Materials.Select(ToProto));
        theme.Questions.Add(t.Questions.Select(ToProto));
        theme.Pledges.Add(t.Pledges.Select(p => new Proto.PledgeText { Code = p.Code, Text = p.Text }));
        theme.Windows.Add(t.Windows.Select(w => new Proto.ApplicationWindow
        {
            Label = w.Label,
            YearField = w.YearField,
            YearOffset = w.YearOffset,
            Start = $"{w.StartMonth:00}-{w.StartDay:00}",
            End = $"{w.EndMonth:00}-{w.EndDay:00}",
        }));
        foreach (var (state, text) in t.StatusTexts)
        {
            theme.StatusTexts[state] = text;
        }
        foreach (var f in t.Fields)
        {
            var field = new Proto.FormField
            {
                Key = f.Key,
                Label = f.Label,
                Type = (Proto.FieldType)(int)f.Kind,
                MinAmount = f.MinAmount?.ToString("0.00", CultureInfo.InvariantCulture) ?? string.Empty,
                MaxAmount = f.MaxAmount?.ToString("0.00", CultureInfo.InvariantCulture) ?? string.Empty,
                MaxLength = f.MaxLength,
                Hint = f.Hint,
                ImmutableOnceSaved = f.ImmutableOnceSaved,
                StreetLevel = f.StreetLevel,
            };
            field.RequiredForItems.Add(f.RequiredForItems);
            field.Options.Add(f.Options.Select(o => new Proto.FieldOption { Value = o.Value, Label = o.Label }));
            theme.Fields.Add(field);
        }

        return theme;
    }

    public static Proto.Material ToProto(MaterialDefinition m)
    {
        var material = new Proto.Material
        {
            Code = m.Code,
            Title = m.Title,
            SharedData = m.SharedData,
            Description = m.Description,
            Photo = m.Photo is { } p ? new Proto.PhotoRule { WidthPx = p.WidthPx, HeightPx = p.HeightPx, TolerancePx = p.TolerancePx, MinKb = p.MinKb, MaxKb = p.MaxKb } : null,
            RequiredWhenField = m.RequiredWhenField ?? string.Empty,
        };
        material.RequiredWhenValues.Add(m.RequiredWhenValues ?? []);
        return material;
    }

    public static Proto.GuideQuestion ToProto(GuideQuestionDefinition q)
    {
        var question = new Proto.GuideQuestion { Code = q.Code, Text = q.Text };
        question.Options.Add(q.Options.Select(o => new Proto.FieldOption { Value = o.Value, Label = o.Label }));
        foreach (var (code, values) in q.AskWhen)
        {
            var condition = new Proto.GuideCondition();
            condition.Values.Add(values);
            question.AskWhen[code] = condition;
        }

        return question;
    }

    private static string StatusText(ThemeDefinition? theme, ItemState state) =>
        theme?.StatusTexts.GetValueOrDefault(state.ToString()) ?? state switch
        {
            ItemState.Pending => "待办",
            ItemState.InProgress => "办理中",
            ItemState.Succeeded => "已完结",
            ItemState.Rejected => "已完结（不予办理）",
            ItemState.Returned => "已退回",
            ItemState.NotStarted => "未启动",
            ItemState.Deferred => "暂缓",
            ItemState.Cancelled => "已撤销",
            ItemState.Withdrawn => "已撤回",
            _ => string.Empty,
        };

    private static string Date(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? string.Empty;
}
