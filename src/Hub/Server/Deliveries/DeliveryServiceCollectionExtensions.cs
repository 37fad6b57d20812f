namespace OneThing.Hub.Deliveries;

/// <summary>Registers unified delivery (统一出件).</summary>
public static class DeliveryServiceCollectionExtensions
{
    /// <summary>
    /// Adds the delivery use cases. Deliveries follow their applications through the notification
    /// outbox (<see cref="DeliveryTracking"/>), so nothing else runs in the background.
    /// </summary>
    public static IServiceCollection AddHubDeliveries(this IServiceCollection services)
    {
        services.AddScoped<DeliveryUseCases>();
        return services;
    }
}
