"""transformers' greedy `generate` on a decoder checkpoint folder, measured as `peftops bench --model` measures its own.

Usage (with ../shared/tools/hf-reference: transformers 4.46.3 on torch 1.13):
    peftops bench --model DIR --training false --batch B --prompt-tokens P --new-tokens N --json peftops.json
    py benchmarks/generation/hf_generate.py DIR --batch B --prompt-tokens P --new-tokens N --peftops-json peftops.json

B random prompts of P tokens; greedy, KV cache, eager attention, float32, no gradients (`synced_gpus=False` only skips an FSDP probe
that Debian's torch 1.13 cannot import under Python 3.11). Prefill: from the call to the
first step's logits (a logits processor records when each step's logits arrive); decode: from the first step's logits to
the last's, one token per row per step. Medians over --runs after one warm-up. Peak memory: the kernel's high-water mark
(VmHWM), reset after loading as peftops resets it. With --peftops-json, prints both side by side with the ratio.
"""
import argparse
import json
import os
import statistics
import time

import torch
import transformers
from transformers import AutoModelForCausalLM, LogitsProcessor, LogitsProcessorList


class StepClock(LogitsProcessor):
    def __init__(self):
        self.times = []

    def __call__(self, input_ids, scores):
        self.times.append(time.perf_counter())
        return scores


def high_water_mark():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("checkpoint")
    parser.add_argument("--batch", type=int, default=1)
    parser.add_argument("--prompt-tokens", type=int, default=128)
    parser.add_argument("--new-tokens", type=int, default=32)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--peftops-json")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    model = AutoModelForCausalLM.from_pretrained(args.checkpoint, torch_dtype=torch.float32, attn_implementation="eager").eval()
    generator = torch.Generator().manual_seed(args.seed)
    ids = torch.randint(model.config.vocab_size, (args.batch, args.prompt_tokens), generator=generator)
    mask = torch.ones_like(ids)
    with open("/proc/self/clear_refs", "w") as clear:
        clear.write("5")

    prefill, decode = [], []
    for run in range(1 + args.runs):
        clock = StepClock()
        start = time.perf_counter()
        with torch.no_grad():
            model.generate(ids, attention_mask=mask, max_new_tokens=args.new_tokens, do_sample=False, pad_token_id=0, synced_gpus=False,
                           logits_processor=LogitsProcessorList([clock]))
        if run == 0:
            continue
        first, last, steps = clock.times[0] - start, clock.times[-1] - start, len(clock.times)
        prefill.append(args.batch * args.prompt_tokens / first)
        if steps > 1:
            decode.append(args.batch * (steps - 1) / (last - first))
    hf = {
        "prefill_tokens_per_second": statistics.median(prefill),
        "decode_tokens_per_second": statistics.median(decode) if decode else 0.0,
        "peak_resident": high_water_mark(),
        "threads": torch.get_num_threads(),
    }
    print(f"transformers {transformers.__version__}, torch {torch.__version__}: batch {args.batch}, prompt {args.prompt_tokens}, "
          f"{args.new_tokens} new, median of {args.runs} after 1 warm-up, {hf['threads']} threads")
    if not args.peftops_json:
        print(json.dumps(hf, indent=2))
        return
    with open(args.peftops_json) as f:
        ours = json.load(f)["generation"]
    print(f"{'':28}{'peftops':>12}{'transformers':>14}{'ratio':>8}")
    for key, label in [("prefill_tokens_per_second", "prefill tokens/s"), ("decode_tokens_per_second", "decode tokens/s")]:
        print(f"{label:28}{ours[key]:12.2f}{hf[key]:14.2f}{ours[key] / hf[key]:8.2f}")
    print(f"{'peak resident MB':28}{ours['peak_resident'] / 1e6:12.0f}{hf['peak_resident'] / 1e6:14.0f}{ours['peak_resident'] / hf['peak_resident']:8.2f}")


if __name__ == "__main__":
    main()
