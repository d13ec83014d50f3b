namespace PeftOps.Modeling.Checkpoints;

public enum ModelArchitecture
{
    /// <summary>BertModel: an encoder without a task head (sentence embeddings).</summary>
    BertEncoder,
    /// <summary>BertForSequenceClassification.</summary>
    BertSequenceClassifier,
    /// <summary>LlamaForCausalLM.</summary>
    LlamaCausalLm,
}
