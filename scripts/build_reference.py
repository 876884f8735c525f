#!/usr/bin/env python3
"""Rebuild data/*.csv: the shared partial code lists plus code/name pairs that published
documents print. Every row keeps its provenance; no code is ever inferred.

Sources:
  ../shared/reference/*.csv          the project's partial lists (tags S1..S14 kept)
  samples/text/*.txt                 code and name printed side by side in a table row
                                     (one cell, or split over 类/款/项 cells)
  EXTRA below                        rows read in public material, with where they were read
usage: python3 scripts/build_reference.py [--shared ../shared/reference]
"""
import csv, glob, os, re, sys

EXTRA = [
    # (scheme file, code, name, source) — read in a public finance-platform front end,
    # repository Ghhhhy/platformweb-fb, a table-header config listing 功能分类 classes as
    # '[203]国防支出' … (search index file id 4716034185).
    ("functional", "203", "国防支出", "public code: Ghhhhy/platformweb-fb column config '[203]国防支出'"),
    ("functional", "227", "预备费", "public code: Ghhhhy/platformweb-fb column config '[227]预备费'"),
    ("functional", "230", "转移性支出", "public code: Ghhhhy/platformweb-fb column config '[230]转移性支出'"),
    ("functional", "232", "债务付息支出", "public code: Ghhhhy/platformweb-fb column config '[232]债务付息支出'"),
    ("functional", "233", "债务发行费用支出", "public code: Ghhhhy/platformweb-fb column config '[233]债务发行费用支出'"),
]
FIELDS = ["code", "name", "level", "parent", "source", "confidence", "name_variants"]
FILES = {"2": "functional", "3": "economic_dept", "5": "economic_gov"}


def level(code):
    return {3: "类", 5: "款", 7: "项"}.get(len(code), "")


def parent(code):
    return code[:3] if len(code) == 5 else code[:5] if len(code) == 7 else ""


def cells_of(line):
    if line.lstrip().startswith("|"):
        return [c.strip() for c in line.strip().strip("|").split("|")]
    if "\t" in line:
        return [c.strip() for c in line.split("\t")]
    return None


def clean(s):
    s = re.sub(r"</?b>", "", s)
    return re.sub(r"\s+", "", s)


def printed_pairs(path):
    doc = os.path.basename(path)
    for n, line in enumerate(open(path, encoding="utf-8"), 1):
        cells = cells_of(line)
        if not cells:
            continue
        cells = [clean(c) for c in cells]
        i = 0
        while i < len(cells):
            j, code = i, ""
            if re.fullmatch(r"\d{3}|\d{5}|\d{7}", cells[j] or "x"):
                code, j = cells[j], j + 1
                # split 类 | 款 | 项 cells: 201 | 03 | 01
                while len(code) < 7 and j < len(cells) and re.fullmatch(r"\d{2}", cells[j] or "x"):
                    code += cells[j]
                    j += 1
                while j < len(cells) and not cells[j] and j < i + 6:
                    j += 1
            if len(code) in (3, 5, 7) and code[0] in "235" and j < len(cells) and cells[j] and not cells[j][0].isdigit():
                name = cells[j]
                if not re.search(r"(局|中心|本级)$", name):
                    yield code, name, f"samples/text/{doc}:{n}"
                i = j + 1
            else:
                i += 1


def main():
    shared = sys.argv[sys.argv.index("--shared") + 1] if "--shared" in sys.argv else "../shared/reference"
    rows = {f: {} for f in FILES.values()}
    for f in FILES.values():
        for r in csv.DictReader(open(os.path.join(shared, f + ".csv"), encoding="utf-8")):
            r["source"] = f"reference/{f}.csv[{r['source']}]"
            rows[f][r["code"]] = r
    for path in sorted(glob.glob("samples/text/*.txt")):
        for code, name, src in printed_pairs(path):
            f = FILES[code[0]]
            r = rows[f].get(code)
            if r is None:
                rows[f][code] = {"code": code, "name": name, "level": level(code), "parent": parent(code),
                                 "source": src, "confidence": "printed", "name_variants": ""}
            elif "samples/text" not in r["source"]:  # a name that differs is left to name_mismatch
                r["source"] += f"; printed at {src}"
    for f, code, name, src in EXTRA:
        rows[f].setdefault(code, {"code": code, "name": name, "level": level(code), "parent": parent(code),
                                  "source": src, "confidence": "explicit", "name_variants": ""})
    for f, table in rows.items():
        with open(f"data/{f}.csv", "w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=FIELDS)
            w.writeheader()
            for code in sorted(table):
                w.writerow({k: table[code].get(k, "") for k in FIELDS})
        print(f, len(table))


if __name__ == "__main__":
    main()
