"""stemmer.py stems exactly as lunr.js does: checked against lunr.js itself."""

from __future__ import annotations

import itertools
import json
import re
import subprocess
from pathlib import Path

from tools import LUNR_JS, node

from pelican.plugins.briefings.write.stemmer import porter_stem

SEEDS = Path(__file__).resolve().parent.parent / "content" / "blogs"
STEMS = [
    "day",
    "try",
    "lay",
    "yell",
    "relat",
    "condit",
    "hop",
    "fil",
    "sky",
    "general",
    "ration",
    "agree",
    "feed",
    "plaster",
    "bled",
    "motor",
    "sing",
    "conflat",
    "troubl",
    "siz",
    "fall",
    "hiss",
    "fizz",
    "generous",
    "electr",
    "adjust",
    "depend",
    "communism",
    "sensibl",
    "🚀",
    "ｆｕｌｌ",
    "naïv",
    "y",
    "ye",
]
SUFFIXES = [
    "",
    "s",
    "es",
    "ies",
    "sses",
    "ed",
    "eed",
    "ing",
    "y",
    "ational",
    "tional",
    "enci",
    "anci",
    "izer",
    "bli",
    "alli",
    "entli",
    "eli",
    "ousli",
    "ization",
    "ation",
    "ator",
    "alism",
    "iveness",
    "fulness",
    "ousness",
    "aliti",
    "iviti",
    "biliti",
    "logi",
    "icate",
    "ative",
    "alize",
    "iciti",
    "ical",
    "ful",
    "ness",
    "al",
    "ance",
    "ence",
    "er",
    "ic",
    "able",
    "ible",
    "ant",
    "ement",
    "ment",
    "ent",
    "sion",
    "tion",
    "ou",
    "ism",
    "ate",
    "iti",
    "ous",
    "ive",
    "ize",
    "e",
    "ll",
    "🚀y",
    "y🚀",
]


def vocabulary() -> list[str]:
    words = {
        word for path in SEEDS.glob("*.txt") for word in re.findall(r"\w+", path.read_text(encoding="utf-8").lower())
    }
    words.update(stem + suffix for stem, suffix in itertools.product(STEMS, SUFFIXES))
    return sorted(words)


def test_python_and_lunr_js_stem_every_word_alike():
    words = vocabulary()
    script = f"""
        var lunr = require({json.dumps(str(LUNR_JS))});
        var words = JSON.parse(require("fs").readFileSync(0, "utf8"));
        console.log(JSON.stringify(words.map(w => lunr.stemmer(new lunr.Token(w, {{}})).toString())));
    """
    result = subprocess.run([node(), "-e", script], input=json.dumps(words), capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    expected = json.loads(result.stdout)
    differences = [(w, e, porter_stem(w)) for w, e in zip(words, expected) if porter_stem(w) != e]
    assert len(words) > 4000 and not differences, differences[:20]


def test_where_lunr_py_and_lunr_js_disagree_we_follow_lunr_js():
    assert porter_stem("day") == "day" and porter_stem("monday") == "monday"
    assert porter_stem("try") == "tri"
