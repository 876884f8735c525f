"""The crawl on a local Dask cluster of two worker processes, against the command line."""

import csv
import hashlib
import os
import shutil

import pytest

pytest.importorskip("distributed")
pa = pytest.importorskip("pyarrow")
import pyarrow.dataset as ds  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402
from distributed import Client, LocalCluster  # noqa: E402

from budgetgrid.crawl import crawl, read_manifest  # noqa: E402
from conftest import SAMPLES, run_cli, sample_files  # noqa: E402


def region_of(p):
    return {"real": "jiangsu" if p.name.startswith("js_") else "shanghai"}.get(p.parent.name, "henan")


def write_manifest(folder, files):
    m = folder / "manifest.csv"
    with open(m, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["path", "region", "year", "url"])
        for p in files:
            year = "2023" if p.parent.name == "real" else "2024"
            w.writerow([str(p), region_of(p), year, f"https://example.invalid/{p.name}"])
    return m


@pytest.fixture(scope="module")
def client():
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with Client(cluster) as c:
            assert len(c.scheduler_info()["workers"]) == 2
            yield c


def mtimes(folder):
    return {p: p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


def test_crawl_writes_the_cli_records_and_a_rerun_does_nothing(cli, client, tmp_path):
    narrative = SAMPLES / "real" / "js_rd_2019_budget_textonly.pdf"
    files = sample_files() + [narrative]
    manifest = write_manifest(tmp_path, files)
    out = tmp_path / "out"
    r = crawl(manifest, out, client=client)
    assert (r.documents, r.submitted, r.skipped) == (len(files), len(files), 0)
    assert (r.processed, r.failed, r.duplicates) == (len(files) - 1, 1, 0)

    # Partitioned by year and region (hive folders), one file per document.
    assert sorted(p.name for p in (out / "records").iterdir()) == ["year=2023", "year=2024"]
    assert sorted(p.name for p in (out / "records" / "year=2023").iterdir()) == ["region=jiangsu", "region=shanghai"]
    got = ds.dataset(out / "records", format="parquet", partitioning="hive").to_table()
    assert got.num_rows == r.records

    # The same records as `budgetgrid extract --format parquet` on the same files.
    want_path = tmp_path / "cli.parquet"
    res = run_cli(cli, "extract", "-q", "--format", "parquet", *files, "-o", want_path)
    assert res.returncode == 1  # the narrative PDF fails there too
    want = pq.read_table(want_path)
    cols = [c for c in want.schema.names if c != "doc_id"]  # ids: unique per batch, see below
    key = ["source", "table_no", "row_no", "cell_row", "cell_col"]

    def rows(t):
        return t.select(cols).sort_by([(k, "ascending") for k in key]).to_pylist()

    assert got.num_rows == want.num_rows
    assert rows(got) == rows(want)
    # Each document has one id, unique in the crawl, and its content hash.
    ids = got.group_by("source").aggregate([("doc_id", "count_distinct"), ("content_sha256", "count_distinct")])
    assert set(ids.column("doc_id_count_distinct").to_pylist()) == {1}
    assert len(set(got.column("doc_id").to_pylist())) == len(files) - 1
    one = got.filter(pa.compute.equal(got["source"], str(SAMPLES / "pdf" / "003_d562ab1928bcbca0.pdf")))
    wages = one.filter(pa.compute.and_(pa.compute.equal(one["subject_code"], "2010301"),
                                       pa.compute.equal(one["measure"], "wages")))
    assert [str(a) for a in wages.column("amount").to_pylist()] == ["353.8500000000"] * wages.num_rows
    assert set(one.column("region").to_pylist()) == {"henan"}

    # The failed document is a row of the errors dataset.
    errors = ds.dataset(out / "errors", format="parquet", partitioning="hive").to_table().to_pylist()
    assert [(e["source"], e["stage"]) for e in errors] == [(str(narrative), "grid")]
    assert "no tables found" in errors[0]["reason"]

    # A second run submits nothing and writes nothing.
    before = mtimes(out)
    again = crawl(manifest, out, client=client)
    assert (again.skipped, again.submitted, again.processed, again.failed) == (len(files), 0, 0, 0)
    assert mtimes(out) == before


def test_an_interrupted_crawl_resumes_and_content_is_done_once(client, tmp_path):
    files = sorted((SAMPLES / "pdf").glob("*.pdf"))
    copy = tmp_path / "copy_of_000.pdf"
    shutil.copy(files[0], copy)  # the same content under another path
    manifest = write_manifest(tmp_path, files + [copy])
    out = tmp_path / "out"
    first = crawl(manifest, out, client=client)
    assert first.processed + first.duplicates == len(files) + 1
    assert first.processed == len(files) and first.duplicates == 1
    n = ds.dataset(out / "records", format="parquet", partitioning="hive").count_rows()

    # Interrupted before one document was marked done: that one only is done again.
    # (004's content is in the manifest once; two tasks of one content may both run when
    # they run at once, and write the same file.)
    sha = hashlib.sha256(files[-1].read_bytes()).hexdigest()
    (out / "_done" / f"{sha}.json").unlink()
    for m in (out / "_seen").glob("*.json"):
        m.unlink()  # and nothing is known of the paths: every row is hashed again
    second = crawl(manifest, out, client=client)
    assert second.submitted == len(files) + 1
    assert second.processed == 1 and second.duplicates == len(files)
    assert ds.dataset(out / "records", format="parquet", partitioning="hive").count_rows() == n

    # A changed file (new size and mtime) is read again.
    third_before = crawl(manifest, out, client=client)
    assert third_before.submitted == 0
    with open(copy, "ab") as f:
        f.write(b"\n% appended\n")
    third = crawl(manifest, out, client=client)
    assert third.submitted == 1 and third.processed == 1


def test_manifest_paths_are_read_from_its_folder_and_ids_are_unique(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    for d in ("a", "b"):
        shutil.copy(SAMPLES / "text" / "002_8d23f654fef9b6bc.txt", tmp_path / d / "附件1.txt")
    m = tmp_path / "m.csv"
    m.write_text("path,region,year\na/附件1.txt,广东,2022\nb/附件1.txt,广东,2022\n", encoding="utf-8")
    docs = read_manifest(m)
    assert [d.doc_id for d in docs] == ["a/附件1", "b/附件1"]
    assert all(os.path.isfile(d.file) for d in docs)
    bad = tmp_path / "bad.csv"
    bad.write_text("file,year\nx.pdf,2022\n", encoding="utf-8")
    with pytest.raises(ValueError, match="path"):
        read_manifest(bad)
