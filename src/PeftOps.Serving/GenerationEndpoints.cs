using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using PeftOps.Contracts;
using PeftOps.Modeling.Generation;
using PeftOps.Serving.Http;
using PeftOps.Serving.OpenAi;

namespace PeftOps.Serving;

/// <summary>
/// OpenAI's completion endpoints over the decoder adapters (docs/serve.md): <c>model</c> is the adapter's name, and the
/// version holding the stage when the request arrives answers it, whole or streamed as server-sent events. A client that
/// goes away cancels its generation (counted with status 499).
/// </summary>
public sealed class GenerationEndpoints
{
    /// <summary>The response header naming the version that answered; the body says it as <c>system_fingerprint</c>.</summary>
    public const string VersionHeader = "x-peftops-version";

    private readonly ServingTable _table;
    private readonly ModelHost _host;
    private readonly ServingMetrics _metrics;
    private readonly ServeOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _log;

    public GenerationEndpoints(ServingTable table, ModelHost host, ServingMetrics metrics, ServeOptions options, TimeProvider time, ILogger<GenerationEndpoints> log)
    {
        _table = table;
        _host = host;
        _metrics = metrics;
        _options = options;
        _time = time;
        _log = log;
    }

    public void Map(IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        routes.MapPost("/v1/chat/completions", (HttpContext context) => ServeAsync(context, Endpoint.ChatCompletions));
        routes.MapPost("/v1/completions", (HttpContext context) => ServeAsync(context, Endpoint.Completions));
        routes.MapGet("/v1/models", () => Results.Json(new ModelList("list", [.. _table.Slots.Where(s => s.Generates).Select(Card)]), OpenAiJson.Options));
    }

    private static ModelCard Card(ServingSlot slot) => new(slot.Adapter, "model", slot.ServingSince.ToUnixTimeSeconds(), "peftops", slot.Version, slot.Stage);

    private async Task ServeAsync(HttpContext context, Endpoint endpoint)
    {
        var started = Stopwatch.GetTimestamp();
        var aborted = context.RequestAborted;
        ServingSlot? slot = null;
        var status = StatusCodes.Status200OK;
        try
        {
            var body = await RequestBody.ReadAsync(context.Request.Body, context.Request.ContentLength, _options.MaxBodyBytes,
                () => new OpenAiError(413, $"body: more than {_options.MaxBodyBytes} bytes"), aborted).ConfigureAwait(false);
            var request = CompletionRequest.Parse(body.Span, endpoint == Endpoint.ChatCompletions, _options.MaxNewTokens);
            // the version that holds the stage when the request arrives answers it, whatever a swap does meanwhile
            slot = _table.Find(request.Model);
            if (slot is not { Generates: true })
                throw new OpenAiError(404, NotServed(request.Model, slot), "model", "model_not_found");
            var shaper = new CompletionShaper(endpoint == Endpoint.ChatCompletions, request.Model, slot.Name, _time.GetUtcNow());
            context.Response.Headers[VersionHeader] = slot.Version;
            var result = request.Stream
                ? await StreamAsync(context, slot, request, shaper).ConfigureAwait(false)
                : await GenerateAsync(slot, request, null, aborted).ConfigureAwait(false);
            var usage = Usage.Of(result.PromptTokens, result.Tokens.Count);
            _metrics.Generated(slot.Adapter, endpoint, result.FinishReason, usage.PromptTokens, usage.CompletionTokens);
            if (request.Stream)
                await FinishStreamAsync(context, request, shaper, result.FinishReason, usage).ConfigureAwait(false);
            else
                await context.Response.WriteAsJsonAsync(shaper.Whole(result.Text, result.FinishReason, usage), OpenAiJson.Options, aborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            status = 499; // the client closed the connection: nothing to answer, the generation stopped
        }
        catch (Exception e) when (e is OpenAiError or InputException)
        {
            // InputException: the template refused the messages, or the prompt does not fit the model's context
            var error = e as OpenAiError ?? new OpenAiError(400, $"{slot?.Name}: {e.Message}");
            status = error.Status;
            await AnswerAsync(context, error).ConfigureAwait(false);
        }
        catch (Overloaded e)
        {
            status = StatusCodes.Status503ServiceUnavailable;
            _metrics.Shed(slot!.Adapter, endpoint);
            Overloaded.Tell(context.Response);
            await AnswerAsync(context, new OpenAiError(status, $"{slot.Name}: {e.Message}", type: OpenAiError.ServerError)).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // a failed generation is answered, logged and counted; the server goes on
        catch (Exception e)
#pragma warning restore CA1031
        {
            status = StatusCodes.Status500InternalServerError;
            _log.LogError(e, "{Adapter}: {Endpoint} failed", slot?.Name, endpoint.Name());
            await AnswerAsync(context, new OpenAiError(status, $"{slot?.Name}: {endpoint.Name()} failed: {e.GetType().Name}: {e.Message}", type: OpenAiError.ServerError)).ConfigureAwait(false);
        }
        finally
        {
            _metrics.Answered(slot?.Adapter ?? ServingMetrics.Unknown, endpoint, status, Stopwatch.GetElapsedTime(started));
        }
    }

    private Task<GeneratedText> GenerateAsync(ServingSlot slot, CompletionRequest request, Action<GeneratedDelta>? onDelta, CancellationToken cancellationToken) =>
        request.Messages is { } messages
            ? _host.ChatAsync(slot.ModelKey, messages, request.Options, !request.MaxTokensGiven, onDelta, cancellationToken)
            : _host.CompleteAsync(slot.ModelKey, request.Prompt!, request.Options, !request.MaxTokensGiven, onDelta, cancellationToken);

    /// <summary>
    /// Streams each piece of text as the model writes it. The response starts with the first piece, so a request refused
    /// before any text (a prompt too long) is still answered with a status and OpenAI's error body.
    /// </summary>
    private async Task<GeneratedText> StreamAsync(HttpContext context, ServingSlot slot, CompletionRequest request, CompletionShaper shaper)
    {
        var aborted = context.RequestAborted;
        var pieces = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var generation = GenerateAsync(slot, request, d => pieces.Writer.TryWrite(d.Delta), aborted);
        _ = generation.ContinueWith(t => pieces.Writer.TryComplete(t.Exception?.InnerException), TaskScheduler.Default);
        await foreach (var piece in pieces.Reader.ReadAllAsync(aborted).ConfigureAwait(false))
        {
            await StartStreamAsync(context, shaper).ConfigureAwait(false);
            if (piece.Length > 0)
                await ServerSentEvents.WriteAsync(context.Response.Body, shaper.Delta(piece), aborted).ConfigureAwait(false);
        }
        var result = await generation.ConfigureAwait(false);
        await StartStreamAsync(context, shaper).ConfigureAwait(false);
        return result;
    }

    private static async Task StartStreamAsync(HttpContext context, CompletionShaper shaper)
    {
        if (context.Response.HasStarted)
            return;
        context.Response.ContentType = ServerSentEvents.ContentType;
        context.Response.Headers.CacheControl = "no-cache";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        if (shaper.Opening() is { } opening)
            await ServerSentEvents.WriteAsync(context.Response.Body, opening, context.RequestAborted).ConfigureAwait(false);
        else
            await context.Response.StartAsync(context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task FinishStreamAsync(HttpContext context, CompletionRequest request, CompletionShaper shaper, string finishReason, Usage usage)
    {
        var body = context.Response.Body;
        await ServerSentEvents.WriteAsync(body, shaper.Finish(finishReason), context.RequestAborted).ConfigureAwait(false);
        if (request.IncludeUsage)
            await ServerSentEvents.WriteAsync(body, shaper.UsageChunk(usage), context.RequestAborted).ConfigureAwait(false);
        await ServerSentEvents.DoneAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>The error as a status and body or, once a stream has started, as its last event (OpenAI's clients raise it).</summary>
    private static async Task AnswerAsync(HttpContext context, OpenAiError error)
    {
        if (!context.Response.HasStarted)
        {
            context.Response.StatusCode = error.Status;
            await context.Response.WriteAsJsonAsync(error.Body(), OpenAiJson.Options, context.RequestAborted).ConfigureAwait(false);
            return;
        }
        if (context.Response.ContentType == ServerSentEvents.ContentType)
        {
            await ServerSentEvents.WriteAsync(context.Response.Body, error.Body(), context.RequestAborted).ConfigureAwait(false);
            await ServerSentEvents.DoneAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
        }
    }

    private string NotServed(string model, ServingSlot? slot)
    {
        var decoders = _table.Slots.Where(s => s.Generates).Select(s => s.Adapter).ToList();
        var serving = decoders.Count > 0 ? string.Join(", ", decoders) : "none";
        return slot is null
            ? $"model '{model}': no adapter of that name is served here (decoder adapters served: {serving})"
            : $"model '{model}': {slot.Name} is a classifier; it answers POST /v1/adapters/{slot.Adapter}/predict (decoder adapters served: {serving})";
    }
}
