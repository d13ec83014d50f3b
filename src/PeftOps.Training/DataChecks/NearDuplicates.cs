using PeftOps.Contracts;
using PeftOps.Modeling.Runtime;
using static TorchSharp.torch;

namespace PeftOps.Training.DataChecks;

/// <summary>
/// Training and evaluation rows whose L2-normalised sentence embeddings have cosine (their dot product) at or above
/// a threshold, every pair listed, highest first. Pairs with the same normalised text are left out: they are leakage.
/// </summary>
public static class NearDuplicates
{
    /// <param name="train">[n, H] embeddings of <paramref name="trainRows"/>.</param>
    /// <param name="evaluation">[m, H] embeddings of <paramref name="evaluationRows"/>.</param>
    public static IReadOnlyList<NearDuplicate> Find(
        IReadOnlyList<DataRow> trainRows, float[][] train, IReadOnlyList<DataRow> evaluationRows, float[][] evaluation, double threshold)
    {
        ArgumentNullException.ThrowIfNull(trainRows);
        ArgumentNullException.ThrowIfNull(evaluationRows);
        if (trainRows.Count == 0 || evaluationRows.Count == 0)
            return [];
        var dim = train[0].Length;
        var pairs = new List<NearDuplicate>();
        using var scope = NewDisposeScope();
        var t = tensor(train.SelectMany(e => e).ToArray(), [trainRows.Count, dim]);
        // evaluation rows a block at a time: [block, n] cosines
        foreach (var block in Enumerable.Range(0, evaluationRows.Count).Chunk(1024))
        {
            using var blockScope = NewDisposeScope();
            var e = tensor(block.SelectMany(i => evaluation[i]).ToArray(), [block.Length, dim]);
            var cosine = e.matmul(t.T);
            var hits = nonzero(cosine.ge(HeldScalars.Of(threshold - 1e-6)));
            if (hits.shape[0] == 0)
                continue;
            var index = hits.data<long>().ToArray();
            var values = cosine[hits[.., 0], hits[.., 1]].data<float>().ToArray();
            for (var h = 0; h < values.Length; h++)
            {
                var (evalRow, trainRow) = (evaluationRows[block[index[2 * h]]], trainRows[(int)index[2 * h + 1]]);
                if (TextKey.Of(evalRow.Text) != TextKey.Of(trainRow.Text))
                    pairs.Add(new NearDuplicate(trainRow, evalRow, Math.Round(values[h], 4)));
            }
        }
        return [.. pairs.OrderByDescending(p => p.Cosine).ThenBy(p => p.Evaluation.Split, StringComparer.Ordinal).ThenBy(p => p.Evaluation.Line).ThenBy(p => p.Train.Line)];
    }
}
