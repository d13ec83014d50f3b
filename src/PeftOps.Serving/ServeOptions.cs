namespace PeftOps.Serving;

/// <summary>What <c>peftops serve</c> serves and how; validated by the CLI before the server starts.</summary>
public sealed record ServeOptions
{
    /// <summary>The environment variable holding the bearer token of <c>POST /v1/refresh</c>.</summary>
    public const string TokenVariable = "PEFTOPS_SERVE_TOKEN";

    /// <summary>The stage whose holders are served, e.g. <c>production</c>.</summary>
    public required string Stage { get; init; }

    /// <summary>The adapters to serve; empty serves every adapter that holds <see cref="Stage"/>, as stages change.</summary>
    public IReadOnlyList<string> Adapters { get; init; } = [];

    /// <summary>Where verified versions are kept on disk, so a restart works while the store is down.</summary>
    public required string CacheDirectory { get; init; }

    /// <summary>How often origin's tags are fetched; <see cref="TimeSpan.Zero"/> only on <c>POST /v1/refresh</c>.</summary>
    public TimeSpan Poll { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the first request of a batch waits for others to join it.</summary>
    public TimeSpan BatchWait { get; init; } = TimeSpan.FromMilliseconds(2);

    /// <summary>At most this many texts in one forward pass.</summary>
    public int MaxBatch { get; init; } = 64;

    /// <summary>
    /// How much may wait before the server sheds load (<see cref="Overloaded"/>, 503): texts waiting for a forward pass
    /// (<see cref="DynamicBatcher"/>; a request into an empty queue is always taken, however many texts it has), and
    /// completions waiting for their turn at a decoder. Null: <see cref="DefaultQueueFactor"/> x <see cref="MaxBatch"/>.
    /// </summary>
    public int? MaxQueue { get; init; }

    /// <summary>The default queue holds this many full forward passes.</summary>
    public const int DefaultQueueFactor = 4;

    /// <summary><see cref="MaxQueue"/>, or its default.</summary>
    public int QueueCapacity => MaxQueue ?? DefaultQueueFactor * MaxBatch;

    /// <summary>Request limits: texts per request, characters per text, bytes per body.</summary>
    public int MaxTexts { get; init; } = 64;

    public int MaxTextLength { get; init; } = 2000;

    public long MaxBodyBytes { get; init; } = 256 * 1024;

    /// <summary>Tokens per text; longer texts are cut.</summary>
    public int MaxTokens { get; init; } = 128;

    /// <summary>The most tokens one completion may generate: a request's <c>max_tokens</c> above it is refused, and chat requests without one get it (or what the prompt leaves of the model's context).</summary>
    public int MaxNewTokens { get; init; } = 512;

    /// <summary>The bearer token <c>POST /v1/refresh</c> needs; null turns the endpoint off.</summary>
    public string? RefreshToken { get; init; }

    /// <summary>With one adapter, fold it into the base weights (exact for LoRA) instead of running it beside them.</summary>
    public bool MergeSingleAdapter { get; init; } = true;

    /// <summary>cpu, cuda, cuda:N or auto, as <c>peftops predict --device</c>.</summary>
    public string? Device { get; init; }

    /// <summary>The dtype the loaded bases are held in: float32 (default) or bfloat16 (decoders only), as <c>--dtype</c>.</summary>
    public string Dtype { get; init; } = "float32";
}
