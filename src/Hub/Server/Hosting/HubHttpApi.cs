using System.Text.Json;
using Google.Protobuf.Reflection;
using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Grpc.JsonTranscoding;
using OneThing.Hub.V1;

namespace OneThing.Hub.Hosting;

/// <summary>
/// The hub's HTTP/JSON face: gRPC JSON transcoding of every public RPC (by its google.api.http rule),
/// the OpenAPI document generated from the contracts at <c>/openapi/v1.json</c>, and Swagger UI to try
/// the calls at <c>/openapi</c>.
/// </summary>
public static class HubHttpApi
{
    /// <summary>Where the OpenAPI document is served.</summary>
    public const string DocumentPath = "/openapi/v1.json";

    /// <summary>Where the interactive page is served.</summary>
    public const string PagePath = "/openapi";

    /// <summary>
    /// Adds JSON transcoding. Errors become google.rpc.Status JSON with their details: the type registry
    /// holds the google.rpc detail messages the hub sends, so each detail renders with its fields and
    /// <c>@type</c> instead of failing to serialize.
    /// </summary>
    public static IGrpcServerBuilder AddHubJsonTranscoding(this IGrpcServerBuilder grpc) =>
        grpc.AddJsonTranscoding(o =>
        {
            o.TypeRegistry = TypeRegistry.FromFiles(Google.Rpc.ErrorDetailsReflection.Descriptor, Google.Rpc.StatusReflection.Descriptor);
            // The canonical proto3 JSON form (as JsonFormatter writes it): fields at their default are left out.
            o.JsonSettings = new GrpcJsonSettings { IgnoreDefaultValues = true, WriteEnumsAsIntegers = false };
        });

    /// <summary>Adds the Kestrel set-up that serves HTTP/1.1 and gRPC's HTTP/2 on one cleartext endpoint.</summary>
    public static WebApplicationBuilder AddCleartextHttp1AndHttp2(this WebApplicationBuilder builder)
    {
        if (!CleartextProtocolNegotiation.IsNeeded(builder.Configuration))
        {
            return builder;
        }

        var negotiation = new CleartextProtocolNegotiation();
        builder.WebHost.ConfigureKestrel(negotiation.Configure);
        return builder;
    }

    /// <summary>Maps the OpenAPI document and the interactive page.</summary>
    public static WebApplication MapHubOpenApi(this WebApplication app)
    {
        // Built from the transcoding endpoints themselves, so the document lists exactly what is served.
        var routes = (IEndpointRouteBuilder)app;
        var document = new Lazy<string>(
            () =>
            {
                var operations = routes.DataSources
                    .SelectMany(source => source.Endpoints)
                    .Select(endpoint => endpoint.Metadata.GetMetadata<GrpcJsonTranscodingMetadata>())
                    .OfType<GrpcJsonTranscodingMetadata>()
                    .Select(metadata => (metadata.MethodDescriptor, metadata.HttpRule))
                    .Distinct();
                return HubOpenApiDocument.Build(operations, ContractDocs.For(typeof(Application).Assembly))
                    .ToJsonString(new JsonSerializerOptions { WriteIndented = true });
            },
            LazyThreadSafetyMode.ExecutionAndPublication);
        app.MapGet(DocumentPath, () => Results.Text(document.Value, "application/json; charset=utf-8")).AllowAnonymous();
        return app;
    }

    /// <summary>
    /// Serves the interactive page that tries the OpenAPI document. It is static middleware, not an
    /// endpoint, so it goes before authentication: the page is public, the calls it makes are not.
    /// </summary>
    public static WebApplication UseHubOpenApiPage(this WebApplication app)
    {
        app.UseSwaggerUI(o =>
        {
            o.RoutePrefix = PagePath.TrimStart('/');
            o.DocumentTitle = "OneThing hub — HTTP/JSON API";
            o.SwaggerEndpoint(DocumentPath, "OneThing hub v1");
        });
        return app;
    }
}
