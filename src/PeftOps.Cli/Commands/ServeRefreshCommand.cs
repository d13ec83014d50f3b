using System.CommandLine;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using PeftOps.Contracts;
using PeftOps.Serving;

namespace PeftOps.Cli.Commands;

/// <summary>
/// <c>peftops serve refresh --url URL</c>: asks a running server to follow the registry's tags now (<c>POST /v1/refresh</c>
/// with <c>PEFTOPS_SERVE_TOKEN</c>), as <c>release.yml</c>'s stage job does after a stage change. Prints what changed.
/// </summary>
internal static class ServeRefreshCommand
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static Command Create()
    {
        var url = new Option<string>("--url") { Description = "The server, e.g. https://adapters.example.com.", Required = true };
        var command = new Command("refresh", $"Ask a running peftops serve to follow the stage tags now (bearer token from {ServeOptions.TokenVariable}).") { url };
        command.SetAction((parse, cancellationToken) => PeftOpsCli.Guard(() => RunAsync(parse.GetValue(url)!, cancellationToken)));
        return command;
    }

    private static async Task<int> RunAsync(string url, CancellationToken cancellationToken)
    {
        var token = Environment.GetEnvironmentVariable(ServeOptions.TokenVariable);
        if (string.IsNullOrEmpty(token))
            throw new InputException($"{ServeOptions.TokenVariable} is not set (the bearer token the server was started with)");
        if (!Uri.TryCreate(url.TrimEnd('/') + "/v1/refresh", UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("http" or "https"))
            throw new InputException($"--url '{url}' is not an http(s) address (expected e.g. https://adapters.example.com)");
        // the token travels in the Authorization header: over plain http anyone on the way could read it
        if (endpoint.Scheme == Uri.UriSchemeHttp && !endpoint.IsLoopback)
            throw new InputException($"--url '{url}': plain http sends the token in clear; use https (http only to this machine)");

        using var client = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        HttpResponseMessage response;
        string body;
        try
        {
            response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
            body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new InfrastructureException($"{endpoint}: no answer ({e.Message}); the server follows the tag at its next poll anyway", e);
        }
        using (response)
        {
            if (response.StatusCode == HttpStatusCode.Unauthorized)
                throw new InfrastructureException($"{endpoint}: 401, the server refused the token ({ServeOptions.TokenVariable} differs from the one it was started with)");
            if (!response.IsSuccessStatusCode)
                throw new InfrastructureException($"{endpoint}: {(int)response.StatusCode} {Error(body)}");
        }
        var refreshed = JsonSerializer.Deserialize<RefreshResponse>(body, Json)
            ?? throw new InfrastructureException($"{endpoint}: the answer is not a refresh result");
        foreach (var change in refreshed.Changes)
            Console.WriteLine($"{change.Adapter}: {change.From ?? "(none)"} -> {change.To ?? "(none)"}");
        Console.WriteLine($"serving {string.Join(", ", refreshed.Adapters.Select(a => $"{a.Name} {a.Version}"))}{(refreshed.Changes.Count == 0 ? " (no change)" : "")}");
        return ExitCodes.Success;
    }

    private static string Error(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.TryGetProperty("error", out var error) ? error.GetString() ?? body : body;
        }
        catch (JsonException)
        {
            return body.Length > 200 ? body[..200] : body;
        }
    }
}
