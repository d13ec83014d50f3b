using Prometheus;

namespace PeftOps.Serving;

/// <summary>
/// The server's Prometheus metrics, in a registry of its own (so two servers in one test process do not share counts),
/// exposed at <c>/metrics</c>.
/// </summary>
public sealed class ServingMetrics
{
    public ServingMetrics()
    {
        Registry = Metrics.NewCustomRegistry();
        var factory = Metrics.WithCustomRegistry(Registry);
        RequestSeconds = factory.CreateHistogram("peftops_serve_request_duration_seconds",
            "Time from a request's arrival to its answer, by adapter, endpoint and HTTP status.",
            new HistogramConfiguration { LabelNames = ["adapter", "endpoint", "status"], Buckets = Histogram.ExponentialBuckets(0.001, 2, 15) });
        BatchSize = factory.CreateHistogram("peftops_serve_batch_size",
            "Texts per forward pass, after coalescing concurrent requests.",
            new HistogramConfiguration { LabelNames = ["endpoint"], Buckets = Histogram.ExponentialBuckets(1, 2, 9) });
        Errors = factory.CreateCounter("peftops_serve_errors_total",
            "Requests answered with an error, by adapter, endpoint and HTTP status.", "adapter", "endpoint", "status");
        ShedRequests = factory.CreateCounter("peftops_serve_shed_total",
            "Requests refused with 503 and Retry-After because their queue was full, by adapter and endpoint.", "adapter", "endpoint");
        Refusals = factory.CreateCounter("peftops_serve_refusals_total",
            "Versions that held the stage but were not served: failed verification, download or loading.", "adapter", "version", "reason");
        Swaps = factory.CreateCounter("peftops_serve_swaps_total", "Version switches, by adapter.", "adapter");
        Generations = factory.CreateCounter("peftops_serve_generations_total",
            "Completions generated, by adapter, endpoint and finish reason (stop, length).", "adapter", "endpoint", "finish_reason");
        Tokens = factory.CreateCounter("peftops_serve_tokens_total",
            "Tokens of completed generations, by adapter and kind: prompt tokens read, completion tokens generated.", "adapter", "kind");
        AdapterInfo = factory.CreateGauge("peftops_serve_adapter_info",
            "1 for the version each adapter is served from.", "adapter", "version", "stage", "sha256");
    }

    /// <summary>The adapter label of requests for a name not served here.</summary>
    public const string Unknown = "(unknown)";

    public CollectorRegistry Registry { get; }
    public Histogram RequestSeconds { get; }
    public Histogram BatchSize { get; }
    public Counter Errors { get; }
    public Counter ShedRequests { get; }
    public Counter Refusals { get; }
    public Counter Swaps { get; }
    public Counter Generations { get; }
    public Counter Tokens { get; }
    public Gauge AdapterInfo { get; }

    /// <summary>Counts one answered request in <see cref="RequestSeconds"/>, and in <see cref="Errors"/> when it failed.</summary>
    /// <param name="adapter">The served adapter, or <see cref="Unknown"/>: a name a client made up is not a label value (the label set could grow without bound).</param>
    public void Answered(string adapter, Endpoint endpoint, int status, TimeSpan elapsed)
    {
        var code = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        RequestSeconds.WithLabels(adapter, endpoint.Name(), code).Observe(elapsed.TotalSeconds);
        if (status >= 400)
            Errors.WithLabels(adapter, endpoint.Name(), code).Inc();
    }

    /// <summary>Counts one request shed with 503 (<see cref="Overloaded"/>); <see cref="Answered"/> counts it among the errors too.</summary>
    public void Shed(string adapter, Endpoint endpoint) => ShedRequests.WithLabels(adapter, endpoint.Name()).Inc();

    /// <summary>Counts one finished generation and its tokens.</summary>
    public void Generated(string adapter, Endpoint endpoint, string finishReason, int promptTokens, int completionTokens)
    {
        Generations.WithLabels(adapter, endpoint.Name(), finishReason).Inc();
        Tokens.WithLabels(adapter, "prompt").Inc(promptTokens);
        Tokens.WithLabels(adapter, "completion").Inc(completionTokens);
    }

    /// <summary>The info metric follows the table: the new slot's labels at 1, the replaced slot's removed.</summary>
    public void Serving(ServingSlot slot, ServingSlot? replaced)
    {
        ArgumentNullException.ThrowIfNull(slot);
        if (replaced is not null)
            Retired(replaced);
        AdapterInfo.WithLabels(slot.Adapter, slot.Version, slot.Stage, slot.Sha256).Set(1);
    }

    public void Retired(ServingSlot slot)
    {
        ArgumentNullException.ThrowIfNull(slot);
        AdapterInfo.RemoveLabelled(slot.Adapter, slot.Version, slot.Stage, slot.Sha256);
    }
}
