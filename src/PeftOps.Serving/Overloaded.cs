using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace PeftOps.Serving;

/// <summary>
/// A request shed because its queue is full (<see cref="ServeOptions.QueueCapacity"/>): answered at once with 503 and
/// <c>Retry-After</c>, never held, so a flood costs each refused request its body and nothing more. Each endpoint answers it in
/// its own error shape and counts it in <see cref="ServingMetrics.Shed"/>.
/// </summary>
public sealed class Overloaded : Exception
{
    /// <summary>The <c>Retry-After</c> a shed request gets: a queue drains in forward passes (milliseconds) or generations (about a second).</summary>
    public const int RetryAfterSeconds = 1;

    public Overloaded()
    {
    }

    public Overloaded(string message) : base(message)
    {
    }

    public Overloaded(string message, Exception innerException) : base(message, innerException)
    {
    }

    /// <summary>Sets <c>Retry-After</c> (delay-seconds, RFC 9110 section 10.2.3) on a response not yet started.</summary>
    public static void Tell(HttpResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
    }
}
