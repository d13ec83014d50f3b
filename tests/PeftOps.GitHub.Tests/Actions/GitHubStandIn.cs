using System.Collections.Concurrent;
using System.Text.Json;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Types;
using WireMock.Util;

namespace PeftOps.GitHub.Tests.Actions;

/// <summary>
/// A real HTTP server (WireMock.Net) standing in for the GitHub REST API with state: issue comments that can be
/// listed, created and edited, check runs and releases, as the pipeline's jobs call them.
/// </summary>
internal sealed class GitHubStandIn : IDisposable
{
    private readonly WireMockServer _server = WireMockServer.Start();
    private readonly ConcurrentDictionary<long, (int Issue, string Body)> _comments = new();
    private long _nextId = 100;

    public GitHubStandIn()
    {
        // each pull request lists only its own comments, as GitHub does
        _server.Given(Request.Create().WithPath(new WireMock.Matchers.RegexMatcher(@"^/repos/o/r/issues/\d+/comments$")).UsingGet())
            .RespondWith(Response.Create().WithCallback(request => Json(200, _comments.Where(c => c.Value.Issue == Issue(request.Path))
                .OrderBy(c => c.Key).Select(c => Comment(c.Key, c.Value)).ToArray())));
        _server.Given(Request.Create().WithPath(new WireMock.Matchers.RegexMatcher(@"^/repos/o/r/issues/\d+/comments$")).UsingPost())
            .RespondWith(Response.Create().WithCallback(request =>
            {
                var id = Interlocked.Increment(ref _nextId);
                _comments[id] = (Issue(request.Path), Body(request.Body));
                return Json(201, Comment(id, _comments[id]));
            }));
        _server.Given(Request.Create().WithPath(new WireMock.Matchers.RegexMatcher(@"^/repos/o/r/issues/comments/\d+$")).UsingPatch())
            .RespondWith(Response.Create().WithCallback(request =>
            {
                var id = long.Parse(request.Path.Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture);
                _comments[id] = (_comments[id].Issue, Body(request.Body));
                return Json(200, Comment(id, _comments[id]));
            }));
        _server.Given(Request.Create().WithPath("/repos/o/r/check-runs").UsingPost())
            .RespondWith(Response.Create().WithCallback(_ => Json(201, new { id = Interlocked.Increment(ref _nextId), name = "peftops", status = "completed" })));
        _server.Given(Request.Create().WithPath(new WireMock.Matchers.RegexMatcher("^/repos/o/r/releases/tags/.+$")).UsingGet())
            .RespondWith(Response.Create().WithCallback(_ => Json(404, new { message = "Not Found" })));
        _server.Given(Request.Create().WithPath("/repos/o/r/releases").UsingPost())
            .RespondWith(Response.Create().WithCallback(request =>
            {
                using var body = JsonDocument.Parse(request.Body!);
                var tag = body.RootElement.GetProperty("tag_name").GetString();
                return Json(201, new { id = Interlocked.Increment(ref _nextId), tag_name = tag, html_url = $"https://github.com/o/r/releases/tag/{tag}" });
            }));
    }

    public Uri ApiUrl => new(_server.Url!);

    /// <summary>The comments on pull request <paramref name="issue"/> now, by id.</summary>
    public IReadOnlyDictionary<long, string> Comments(int issue) => _comments.Where(c => c.Value.Issue == issue).ToDictionary(c => c.Key, c => c.Value.Body);

    public IReadOnlyList<(string Method, string Path, string Body)> Requests =>
        [.. _server.LogEntries.Select(e => (e.RequestMessage.Method, e.RequestMessage.Path, e.RequestMessage.Body ?? ""))];

    private static string Body(string? json)
    {
        using var document = JsonDocument.Parse(json!);
        return document.RootElement.GetProperty("body").GetString()!;
    }

    private static int Issue(string path) => int.Parse(path.Split('/')[^2], System.Globalization.CultureInfo.InvariantCulture);

    private static object Comment(long id, (int Issue, string Body) comment) =>
        new { id, body = comment.Body, html_url = $"https://github.com/o/r/pull/{comment.Issue}#issuecomment-{id}", user = new { login = "github-actions[bot]", id = 41898282 } };

    private static WireMock.ResponseMessage Json(int status, object body) => new()
    {
        StatusCode = status,
        Headers = new Dictionary<string, WireMockList<string>> { ["Content-Type"] = new("application/json; charset=utf-8") },
        BodyData = new BodyData { DetectedBodyType = BodyType.String, BodyAsString = JsonSerializer.Serialize(body, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }) },
    };

    public void Dispose() => _server.Stop();
}
