#!/usr/bin/env python3
"""ICDAR 2013 scored separately on ruled and unruled tables.

usage: scripts/icdar_ruled.py [--bench ../shared/bench/icdar2013] [--bin target/release/budgetgrid]

A ground-truth table counts as ruled when pdfplumber's line-based table finder (an
independent tool: `pip install pdfplumber`) finds a table over most of it. Each
ground-truth table is matched with the detected table on its pages sharing most adjacency
relations (one-to-one, greedy, as the benchmark's score.py does per document, first
reading of documents with two); micro P/R/F1 are printed per class.
"""
import argparse, json, os, subprocess, sys, tempfile


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bench", default="../shared/bench/icdar2013")
    ap.add_argument("--bin", default="target/release/budgetgrid")
    a = ap.parse_args()
    sys.path.insert(0, a.bench)
    from metrics import adjacency, cells_from_grid, inter, greedy_match  # noqa: E402
    import pdfplumber  # noqa: E402

    gt = json.load(open(os.path.join(a.bench, "gt.json")))["docs"]
    totals = {"ruled": [0, 0, 0, 0], "unruled": [0, 0, 0, 0]}  # ok, det, gold, tables
    for doc in sorted(gt):
        pdf = os.path.join(a.bench, "pdfs", doc + ".pdf")
        gtabs = list(gt[doc]["variants"].values())[0]
        with tempfile.TemporaryDirectory() as td:
            out = os.path.join(td, "o.json")
            subprocess.run([a.bin, "extract", pdf, "--format", "json", "--output", out,
                            "--quiet", "--jobs", "1"], capture_output=True)
            det = []
            if os.path.exists(out):
                for line in open(out):
                    if line.strip():
                        for t in json.loads(line).get("tables", []):
                            g = t["grid"]
                            spans = [[m["row"], m["col"], m["row_span"], m["col_span"]]
                                     for m in g.get("merges") or []]
                            pages = [t.get("page")] + list(t.get("continued_on") or [])
                            det.append((pages, adjacency(cells_from_grid(g["rows"], spans, True))))
        gt_rel = [adjacency(t["cells"]) for t in gtabs]
        s = {(i, j): inter(gt_rel[i], det[j][1]) for i, t in enumerate(gtabs)
             for j in range(len(det)) if set(t["pages"]) & set(det[j][0])}
        m = greedy_match(s, len(gtabs), len(det))
        with pdfplumber.open(pdf) as p:
            for i, t in enumerate(gtabs):
                page = p.pages[t["pages"][0] - 1]
                xs = [c["bbox"][0] for c in t["cells"]] + [c["bbox"][2] for c in t["cells"]]
                ys = [c["bbox"][1] for c in t["cells"]] + [c["bbox"][3] for c in t["cells"]]
                # ICDAR boxes are in PDF space (origin bottom left); pdfplumber's top left.
                box = (min(xs), page.height - max(ys), max(xs), page.height - min(ys))
                ruled = False
                for f in page.find_tables():
                    x0, y0, x1, y1 = f.bbox
                    ix = max(0, min(x1, box[2]) - max(x0, box[0]))
                    iy = max(0, min(y1, box[3]) - max(y0, box[1]))
                    area = (box[2] - box[0]) * (box[3] - box[1]) or 1
                    if ix * iy > 0.5 * area:
                        ruled = True
                k = "ruled" if ruled else "unruled"
                j = m.get(i)
                totals[k][0] += s[(i, j)] if j is not None else 0
                totals[k][1] += sum(det[j][1].values()) if j is not None else 0
                totals[k][2] += sum(gt_rel[i].values())
                totals[k][3] += 1
    for k, (ok, d, g, n) in totals.items():
        p = ok / d if d else 0.0
        r = ok / g if g else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        print(f"{k:8s} tables {n:3d}  P {p:.3f} R {r:.3f} F1 {f:.3f}")


if __name__ == "__main__":
    main()
