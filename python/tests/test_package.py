"""The Python package against the command line on the bundled samples."""

import json
import threading
import warnings
from decimal import Decimal

import pytest

import budgetgrid
from conftest import ROOT, SAMPLES, run_cli, sample_files


def cli_jsonl(cli, tmp_path, *files, fmt="jsonl"):
    out = tmp_path / f"out.{fmt}"
    r = run_cli(cli, "extract", "-q", "--format", fmt, *files, "-o", out)
    assert r.returncode in (0, 1), r.stderr
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize("path", sample_files(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_extract_gives_the_records_of_the_cli(cli, tmp_path, path):
    want = cli_jsonl(cli, tmp_path, path)
    got = budgetgrid.extract(path)
    assert len(got) > 50
    assert got == want


def test_document_tables_and_findings_are_the_cli_json(cli, tmp_path):
    path = SAMPLES / "real" / "sh_putuo_czj_2024_final.pdf"
    (want,) = cli_jsonl(cli, tmp_path, path, fmt="json")
    doc = budgetgrid.document(path)
    assert doc == want
    assert budgetgrid.tables(path) == want["tables"]
    findings = budgetgrid.check(path)
    assert findings == want["findings"]
    # The README of the real documents: 财政局 prints 208 as 326.71 against 326.72.
    assert any(f["class"] == "rounding" and f["printed"] == "326.71" for f in findings)


def test_known_values_from_each_input_kind():
    def one(recs, table, code, measure):
        hits = [r for r in recs if r["table_type"] == table and r["subject_code"] == code and r["measure"] == measure]
        assert len(hits) == 1, hits
        return hits[0]["amount"]

    pdf = budgetgrid.extract(SAMPLES / "pdf" / "003_d562ab1928bcbca0.pdf")
    assert one(pdf, "expenditure", "2010301", "wages") == "353.85"
    html = budgetgrid.extract(str(SAMPLES / "html" / "003_d562ab1928bcbca0.html"))
    assert one(html, "expenditure", "2010301", "wages") == "353.85"


def test_bytes_read_like_the_file():
    path = SAMPLES / "pdf" / "004_e3057056494def29.pdf"
    from_file = budgetgrid.extract(path)
    data = path.read_bytes()
    from_bytes = budgetgrid.extract(data, name=str(path))
    assert from_bytes == from_file
    # Unnamed bytes: the content tells the format; the id is "document".
    anon = budgetgrid.extract(memoryview(data))
    assert {r["doc_id"] for r in anon} == {"document"}
    assert [r["amount"] for r in anon] == [r["amount"] for r in from_file]
    # Text has no signature: the name's extension or format= tells it.
    text = (SAMPLES / "text" / "002_8d23f654fef9b6bc.txt").read_bytes()
    forced = budgetgrid.extract(text, format="text")
    named = budgetgrid.extract(text, name="document.txt")
    assert len(forced) > 100
    assert [r["amount"] for r in forced] == [r["amount"] for r in named]


def test_a_bad_document_raises_with_file_stage_and_reason(tmp_path):
    with pytest.raises(budgetgrid.BudgetgridError) as e:
        budgetgrid.extract(tmp_path / "missing.pdf")
    assert e.value.stage == "read" and e.value.file.endswith("missing.pdf")
    with pytest.raises(budgetgrid.BudgetgridError) as e:
        budgetgrid.extract(SAMPLES / "real" / "js_rd_2019_budget_textonly.pdf")
    assert e.value.stage == "grid" and "no tables found" in e.value.reason
    # A truncated PDF and random bytes: an exception, never a crash of the interpreter.
    data = (SAMPLES / "pdf" / "000_677e722673e8eeea.pdf").read_bytes()
    for bad in [data[: len(data) // 3], b"%PDF-1.7\n" + bytes(range(256)) * 40]:
        try:
            budgetgrid.extract(bad, name="bad.pdf")
        except budgetgrid.BudgetgridError as e:
            assert e.stage in {"read", "ingest", "grid", "normalize", "internal"}
            assert e.reason
    with pytest.raises(ValueError):
        budgetgrid.extract(b"x", format="docx")
    with pytest.raises(TypeError):
        budgetgrid.extract(42)


def test_to_arrow_is_the_cli_parquet(cli, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    files = [SAMPLES / "pdf" / "001_ce97c528681cbbae.pdf", SAMPLES / "html" / "004_e3057056494def29.html"]
    out = tmp_path / "records.parquet"
    r = run_cli(cli, "extract", "-q", "--format", "parquet", *files, "-o", out)
    assert r.returncode == 0, r.stderr
    want = pq.read_table(out)
    got = budgetgrid.to_arrow(files)
    assert got.schema.names == want.schema.names
    assert [f.type for f in got.schema] == [f.type for f in want.schema]
    assert got.to_pylist() == want.to_pylist()
    amount = got.schema.field("amount").type
    assert (amount.precision, amount.scale) == (38, 10)


def test_to_pandas_keeps_codes_and_exact_amounts():
    pytest.importorskip("pandas")
    path = SAMPLES / "pdf" / "001_ce97c528681cbbae.pdf"
    df = budgetgrid.to_pandas(path)
    recs = budgetgrid.extract(path)
    assert len(df) == len(recs)
    assert str(df["subject_code"].dtype) == "string[pyarrow]"
    assert "decimal128(38, 10)" in str(df["amount"].dtype)
    # Exact: the sum of the decimals is the sum of the printed strings.
    assert sum(df["amount"].tolist()) == sum(Decimal(r["amount"]) for r in recs)
    # A code with a leading zero stays text (经济分类 302 … and 201 03 are strings).
    codes = set(df["subject_code"].dropna())
    assert "2010301" in codes or "20103" in codes


def test_the_gil_is_released_while_a_document_is_read():
    # One long read on another thread while this one keeps time. Were the GIL held
    # through the read, this thread would stand still for the whole of it: its longest
    # pause would be the read's length.
    import time

    text = (SAMPLES / "text" / "001_ce97c528681cbbae.txt").read_bytes()
    big = text * 40
    done = []
    t = threading.Thread(target=lambda: done.append(budgetgrid.extract(big, format="text")))
    t0 = time.perf_counter()
    last, longest = t0, 0.0
    t.start()
    while t.is_alive():
        now = time.perf_counter()
        longest = max(longest, now - last)
        last = now
    total = time.perf_counter() - t0
    t.join()
    assert done and len(done[0]) > 1000
    assert total > 0.2, total  # long enough to tell
    assert longest < total / 4, (longest, total)


def _pdf(pages):
    """A PDF of `pages` (content streams) with the STSong-Light CID font (not embedded,
    UniGB-UCS2-H) and a 1×1 image, as tests/pdf_pipeline.rs writes them."""
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        ("<< /Type /Pages /Kids [%s] /Count %d >>" % (" ".join(f"{6 + 2 * i} 0 R" for i in range(len(pages))), len(pages))).encode(),
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [4 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> /DW 1000 >>",
        b"<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8 /Length 1 >>\nstream\n\x80\nendstream",
    ]
    for i, content in enumerate(pages):
        objs.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> /XObject << /Im1 5 0 R >> >> /Contents {7 + 2 * i} 0 R >>".encode())
        objs.append(f"<< /Length {len(content)} >>\nstream\n{content}\nendstream".encode())
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for i, o in enumerate(objs):
        offsets.append(len(out))
        out += f"{i + 1} 0 obj\n".encode() + o + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{off:010} 00000 n \n".encode() for off in offsets)
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _text(x, y, size, s):
    return f"BT /F1 {size} Tf {x} {y} Td <{s.encode('utf-16-be').hex().upper()}> Tj ET\n"


def _table_page():
    c = _text(200, 780, 14, "一般公共预算支出表") + _text(450, 760, 10, "单位：万元")
    for y in (750, 730, 710):
        c += f"0.5 w 50 {y} m 500 {y} l S\n"
    for x in (50, 150, 350, 500):
        c += f"0.5 w {x} 750 m {x} 710 l S\n"
    for x, y, t in [(55, 736, "科目编码"), (155, 736, "科目名称"), (355, 736, "合计"),
                    (55, 716, "2010301"), (155, 716, "行政运行"), (355, 716, "401.87")]:
        c += _text(x, y, 10, t)
    return c


def test_a_part_lost_warns_and_keeps_the_rest():
    scan = "q 595 0 0 842 0 0 cm /Im1 Do Q"
    data = _pdf([_table_page(), scan])
    with pytest.warns(budgetgrid.BudgetgridWarning, match="no text layer on pages 2: needs OCR"):
        recs = budgetgrid.extract(data, name="part.pdf")
    assert [(r["subject_code"], r["amount"]) for r in recs] == [("2010301", "401.87")]
    with pytest.warns(budgetgrid.BudgetgridWarning):
        assert budgetgrid.document(data, name="part.pdf")["errors"][0]["stage"] == "ingest"
    # Only scans: nothing to keep, so an exception.
    with pytest.raises(budgetgrid.BudgetgridError, match="needs OCR"):
        budgetgrid.extract(_pdf([scan, scan]), name="scans.pdf")
    # A clean document warns nothing.
    with warnings.catch_warnings():
        warnings.simplefilter("error", budgetgrid.BudgetgridWarning)
        assert budgetgrid.extract(SAMPLES / "pdf" / "000_677e722673e8eeea.pdf")


def test_schema_matches_the_published_record_schema():
    pa = pytest.importorskip("pyarrow")
    schema = json.loads((ROOT / "schemas" / "record.schema.json").read_text(encoding="utf-8"))
    arrow = budgetgrid.arrow_schema()
    # Every JSON record field is a flat column, apart from the nested cell and box.
    flat = set(arrow.names)
    for k in schema["properties"]:
        if k in ("cell", "cell_bbox"):
            continue
        assert k in flat, k
    assert arrow.field("amount").type == pa.decimal128(38, 10)


def test_reference_files_name_codes_as_the_cli_does(cli, tmp_path):
    ref = tmp_path / "ref.csv"
    ref.write_text("code,name\n20406,司法\n", encoding="utf-8")
    path = SAMPLES / "real" / "sh_putuo_sfj_2026_budget.pdf"
    recs = budgetgrid.extract(path, reference=[ref])
    hits = [r for r in recs if r["subject_code"] == "20406"]
    assert hits and all(r["subject_name"] == "司法" and r["name_source"] == "reference" for r in hits)
    out = tmp_path / "r.jsonl"
    res = run_cli(cli, "extract", "-q", "--reference", ref, path, "-o", out)
    assert res.returncode == 0, res.stderr
    assert recs == [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    # A single path is taken as a list of one; a missing file is an OSError.
    assert budgetgrid.extract(path, reference=ref) == recs
    with pytest.raises(OSError):
        budgetgrid.extract(path, reference=[tmp_path / "missing.csv"])
