#!/usr/bin/env python3
"""The crawl on one Dask worker process against two, on the same batch, paired runs.

    scripts/bench_crawl.sh [COPIES] [ROUNDS]

The batch is the bundled disclosures (PDF, HTML, text, the real PDFs), each in COPIES
variants that differ in a trailing comment, so that each has content of its own (the
crawl reads each content once). Each round crawls the batch into a fresh folder with one
worker, then with two (the order alternates), on a LocalCluster that is already running
(its start is timed apart). Prints wall seconds, documents/s and PDF pages/s for each run,
the medians, and the ratio of two workers' time to one's.
"""

import csv
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import logging

from distributed import Client, LocalCluster

from budgetgrid.crawl import crawl

ROOT = Path(__file__).resolve().parents[1]


def pages(pdf: Path) -> int:
    try:
        out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    except OSError:
        return 0
    for line in out.splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    return 0


def make_batch(folder: Path, copies: int):
    src = []
    for sub, pat in [("pdf", "*.pdf"), ("html", "*.html"), ("text", "*.txt"), ("real", "*.pdf")]:
        src += sorted((ROOT / "samples" / sub).glob(pat))
    rows, npages = [], 0
    for i in range(copies):
        for p in src:
            dst = folder / f"{p.stem}.{i}{p.suffix}"
            shutil.copy(p, dst)
            with open(dst, "ab") as f:
                f.write(b"\n%% copy %d\n" % i if p.suffix == ".pdf" else b"\n<!-- copy %d -->\n" % i if p.suffix == ".html" else b"\n" * (i + 1))
            rows.append([str(dst), p.parent.name, "2024"])
            if p.suffix == ".pdf":
                npages += pages(p)
    m = folder / "manifest.csv"
    with open(m, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["path", "region", "year"])
        w.writerows(rows)
    return m, len(rows), npages


def main() -> int:
    logging.getLogger("distributed").setLevel(logging.CRITICAL)
    copies = int(sys.argv[1]) if len(sys.argv) > 1 else 8
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    tmp = Path(tempfile.mkdtemp(prefix="bench_crawl_"))
    try:
        manifest, ndocs, npages = make_batch(tmp, copies)
        print(f"batch: {ndocs} documents, {npages} PDF pages; load {os.getloadavg()[0]:.2f}, {os.cpu_count()} cores")
        clusters = {}
        for n in (1, 2):
            t0 = time.perf_counter()
            cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None)
            client = Client(cluster)
            clusters[n] = (cluster, client)
            print(f"cluster of {n} worker(s) started in {time.perf_counter() - t0:.2f} s")
        times = {1: [], 2: []}
        sizes = []
        for r in range(rounds):
            for n in ((1, 2) if r % 2 == 0 else (2, 1)):
                out = tmp / f"out-{n}-{r}"
                t0 = time.perf_counter()
                rep = crawl(manifest, out, client=clusters[n][1])
                dt = time.perf_counter() - t0
                assert rep.processed + rep.failed == ndocs, rep
                times[n].append(dt)
                print(f"round {r + 1}, {n} worker(s): {dt:.2f} s, {ndocs / dt:.0f} documents/s, "
                      f"{npages / dt:.0f} PDF pages/s, {rep.records} records")
                size = sum(p.stat().st_size for p in (out / "records").rglob("*.parquet"))
                sizes.append((size, rep.records))
                shutil.rmtree(out)
        for cluster, client in clusters.values():
            client.close()
            cluster.close()
        m1, m2 = statistics.median(times[1]), statistics.median(times[2])
        size, recs = sizes[-1]
        print(f"output: {size / 2**20:.1f} MiB of Parquet for {recs} records "
              f"({size / recs:.0f} bytes a record, {size / ndocs / 1024:.0f} KiB a document)")
        print(f"median: 1 worker {m1:.2f} s, 2 workers {m2:.2f} s; ratio 2/1 = {m2 / m1:.2f}; "
              f"load after {os.getloadavg()[0]:.2f}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
