"""Hugging Face PEFT's LoRA training step, timed as `peftops bench` times PeftOps' step.

Usage (with ../shared/tools/hf-reference: transformers 4.46.3, peft 0.14.0 on torch 1.13, CPU):
    py benchmarks/speed/hf_step.py minilm --batch 32 --tokens 32 --steps 6 --warmup 2 --threads 2 --json out.json
    py benchmarks/speed/hf_step.py DIR --batch 2 --tokens 256 --steps 2 --warmup 1 --threads 2 [--weights random]

`minilm`: BertForSequenceClassification with all-MiniLM-L6-v2's configuration (hidden 384, 6 layers, 12 heads,
intermediate 1536, vocabulary 30,522, 512 positions, dropouts 0.1), 8 labels, random weights; LoRA r 8, alpha 16,
dropout 0.1 on query and value, the classifier trained (PEFT's SEQ_CLS `modules_to_save`); AdamW lr 1e-4, weight
decay 0.01. Rows are [CLS], random ids from 1,000 up, [SEP], no padding; random labels. This is `StepBench`'s setup.

DIR: a decoder checkpoint folder (e.g. the one `peftops model synth qwen2.5-0.5b` wrote), its weights loaded
(`--weights load`, the default) or its config.json with random weights (`--weights random`); LoRA r --rank, alpha
2 x rank, no dropout, on q, k, v, o, gate, up and down; the next-token loss on random ids (labels = ids); AdamW lr 1e-4,
no weight decay. This is `DecoderBench`'s setup.

Both: float32, eager attention (torch 1.13 has no SDPA), train mode, clipping at 1.0. One step = forward, loss,
backward, clip_grad_norm_, AdamW step, zero_grad, the loss read back; the median over --steps after --warmup. Values
do not change the arithmetic, so the weights need not equal PeftOps' to compare times. Prints one JSON document (also
written to --json): the figures, the versions and the torch threads. Peak memory is the kernel's high-water mark.
"""
import argparse
import json
import os
import platform
import statistics
import sys
import time

import peft
import torch
import transformers
from peft import LoraConfig, get_peft_model
from transformers import AutoConfig, AutoModelForCausalLM, BertConfig, BertForSequenceClassification

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "generation"))
from hf_generate import high_water_mark  # noqa: E402  (the generation benchmark's VmHWM reader)

MINILM = dict(vocab_size=30522, hidden_size=384, num_hidden_layers=6, num_attention_heads=12, intermediate_size=1536,
              max_position_embeddings=512, type_vocab_size=2, hidden_act="gelu", hidden_dropout_prob=0.1,
              attention_probs_dropout_prob=0.1, layer_norm_eps=1e-12, pad_token_id=0)
LABELS = 8
CLS, SEP, FIRST_WORD = 101, 102, 1000
PROJECTIONS = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]


def minilm(args, generator):
    config = BertConfig(**MINILM, num_labels=LABELS, attn_implementation="eager")
    model = BertForSequenceClassification(config)
    lora = LoraConfig(task_type="SEQ_CLS", r=args.rank, lora_alpha=2 * args.rank, lora_dropout=0.1,
                      target_modules=["query", "value"], modules_to_save=["classifier"])
    ids = torch.randint(FIRST_WORD, config.vocab_size, (args.batch, args.tokens), generator=generator)
    ids[:, 0], ids[:, -1] = CLS, SEP
    labels = torch.randint(LABELS, (args.batch,), generator=generator)
    batch = dict(input_ids=ids, attention_mask=torch.ones_like(ids), token_type_ids=torch.zeros_like(ids), labels=labels)
    return model, lora, batch, 0.01, "all-MiniLM-L6-v2 configuration, random weights"


def decoder(args, generator):
    if not os.path.isfile(os.path.join(args.model, "config.json")):
        sys.exit(f"{args.model}: no config.json (expected 'minilm' or a decoder checkpoint folder)")
    if args.weights == "load":
        model = AutoModelForCausalLM.from_pretrained(args.model, torch_dtype=torch.float32, attn_implementation="eager")
    else:
        config = AutoConfig.from_pretrained(args.model, attn_implementation="eager")
        model = AutoModelForCausalLM.from_config(config, torch_dtype=torch.float32)
    lora = LoraConfig(task_type="CAUSAL_LM", r=args.rank, lora_alpha=2 * args.rank, lora_dropout=0.0, target_modules=PROJECTIONS)
    ids = torch.randint(model.config.vocab_size, (args.batch, args.tokens), generator=generator)
    batch = dict(input_ids=ids, attention_mask=torch.ones_like(ids), labels=ids)
    return model, lora, batch, 0.0, f"{args.model}, weights {'loaded' if args.weights == 'load' else 'random (config.json only)'}"


def main():
    parser = argparse.ArgumentParser(description="Time Hugging Face PEFT's LoRA training step (see the module docstring).")
    parser.add_argument("model", help="'minilm' or a decoder checkpoint folder")
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--tokens", type=int, default=32)
    parser.add_argument("--rank", type=int, help="LoRA rank (default 8 for minilm, 16 for a decoder)")
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--weights", choices=["load", "random"], default="load", help="decoder: load the folder's weights or only its config.json")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--json")
    args = parser.parse_args()
    if args.batch < 1 or args.tokens < 3 or args.steps < 1 or args.warmup < 0 or args.threads < 1:
        sys.exit("--batch, --steps and --threads must be at least 1, --tokens at least 3, --warmup 0 or more")
    args.rank = args.rank or (8 if args.model == "minilm" else 16)

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    generator = torch.Generator().manual_seed(args.seed)
    start = time.perf_counter()
    model, lora, batch, weight_decay, source = (minilm if args.model == "minilm" else decoder)(args, generator)
    load_seconds = time.perf_counter() - start
    model = get_peft_model(model, lora)
    trainable = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(trainable, lr=1e-4, betas=(0.9, 0.999), eps=1e-8, weight_decay=weight_decay)
    model.train()

    times = []
    for i in range(args.warmup + args.steps):
        clock = time.perf_counter()
        loss = model(**batch).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(trainable, 1.0)
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        loss.item()
        if i >= args.warmup:
            times.append((time.perf_counter() - clock) * 1000)
    ms = statistics.median(times)
    figures = {
        "model": args.model, "source": source, "batch": args.batch, "tokens": args.tokens, "rank": args.rank,
        "steps": args.steps, "warmup": args.warmup, "step_ms": ms, "step_ms_all": times,
        "tokens_per_second": args.batch * args.tokens / (ms / 1000),
        "trainable_parameters": sum(p.numel() for p in trainable), "load_seconds": load_seconds,
        "peak_resident": high_water_mark(), "torch_threads": torch.get_num_threads(),
        "versions": {"torch": torch.__version__, "transformers": transformers.__version__, "peft": peft.__version__,
                     "python": platform.python_version()},
    }
    text = json.dumps(figures, indent=2)
    if args.json:
        with open(args.json, "w") as f:
            f.write(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
