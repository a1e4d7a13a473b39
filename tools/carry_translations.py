#!/usr/bin/env python3
"""Carries finished translations across moved code.

After code moves between classes (a string's translation context changes), `lupdate`
keeps the message but marks it unfinished, with a same-text guess at best. This marks a
message finished when an earlier version of the .ts file (OLD, e.g. from `git show
HEAD:translations/avvp_zh_CN.ts`) holds the same source text (and comment) finished with
the same translation, fills empty ones from there, and adds the translations given in
--extra (a JSON object: source text -> translation). It prints what is still unfinished. Run `lupdate` (the update_translations target) again
afterwards: it restores its own formatting of the file.

    python3 tools/carry_translations.py OLD.ts translations/avvp_zh_CN.ts [--extra F.json]
"""
import argparse
import json
import sys
import xml.etree.ElementTree as ET


def key(message):
    src = message.find("source").text or ""
    comment = message.find("comment")
    return (src, comment.text if comment is not None else None)


def finished(old_path):
    known = {}
    for message in ET.parse(old_path).getroot().iter("message"):
        tr = message.find("translation")
        if tr is None or tr.get("type") in ("unfinished", "obsolete", "vanished"):
            continue
        known.setdefault(key(message), tr)
    return known


def copy_into(dst, src):
    dst.text = src.text
    for child in list(dst):
        dst.remove(child)
    for child in src:
        n = ET.SubElement(dst, child.tag, child.attrib)
        n.text = child.text
        n.tail = child.tail


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("old")
    ap.add_argument("ts")
    ap.add_argument("--extra")
    a = ap.parse_args()
    known = finished(a.old)
    extra = json.load(open(a.extra, encoding="utf-8")) if a.extra else {}
    tree = ET.parse(a.ts)
    carried = added = 0
    left = []
    for context in tree.getroot().iter("context"):
        name = context.find("name").text
        for message in context.iter("message"):
            tr = message.find("translation")
            if tr is None or tr.get("type") != "unfinished":
                continue
            k = key(message)
            if k in known:
                copy_into(tr, known[k])
                del tr.attrib["type"]
                carried += 1
            elif k[0] in extra and message.get("numerus") != "yes":
                tr.text = extra[k[0]]
                del tr.attrib["type"]
                added += 1
            else:
                left.append(f"{name}: {k[0]!r}")
    tree.write(a.ts, encoding="utf-8", xml_declaration=True)
    # Keep lupdate's DOCTYPE line (ElementTree drops it).
    text = open(a.ts, encoding="utf-8").read()
    if "<!DOCTYPE TS>" not in text:
        text = text.replace("?>\n", "?>\n<!DOCTYPE TS>\n", 1)
        open(a.ts, "w", encoding="utf-8").write(text)
    print(f"carried {carried}, added {added}, still unfinished {len(left)}")
    for line in left:
        print("  " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
