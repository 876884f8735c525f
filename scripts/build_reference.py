#!/usr/bin/env python3
"""Rebuild data/*.csv: the shared partial code lists plus code/name pairs that published
documents print. Every row keeps its provenance.

One derivation, checked before it is used: a summary table that lists the functional classes
as "二十二、粮油物资储备支出" numbers them either in sequence (000, 001) or by their code
(003 skips 十八、二十五、二十六、二十八, the numbers no class has). A numbered list counts as
numbered by code only when every class in it whose code is printed elsewhere (or listed)
sits at ordinal = code − 200, at least ten of them, with no exception. Its other classes then
get code 200 + ordinal, confidence "ordinal", with the line and the count of agreeing
classes as provenance; their name is the fullest form printed in any sample.

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
# Old names of renamed subjects, rows of their own valid up to `to_year`, so that a document
# of that year or before may print them and a later one may not (name_mismatch): (code,
# old name, to_year, where the rename is read). to_year is the year before the first
# document printing the new name, a bound taken from the documents themselves; the new name
# has no lower bound (when exactly it began is not printed anywhere here).
OLD_NAMES = [
    ("210", "医疗卫生与计划生育支出", 2018,
     "old name: printed beside 210 in samples/real/js_swbgt_2018_budget_tables.pdf (2018); "
     "the new name 卫生健康支出 in samples/real/js_gy_2019_budget.pdf (2019); a public "
     "budget-checker test quotes '医疗卫生与计划生育支出（210类）' (search index file id 53841496053)"),
    ("20805", "行政事业单位离退休", 2021,
     "old name: printed beside 20805 in samples/real/js_swbgt_2018_budget_tables.pdf (2018) and "
     "samples/real/js_gy_2019_budget.pdf (2019); the new name 行政事业单位养老支出 in "
     "samples/text/002_8d23f654fef9b6bc.txt (2022) and later"),
]
FIELDS = ["code", "name", "level", "parent", "source", "confidence", "name_variants", "from_year", "to_year"]
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
            # pdftotext flow text: "20105 统计信息事务 30.00 0.00 30.00"
            m = re.match(r"\s*(\d{3}|\d{5}|\d{7})\s+([^\d\s]\S*)\s+-?[\d,]+\.\d\d(\s|$)", line)
            if m and m.group(1)[0] in "235" and not re.search(r"(局|中心|本级)$", m.group(2)):
                yield m.group(1), m.group(2), f"samples/text/{doc}:{n}"
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


NUMERAL = {c: i for i, c in enumerate("一二三四五六七八九", 1)}


def cn_number(s):
    """一 → 1, 十二 → 12, 二十 → 20, 廿一 → 21, 三十四 → 34; None if not a numeral."""
    s = s.replace("廿", "二十")
    if not s or any(c not in NUMERAL and c != "十" for c in s):
        return None
    if "十" not in s:
        return NUMERAL[s] if len(s) == 1 else None
    tens, _, ones = s.partition("十")
    if (tens and tens not in NUMERAL) or (ones and ones not in NUMERAL) or "十" in ones:
        return None
    return (NUMERAL[tens] if tens else 1) * 10 + (NUMERAL[ones] if ones else 0)


def class_base(name):
    for suffix in ("支出", "事务", "等"):
        name = name[: -len(suffix)] if name.endswith(suffix) else name
    return name


def numbered_lists(path):
    """Runs of "N、name" cells in one column of consecutive table lines: [(ordinal, name, where)]."""
    doc = os.path.basename(path)
    runs, open_runs = [], {}
    for n, line in enumerate(open(path, encoding="utf-8"), 1):
        cells = cells_of(line) or []
        for col, cell in enumerate(clean(c) for c in cells):
            m = re.fullmatch(r"([一二三四五六七八九十廿]+)、(\D+)", cell)
            if not m or cn_number(m.group(1)) is None:
                continue
            run = open_runs.get(col)
            if run is None or n - run[-1][3] > 2:
                run = open_runs[col] = []
                runs.append(run)
            run.append((cn_number(m.group(1)), m.group(2), f"samples/text/{doc}:{n}", n))
    return [[(o, name, where) for o, name, where, _ in r] for r in runs if len(r) >= 10]


def ordinal_classes(functional):
    """Classes from lists numbered by code (see the module text): {code: row}."""
    attested = {class_base(r["name"]): code for code, r in functional.items() if len(code) == 3}
    lists = [l for p in sorted(glob.glob("samples/text/*.txt")) for l in numbered_lists(p)]
    fullest = {}
    for l in lists:
        for _, name, where in l:
            b = class_base(name)
            if len(name) > len(fullest.get(b, ("",))[0]):
                fullest[b] = (name, where)
    out = {}
    for l in lists:
        known = [(o, attested[class_base(name)]) for o, name, _ in l if class_base(name) in attested]
        agree = sum(1 for o, code in known if code == str(200 + o))
        if agree < 10 or agree != len(known):
            print(f"  list at {l[0][2]}: numbered in sequence ({agree} of {len(known)} known classes at code-200)")
            continue
        for o, name, where in l:
            code = str(200 + o)
            if class_base(name) in attested or code in functional or not 201 <= 200 + o <= 299:
                continue
            if code in out:
                out[code]["source"] += f"; also ordinal {o} at {where}"
                continue
            full, full_at = fullest[class_base(name)]
            source = (f"ordinal {o} at {where}, in a list numbered by code (all {agree} classes "
                      f"with a known code sit at code-200)")
            if full != name:
                source += f"; name as printed at {full_at}"
            out[code] = {"code": code, "name": full, "level": "类", "parent": "", "source": source,
                         "confidence": "ordinal", "name_variants": ""}
    return out


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
    # Codes the real PDFs print beside their names, read by budgetgrid itself
    # (`budgetgrid codes`, see README "Names by year"): rows without a conflict that no other
    # source has, with the documents as provenance.
    exe = "target/release/budgetgrid"
    if os.path.exists(exe):
        import subprocess, tempfile
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "codes.csv")
            subprocess.run([exe, "codes", "samples/real", "-o", out], stderr=subprocess.DEVNULL)
            scheme_file = {"functional": "functional", "econ_dept": "economic_dept", "econ_gov": "economic_gov"}
            added = 0
            for h in csv.DictReader(open(out, encoding="utf-8")):
                f = scheme_file.get(h["scheme"])
                if not f or h["conflict"] or h["to_year"] or h["code"] in rows[f]:
                    continue
                docs = h["source"].replace("printed beside its code in ", "").replace(" (budgetgrid codes)", "")
                src = "printed beside its code in " + ", ".join(
                    f"samples/real/{d.strip()}.pdf" if not d.strip().endswith("more") else d.strip()
                    for d in docs.split(",")) + f" ({h['years']}; read by budgetgrid codes)"
                rows[f][h["code"]] = {"code": h["code"], "name": h["name"], "level": level(h["code"]),
                                      "parent": parent(h["code"]), "source": src,
                                      "confidence": "printed-pdf", "name_variants": ""}
                added += 1
            print(f"  samples/real: {added} rows from budgetgrid codes")
    else:
        print(f"  {exe} not built: samples/real not harvested")
    for f, code, name, src in EXTRA:
        rows[f].setdefault(code, {"code": code, "name": name, "level": level(code), "parent": parent(code),
                                  "source": src, "confidence": "explicit", "name_variants": ""})
    old_rows = {}
    for code, old, to_year, src in OLD_NAMES:
        old_rows.setdefault(code, []).append({
            "code": code, "name": old, "level": level(code), "parent": parent(code),
            "source": src, "confidence": "old-name", "name_variants": "", "to_year": str(to_year)})
    for code, r in ordinal_classes(rows["functional"]).items():
        rows["functional"].setdefault(code, r)
    for f, table in rows.items():
        with open(f"data/{f}.csv", "w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=FIELDS)
            w.writeheader()
            for code in sorted(table):
                w.writerow({k: table[code].get(k, "") for k in FIELDS})
                if f == "functional":
                    for r in old_rows.get(code, []):
                        w.writerow({k: r.get(k, "") for k in FIELDS})
        print(f, len(table))


if __name__ == "__main__":
    main()
