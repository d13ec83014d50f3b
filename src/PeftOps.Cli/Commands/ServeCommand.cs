using System.CommandLine;
using Microsoft.Extensions.Hosting;
using PeftOps.Modeling.Checkpoints;
using PeftOps.Configuration;
using PeftOps.Contracts;
using PeftOps.Modeling.Onnx;
using PeftOps.Serving;

namespace PeftOps.Cli.Commands;

/// <summary>
/// <c>peftops serve --stage STAGE [--adapter NAME]... [--urls URLS] [--poll SECONDS]</c>: serves the versions that hold
/// the stage, over HTTP, and follows the stage as it is promoted and rolled back (docs/serve.md). The registry is found as
/// <c>peftops registry</c> finds it: the git clone around the current folder and <c>--registry</c>'s store.
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var stage = RegistryCommand.StageOption(required: true);
        var adapters = new Option<string[]>("--adapter")
        {
            Description = "An adapter to serve (repeatable; default: every adapter that holds the stage, as that changes).",
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = false,
        };
        var urls = new Option<string>("--urls") { Description = "Where to listen, ';'-separated.", DefaultValueFactory = _ => "http://127.0.0.1:8080" };
        var poll = new Option<int>("--poll") { Description = "Seconds between fetches of origin's tags; 0 fetches only on POST /v1/refresh.", DefaultValueFactory = _ => 30 };
        var batchWait = new Option<int>("--batch-wait-ms") { Description = "How long a request waits for others to share its forward pass.", DefaultValueFactory = _ => 2 };
        var maxBatch = new Option<int>("--max-batch") { Description = "At most this many texts in one forward pass.", DefaultValueFactory = _ => 64 };
        var maxQueue = new Option<int?>("--max-queue")
        {
            Description = $"Texts that may wait for a forward pass, and completions for their turn, before requests are refused with 503 and Retry-After (default: {ServeOptions.DefaultQueueFactor} x --max-batch).",
        };
        var maxNewTokens = new Option<int>("--max-new-tokens")
        {
            Description = "Decoder adapters: the most tokens one completion may generate (a larger max_tokens is refused; chat requests without one get it, or what the prompt leaves of the context).",
            DefaultValueFactory = _ => 512,
        };
        var cache = new Option<string?>("--cache") { Description = "Folder for verified versions (default: $PEFTOPS_CACHE/serve, else ~/.cache/peftops/serve)." };
        var device = new Option<string>("--device") { Description = "cpu, cuda, cuda:N or auto.", DefaultValueFactory = _ => "cpu" };
        var dtype = CommonOptions.Dtype();
        var store = RegistryCommand.StoreOption(recursive: false);
        var noMerge = new Option<bool>("--no-merge") { Description = "Serving one adapter, run it beside the base weights instead of merged into them." };
        var command = new Command("serve", "Serve the adapter versions that hold a stage over HTTP, following promotions and rollbacks.")
        {
            store, stage, adapters, urls, poll, batchWait, maxBatch, maxQueue, maxNewTokens, cache, device, dtype, noMerge,
        };
        command.Subcommands.Add(ServeRefreshCommand.Create());
        command.SetAction((parse, cancellationToken) => RegistryCommand.Run(parse, cancellationToken, async registry =>
        {
            var options = new ServeOptions
            {
                Stage = parse.GetValue(stage)!,
                Adapters = [.. (parse.GetValue(adapters) ?? []).Distinct(StringComparer.Ordinal)],
                CacheDirectory = parse.GetValue(cache) ?? Path.Combine(MiniLmCache.ResolveRoot(), "serve"),
                Poll = TimeSpan.FromSeconds(AtLeast(parse.GetValue(poll), 0, "--poll")),
                BatchWait = TimeSpan.FromMilliseconds(AtLeast(parse.GetValue(batchWait), 0, "--batch-wait-ms")),
                MaxBatch = AtLeast(parse.GetValue(maxBatch), 1, "--max-batch"),
                MaxQueue = parse.GetValue(maxQueue) is { } queue ? AtLeast(queue, 1, "--max-queue") : null,
                MaxNewTokens = AtLeast(parse.GetValue(maxNewTokens), 1, "--max-new-tokens"),
                Device = parse.GetValue(device),
                Dtype = BaseDtype.Name(BaseDtype.Parse(parse.GetValue(dtype))),
                MergeSingleAdapter = !parse.GetValue(noMerge),
                RefreshToken = Token(),
            };
            foreach (var adapter in options.Adapters.Where(a => !AdapterName.IsValid(a)))
                throw new InputException($"--adapter '{adapter}' is not a valid name (expected {AdapterName.Meaning})");
            var listen = Urls(parse.GetValue(urls)!);
            await using var app = ServeApp.Build(options, registry, listen, ServeShutdown.Configure);
            try
            {
                await ServeApp.StartAsync(app, cancellationToken).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                throw new InputException($"--urls {string.Join(';', listen)}: {e.Message}", e);
            }
            await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            return ExitCodes.Success;
        }, store: store));
        return command;
    }

    private static int AtLeast(int value, int minimum, string option) =>
        value >= minimum ? value : throw new InputException($"{option} is {value}, expected at least {minimum}");

    private static List<string> Urls(string value)
    {
        var urls = value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        foreach (var url in urls)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.AbsolutePath != "/")
                throw new InputException($"--urls '{url}' is not a listening address (expected e.g. http://127.0.0.1:8080 or http://0.0.0.0:8080)");
        }
        return urls.Count > 0 ? urls : throw new InputException("--urls is empty (expected e.g. http://127.0.0.1:8080)");
    }

    /// <summary>The refresh endpoint's token, never shown; too short a token is refused rather than guessed.</summary>
    private static string? Token()
    {
        var token = Environment.GetEnvironmentVariable(ServeOptions.TokenVariable);
        if (string.IsNullOrEmpty(token))
            return null;
        return token.Length >= 16 ? token : throw new InputException($"{ServeOptions.TokenVariable} has {token.Length} characters, expected at least 16 (POST /v1/refresh is off without it)");
    }
}
