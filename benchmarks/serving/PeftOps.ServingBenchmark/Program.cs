using System.Globalization;
using PeftOps.ServingBenchmark;

// load --url URL --adapter NAME --texts FILE --seconds S --max-requests N --levels 1,8,32,64 [--promote CMD] [--rollback CMD]
// onnx --texts FILE --count N
var options = Options.Parse(args.Skip(1).ToArray());
switch (args.FirstOrDefault())
{
    case "load":
        var run = new LoadRun(new Uri(options["--url"]), options["--adapter"], Texts.Read(options["--texts"]),
            TimeSpan.FromSeconds(double.Parse(options["--seconds"], CultureInfo.InvariantCulture)),
            int.Parse(options["--max-requests"], CultureInfo.InvariantCulture));
        var levels = options["--levels"].Split(',').Select(l => int.Parse(l, CultureInfo.InvariantCulture)).ToList();
        // the promote runs in the middle of the second-to-last level, the rollback in the middle of the last
        var failed = await run.RunAsync(levels, new Dictionary<int, string?>
        {
            [levels[^2]] = options.GetValueOrDefault("--promote"),
            [levels[^1]] = options.GetValueOrDefault("--rollback"),
        });
        return failed == 0 ? 0 : 1;
    case "onnx":
        OnnxAnchor.Run(Texts.Read(options["--texts"]), int.Parse(options["--count"], CultureInfo.InvariantCulture));
        return 0;
    default:
        await Console.Error.WriteLineAsync("usage: load --url URL --adapter NAME --texts FILE --seconds S --max-requests N --levels 1,8,32,64 [--promote CMD] [--rollback CMD] | onnx --texts FILE --count N");
        return 2;
}
