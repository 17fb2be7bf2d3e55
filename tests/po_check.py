#!/usr/bin/env python3
"""po_check.py - what tests/t_i18n.sh asks of the catalogues and the screens.

  po_check.py missing POT PO      each msgid of POT that PO lacks or leaves
                                  untranslated or fuzzy, one a line (exit 1)
  po_check.py msgstr PO MSGID     the translation of MSGID (its first form)
  po_check.py width COLS [ROWS]   standard input: frames of --dump-screen;
                                  lines wider than COLS display columns, and
                                  (with ROWS) frames of another height (exit 1)
  po_check.py clipped             standard input: --dump-screen frames; rows
                                  of an overlay whose text runs into its
                                  right border (exit 1)
"""
import ast
import sys
import unicodedata


def parse(path):
    """{msgid: (translated forms, fuzzy)} of a .po or .pot file."""
    out, cur, field = {}, None, None

    def flush():
        if cur and cur["id"] is not None and not cur["obsolete"]:
            msgid = "".join(cur["id"])
            out[msgid] = (["".join(v) for _, v in sorted(cur["str"].items())], cur["fuzzy"])

    for line in open(path, encoding="utf-8"):
        line = line.strip()
        if not line:
            flush()
            cur, field = None, None
            continue
        if cur is None:
            cur = {"id": None, "str": {}, "fuzzy": False, "obsolete": False}
        if line.startswith("#~"):
            cur["obsolete"] = True
        elif line.startswith("#,"):
            cur["fuzzy"] |= "fuzzy" in line
        elif line.startswith("#"):
            continue
        elif line.startswith("msgid_plural "):
            field = []
        elif line.startswith("msgid "):
            cur["id"] = field = [ast.literal_eval(line[6:])]
        elif line.startswith("msgstr"):
            key, _, val = line.partition(" ")
            field = cur["str"].setdefault(key, [])
            field.append(ast.literal_eval(val))
        elif line.startswith('"') and field is not None:
            field.append(ast.literal_eval(line))
    flush()
    out.pop("", None)
    return out


def width(s):
    return sum(0 if unicodedata.combining(c) else
               2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def cells(line):
    """one entry per display column ('' after a wide character)"""
    out = []
    for c in line:
        out.append(c)
        if width(c) == 2:
            out.append("")
    return out


def missing(pot, po):
    have = parse(po)
    bad = 0
    for msgid in parse(pot):
        forms, fuzzy = have.get(msgid, ([], False))
        if not forms or not all(forms) or fuzzy:
            print(repr(msgid))
            bad += 1
    return 1 if bad else 0


def check_width(cols, rows=None):
    text = sys.stdin.read()
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    bad = 0
    for n, line in enumerate(lines, 1):
        if width(line) > cols:
            print(f"line {n}: {width(line)} columns: {line}")
            bad += 1
    if rows and len(lines) % rows:
        print(f"{len(lines)} lines: not frames of {rows}")
        bad += 1
    return 1 if bad else 0


def clipped():
    bad, right = 0, None
    for line in sys.stdin.read().split("\n"):
        c = cells(line)
        s = "".join(x if x else "\0" for x in c)
        if s.startswith(" +-"):
            right = s.rindex("+")
        elif right and s.startswith(" | ") and len(c) > right and c[right] == "|" \
                and c[right - 1] not in (" ", ""):
            print("clipped:", line)
            bad += 1
    return 1 if bad else 0


def main(argv):
    if len(argv) == 4 and argv[1] == "missing":
        return missing(argv[2], argv[3])
    if len(argv) == 4 and argv[1] == "msgstr":
        forms, _ = parse(argv[2]).get(argv[3], ([""], False))
        print(forms[0])
        return 0
    if len(argv) in (3, 4) and argv[1] == "width":
        return check_width(int(argv[2]), int(argv[3]) if len(argv) == 4 else None)
    if len(argv) == 2 and argv[1] == "clipped":
        return clipped()
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
