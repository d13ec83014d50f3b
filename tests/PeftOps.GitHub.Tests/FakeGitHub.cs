using System.Text.Json;
using WireMock.Logging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace PeftOps.GitHub.Tests;

/// <summary>A real HTTP server (WireMock.Net) answering the GitHub REST calls PeftOps makes, and recording them.</summary>
internal sealed class FakeGitHub : IDisposable
{
    public const string Token = "ghs_fake-token-0123456789";

    private readonly WireMockServer _server = WireMockServer.Start();

    public Uri ApiUrl => new(_server.Url!);

    public GitHubEnvironment Environment(int? pullRequest = 7, string? token = Token) =>
        new(token, new RepositoryId("o", "r"), "0123456789abcdef0123456789abcdef01234567", pullRequest, ApiUrl, pullRequest is null ? "push" : "pull_request");

    /// <summary>The comments of PR #7, served as <paramref name="pages"/> pages linked by <c>Link: rel="next"</c> (none: one empty page).</summary>
    public void HasComments(params object[][] pages)
    {
        if (pages.Length == 0)
            pages = [[]];
        for (var i = 0; i < pages.Length; i++)
        {
            var page = i + 1;
            var request = Request.Create().WithPath("/repos/o/r/issues/7/comments").UsingGet();
            if (page > 1)
                request = request.WithParam("page", page.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var response = Json(200, pages[i]);
            if (page < pages.Length)
                response = response.WithHeader("Link", $"<{_server.Url}/repos/o/r/issues/7/comments?per_page=100&page={page + 1}>; rel=\"next\", <{_server.Url}/repos/o/r/issues/7/comments?per_page=100&page={pages.Length}>; rel=\"last\"");
            _server.Given(request).AtPriority(page == 1 ? 10 : 1).RespondWith(response);
        }
        _server.Given(Request.Create().WithPath("/repos/o/r/issues/7/comments").UsingPost())
            .RespondWith(Json(201, new { id = 900, body = "created", html_url = "https://github.com/o/r/pull/7#issuecomment-900" }));
        _server.Given(Request.Create().WithPath(new WireMock.Matchers.RegexMatcher("^/repos/o/r/issues/comments/[0-9]+$")).UsingPatch())
            .RespondWith(Json(200, new { id = 555, body = "updated", html_url = "https://github.com/o/r/pull/7#issuecomment-555" }));
    }

    public void AcceptsCheckRuns() =>
        _server.Given(Request.Create().WithPath("/repos/o/r/check-runs").UsingPost())
            .RespondWith(Json(201, new { id = 4242, name = "peftops / x", status = "completed" }));

    public void HasNoRelease(string tag)
    {
        _server.Given(Request.Create().WithPath($"/repos/o/r/releases/tags/{tag}").UsingGet())
            .RespondWith(Json(404, new { message = "Not Found" }));
        _server.Given(Request.Create().WithPath("/repos/o/r/releases").UsingPost())
            .RespondWith(Json(201, new { id = 31, tag_name = tag, html_url = $"https://github.com/o/r/releases/tag/{tag}" }));
    }

    public void HasRelease(string tag, long id)
    {
        _server.Given(Request.Create().WithPath($"/repos/o/r/releases/tags/{tag}").UsingGet())
            .RespondWith(Json(200, new { id, tag_name = tag, html_url = $"https://github.com/o/r/releases/tag/{tag}" }));
        _server.Given(Request.Create().WithPath($"/repos/o/r/releases/{id}").UsingPatch())
            .RespondWith(Json(200, new { id, tag_name = tag, html_url = $"https://github.com/o/r/releases/tag/{tag}" }));
    }

    public IReadOnlyList<ILogEntry> Requests => [.. _server.LogEntries];

    public IReadOnlyList<ILogEntry> RequestsTo(string method, string path) =>
        [.. _server.LogEntries.Where(e => e.RequestMessage.Method == method && e.RequestMessage.Path == path)];

    public static JsonElement BodyOf(ILogEntry entry)
    {
        using var document = JsonDocument.Parse(entry.RequestMessage.Body!);
        return document.RootElement.Clone();
    }

    private static IResponseBuilder Json(int status, object body) =>
        Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json; charset=utf-8").WithBodyAsJson(body);

    public void Dispose() => _server.Stop();
}
