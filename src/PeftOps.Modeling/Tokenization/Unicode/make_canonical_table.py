"""Writes canonical.txt, the data CanonicalNormalizer needs for NFC, NFD, NFKC and NFKD without ICU.

Usage: python3 make_canonical_table.py > canonical.txt   (the checked-in file: Python 3.11, Unicode 14.0)

Lines, code points in hex:
  d CP A [B]   canonical decomposition of CP (one level; the normalizer recurses)
  k CP A [B..] compatibility decomposition of CP (one level, its <tag> dropped; NFKD and NFKC only)
  c CP N       canonical combining class N of CP (only the non-zero ones)
  x CP         CP has a two-character canonical decomposition but is not recomposed by NFC
               (composition exclusions, singletons, non-starter decompositions)
Hangul syllables are left out: they decompose and compose algorithmically.
"""
import sys
import unicodedata

print(f"# canonical decompositions and combining classes, Unicode {unicodedata.unidata_version}; made by make_canonical_table.py")
for cp in range(0x110000):
    if 0xD800 <= cp <= 0xDFFF or 0xAC00 <= cp <= 0xD7A3:
        continue
    c = chr(cp)
    decomposition = unicodedata.decomposition(c)
    if decomposition and not decomposition.startswith("<"):
        parts = decomposition.split()
        print(f"d {cp:X} {' '.join(parts)}")
        if len(parts) == 2 and unicodedata.normalize("NFC", c) != c:
            print(f"x {cp:X}")
    elif decomposition:
        print(f"k {cp:X} {' '.join(decomposition.split()[1:])}")
    combining = unicodedata.combining(c)
    if combining:
        print(f"c {cp:X} {combining}")
