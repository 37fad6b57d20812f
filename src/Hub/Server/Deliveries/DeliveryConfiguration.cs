using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using OneThing.Hub.Domain.Applications;
using OneThing.Hub.Domain.Deliveries;
using OneThing.Hub.Persistence;

namespace OneThing.Hub.Deliveries;

/// <summary>
/// Stores each application's delivery (统一出件) in <c>deliveries</c>, one row per application. It holds
/// no clear personal data: the collector is masked and only the last four characters of their ID are
/// kept; the mailing address and recipient stay in the (sealed) application.
/// </summary>
public sealed class DeliveryConfiguration : IEntityTypeConfiguration<ResultDelivery>
{
    /// <inheritdoc />
    public void Configure(EntityTypeBuilder<ResultDelivery> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.ToTable("deliveries");
        builder.HasKey(x => x.ApplicationId);
        builder.Property(x => x.ApplicationId).HasMaxLength(32);
        builder.Property(x => x.Method).HasConversion<string>().HasMaxLength(20);
        builder.Property(x => x.State).HasConversion<string>().HasMaxLength(20);
        builder.Property(x => x.Collector).HasConversion<string>().HasMaxLength(20);
        builder.Property(x => x.PickupSite).HasMaxLength(200);
        builder.Property(x => x.Carrier).HasMaxLength(DeliveryRules.MaxCarrierLength);
        builder.Property(x => x.TrackingNumber).HasMaxLength(40);
        builder.Property(x => x.ShippedBy).HasMaxLength(160);
        builder.Property(x => x.DeliveredBy).HasMaxLength(160);
        builder.Property(x => x.DeliveryNote).HasMaxLength(DeliveryRules.MaxNoteLength);
        builder.Property(x => x.CollectorName).HasMaxLength(DeliveryRules.MaxTextLength);
        builder.Property(x => x.CollectorIdLast4).HasMaxLength(4);
        builder.Property(x => x.PickupWindow).HasMaxLength(DeliveryRules.MaxTextLength);
        builder.Property(x => x.PickedUpBy).HasMaxLength(160);
        builder.Property(x => x.Revision).IsConcurrencyToken();
        builder.Property(x => x.Documents).HasConversion(Json<IReadOnlyList<DeliveryDocument>>(), JsonComparer<IReadOnlyList<DeliveryDocument>>());
        builder.Property(x => x.History).HasConversion(Json<IReadOnlyList<DeliveryEvent>>(), JsonComparer<IReadOnlyList<DeliveryEvent>>());

        // The clerks' work lists: ready deliveries by method, oldest first; and look-up by tracking number.
        builder.HasIndex(x => new { x.State, x.Method, x.ReadyAt });
        builder.HasIndex(x => x.TrackingNumber);
        builder.Ignore(x => x.IsFinal);
        builder.HasOne<JointApplication>().WithOne().HasForeignKey<ResultDelivery>(x => x.ApplicationId).OnDelete(DeleteBehavior.Cascade);
    }

    private static ValueConverter<T, string> Json<T>() =>
        new(v => JsonSerializer.Serialize(v, HubDbContext.Json), s => JsonSerializer.Deserialize<T>(s, HubDbContext.Json)!);

    private static ValueComparer<T> JsonComparer<T>() =>
        new(
            (a, b) => JsonSerializer.Serialize(a, HubDbContext.Json) == JsonSerializer.Serialize(b, HubDbContext.Json),
            v => JsonSerializer.Serialize(v, HubDbContext.Json).GetHashCode(StringComparison.Ordinal),
            v => JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(v, HubDbContext.Json), HubDbContext.Json)!);
}
