using System.Diagnostics;

namespace PeftOps.Serving.Tests;

/// <summary>
/// Which versions may answer a request, given when it was sent and answered. The stage's holder is <see cref="Initial"/>
/// until the first switch window opens; during a window (from the moment the stage change starts being written to the
/// moment the server is known to have switched) the holders before and after are both right; after it only the new one.
/// A request may answer with any version that was right at some instant between its sending and its answer.
/// </summary>
internal sealed class RolloutTimeline(string initial)
{
    private readonly List<(long Opened, long Closed, string From, string To)> _windows = [];

    public string Initial { get; } = initial;

    public void Switch(long opened, long closed, string from, string to) => _windows.Add((opened, closed, from, to));

    public IReadOnlySet<string> Allowed(long sent, long answered)
    {
        var allowed = new HashSet<string>(StringComparer.Ordinal);
        var holder = Initial;
        var steadyFrom = long.MinValue;
        foreach (var (opened, closed, from, to) in _windows)
        {
            if (sent < opened && answered >= steadyFrom)
                allowed.Add(holder);
            if (sent <= closed && answered >= opened)
            {
                allowed.Add(from);
                allowed.Add(to);
            }
            holder = to;
            steadyFrom = closed;
        }
        if (answered > steadyFrom)
            allowed.Add(holder);
        return allowed;
    }

    /// <summary>Answers sent after the last window closed or before the first opened, per steady phase, for "did it test anything".</summary>
    public int SteadyCount(IEnumerable<Answer> answers, int phase)
    {
        var from = phase == 0 ? long.MinValue : _windows[phase - 1].Closed;
        var to = phase < _windows.Count ? _windows[phase].Opened : long.MaxValue;
        return answers.Count(a => a.Sent > from && a.Answered < to);
    }
}

/// <summary>One request of a looping client: <see cref="Stopwatch.GetTimestamp"/> at sending and at answer.</summary>
internal sealed record Answer(long Sent, long Answered, int Status, string? Version);
