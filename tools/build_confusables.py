"""Write imidgraph/resources/confusables.json: the characters that look like each Latin letter.

The data is Unicode's confusables table (UTS #39, ``confusables.txt``), as packaged in the
``confusable-homoglyphs`` distribution (3.3.1, its ``confusables.json``). Kept: every single
character (a letter or a digit of any script: Cyrillic, Greek, Armenian, Cherokee, Coptic,
mathematical and full-width forms, ...) that the table lists as confusable with one of the
ASCII letters a-z, A-Z. The wording check folds these to the Latin letter before comparing.

Run: pip download --no-deps confusable-homoglyphs==3.3.1, unpack it, and
python tools/build_confusables.py path/to/confusable_homoglyphs/confusables.json
"""

from __future__ import annotations

import json
import sys
import unicodedata
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "imidgraph" / "resources" / "confusables.json"
_MARKS = "\u200e\u200f"  # the package wraps right-to-left characters in direction marks


def build(data: dict) -> dict[str, str]:
    table: dict[str, str] = {}
    for letter, entries in sorted(data.items()):
        if not (len(letter) == 1 and letter.isascii() and letter.isalpha()):
            continue
        chars = []
        for entry in entries:
            ch = entry["c"].strip(_MARKS)
            if len(ch) == 1 and not ch.isascii() and unicodedata.category(ch)[0] in "LN":
                chars.append(ch)
        table[letter] = "".join(sorted(set(chars)))
    return table


def main() -> None:
    data = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    table = build(data)
    note = (
        "Characters confusable with each ASCII letter, from Unicode's confusables table (UTS #39) "
        "as packaged in confusable-homoglyphs 3.3.1; written by tools/build_confusables.py"
    )
    OUT.write_text(json.dumps({"about": note, "letters": table}, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"wrote {OUT}: {sum(len(v) for v in table.values())} characters for {len(table)} letters")


if __name__ == "__main__":
    main()
