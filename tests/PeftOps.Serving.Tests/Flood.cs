using System.Net;
using System.Text.Json;

namespace PeftOps.Serving.Tests;

/// <summary>Many requests at once, each answer read whole: its status, its <c>Retry-After</c> and its JSON body.</summary>
internal static class Flood
{
    public sealed record Answer(HttpStatusCode Status, TimeSpan? RetryAfter, JsonElement Body);

    public static async Task<IReadOnlyList<Answer>> SendAsync(int count, Func<int, Task<HttpResponseMessage>> send)
    {
        var answers = await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            using var response = await send(i);
            var text = await response.Content.ReadAsStringAsync();
            // a refused stream is answered as JSON; an answered one is server-sent events, whose last event says [DONE]
            var body = text.StartsWith("data: ", StringComparison.Ordinal)
                ? JsonDocument.Parse(OpenAiHttp.Events(text)[^2]).RootElement.Clone()
                : JsonDocument.Parse(text).RootElement.Clone();
            return new Answer(response.StatusCode, response.Headers.RetryAfter?.Delta, body);
        }));
        return answers;
    }

    /// <summary>
    /// The answers split into shed (503) and served (200): nothing else, some of each, and every shed one says to retry
    /// after a second.
    /// </summary>
    public static (List<Answer> Shed, List<Answer> Served) Split(IReadOnlyList<Answer> answers)
    {
        var shed = answers.Where(a => a.Status == HttpStatusCode.ServiceUnavailable).ToList();
        var served = answers.Where(a => a.Status == HttpStatusCode.OK).ToList();
        Assert.True(shed.Count + served.Count == answers.Count,
            $"answers other than 200 and 503: {string.Join(", ", answers.Select(a => (int)a.Status).Where(s => s is not (200 or 503)).Distinct())}");
        Assert.NotEmpty(shed);
        Assert.NotEmpty(served);
        Assert.All(shed, a => Assert.Equal(TimeSpan.FromSeconds(1), a.RetryAfter));
        return (shed, served);
    }

    /// <summary>The value of one series in Prometheus text, 0 when it was never written.</summary>
    public static double Metric(string metrics, string series)
    {
        var line = metrics.Split('\n').FirstOrDefault(l => l.StartsWith(series + " ", StringComparison.Ordinal));
        return line is null ? 0 : double.Parse(line[(series.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The managed heap after a full collection, and the process's working set, in bytes.</summary>
    public static (long Heap, long WorkingSet) Memory()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var heap = GC.GetTotalMemory(forceFullCollection: true);
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        return (heap, process.WorkingSet64);
    }
}
