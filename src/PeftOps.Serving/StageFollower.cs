using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PeftOps.Contracts;
using PeftOps.Peft.Format;
using PeftOps.Registry;
using PeftOps.Inference;

namespace PeftOps.Serving;

/// <summary>
/// Keeps the <see cref="ServingTable"/> on the versions that hold the stage: on start, every <see cref="ServeOptions.Poll"/>
/// and on <c>POST /v1/refresh</c> it fetches origin's tags and, for each adapter whose stage holder changed, takes the
/// version from the local verified cache (downloading and verifying it there first), loads it beside the serving one and
/// swaps the slot. A version that fails verification or loading is refused: the old one keeps serving, the refusal is
/// logged and counted, and that version is not tried again until the stage moves.
/// </summary>
public sealed class StageFollower : BackgroundService
{
    private readonly SemaphoreSlim _refreshing = new(1, 1);
    private readonly Dictionary<string, string> _refused = new(StringComparer.Ordinal);
    private readonly AdapterRegistry _registry;
    private readonly ModelHost _host;
    private readonly ServingTable _table;
    private readonly ServingMetrics _metrics;
    private readonly ServeOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _log;

    public StageFollower(AdapterRegistry registry, ModelHost host, ServingTable table, ServingMetrics metrics, ServeOptions options,
        TimeProvider time, ILogger<StageFollower> log)
    {
        _registry = registry;
        _host = host;
        _table = table;
        _metrics = metrics;
        _options = options;
        _time = time;
        _log = log;
    }

    /// <summary>
    /// The first load, before the server listens: every named adapter must be served (or, with none named, at least one
    /// adapter must hold the stage), else the server does not start. Bad input throws <see cref="InputException"/>, a
    /// stage nobody holds <see cref="NothingFoundException"/>, a store or git failure with no cached copy
    /// <see cref="InfrastructureException"/>, a version failing verification <see cref="ArtifactIntegrityException"/>.
    /// </summary>
    public async Task StartServingAsync(CancellationToken cancellationToken)
    {
        var changes = await RefreshAsync(cancellationToken, strict: true).ConfigureAwait(false);
        if (_table.Slots.Count == 0)
            throw new NothingFoundException($"no adapter holds stage '{_options.Stage}' in {_registry.Store.Location}");
        _log.LogInformation("serving {Slots}", string.Join(", ", changes.Select(c => c.Describe())));
    }

    /// <summary>Fetches the tags and follows every change; one refresh at a time.</summary>
    public Task<IReadOnlyList<StageMove>> RefreshAsync(CancellationToken cancellationToken) => RefreshAsync(cancellationToken, strict: false);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_options.Poll <= TimeSpan.Zero)
            return;
        using var timer = new PeriodicTimer(_options.Poll, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
                await RefreshAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task<IReadOnlyList<StageMove>> RefreshAsync(CancellationToken cancellationToken, bool strict)
    {
        await _refreshing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var states = await StatesAsync(cancellationToken).ConfigureAwait(false);
            var moves = new List<StageMove>();
            foreach (var (adapter, version) in Holders(states))
            {
                if (await FollowAsync(adapter, version, cancellationToken, strict).ConfigureAwait(false) is { } move)
                    moves.Add(move);
            }
            return moves;
        }
        finally
        {
            _refreshing.Release();
        }
    }

    private async Task<IReadOnlyList<AdapterState>> StatesAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _registry.FetchAdaptersAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (InfrastructureException e)
        {
            // the clone's tags are as fresh as the last fetch; the cache still serves what they name
            _log.LogWarning("fetching the registry's tags failed, following the tags fetched before: {Reason}", e.Message);
            return await _registry.AdaptersAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Each adapter to serve and the version that holds the stage now (null: none does).</summary>
    private IEnumerable<(string Adapter, string? Version)> Holders(IReadOnlyList<AdapterState> states)
    {
        if (_options.Adapters.Count > 0)
        {
            foreach (var adapter in _options.Adapters)
                yield return (adapter, states.FirstOrDefault(s => s.Adapter == adapter)?.StageVersion(_options.Stage));
            yield break;
        }
        var named = states.Select(s => (s.Adapter, Version: s.StageVersion(_options.Stage))).Where(h => h.Version is not null).ToList();
        foreach (var holder in named)
            yield return holder;
        foreach (var slot in _table.Slots.Where(s => named.All(h => h.Adapter != s.Adapter)))
            yield return (slot.Adapter, null);
    }

    private async Task<StageMove?> FollowAsync(string adapter, string? version, CancellationToken cancellationToken, bool strict)
    {
        var current = _table.Find(adapter);
        if (version is null)
        {
            if (strict)
                throw new NothingFoundException($"{adapter}: no version holds stage '{_options.Stage}' in {_registry.Store.Location}");
            if (current is null)
                return null;
            _table.Remove(adapter);
            _metrics.Retired(current);
            _log.LogWarning("{Adapter}: no version holds stage {Stage} any more; {Version} is no longer served", adapter, _options.Stage, current.Version);
            return new StageMove(adapter, current.Version, null);
        }
        if (current?.Version == version || _refused.GetValueOrDefault(adapter) == version)
            return null;
        try
        {
            var slot = await LoadAsync(adapter, version, cancellationToken).ConfigureAwait(false);
            var replaced = _table.Swap(slot);
            _refused.Remove(adapter);
            _metrics.Serving(slot, replaced);
            if (replaced is not null)
            {
                _metrics.Swaps.WithLabels(adapter).Inc();
                _log.LogInformation("{Adapter}: serving {Version} (was {Previous}), stage {Stage}", adapter, version, replaced.Version, _options.Stage);
            }
            return new StageMove(adapter, replaced?.Version, version);
        }
        catch (Exception e) when (!strict && e is ArtifactIntegrityException or InputException or InfrastructureException)
        {
            var reason = e switch { ArtifactIntegrityException => "verification", InputException => "load", _ => "download" };
            _metrics.Refusals.WithLabels(adapter, version, reason).Inc();
            if (e is not InfrastructureException)
                _refused[adapter] = version; // the same bytes would fail again; a store that was down may answer next time
            _log.LogError("{Adapter}: refused {Version} ({Reason} failed), still serving {Current}: {Message}",
                adapter, version, reason, current?.Version ?? "nothing", e.Message);
            return null;
        }
    }

    private async Task<ServingSlot> LoadAsync(string adapter, string version, CancellationToken cancellationToken)
    {
        var cached = await _registry.CachedAsync(adapter, version, _options.CacheDirectory, cancellationToken).ConfigureAwait(false);
        if (cached.Replaced is not null)
            _log.LogWarning("{Adapter}@{Version}: the cached copy failed verification and was downloaded again: {Reason}", adapter, version, cached.Replaced);
        var manifest = cached.Verified.Manifest;
        var key = ServingSlot.ModelKeyOf(adapter, version);
        var metadata = AdapterMetadata.Read(cached.Folder);
        var evalPath = Path.Combine(cached.Folder, RunLayout.EvalFile);
        var labels = AdapterHead.Released(metadata, manifest.BaseModel.Ref, EvaluationReportJson.Read(evalPath), evalPath);
        var generates = _host.Load(key, cached.Folder, manifest.BaseModel, labels);
        return new ServingSlot(adapter, version, _options.Stage, manifest.Files[PeftFormat.WeightsFileName].Sha256, _time.GetUtcNow(), key, labels,
            metadata.Scope, generates);
    }
}

/// <summary>One adapter's change of served version in a refresh; <see cref="From"/> null: newly served, <see cref="To"/> null: no longer.</summary>
public sealed record StageMove(string Adapter, string? From, string? To)
{
    public string Describe() => $"{Adapter} {From ?? "(none)"} -> {To ?? "(none)"}";
}
