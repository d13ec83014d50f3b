using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using PeftOps.Inference;

namespace PeftOps.Serving;

/// <summary>The HTTP surface of <c>peftops serve</c> (docs/serve.md).</summary>
public sealed class ServeEndpoints
{
    private readonly ServingTable _table;
    private readonly DynamicBatcher _batcher;
    private readonly StageFollower _follower;
    private readonly ServingMetrics _metrics;
    private readonly ServeOptions _options;
    private readonly ILogger _log;

    public ServeEndpoints(ServingTable table, DynamicBatcher batcher, StageFollower follower, ServingMetrics metrics, ServeOptions options, ILogger<ServeEndpoints> log)
    {
        _table = table;
        _batcher = batcher;
        _follower = follower;
        _metrics = metrics;
        _options = options;
        _log = log;
    }

    public void Map(IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        routes.MapPost("/v1/adapters/{name}/predict", (string name, HttpContext context) => ServeAsync(context, name, Endpoint.Predict));
        routes.MapPost("/v1/adapters/{name}/embed", (string name, HttpContext context) => ServeAsync(context, name, Endpoint.Embed));
        routes.MapGet("/v1/adapters", () => Results.Json(new AdaptersResponse(_options.Stage, [.. _table.Slots.Select(AdapterView.Of)])));
        routes.MapPost("/v1/refresh", (Delegate)RefreshAsync);
        routes.MapGet("/healthz", () => Results.Json(new { status = "ok" }));
        routes.MapGet("/readyz", Ready);
    }

    private async Task<IResult> ServeAsync(HttpContext context, string name, Endpoint endpoint)
    {
        var started = Stopwatch.GetTimestamp();
        // the version that holds the stage when the request arrives answers it, whatever a swap does meanwhile
        var slot = _table.Find(name);
        var status = StatusCodes.Status200OK;
        try
        {
            if (slot is null)
                throw new RequestError(404, $"adapter '{name}' is not served here (serving: {Served()})");
            if (slot.Generates)
                throw new RequestError(400, $"{slot.Name} is a decoder adapter: it answers POST /v1/chat/completions and /v1/completions, not /{endpoint.Name()}");
            if (endpoint == Endpoint.Predict && slot.Labels.Count == 0)
                throw new RequestError(400, $"{slot.Name} has no classifier head, so it cannot predict (use /embed)");
            var texts = await TextsRequest.ReadAsync(context.Request.Body, context.Request.ContentLength, _options, context.RequestAborted).ConfigureAwait(false);
            return endpoint == Endpoint.Predict
                ? Results.Json(new PredictResponse(slot.Adapter, slot.Version, slot.Stage,
                    [.. (await _batcher.ClassifyAsync(slot, texts).ConfigureAwait(false)).Select(slot.Predictions.Format)]))
                : Results.Json(new EmbedResponse(slot.Adapter, slot.Version, slot.Stage, await _batcher.EmbedAsync(slot, texts).ConfigureAwait(false)));
        }
        catch (RequestError e)
        {
            status = e.Status;
            return Results.Json(new ErrorResponse(e.Message), statusCode: e.Status);
        }
        catch (Overloaded e)
        {
            status = StatusCodes.Status503ServiceUnavailable;
            _metrics.Shed(slot!.Adapter, endpoint);
            Overloaded.Tell(context.Response);
            return Results.Json(new ErrorResponse(e.Message), statusCode: status);
        }
#pragma warning disable CA1031 // a failed forward pass is answered, logged and counted; the server goes on
        catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
        {
            status = StatusCodes.Status500InternalServerError;
            _log.LogError(e, "{Adapter}: {Endpoint} failed", name, endpoint.Name());
            return Results.Json(new ErrorResponse($"{slot?.Name ?? name}: {endpoint.Name()} failed: {e.GetType().Name}: {e.Message}"), statusCode: status);
        }
        finally
        {
            _metrics.Answered(slot?.Adapter ?? ServingMetrics.Unknown, endpoint, status, Stopwatch.GetElapsedTime(started));
        }
    }

    private async Task<IResult> RefreshAsync(HttpContext context)
    {
        if (_options.RefreshToken is null)
            return Results.Json(new ErrorResponse($"refresh is off: start the server with {ServeOptions.TokenVariable} set"), statusCode: 404);
        if (!Authorized(context.Request.Headers.Authorization.ToString(), _options.RefreshToken))
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            return Results.Json(new ErrorResponse($"refresh needs the header 'Authorization: Bearer <{ServeOptions.TokenVariable}>'"), statusCode: 401);
        }
        var changes = await _follower.RefreshAsync(context.RequestAborted).ConfigureAwait(false);
        return Results.Json(new RefreshResponse(changes, [.. _table.Slots.Select(AdapterView.Of)]));
    }

    private static bool Authorized(string header, string token)
    {
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            return false;
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header[scheme.Length..].Trim()), Encoding.UTF8.GetBytes(token));
    }

    private IResult Ready()
    {
        var missing = _options.Adapters.Where(a => _table.Find(a) is null).ToList();
        if (_table.Slots.Count == 0 || missing.Count > 0)
        {
            var what = missing.Count > 0 ? string.Join(", ", missing) : "every adapter";
            return Results.Json(new ErrorResponse($"not serving {what}: no version holds stage '{_options.Stage}'"), statusCode: 503);
        }
        return Results.Json(new AdaptersResponse(_options.Stage, [.. _table.Slots.Select(AdapterView.Of)]));
    }

    private string Served()
    {
        var names = _table.Slots.Select(s => s.Adapter).ToList();
        return names.Count > 0 ? string.Join(", ", names) : "nothing";
    }
}

/// <summary><c>GET /v1/adapters</c>.</summary>
public sealed record AdaptersResponse(string Stage, IReadOnlyList<AdapterView> Adapters);

/// <summary>
/// <c>POST /v1/adapters/{name}/predict</c>: one prediction per text, in order, all from <see cref="Version"/>, each
/// shaped as <c>peftops predict</c> shapes it (<see cref="PredictionFormatter"/>).
/// </summary>
public sealed record PredictResponse(string Adapter, string Version, string Stage, IReadOnlyList<Prediction> Predictions);

/// <summary><c>POST /v1/adapters/{name}/embed</c>: mean-pooled, L2-normalised embeddings, in order.</summary>
public sealed record EmbedResponse(string Adapter, string Version, string Stage, IReadOnlyList<float[]> Embeddings);

/// <summary><c>POST /v1/refresh</c>: what changed, and what is served now.</summary>
public sealed record RefreshResponse(IReadOnlyList<StageMove> Changes, IReadOnlyList<AdapterView> Adapters);

/// <summary>Every 4xx and 5xx answer.</summary>
public sealed record ErrorResponse(string Error);
