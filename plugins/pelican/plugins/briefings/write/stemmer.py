"""lunr.js 2.3.9's Porter stemmer (``lunr.stemmer``), line for line in Python.

The index is built in Python but searched by lunr.js, which stems the reader's
words with its own stemmer; lunr.py's stemmer differs from it ("day" -> "dai"
in Python, "day" in JavaScript; "try" the other way round), so a search for
"Monday" would find nothing. This port makes the index's terms exactly what
lunr.js makes of the same words. It follows JavaScript's string semantics too:
lengths and regular expressions count UTF-16 code units, so words with
characters beyond U+FFFF are handled as their surrogate pairs. (Where "." and
"$" differ, at line breaks, they cannot meet: no term holds one.)
"""

from __future__ import annotations

import re
from types import MappingProxyType

STEP2 = MappingProxyType(
    {
        "ational": "ate",
        "tional": "tion",
        "enci": "ence",
        "anci": "ance",
        "izer": "ize",
        "bli": "ble",
        "alli": "al",
        "entli": "ent",
        "eli": "e",
        "ousli": "ous",
        "ization": "ize",
        "ation": "ate",
        "ator": "ate",
        "alism": "al",
        "iveness": "ive",
        "fulness": "ful",
        "ousness": "ous",
        "aliti": "al",
        "iviti": "ive",
        "biliti": "ble",
        "logi": "log",
    }
)
STEP3 = MappingProxyType(
    {"icate": "ic", "ative": "", "alize": "al", "iciti": "ic", "ical": "ic", "ful": "", "ness": ""}
)

_c = "[^aeiou]"  # consonant
_v = "[aeiouy]"  # vowel
_C = _c + "[^aeiouy]*"  # consonant sequence
_V = _v + "[aeiou]*"  # vowel sequence

MGR0 = re.compile("^(" + _C + ")?" + _V + _C)  # [C]VC... is m>0
MEQ1 = re.compile("^(" + _C + ")?" + _V + _C + "(" + _V + ")?$")  # [C]VC[V] is m=1
MGR1 = re.compile("^(" + _C + ")?" + _V + _C + _V + _C)  # [C]VCVC... is m>1
S_V = re.compile("^(" + _C + ")?" + _v)  # vowel in stem

RE_1A = re.compile(r"^(.+?)(ss|i)es$")
RE2_1A = re.compile(r"^(.+?)([^s])s$")
RE_1B = re.compile(r"^(.+?)eed$")
RE2_1B = re.compile(r"^(.+?)(ed|ing)$")
RE_1B_2 = re.compile(r".$")
RE2_1B_2 = re.compile(r"(at|bl|iz)$")
RE3_1B_2 = re.compile(r"([^aeiouylsz])\1$")
RE4_1B_2 = re.compile("^" + _C + _v + "[^aeiouwxy]$")
RE_1C = re.compile(r"^(.+?[^aeiou])y$")
RE_2 = re.compile(r"^(.+?)(" + "|".join(STEP2) + ")$")
RE_3 = re.compile(r"^(.+?)(" + "|".join(STEP3) + ")$")
RE_4 = re.compile(r"^(.+?)(al|ance|ence|er|ic|able|ible|ant|ement|ment|ent|ou|ism|ate|iti|ous|ive|ize)$")
RE2_4 = re.compile(r"^(.+?)(s|t)(ion)$")
RE_5 = re.compile(r"^(.+?)e$")
RE_5_1 = re.compile(r"ll$")
RE3_5 = re.compile("^" + _C + _v + "[^aeiouwxy]$")


def _units(word: str) -> str:
    """``word`` as JavaScript sees it: one character per UTF-16 code unit."""
    if all(ord(char) <= 0xFFFF for char in word):
        return word
    data = word.encode("utf-16-le", "surrogatepass")
    return "".join(chr(int.from_bytes(data[i : i + 2], "little")) for i in range(0, len(data), 2))


def _join_units(word: str) -> str:
    return word.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


def _sub(pattern: re.Pattern, replacement: str, word: str) -> str:
    return pattern.sub(replacement, word, count=1)


def porter_stem(word: str) -> str:
    """What ``lunr.stemmer`` (lunr.js 2.3.9) makes of ``word``."""
    w = _units(word)
    if len(w) < 3:
        return word
    firstch = w[0]
    if firstch == "y":
        w = "Y" + w[1:]

    # Step 1a
    if RE_1A.search(w):
        w = _sub(RE_1A, r"\1\2", w)
    elif RE2_1A.search(w):
        w = _sub(RE2_1A, r"\1\2", w)

    # Step 1b
    if match := RE_1B.search(w):
        if MGR0.search(match.group(1)):
            w = _sub(RE_1B_2, "", w)
    elif match := RE2_1B.search(w):
        stem = match.group(1)
        if S_V.search(stem):
            w = stem
            if RE2_1B_2.search(w):
                w = w + "e"
            elif RE3_1B_2.search(w):
                w = _sub(RE_1B_2, "", w)
            elif RE4_1B_2.search(w):
                w = w + "e"

    # Step 1c: a final y after a consonant that is not the first letter becomes i
    if match := RE_1C.search(w):
        w = match.group(1) + "i"

    # Step 2
    if match := RE_2.search(w):
        stem, suffix = match.groups()
        if MGR0.search(stem):
            w = stem + STEP2[suffix]

    # Step 3
    if match := RE_3.search(w):
        stem, suffix = match.groups()
        if MGR0.search(stem):
            w = stem + STEP3[suffix]

    # Step 4
    if match := RE_4.search(w):
        stem = match.group(1)
        if MGR1.search(stem):
            w = stem
    elif match := RE2_4.search(w):
        stem = match.group(1) + match.group(2)
        if MGR1.search(stem):
            w = stem

    # Step 5
    if match := RE_5.search(w):
        stem = match.group(1)
        if MGR1.search(stem) or (MEQ1.search(stem) and not RE3_5.search(stem)):
            w = stem
    if RE_5_1.search(w) and MGR1.search(w):
        w = _sub(RE_1B_2, "", w)

    if firstch == "y":
        w = "y" + w[1:]
    return _join_units(w)


def pipeline_function():
    """A lunr.py pipeline function stemming with ``porter_stem``, serialised as
    "stemmer", the name lunr.js knows its own stemmer by. Each call makes a new
    one with its own memory of stems (words repeat a lot), so nothing is kept
    from one build to the next."""
    stems: dict[str, str] = {}

    def stem(string: str, metadata=None) -> str:
        if string not in stems:
            stems[string] = porter_stem(string)
        return stems[string]

    def stemmer(token, i=None, tokens=None):
        return token.update(stem)

    stemmer.label = "stemmer"
    return stemmer
