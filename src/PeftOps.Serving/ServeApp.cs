using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PeftOps.Registry;
using Prometheus;

namespace PeftOps.Serving;

/// <summary>
/// Builds and runs the server: ASP.NET Core minimal APIs over one <see cref="ModelHost"/> (classifiers through a <see cref="DynamicBatcher"/>, decoders through <see cref="GenerationEndpoints"/>)
/// and a <see cref="StageFollower"/>. The CLI's <c>peftops serve</c> and the tests build it the same way.
/// </summary>
public static class ServeApp
{
    /// <param name="configure">Changes to the builder before it builds (tests put a TestServer in Kestrel's place).</param>
    public static WebApplication Build(ServeOptions options, AdapterRegistry registry, IReadOnlyList<string> urls, Action<WebApplicationBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(urls);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "peftops-serve" });
        builder.WebHost.UseUrls([.. urls]);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = options.MaxBodyBytes);
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(c =>
        {
            c.SingleLine = true;
            c.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            c.UseUtcTimestamp = true;
        });
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);
        builder.Services.ConfigureHttpJsonOptions(j => j.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(registry);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ServingTable>();
        builder.Services.AddSingleton<ServingMetrics>();
        builder.Services.AddSingleton<ModelHost>();
        builder.Services.AddSingleton<ServeEndpoints>();
        builder.Services.AddSingleton<GenerationEndpoints>();
        builder.Services.AddSingleton<DynamicBatcher>();
        builder.Services.AddHostedService(s => s.GetRequiredService<DynamicBatcher>());
        builder.Services.AddSingleton<StageFollower>();
        builder.Services.AddHostedService(s => s.GetRequiredService<StageFollower>());
        configure?.Invoke(builder);

        var app = builder.Build();
        app.Services.GetRequiredService<ServeEndpoints>().Map(app);
        app.Services.GetRequiredService<GenerationEndpoints>().Map(app);
        app.MapMetrics("/metrics", app.Services.GetRequiredService<ServingMetrics>().Registry);
        return app;
    }

    /// <summary>
    /// Loads what the stage names (see <see cref="StageFollower.StartServingAsync"/>), then starts listening and polling,
    /// and returns; <c>WaitForShutdownAsync</c> then runs it until SIGTERM or Ctrl+C.
    /// </summary>
    public static async Task StartAsync(WebApplication app, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        await app.Services.GetRequiredService<StageFollower>().StartServingAsync(cancellationToken).ConfigureAwait(false);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
    }
}
