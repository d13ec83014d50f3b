"""Renders conversations.json with every template in this folder through transformers 4.46.3's apply_chat_template.

Run with the Hugging Face reference environment (../../../../shared/tools/hf-reference, see its README):
    /work/shared/tools/hf-reference/py tests/data/chat-templates/make_fixtures.py
It writes expected.json beside itself: for each template, case and add_generation_prompt, the rendered text or the
error transformers raised. The Rust tokenizers package is not available there (only a placeholder whose AddedToken
cannot be hashed, so from_pretrained fails), so each folder's tokenizer_config.json is passed as keyword arguments to a
subclass of transformers' PreTrainedTokenizerBase (PreTrainedTokenizer itself needs the placeholder's AddedToken), with AddedToken objects ({"content": ...}) given as their content, which is
what the tokenizer's special_tokens_map hands the template. transformers itself then picks the template (the string,
or "default" of the list form) and renders with apply_chat_template(messages, tokenize=False, add_generation_prompt=...).
"""
import json
import pathlib

import jinja2
import transformers
from transformers import PreTrainedTokenizerBase

HERE = pathlib.Path(__file__).resolve().parent


class TemplateOnlyTokenizer(PreTrainedTokenizerBase):
    """transformers' tokenizer base with no vocabulary: all that apply_chat_template(tokenize=False) needs."""

    vocab_files_names = {}


def main():
    doc = json.loads((HERE / "conversations.json").read_text(encoding="utf-8"))
    results = []
    for folder in sorted(p for p in HERE.iterdir() if (p / "tokenizer_config.json").exists()):
        config = json.loads((folder / "tokenizer_config.json").read_text(encoding="utf-8"))
        config.pop("tokenizer_class", None)
        kwargs = {k: (v["content"] if isinstance(v, dict) and "content" in v else v) for k, v in config.items()}
        tokenizer = TemplateOnlyTokenizer(**kwargs)
        variables = doc["template_variables"].get(folder.name, {})
        for case in doc["cases"]:
            for add_generation_prompt in (False, True):
                entry = {"template": folder.name, "case": case["name"], "add_generation_prompt": add_generation_prompt}
                try:
                    entry["text"] = tokenizer.apply_chat_template(
                        case["messages"], tokenize=False, add_generation_prompt=add_generation_prompt, **variables)
                except (jinja2.exceptions.TemplateError, TypeError, ValueError, IndexError, KeyError) as e:
                    entry["error"] = f"{type(e).__name__}: {e}"
                results.append(entry)
    out = {
        "made_by": f"make_fixtures.py with transformers {transformers.__version__}, jinja2 {jinja2.__version__}",
        "results": results,
    }
    (HERE / "expected.json").write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{len(results)} renderings, {sum('error' in r for r in results)} errors")


if __name__ == "__main__":
    main()
