using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace PeftOps.ServingBenchmark;

/// <summary>
/// Closed-loop clients against <c>POST /v1/adapters/NAME/predict</c>, one text per request, each level bounded by time
/// and by a request count. A stage change given for a level runs in its middle; the run reports when the first answer
/// from the new version came back.
/// </summary>
internal sealed class LoadRun(Uri server, string adapter, IReadOnlyList<string> texts, TimeSpan duration, int maxRequests)
{
    public async Task<int> RunAsync(IReadOnlyList<int> levels, IReadOnlyDictionary<int, string?> changes)
    {
        using var client = new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromSeconds(30) };
        Console.WriteLine("| clients | requests | failed | requests/s | p50 ms | p95 ms | p99 ms | texts per forward | versions answering |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
        var failed = 0;
        var notes = new List<string>();
        foreach (var clients in levels)
        {
            var (sum0, count0) = await BatchSizesAsync(client);
            var level = await LevelAsync(client, clients, changes.GetValueOrDefault(clients), notes);
            var (sum1, count1) = await BatchSizesAsync(client);
            failed += level.Failed;
            var latencies = level.Latencies;
            var versions = string.Join(", ", level.Versions.Select(v => $"{v.Key} {v.Value}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {clients} | {latencies.Count + level.Failed} | {level.Failed} | {latencies.Count / level.Elapsed.TotalSeconds:F1} | {Percentiles.Of(latencies, 50):F1} | {Percentiles.Of(latencies, 95):F1} | {Percentiles.Of(latencies, 99):F1} | {(sum1 - sum0) / Math.Max(1, count1 - count0):F1} | {versions} |"));
        }
        foreach (var note in notes)
            Console.WriteLine(note);
        return failed;
    }

    private async Task<Level> LevelAsync(HttpClient client, int clients, string? change, List<string> notes)
    {
        var latencies = new ConcurrentBag<double>();
        var answers = new ConcurrentQueue<(long Sent, long Answered, string Version)>();
        var failed = 0;
        var issued = 0;
        var clock = Stopwatch.StartNew();
        // with a stage change, the level goes on (at most 60 s more) until an answer comes from the new version
        string? before = null;
        var switched = change is null;
        var workers = Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref issued)) <= maxRequests
                && (clock.Elapsed < duration || (!Volatile.Read(ref switched) && clock.Elapsed < duration + TimeSpan.FromSeconds(60))))
            {
                var sent = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await client.PostAsJsonAsync(new Uri($"/v1/adapters/{adapter}/predict", UriKind.Relative), new { texts = new[] { texts[i % texts.Count] } });
                    var body = await response.Content.ReadAsStringAsync();
                    if (!response.IsSuccessStatusCode)
                    {
                        Interlocked.Increment(ref failed);
                        continue;
                    }
                    latencies.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
                    using var json = JsonDocument.Parse(body);
                    var version = json.RootElement.GetProperty("version").GetString()!;
                    answers.Enqueue((sent, Stopwatch.GetTimestamp(), version));
                    if (before is not null && version != before)
                        Volatile.Write(ref switched, true);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    Interlocked.Increment(ref failed);
                }
            }
        })).ToList();
        if (change is not null)
        {
            await Task.Delay(duration / 2);
            before = await ServingVersionAsync(client);
            var started = Stopwatch.GetTimestamp();
            using (var process = Process.Start("bash", ["-c", change]))
                await process.WaitForExitAsync();
            var pushed = Stopwatch.GetTimestamp();
            await Task.WhenAll(workers);
            var first = answers.Where(a => a.Version != before).OrderBy(a => a.Answered).FirstOrDefault();
            var late = first.Version is null ? 0 : answers.Count(a => a.Sent > first.Answered && a.Version == before);
            notes.Add(first.Version is null
                ? string.Create(CultureInfo.InvariantCulture, $"{clients} clients: the stage change took {Stopwatch.GetElapsedTime(started, pushed).TotalSeconds:F1} s; no answer from a new version within 60 s")
                : string.Create(CultureInfo.InvariantCulture, $"{clients} clients: the stage change ({before} -> {first.Version}) took {Stopwatch.GetElapsedTime(started, pushed).TotalSeconds:F1} s to push; the first answer from {first.Version} came {Stopwatch.GetElapsedTime(pushed, first.Answered).TotalSeconds:F1} s after that; requests sent after it and answered by {before}: {late}"));
        }
        await Task.WhenAll(workers);
        var sorted = latencies.ToList();
        sorted.Sort();
        var versions = answers.GroupBy(a => a.Version).OrderBy(g => g.Min(a => a.Sent)).ToDictionary(g => g.Key, g => g.Count());
        return new Level(sorted, failed, clock.Elapsed, versions);
    }

    private async Task<string> ServingVersionAsync(HttpClient client)
    {
        using var json = JsonDocument.Parse(await client.GetStringAsync(new Uri("/v1/adapters", UriKind.Relative)));
        return json.RootElement.GetProperty("adapters").EnumerateArray().Single(a => a.GetProperty("name").GetString() == adapter).GetProperty("version").GetString()!;
    }

    /// <summary>The server's <c>peftops_serve_batch_size</c> sum and count for predict.</summary>
    private static async Task<(double Sum, double Count)> BatchSizesAsync(HttpClient client)
    {
        var metrics = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        double Value(string name) => metrics.Split('\n').Where(l => l.StartsWith(name + "{endpoint=\"predict\"}", StringComparison.Ordinal))
            .Select(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture)).FirstOrDefault();
        return (Value("peftops_serve_batch_size_sum"), Value("peftops_serve_batch_size_count"));
    }

    private sealed record Level(IReadOnlyList<double> Latencies, int Failed, TimeSpan Elapsed, IReadOnlyDictionary<string, int> Versions);
}
