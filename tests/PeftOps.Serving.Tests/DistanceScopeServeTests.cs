using System.Net;
using Microsoft.AspNetCore.TestHost;
using PeftOps.Cli.Tests;
using PeftOps.Contracts;
using PeftOps.Inference;

namespace PeftOps.Serving.Tests;

/// <summary>The tiny adapter trained with a Mahalanobis scope, released and promoted by the real peftops.</summary>
public sealed class MahalanobisTrainedRepository() : TrainedRepository(
    "scope: {out_of_scope: {method: softmax, score: mahalanobis, target_in_scope_recall: 0.5}}");

/// <summary>
/// An adapter whose scope decides by the distance of its pooled features: the statistics travel inside its
/// adapter_model.safetensors through the store, and the server refuses exactly what peftops predict refuses.
/// </summary>
public sealed class DistanceScopeServeTests(MahalanobisTrainedRepository trained) : IClassFixture<MahalanobisTrainedRepository>
{
    [Fact]
    public async Task The_server_decides_by_the_released_adapters_distance_statistics_as_peftops_predict_does()
    {
        using var sandbox = await ServingSandbox.ReleasedAsync(trained, "1.0.0");
        await using var app = await sandbox.StartInProcessAsync();
        using var client = app.GetTestClient();

        using var response = await ServeClient.PredictAsync(client, InProcessServeTests.Texts);
        var body = await ServeClient.JsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var scope = AdapterMetadata.Read(Path.Combine(sandbox.Sandbox.Repository, "artifacts", "tiny", "adapter")).Scope!;
        Assert.Equal(ScopeScore.Mahalanobis, scope.Score);
        var expected = await InProcessServeTests.PredictedByTheCliAsync(sandbox);
        var predictions = body.GetProperty("predictions").EnumerateArray().ToList();
        Assert.Equal(InProcessServeTests.Texts.Length, predictions.Count);
        for (var i = 0; i < predictions.Count; i++)
        {
            var oosScore = predictions[i].GetProperty("oos_score").GetDouble();
            // the server may run the adapter merged: float32 differences of 1e-5 in the features grow by the precision matrix
            Assert.Equal(expected[i].GetProperty("oos_score").GetDouble(), oosScore, 0.005 * oosScore);
            Assert.Equal(expected[i].GetProperty("out_of_scope").GetBoolean(), predictions[i].GetProperty("out_of_scope").GetBoolean());
            Assert.Equal(expected[i].GetProperty("label").GetString(), predictions[i].GetProperty("label").GetString());
            // the distance, not 1 - the top probability: refused exactly beyond the calibrated threshold
            Assert.Equal(oosScore > scope.Threshold, predictions[i].GetProperty("out_of_scope").GetBoolean());
            var top = predictions[i].GetProperty("scores").EnumerateObject().Max(s => s.Value.GetDouble());
            Assert.NotEqual(1 - top, oosScore, 3);
        }
    }
}
