"""Writes compatibility_golden.jsonl: texts with their NFKC and NFKD from Python's unicodedata (Unicode 14.0 in
Python 3.11, the version src/PeftOps.Modeling/Tokenization/Unicode/canonical.txt was made from).

Usage: python3 make_compatibility_golden.py > compatibility_golden.jsonl
Every code point with a compatibility decomposition (ligatures, full-width and circled forms, superscripts,
Arabic presentation forms...) appears, six to a text in a seeded shuffle, then random runs mixing them with
combining marks and ASCII, which exercise recomposition after compatibility decomposition.
"""
import json
import random
import unicodedata

rng = random.Random(15)
compatibility = [
    cp for cp in range(0x110000)
    if not 0xD800 <= cp <= 0xDFFF and unicodedata.decomposition(chr(cp)).startswith("<")
]
rng.shuffle(compatibility)
texts = ["".join(map(chr, compatibility[i:i + 6])) for i in range(0, len(compatibility), 6)]
marks = [0x0300, 0x0301, 0x0308, 0x0323, 0x0327, 0x3099]
for _ in range(200):
    pools = [compatibility, marks, [ord(c) for c in "aeoukAEOUK "]]
    texts.append("".join(chr(rng.choice(rng.choice(pools))) for _ in range(rng.randint(2, 8))))

for text in texts:
    print(json.dumps({"text": text, "nfkc": unicodedata.normalize("NFKC", text), "nfkd": unicodedata.normalize("NFKD", text)}))
