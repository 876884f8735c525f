"""A crawl of many disclosures on Dask distributed, written as partitioned Parquet.

The input is a manifest of documents that are already downloaded: a CSV file with the
columns ``path``, ``region`` and ``year``. Other columns, such as ``url``, are ignored.
A relative path is read from the manifest's folder.

Each document becomes one Dask task. Tasks run in worker processes, one thread each.
Every document is written as soon as it is done, under the output folder::

    records/year=2024/region=河南/<sha256>.parquet   flat records (the --format parquet
                                                       columns, plus content_sha256)
    errors/year=2024/region=河南/<sha256>.parquet    error records: a document that failed,
                                                       or a part of one that was lost
    _done/<sha256>.json                               the document is done (its outcome)
    _seen/<sha1 of the manifest path>.json            this path, size and mtime has that
                                                       content

Documents are keyed by the SHA-256 of their content. A rerun skips every manifest row
whose path, size and modification time match a ``_seen`` marker, without submitting a
task. A task whose content is already ``_done``, under another path or from an
interrupted run, writes nothing again (two tasks of one content that run at the same
time may both read it, and write the same file). A document's files are written to temporary
names and renamed, and the ``_done`` marker comes last. So an interrupted crawl resumes:
whatever has no marker is done again, and whatever has one is never repeated.

A worker that dies on a document (an abort in a decoder, or memory exhausted) costs
that document only. Dask retries it on another worker, and after the allowed failures
it becomes an error record with stage ``worker``. It is marked done, so a rerun does not
loop on it; delete its ``_done`` file to try again.

Run ``python -m budgetgrid.crawl MANIFEST OUT [--workers N | --scheduler ADDRESS]``.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional, Sequence

from . import BudgetgridError, _native, arrow_schema

__all__ = ["Document", "Report", "read_manifest", "crawl", "process_document", "main"]


@dataclass(frozen=True)
class Document:
    """One manifest row: where to read the document, and how to record it."""

    path: str  # as written in the manifest: the records' `source`
    file: str  # where it is read from
    region: str
    year: str
    doc_id: str


@dataclass
class Report:
    """What a crawl did."""

    documents: int = 0  # rows in the manifest
    skipped: int = 0  # rows already done (path, size and mtime seen before)
    submitted: int = 0  # tasks sent to the workers
    processed: int = 0  # documents read in this run
    duplicates: int = 0  # tasks whose content was already done
    failed: int = 0  # documents that became an error record
    records: int = 0  # records written in this run
    seconds: float = 0.0
    errors: list = field(default_factory=list)  # (path, stage, reason) of this run

    def as_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items()}


def _safe(part: str) -> str:
    """A partition value as a folder name: no separators, never empty."""
    s = "".join("_" if c in '/\\:*?"<>|=\0' else c for c in str(part).strip())
    return s or "_"


def read_manifest(manifest: str | os.PathLike) -> list[Document]:
    """The manifest's rows. Relative paths are read from the manifest's folder.

    Document ids are unique within the manifest, as the command line gives them to a
    batch. The id is the file stem, or, where stems collide, the path relative to the
    manifest's folder.
    """
    manifest = Path(manifest)
    base = manifest.resolve().parent
    with open(manifest, newline="", encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        missing = {"path", "region", "year"} - set(reader.fieldnames or [])
        if missing:
            raise ValueError(f"{manifest}: the manifest needs the columns {sorted(missing)}")
        rows = [r for r in reader if (r.get("path") or "").strip()]
    files = [str(base / r["path"].strip()) for r in rows]
    ids = _native.doc_ids([(str(base), f) for f in files])
    return [
        Document(
            path=r["path"].strip(),
            file=f,
            region=(r.get("region") or "").strip(),
            year=(r.get("year") or "").strip(),
            doc_id=i,
        )
        for r, f, i in zip(rows, files, ids)
    ]


def _seen_key(path: str) -> str:
    return hashlib.sha1(path.encode("utf-8")).hexdigest()


def _stat(file: str) -> Optional[tuple[int, int]]:
    try:
        st = os.stat(file)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


def _write_json(dest: Path, obj: Any) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.{uuid.uuid4().hex}.tmp")
    tmp.write_text(json.dumps(obj, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, dest)


def _write_parquet(table, dest: Path) -> None:
    import pyarrow.parquet as pq

    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.{uuid.uuid4().hex}.tmp")
    pq.write_table(table, tmp, compression="snappy")
    os.replace(tmp, dest)


def _error_table(rows: list[dict]):
    import pyarrow as pa

    names = ["doc_id", "source", "stage", "reason", "content_sha256"]
    return pa.table({n: pa.array([r.get(n) for r in rows], pa.string()) for n in names})


def _partition(out: Path, kind: str, doc: Document) -> Path:
    return out / kind / f"year={_safe(doc.year)}" / f"region={_safe(doc.region)}"


def _mark_seen(out: Path, doc: Document, stat, sha: Optional[str]) -> None:
    size, mtime = stat if stat else (None, None)
    _write_json(
        out / "_seen" / f"{_seen_key(doc.path)}.json",
        {"path": doc.path, "size": size, "mtime_ns": mtime, "sha256": sha},
    )


def _record_failure(out: Path, doc: Document, stage: str, reason: str, sha: Optional[str]) -> None:
    key = sha or f"path-{_seen_key(doc.path)}"
    row = {
        "doc_id": doc.doc_id,
        "source": doc.path,
        "stage": stage,
        "reason": reason,
        "content_sha256": sha,
    }
    _write_parquet(_error_table([row]), _partition(out, "errors", doc) / f"{key}.parquet")
    _write_json(
        out / "_done" / f"{key}.json",
        {"sha256": sha, "path": doc.path, "status": "failed", "stage": stage, "reason": reason},
    )


def process_document(
    doc: Document, out: str, reference: Sequence[str] = ()
) -> dict:
    """Read one document and write its partition files (a Dask task).

    Returns what happened: ``status`` is ``done``, ``duplicate`` or ``failed``, with the
    record count and any errors.
    """
    import pyarrow as pa

    from . import _arrays_of

    out_dir = Path(out)
    stat = _stat(doc.file)
    try:
        with open(doc.file, "rb") as f:
            data = f.read()
    except OSError as e:
        _record_failure(out_dir, doc, "read", str(e), None)
        _mark_seen(out_dir, doc, stat, None)
        return {"path": doc.path, "status": "failed", "records": 0,
                "errors": [(doc.path, "read", str(e))]}
    sha = hashlib.sha256(data).hexdigest()
    if (out_dir / "_done" / f"{sha}.json").exists():
        _mark_seen(out_dir, doc, stat, sha)
        return {"path": doc.path, "status": "duplicate", "records": 0, "errors": []}
    t0 = time.perf_counter()
    # Read from the bytes already in memory, named by the path so that the format comes
    # from the content, then the extension, as for a file.
    cols, error, errors = _native.read_flat(
        data=data, name=doc.file, reference=list(reference)
    )
    seconds = time.perf_counter() - t0
    if error is not None:
        e = json.loads(error)
        _record_failure(out_dir, doc, e["stage"], e["reason"], sha)
        _mark_seen(out_dir, doc, stat, sha)
        return {"path": doc.path, "status": "failed", "records": 0,
                "errors": [(doc.path, e["stage"], e["reason"])]}
    n = len(cols["doc_id"])
    # The id and source the whole crawl gives the document (the bytes were read under
    # the file's full path).
    cols["doc_id"] = [doc.doc_id] * n
    cols["source"] = [doc.path] * n
    schema = arrow_schema()
    table = pa.Table.from_arrays(_arrays_of(cols, schema), schema=schema)
    table = table.append_column("content_sha256", pa.array([sha] * n, pa.string()))
    _write_parquet(table, _partition(out_dir, "records", doc) / f"{sha}.parquet")
    lost = json.loads(errors or "[]")
    for e in lost:
        e["doc_id"], e["source"], e["content_sha256"] = doc.doc_id, doc.path, sha
    if lost:
        _write_parquet(_error_table(lost), _partition(out_dir, "errors", doc) / f"{sha}.parquet")
    _write_json(
        out_dir / "_done" / f"{sha}.json",
        {"sha256": sha, "path": doc.path, "status": "done", "records": n,
         "errors": len(lost), "seconds": round(seconds, 4)},
    )
    _mark_seen(out_dir, doc, stat, sha)
    return {"path": doc.path, "status": "done", "records": n,
            "errors": [(doc.path, e["stage"], e["reason"]) for e in lost]}


def _load_seen(out: Path) -> dict[str, dict]:
    seen: dict[str, dict] = {}
    folder = out / "_seen"
    if not folder.is_dir():
        return seen
    for p in folder.glob("*.json"):
        try:
            m = json.loads(p.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue  # a marker cut short: the row is done again
        seen[m.get("path", "")] = m
    return seen


def _up_to_date(doc: Document, seen: dict[str, dict], out: Path) -> bool:
    m = seen.get(doc.path)
    if not m:
        return False
    stat = _stat(doc.file)
    if stat is None or (m.get("size"), m.get("mtime_ns")) != stat:
        return False
    sha = m.get("sha256")
    key = sha or f"path-{_seen_key(doc.path)}"
    return (out / "_done" / f"{key}.json").exists()


def crawl(
    manifest: str | os.PathLike,
    out: str | os.PathLike,
    *,
    client=None,
    workers: Optional[int] = None,
    reference: Sequence[str | os.PathLike] = (),
    allowed_failures: int = 2,
) -> Report:
    """Crawl the manifest into ``out`` on Dask distributed and report what was done.

    ``client``: a ``distributed.Client`` for a cluster that is already running. Without
    one, a ``LocalCluster`` of ``workers`` processes is started (one thread each; by
    default one per core), and it is closed at the end.
    ``allowed_failures``: how many times a document may kill a worker before it becomes
    an error record (Dask's ``distributed.scheduler.allowed-failures``).
    """
    import dask
    from distributed import Client, LocalCluster, as_completed
    from distributed.scheduler import KilledWorker

    t0 = time.perf_counter()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    docs = read_manifest(manifest)
    report = Report(documents=len(docs))
    seen = _load_seen(out)
    todo = [d for d in docs if not _up_to_date(d, seen, out)]
    report.skipped = len(docs) - len(todo)
    report.submitted = len(todo)
    if not todo:
        report.seconds = time.perf_counter() - t0
        return report
    refs = [os.fspath(r) for r in reference]
    own = client is None
    cluster = None
    with dask.config.set({"distributed.scheduler.allowed-failures": allowed_failures}):
        if own:
            cluster = LocalCluster(
                n_workers=workers or os.cpu_count() or 1,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
            )
            client = Client(cluster)
        try:
            futures = client.map(
                process_document,
                todo,
                out=str(out),
                reference=refs,
                pure=False,
                key=[f"budgetgrid-{i}-{_seen_key(d.path)[:12]}" for i, d in enumerate(todo)],
            )
            by_key = {f.key: d for f, d in zip(futures, todo)}
            for fut in as_completed(futures):
                doc = by_key[fut.key]
                try:
                    r = fut.result()
                except KilledWorker as e:
                    reason = f"the document killed {allowed_failures + 1} workers: {e}"
                    sha = _sha_of(doc.file)
                    _record_failure(out, doc, "worker", reason, sha)
                    _mark_seen(out, doc, _stat(doc.file), sha)
                    r = {"path": doc.path, "status": "failed", "records": 0,
                         "errors": [(doc.path, "worker", reason)]}
                except Exception as e:  # a bug in a task: that document only
                    reason = f"{type(e).__name__}: {e}"
                    _record_failure(out, doc, "internal", reason, _sha_of(doc.file))
                    r = {"path": doc.path, "status": "failed", "records": 0,
                         "errors": [(doc.path, "internal", reason)]}
                status = r["status"]
                report.processed += status == "done"
                report.duplicates += status == "duplicate"
                report.failed += status == "failed"
                report.records += r["records"]
                report.errors.extend(r["errors"])
        finally:
            if own:
                client.close()
                cluster.close()
    report.seconds = time.perf_counter() - t0
    return report


def _sha_of(file: str) -> Optional[str]:
    try:
        with open(file, "rb") as f:
            return hashlib.file_digest(f, "sha256").hexdigest()  # type: ignore[attr-defined]
    except AttributeError:  # Python < 3.11
        with open(file, "rb") as f:
            return hashlib.sha256(f.read()).hexdigest()
    except OSError:
        return None


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m budgetgrid.crawl",
        description="Crawl a manifest of downloaded disclosures on Dask distributed "
        "into Parquet partitioned by year and region; a rerun resumes.",
    )
    ap.add_argument("manifest", help="CSV with the columns path, region, year")
    ap.add_argument("out", help="output folder (records/, errors/, _done/, _seen/)")
    g = ap.add_mutually_exclusive_group()
    g.add_argument("--workers", type=int, help="local worker processes (default: one per core)")
    g.add_argument("--scheduler", help="address of a running Dask scheduler (tcp://host:8786)")
    ap.add_argument("--reference", action="append", default=[], help="extra code-list file")
    a = ap.parse_args(argv)
    client = None
    if a.scheduler:
        from distributed import Client

        client = Client(a.scheduler)
    try:
        r = crawl(a.manifest, a.out, client=client, workers=a.workers, reference=a.reference)
    except (OSError, ValueError, BudgetgridError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    finally:
        if client is not None:
            client.close()
    for path, stage, reason in r.errors:
        print(f"error: {path}: {stage}: {reason}", file=sys.stderr)
    summary = {k: v for k, v in r.as_dict().items() if k != "errors"}
    print(json.dumps(summary, ensure_ascii=False))
    return 1 if r.failed else 0


if __name__ == "__main__":
    sys.exit(main())
