"""Continuation log-likelihoods of ../hf-peft-decoders/tiny-qwen2 computed by Hugging Face transformers, the way lm-evaluation-harness's
HFLM._loglikelihood_tokens computes them, for tests/PeftOps.Training.Tests/ContinuationLikelihoodTests.cs.

Run with ../../../../shared/tools/hf-reference/py make_loglikelihoods.py (transformers 4.46.3, torch 1.13.1, CPU).
For each (context, continuation) pair of token ids: inp = (context + continuation)[-(max_length + 1):][:-1], one forward
pass without padding, log_softmax over the vocabulary, and the sum over the continuation's positions (the last
len(continuation) logits) of the log-probability of each continuation token; greedy: every continuation token is the
arg-max at its position. Writes loglikelihoods.json. The ids are seeded (numpy), >= 3 (0-2 are pad, bos, eos).
"""
import json
import os

import numpy as np
import torch
import transformers
from transformers import AutoModelForCausalLM

HERE = os.path.dirname(os.path.abspath(__file__))
MAX_LENGTH = 16

torch.manual_seed(0)
torch.use_deterministic_algorithms(True)
torch.set_num_threads(1)
model = AutoModelForCausalLM.from_pretrained(os.path.join(HERE, "..", "hf-peft-decoders", "tiny-qwen2"), attn_implementation="eager")
model.eval()

rng = np.random.default_rng(20261206)
# (context length, continuation length); the last pair is longer than MAX_LENGTH + 1 tokens, so its context loses
# tokens from the left as lm-evaluation-harness truncates
shapes = [(1, 1), (1, 4), (3, 1), (5, 2), (8, 3), (2, 6), (10, 5), (14, 6)]
pairs = []
for n_ctx, n_cont in shapes:
    context = [1] + [int(x) for x in rng.integers(3, 512, n_ctx - 1)] if n_ctx > 1 else [1]
    continuation = [int(x) for x in rng.integers(3, 512, n_cont)]
    pairs.append((context, continuation))
# a pair whose continuation is the model's own greedy choice, so is_greedy is true somewhere
context = [1, 17, 42, 99]
with torch.no_grad():
    ids = list(context)
    for _ in range(3):
        ids.append(int(model(torch.tensor([ids])).logits[0, -1].argmax()))
pairs.append((context, ids[len(context):]))

cases = []
with torch.no_grad():
    for context, continuation in pairs:
        whole = (context + continuation)[-(MAX_LENGTH + 1):]
        inp = torch.tensor([whole[:-1]])
        logprobs = torch.log_softmax(model(inp).logits.double(), dim=-1)[0]
        cont_logprobs = logprobs[-len(continuation):]
        target = torch.tensor(continuation)
        loglikelihood = float(cont_logprobs.gather(1, target[:, None]).sum())
        greedy = bool((cont_logprobs.argmax(-1) == target).all())
        cases.append({"context": context, "continuation": continuation, "loglikelihood": loglikelihood, "is_greedy": greedy})

with open(os.path.join(HERE, "loglikelihoods.json"), "w") as f:
    json.dump({"transformers": transformers.__version__, "torch": torch.__version__, "max_length": MAX_LENGTH, "cases": cases}, f, indent=1)
    f.write("\n")
print(json.dumps(cases, indent=1))
