using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PeftOps.Inference;

namespace PeftOps.Serving;

/// <summary>
/// Coalesces concurrent requests into one forward pass: the first request waits up to <see cref="ServeOptions.BatchWait"/>
/// (less when <see cref="ServeOptions.MaxBatch"/> texts are waiting) for others; requests for the same version and
/// endpoint then run as one batch. Each request keeps the slot it arrived with, so a batch never mixes versions.
/// At most <see cref="ServeOptions.QueueCapacity"/> texts wait for a forward pass: a request that would overfill the queue
/// is refused at once (<see cref="Overloaded"/>) on its own thread, so memory under a flood stays bounded by the queue,
/// the batch being formed and the batch running.
/// </summary>
public sealed class DynamicBatcher : BackgroundService
{
    // bounded by TryAdmit, in texts rather than requests: a request of 64 texts weighs 64 times one of 1
    private readonly Channel<Work> _queue = Channel.CreateUnbounded<Work>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ModelHost _host;
    private readonly ServingMetrics _metrics;
    private readonly ServeOptions _options;
    private readonly ILogger _log;
    private int _waiting; // texts admitted and not yet taken into a batch

    public DynamicBatcher(ModelHost host, ServingMetrics metrics, ServeOptions options, ILogger<DynamicBatcher> log)
    {
        _host = host;
        _metrics = metrics;
        _options = options;
        _log = log;
    }

    /// <returns>Per text, in order, its class probabilities and scope features (<see cref="ModelHost.Classify"/>);
    /// faulted with <see cref="Overloaded"/> when the queue has no room for the texts.</returns>
    public Task<ClassifierOutput[]> ClassifyAsync(ServingSlot slot, IReadOnlyList<string> texts) => RunAsync<ClassifierOutput>(slot, Endpoint.Predict, texts);

    /// <returns>Per text, in order, its embedding (<see cref="ModelHost.Embeddings"/>); faulted with <see cref="Overloaded"/> when the queue is full.</returns>
    public Task<float[][]> EmbedAsync(ServingSlot slot, IReadOnlyList<string> texts) => RunAsync<float[]>(slot, Endpoint.Embed, texts);

    private async Task<TRow[]> RunAsync<TRow>(ServingSlot slot, Endpoint endpoint, IReadOnlyList<string> texts)
    {
        ArgumentNullException.ThrowIfNull(slot);
        ArgumentNullException.ThrowIfNull(texts);
        if (!TryAdmit(texts.Count))
        {
            throw new Overloaded(
                $"{slot.Name}: the server is overloaded (the queue of texts waiting for a forward pass is full: {_options.QueueCapacity}); retry after {Overloaded.RetryAfterSeconds} s");
        }
        var work = new Work(slot, endpoint, texts, new TaskCompletionSource<Array>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(work))
        {
            Interlocked.Add(ref _waiting, -texts.Count);
            work.Done.SetException(new InvalidOperationException("the server is stopping"));
        }
        return (TRow[])await work.Done.Task.ConfigureAwait(false);
    }

    /// <summary>Reserves room for <paramref name="count"/> texts; an empty queue takes any request, so none is refused forever.</summary>
    private bool TryAdmit(int count)
    {
        while (true)
        {
            var waiting = Volatile.Read(ref _waiting);
            if (waiting > 0 && waiting + count > _options.QueueCapacity)
                return false;
            if (Interlocked.CompareExchange(ref _waiting, waiting + count, waiting) == waiting)
                return true;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = _queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                var batch = await CollectAsync(reader, stoppingToken).ConfigureAwait(false);
                // the forward pass is CPU-bound and holds the model: off the request threads
                await Task.Run(() => Run(batch), CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        _queue.Writer.TryComplete();
        while (reader.TryRead(out var left))
            left.Done.TrySetCanceled(stoppingToken);
    }

    private async Task<List<Work>> CollectAsync(ChannelReader<Work> reader, CancellationToken stoppingToken)
    {
        var batch = new List<Work>();
        var texts = 0;
        var deadline = DateTime.UtcNow + _options.BatchWait;
        while (texts < _options.MaxBatch)
        {
            if (reader.TryPeek(out var next) && (batch.Count == 0 || texts + next.Texts.Count <= _options.MaxBatch) && reader.TryRead(out next))
            {
                Interlocked.Add(ref _waiting, -next.Texts.Count);
                batch.Add(next);
                texts += next.Texts.Count;
                continue;
            }
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || reader.TryPeek(out _))
                break;
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            wait.CancelAfter(left);
            try
            {
                if (!await reader.WaitToReadAsync(wait.Token).ConfigureAwait(false))
                    break;
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                break;
            }
        }
        return batch;
    }

    private void Run(List<Work> batch)
    {
        foreach (var group in batch.GroupBy(w => (w.Slot.ModelKey, w.Endpoint)))
        {
            var items = group.ToList();
            var texts = items.SelectMany(w => w.Texts).ToList();
            try
            {
                _metrics.BatchSize.WithLabels(group.Key.Endpoint.Name()).Observe(texts.Count);
                Array rows = group.Key.Endpoint == Endpoint.Predict
                    ? _host.Classify(group.Key.ModelKey, texts)
                    : _host.Embeddings(group.Key.ModelKey, texts);
                var start = 0;
                foreach (var work in items)
                {
                    // each request gets its own rows, typed as the endpoint's (ClassifierOutput[] or float[][])
                    var own = Array.CreateInstance(rows.GetType().GetElementType()!, work.Texts.Count);
                    Array.Copy(rows, start, own, 0, work.Texts.Count);
                    work.Done.TrySetResult(own);
                    start += work.Texts.Count;
                }
            }
#pragma warning disable CA1031 // whatever the forward pass throws belongs to the requests that waited for it
            catch (Exception e)
#pragma warning restore CA1031
            {
                _log.LogError(e, "{Key}: {Endpoint} of {Count} texts failed", group.Key.ModelKey, group.Key.Endpoint.Name(), texts.Count);
                foreach (var work in items)
                    work.Done.TrySetException(e);
            }
        }
    }

    private sealed record Work(ServingSlot Slot, Endpoint Endpoint, IReadOnlyList<string> Texts, TaskCompletionSource<Array> Done);
}
