using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Google.Api;
using Google.Protobuf.Reflection;
using FieldType = Google.Protobuf.Reflection.FieldType;
using ServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;

namespace OneThing.Hub.Hosting;

/// <summary>
/// Builds the OpenAPI 3.0 document of the hub's HTTP/JSON API from the contracts themselves: every
/// method's <c>google.api.http</c> rule gives its path, verb, path and query parameters and body;
/// every message's descriptor gives its schema in the proto3 JSON mapping (lowerCamelCase names,
/// enums as their names, 64-bit integers, Timestamp and Duration as strings); the .proto comments
/// give the summaries and descriptions. Nothing in it is written by hand, so it cannot drift from
/// what JSON transcoding serves.
/// </summary>
public static partial class HubOpenApiDocument
{
    private const string StatusSchema = "google.rpc.Status";

    /// <summary>The operation id of a method in the document: <c>Service_Method</c>.</summary>
    public static string OperationId(MethodDescriptor method) => $"{method.Service.Name}_{method.Name}";

    /// <summary>
    /// Builds the document of the given transcoded methods: each method with one of its http rules (the
    /// main rule or an additional binding), as the transcoding endpoints carry them.
    /// </summary>
    public static JsonObject Build(IEnumerable<(MethodDescriptor Method, HttpRule Rule)> operations, ContractDocs docs)
    {
        var schemas = new SchemaSet(docs);
        var paths = new JsonObject();
        var tags = new JsonArray();
        var services = new HashSet<string>(StringComparer.Ordinal);
        var ordered = operations
            .OrderBy(o => o.Method.Service.FullName, StringComparer.Ordinal)
            .ThenBy(o => o.Method.Index);
        foreach (var (method, rule) in ordered)
        {
            if (services.Add(method.Service.FullName))
            {
                tags.Add(Describe(new JsonObject { ["name"] = method.Service.Name }, docs.Of(method.Service)));
            }

            var (verb, template) = VerbAndTemplate(rule);
            var route = Route.Parse(template);
            var pathItem = paths[route.OpenApiPath] as JsonObject ?? new JsonObject();
            paths[route.OpenApiPath] = pathItem;
            pathItem[verb] = Operation(method, rule, route, docs, schemas);
        }

        schemas.Add(Google.Rpc.Status.Descriptor);
        schemas.Add(Google.Rpc.ErrorInfo.Descriptor);
        schemas.Add(Google.Rpc.BadRequest.Descriptor);

        return new JsonObject
        {
            ["openapi"] = "3.0.3",
            ["info"] = new JsonObject
            {
                ["title"] = "OneThing hub (一件事一次办)",
                ["version"] = "v1",
                ["description"] =
                    "The hub's gRPC services over HTTP/JSON (gRPC JSON transcoding of protos/onething/hub/v1). " +
                    "Bodies follow the proto3 JSON mapping: lowerCamelCase names, enums by name, 64-bit integers, " +
                    "Timestamp (RFC 3339) and Duration (\"1.5s\") as strings. Every error is a google.rpc.Status " +
                    "with its details: google.rpc.ErrorInfo (domain onething.gov.cn, a stable reason) and, for " +
                    "HTTP 400 from INVALID_ARGUMENT, google.rpc.BadRequest listing every field violation.",
            },
            ["tags"] = tags,
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = schemas.Components },
        };
    }

    private static JsonObject Operation(MethodDescriptor method, HttpRule rule, Route route, ContractDocs docs, SchemaSet schemas)
    {
        var request = method.InputType;
        var operation = new JsonObject
        {
            ["tags"] = new JsonArray(method.Service.Name),
            ["operationId"] = OperationId(method),
        };
        var comment = docs.Of(method);
        if (comment is not null)
        {
            operation["summary"] = FirstSentence(comment);
            operation["description"] = comment;
        }

        var parameters = new JsonArray();
        var bound = new HashSet<string>(StringComparer.Ordinal);
        foreach (var variable in route.Variables)
        {
            bound.Add(variable.FieldPath.Split('.')[0]);
            foreach (var parameter in variable.Parameters)
            {
                parameters.Add(new JsonObject
                {
                    ["name"] = parameter,
                    ["in"] = "path",
                    ["required"] = true,
                    ["schema"] = new JsonObject { ["type"] = "string" },
                    ["description"] = variable.Parameters.Count == 1 && variable.Pattern is null
                        ? FieldComment(request, variable.FieldPath, docs) ?? $"Sets `{variable.FieldPath}`."
                        : $"A segment of `{variable.FieldPath}`, which is `{variable.Pattern}`.",
                });
            }
        }

        if (rule.Body == "*")
        {
            var remaining = request.Fields.InDeclarationOrder().Where(f => !bound.Contains(f.Name)).ToList();
            operation["requestBody"] = new JsonObject
            {
                ["required"] = true,
                ["content"] = Json(bound.Count == 0 ? schemas.Ref(request) : schemas.Inline(request, remaining)),
            };
        }
        else
        {
            if (rule.Body.Length > 0)
            {
                var field = request.FindFieldByName(rule.Body)
                    ?? throw new InvalidOperationException($"{method.FullName}: body field '{rule.Body}' does not exist");
                bound.Add(field.Name);
                operation["requestBody"] = Describe(
                    new JsonObject { ["required"] = true, ["content"] = Json(schemas.ForField(field)) },
                    docs.Of(field) is { } about ? $"`{field.JsonName}`: {about}" : null);
            }

            foreach (var field in request.Fields.InDeclarationOrder().Where(f => !bound.Contains(f.Name)))
            {
                AddQueryParameters(parameters, field, prefix: string.Empty, docs, schemas, depth: 0);
            }
        }

        if (parameters.Count > 0)
        {
            operation["parameters"] = parameters;
        }

        var response = rule.ResponseBody.Length > 0
            ? schemas.ForField(method.OutputType.FindFieldByName(rule.ResponseBody))
            : schemas.Ref(method.OutputType);
        operation["responses"] = new JsonObject
        {
            ["200"] = new JsonObject
            {
                ["description"] = method.IsServerStreaming
                    ? $"A stream of {method.OutputType.Name} JSON objects, one after another, each written as it happens."
                    : $"The {method.OutputType.Name}.",
                ["content"] = Json(response),
            },
            ["default"] = new JsonObject
            {
                ["description"] =
                    "The error as a google.rpc.Status with its details (ErrorInfo; BadRequest for INVALID_ARGUMENT). " +
                    "HTTP status by gRPC code: INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE 400; " +
                    "PERMISSION_DENIED 403; NOT_FOUND 404; ABORTED, ALREADY_EXISTS 409; INTERNAL 500; UNAVAILABLE 503.",
                ["content"] = Json(new JsonObject { ["$ref"] = "#/components/schemas/" + StatusSchema }),
            },
        };
        return operation;
    }

    // Fields not in the path or body are query parameters (their JSON names); singular messages are
    // flattened with dots, as transcoding binds them. Maps and repeated messages cannot be bound.
    private static void AddQueryParameters(JsonArray parameters, FieldDescriptor field, string prefix, ContractDocs docs, SchemaSet schemas, int depth)
    {
        if (field.IsMap || (field.IsRepeated && field.FieldType == FieldType.Message))
        {
            return;
        }

        var name = prefix + field.JsonName;
        if (field.FieldType == FieldType.Message && !SchemaSet.IsScalarLike(field.MessageType))
        {
            if (depth < 4)
            {
                foreach (var inner in field.MessageType.Fields.InDeclarationOrder())
                {
                    AddQueryParameters(parameters, inner, name + ".", docs, schemas, depth + 1);
                }
            }

            return;
        }

        var parameter = new JsonObject
        {
            ["name"] = name,
            ["in"] = "query",
            ["schema"] = schemas.ForField(field),
        };
        if (field.IsRepeated)
        {
            parameter["style"] = "form";
            parameter["explode"] = true;
        }

        Describe(parameter, docs.Of(field));
        parameters.Add(parameter);
    }

    private static (string Verb, string Template) VerbAndTemplate(HttpRule rule) => rule.PatternCase switch
    {
        HttpRule.PatternOneofCase.Get => ("get", rule.Get),
        HttpRule.PatternOneofCase.Post => ("post", rule.Post),
        HttpRule.PatternOneofCase.Put => ("put", rule.Put),
        HttpRule.PatternOneofCase.Delete => ("delete", rule.Delete),
        HttpRule.PatternOneofCase.Patch => ("patch", rule.Patch),
        HttpRule.PatternOneofCase.Custom => (rule.Custom.Kind.ToLowerInvariant(), rule.Custom.Path),
        _ => throw new InvalidOperationException("an http rule without a pattern"),
    };

    private static string? FieldComment(MessageDescriptor message, string fieldPath, ContractDocs docs)
    {
        FieldDescriptor? field = null;
        foreach (var part in fieldPath.Split('.'))
        {
            field = message.FindFieldByName(part);
            if (field is null)
            {
                return null;
            }

            if (field.FieldType == FieldType.Message)
            {
                message = field.MessageType;
            }
        }

        return field is null ? null : docs.Of(field);
    }

    private static JsonObject Json(JsonNode schema) => new() { ["application/json"] = new JsonObject { ["schema"] = schema } };

    internal static JsonObject Describe(JsonObject target, string? description)
    {
        if (description is not null)
        {
            target["description"] = description;
        }

        return target;
    }

    private static string FirstSentence(string text)
    {
        var paragraph = text.Split("\n\n")[0];
        var end = FirstSentenceEnd().Match(paragraph);
        return end.Success ? paragraph[..(end.Index + 1)] : paragraph;
    }

    [GeneratedRegex(@"[.。](\s|$)")]
    private static partial Regex FirstSentenceEnd();

    /// <summary>An http rule's path template as an OpenAPI path with its parameters.</summary>
    internal sealed record Route(string OpenApiPath, IReadOnlyList<RouteVariable> Variables)
    {
        /// <summary>
        /// <c>/v1/{name=applications/*/items/*}:retry</c> becomes
        /// <c>/v1/applications/{application}/items/{item}:retry</c>: each <c>*</c> of a variable's pattern is a
        /// path parameter named after the collection before it, as the HTTP path the caller sends shows it.
        /// </summary>
        public static Route Parse(string template)
        {
            var variables = new List<RouteVariable>();
            var path = RouteVariableSyntax().Replace(template, match =>
            {
                var field = match.Groups["field"].Value;
                if (!match.Groups["pattern"].Success)
                {
                    variables.Add(new RouteVariable(field, null, [field]));
                    return "{" + field + "}";
                }

                var pattern = match.Groups["pattern"].Value;
                var segments = pattern.Split('/');
                var parameters = new List<string>();
                for (var i = 0; i < segments.Length; i++)
                {
                    if (segments[i] is "*" or "**")
                    {
                        var name = i > 0 ? Singular(segments[i - 1]) : field.Replace('.', '_');
                        parameters.Add(name);
                        segments[i] = "{" + name + "}";
                    }
                }

                var expanded = string.Join('/', segments);
                variables.Add(new RouteVariable(field, expanded, parameters));
                return expanded;
            });
            return new Route(path, variables);
        }

        private static string Singular(string collection) =>
            collection.EndsWith('s') && collection.Length > 1 ? collection[..^1] : collection + "Id";
    }

    /// <summary>A variable of a path template: the request field it sets, its pattern with the path parameters in it, and those parameters.</summary>
    internal sealed record RouteVariable(string FieldPath, string? Pattern, IReadOnlyList<string> Parameters);

    [GeneratedRegex(@"\{(?<field>[A-Za-z0-9_.]+)(=(?<pattern>[^}]+))?\}")]
    private static partial Regex RouteVariableSyntax();
}
