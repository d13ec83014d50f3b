"""Writes normalization_golden.jsonl: texts with their NFC and NFD from Python's unicodedata (Unicode 14.0
in Python 3.11, the version src/PeftOps.Modeling/Tokenization/Unicode/canonical.txt was made from).

Usage: python3 make_normalization_golden.py > normalization_golden.jsonl
Every code point with a canonical decomposition or a non-zero combining class appears, six to a text in a
seeded shuffle, and then random runs of starters, marks of mixed classes and Hangul jamo and syllables,
which exercise canonical ordering, blocking and recomposition.
"""
import json
import random
import unicodedata

rng = random.Random(14)
interesting = [
    cp for cp in range(0x110000)
    if not 0xD800 <= cp <= 0xDFFF
    and ((unicodedata.decomposition(chr(cp)) and not unicodedata.decomposition(chr(cp)).startswith("<"))
         or unicodedata.combining(chr(cp)))
]
rng.shuffle(interesting)
texts = ["".join(map(chr, interesting[i:i + 6])) for i in range(0, len(interesting), 6)]

marks = [cp for cp in interesting if unicodedata.combining(chr(cp))]
starters = [ord(c) for c in "aeiouAEIOUnNcCsSzZwyYkKgG"] + [0x03B1, 0x03C9, 0x0415, 0x0438, 0x0B47, 0x0DD9, 0x1025, 0x3046, 0x30AB]
hangul = [0x1100, 0x1112, 0x1161, 0x1175, 0x11A8, 0x11C2, 0xAC00, 0xAC01, 0xD7A3, 0xB098]
second_starters = [0x0B3E, 0x0B56, 0x0DCF, 0x0DDF, 0x102E, 0x3099, 0x309A]
pools = [starters, marks, marks, hangul, second_starters]
for _ in range(300):
    texts.append("".join(chr(rng.choice(rng.choice(pools))) for _ in range(rng.randint(2, 8))))

for text in texts:
    print(json.dumps({"text": text, "nfc": unicodedata.normalize("NFC", text), "nfd": unicodedata.normalize("NFD", text)}))
