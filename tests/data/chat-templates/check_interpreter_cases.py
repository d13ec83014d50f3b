"""Checks interpreter-cases.json against jinja2 as transformers 4.46.3 configures it (_compile_jinja_template).

    /work/shared/tools/hf-reference/py tests/data/chat-templates/check_interpreter_cases.py
Exits 1 and prints each case whose expected output differs from what transformers renders.
"""
import json
import pathlib
import sys

from transformers.utils.chat_template_utils import _compile_jinja_template

HERE = pathlib.Path(__file__).resolve().parent


def main():
    cases = json.loads((HERE / "interpreter-cases.json").read_text(encoding="utf-8"))["cases"]
    differ = 0
    for case in cases:
        got = _compile_jinja_template(case["template"]).render(**case["variables"])
        if got != case["expected"]:
            differ += 1
            print(f"{case['template']!r}: expected {case['expected']!r}, jinja2 renders {got!r}")
    print(f"{len(cases)} cases, {differ} differ")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
