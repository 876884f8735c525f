//! PDF ingest end to end: the seven font technologies against `expected.json`, the
//! bundled disclosures against the gold facts, and small PDFs written here for scanned
//! pages and damaged files.

mod common;

use budgetgrid::model::Document;
use budgetgrid::{process_bytes, process_file, Options};
use common::*;
use serde_json::Value;
use std::path::Path;

fn pdf(name: &str) -> Document {
    process_file(&sample("pdf", name), &Options::default()).expect("PDF processes")
}

/// expected.json and the grid it gives (header rows, then body rows).
fn expected_grid() -> (Value, Vec<Vec<String>>) {
    let dir = root().join("samples/pdf-fonts");
    let expected: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("expected.json")).unwrap()).unwrap();
    let t = &expected["table"];
    let mut want: Vec<Vec<String>> = Vec::new();
    for r in t["header"]
        .as_array()
        .unwrap()
        .iter()
        .chain(t["rows"].as_array().unwrap())
    {
        want.push(
            r.as_array()
                .unwrap()
                .iter()
                .map(|c| c.as_str().unwrap().to_string())
                .collect(),
        );
    }
    (expected, want)
}

#[test]
fn seven_font_technologies_yield_the_expected_grid() {
    let dir = root().join("samples/pdf-fonts");
    let (expected, want) = expected_grid();
    let t = &expected["table"];
    let files: Vec<&String> = expected["files"].as_object().unwrap().keys().collect();
    assert_eq!(files.len(), 7);
    for f in files {
        let d = process_file(&dir.join(f), &Options::default())
            .unwrap_or_else(|e| panic!("{f}: {e:?}"));
        assert_eq!(d.tables.len(), 1, "{f}");
        let table = &d.tables[0];
        assert_eq!(table.grid.rows, want, "{f}: grid");
        assert_eq!(table.title.as_deref(), t["title"].as_str(), "{f}: title");
        assert_eq!(table.unit.as_deref(), Some("万元"), "{f}: unit");
        assert_eq!(table.page, Some(1), "{f}");
        assert!(table.bbox.is_some(), "{f}: bbox");
        // The merged 功能分类科目 header cell is one cell spanning two columns.
        assert!(
            table
                .grid
                .merges
                .iter()
                .any(|m| m.row == 0 && m.col == 0 && m.col_span == 2),
            "{f}: merges {:?}",
            table.grid.merges
        );
        let r = one(&d.records, "general_expenditure", "2010101", "basic");
        assert_eq!(r.amount, "80.50", "{f}");
        assert_eq!(r.page, Some(1));
    }
}

#[test]
fn bundled_pdfs_score_against_gold() {
    let (s, docs) = score_samples("pdf");
    assert_eq!(docs.len(), 4);
    // The one remaining miss is 001's expenditure 合计 row, which the gold keys as a unit.
    assert_done_criteria(&s);
}

#[test]
fn wrapped_cells_and_tables_across_pages() {
    let d = pdf("000_");
    // 支出总表 runs from page 7 to page 8, and the row 2080505 is cut by the page break:
    // its label wraps over three lines, the last one printed on page 8.
    let r = one(&d.records, "expenditure", "2080505", "total");
    assert_eq!(r.label, "机关事业单位基本养老保险缴费支出");
    assert_eq!(r.amount, "7.39");
    let t = d.tables.iter().find(|t| t.table_no == r.table_no).unwrap();
    assert!(t.continued_on.contains(&8), "{:?}", t.continued_on);
    assert_eq!(
        one(&d.records, "expenditure", "2210201", "total").amount,
        "7.19"
    );
    // 003: the 支出总体情况表 header starts on page 7, its body is on page 8.
    let d = pdf("003_");
    let r = one(&d.records, "expenditure", "2010301", "total");
    assert_eq!(r.amount, "401.87");
    assert_eq!(r.page, Some(7));
    assert_eq!(
        one(&d.records, "expenditure", "2010301", "wages").amount,
        "353.85"
    );
}

#[test]
fn rotated_page_reads_upright() {
    let d = process_file(
        &root().join("samples/pdf-fonts/e_rotate90_wqy.pdf"),
        &Options::default(),
    )
    .unwrap();
    assert_eq!(
        one(&d.records, "general_expenditure", "221", "total").amount,
        "0.00"
    );
    assert_eq!(
        one(&d.records, "general_expenditure", "2080505", "basic").label,
        "机关事业单位基本养老保险缴费支出"
    );
    // The page is read turned upright, but boxes are on the page as displayed (/Rotate
    // 90: the amount runs down the page), as pdftotext -bbox measures 350.92: x
    // 674.9–684.9, y 348.7–381.6.
    let r = one(&d.records, "general_expenditure", "201", "total");
    assert_eq!(r.amount, "350.92");
    let b = r.cell_bbox.unwrap();
    let near = |a: f64, b: f64| (a - b).abs() < 3.0;
    assert!(
        near(b[1], 348.7) && near(b[3], 381.6) && b[0] > 670.0 && b[2] < 690.0,
        "{b:?}"
    );
}

/// A PDF written by hand: pages given as (content stream, uses the image), a
/// non-embedded STSong-Light CID font (UniGB-UCS2-H) and a 1×1 image.
fn make_pdf(pages: &[(String, bool)]) -> Vec<u8> {
    let mut objs: Vec<String> = Vec::new();
    // 1 catalog, 2 pages, 3 font, 4 descendant, 5 image; pages from 6 (page, content).
    let n = pages.len();
    let kids: Vec<String> = (0..n).map(|i| format!("{} 0 R", 6 + 2 * i)).collect();
    objs.push("<< /Type /Catalog /Pages 2 0 R >>".into());
    objs.push(format!(
        "<< /Type /Pages /Kids [{}] /Count {n} >>",
        kids.join(" ")
    ));
    objs.push("<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [4 0 R] >>".into());
    objs.push("<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> /DW 1000 /W [1 [207 270 342 467 462 797 710 239 374 374 423 605 238 375 238 334 462 462 462 462 462 462 462 462 462 462]] >>".into());
    objs.push("<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8 /Length 1 >>\nstream\n\u{80}\nendstream".into());
    for (i, (content, _image)) in pages.iter().enumerate() {
        objs.push(format!("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> /XObject << /Im1 5 0 R >> >> /Contents {} 0 R >>", 7 + 2 * i));
        objs.push(format!(
            "<< /Length {} >>\nstream\n{}\nendstream",
            content.len(),
            content
        ));
    }
    let mut out: Vec<u8> = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objs.iter().enumerate() {
        offsets.push(out.len());
        // The image byte 0x80 must be written as a byte, not as UTF-8.
        let body = o.replace('\u{80}', "\u{0}");
        let mut bytes = format!("{} 0 obj\n{}\nendobj\n", i + 1, body).into_bytes();
        if let Some(p) = bytes.iter().position(|&b| b == 0) {
            bytes[p] = 0x80;
        }
        out.extend(bytes);
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objs.len() + 1).into_bytes());
    for off in offsets {
        out.extend(format!("{off:010} 00000 n \n").into_bytes());
    }
    out.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objs.len() + 1
        )
        .into_bytes(),
    );
    out
}

/// `BT /F1 size Tf x y Td <UCS-2 hex> Tj ET`
fn text(x: f32, y: f32, size: f32, s: &str) -> String {
    let hex: String = s.encode_utf16().map(|u| format!("{u:04X}")).collect();
    format!("BT /F1 {size} Tf {x} {y} Td <{hex}> Tj ET\n")
}

/// A ruled table page: a title, 单位, and a 2-row × 3-column grid.
fn table_page() -> String {
    let mut c = String::new();
    c += &text(200.0, 780.0, 14.0, "一般公共预算支出表");
    c += &text(450.0, 760.0, 10.0, "单位：万元");
    // rulings
    for y in [750.0, 730.0, 710.0] {
        c += &format!("0.5 w 50 {y} m 500 {y} l S\n");
    }
    for x in [50.0, 150.0, 350.0, 500.0] {
        c += &format!("0.5 w {x} 750 m {x} 710 l S\n");
    }
    c += &text(55.0, 736.0, 10.0, "科目编码");
    c += &text(155.0, 736.0, 10.0, "科目名称");
    c += &text(355.0, 736.0, 10.0, "合计");
    c += &text(55.0, 716.0, 10.0, "2010301");
    c += &text(155.0, 716.0, 10.0, "行政运行");
    c += &text(355.0, 716.0, 10.0, "401.87");
    c
}

fn run(bytes: &[u8]) -> Result<Document, budgetgrid::model::ErrorRecord> {
    process_bytes("t", "t.pdf", Path::new("t.pdf"), bytes, &Options::default())
}

#[test]
fn scanned_pages_are_reported() {
    let scan = ("q 595 0 0 842 0 0 cm /Im1 Do Q".to_string(), true);
    // Only scans: an error record, not silence.
    let e = run(&make_pdf(&[scan.clone(), scan.clone()])).unwrap_err();
    assert_eq!(e.stage, "ingest");
    assert_eq!(e.reason, "no text layer on pages 1-2: needs OCR");
    // A text page and a scanned page: the records of the first, an error for the second.
    let d = run(&make_pdf(&[(table_page(), false), scan])).unwrap();
    let r = one(&d.records, "general_expenditure", "2010301", "total");
    assert_eq!(r.amount, "401.87");
    assert_eq!(r.label, "行政运行");
    assert_eq!(d.errors.len(), 1);
    assert_eq!(d.errors[0].reason, "no text layer on pages 2: needs OCR");
}

#[test]
fn damaged_files_give_clear_errors() {
    let good = make_pdf(&[(table_page(), false)]);
    assert!(run(&good).is_ok());
    // Garbage after the header: no objects, no xref.
    let e = run(b"%PDF-1.7\n this is not a pdf \n%%EOF\n").unwrap_err();
    assert_eq!(e.stage, "ingest");
    assert!(e.reason.starts_with("not a readable PDF"), "{}", e.reason);
    // A bad xref offset: the objects are found by scanning, the table is still read.
    let mut bad = good.clone();
    let pos = bad.windows(9).rposition(|w| w == b"startxref").unwrap();
    bad.truncate(pos);
    bad.extend(b"startxref\n999999\n%%EOF\n");
    let d = run(&bad).unwrap();
    assert_eq!(
        one(&d.records, "general_expenditure", "2010301", "total").amount,
        "401.87"
    );
    // Truncated in the middle of a real disclosure: no panic, an error or what was read.
    // Whatever is read from a truncated copy is what the whole file says.
    let bytes = std::fs::read(sample("pdf", "004_")).unwrap();
    let key = |r: &budgetgrid::model::Record| {
        (
            r.table_type.as_str(),
            r.subject_code.clone(),
            r.measure.clone(),
            r.amount.clone(),
        )
    };
    let full = run(&bytes).unwrap();
    let whole: std::collections::HashSet<_> = full.records.iter().map(key).collect();
    for cut in [100, bytes.len() / 3, bytes.len() - 200] {
        match run(&bytes[..cut]) {
            Ok(d) => assert!(
                d.records.iter().all(|r| whole.contains(&key(r))),
                "cut {cut}"
            ),
            Err(e) => assert!(e.stage == "ingest" || e.stage == "grid", "{e:?}"),
        }
    }
}

fn fixture(name: &str) -> std::path::PathBuf {
    root().join("tests/fixtures/pdf").join(name)
}

#[test]
fn unruled_table_is_read_from_text_alignment() {
    // a_cid_stsong.pdf with its ruling lines removed (tests/fixtures/pdf, written with pypdf):
    // no lattice, so the columns come from the text alignment.
    let d = process_file(&fixture("unruled_stsong.pdf"), &Options::default()).unwrap();
    let (_, want) = expected_grid();
    assert_eq!(d.tables.len(), 1);
    let g = &d.tables[0].grid;
    // The headings centred over several columns become merged cells, as when ruled.
    assert_eq!(g.rows[..2], want[..2]);
    assert!(g
        .merges
        .iter()
        .any(|m| m.row == 0 && m.col == 0 && m.col_span == 2));
    assert!(g
        .merges
        .iter()
        .any(|m| m.row == 0 && m.col == 2 && m.col_span == 3));
    // Every coded row as printed, empty cells included.
    for (got, w) in g.rows[2..12].iter().zip(&want[2..12]) {
        assert_eq!(got, w);
    }
    // The 合计 row, centred under the merged label columns, still gives the totals.
    assert_eq!(g.rows[12][2..], want[12][2..]);
    assert_eq!(d.records.len(), 29);
    assert_eq!(
        one(&d.records, "general_expenditure", "2010101", "basic").amount,
        "80.50"
    );
    assert_eq!(
        one(&d.records, "general_expenditure", "total", "total").amount,
        "6655.15"
    );
    assert_eq!(
        one(&d.records, "general_expenditure", "2080505", "total").amount,
        "803.68"
    );
}

#[test]
fn each_number_knows_its_page_and_box() {
    // The hand-written page prints 401.87 at x = 355, baseline 716 (126 pt from the top of
    // an 842 pt page), 10 pt STSong digits 0.462 em and a point 0.238 em wide.
    let d = run(&make_pdf(&[(table_page(), false)])).unwrap();
    let r = one(&d.records, "general_expenditure", "2010301", "total");
    assert_eq!((r.amount.as_str(), r.cell_page), ("401.87", Some(1)));
    let [x0, top, x1, bottom] = r.cell_bbox.unwrap();
    assert!((x0 - 355.0).abs() < 0.01, "{x0}");
    assert!((x1 - 380.48).abs() < 0.01, "{x1}");
    assert!(top < 126.0 && top > 116.0 && bottom > 126.0 && bottom < 130.0);
    // A table whose title and header end page 5 prints its body on page 6 (ruled); the
    // last rows of an unruled table alone at the top of page 10 (checked against
    // pdftotext -bbox: 778.96 spans x 168.75–196.68 there).
    let d = pdf("000");
    let r = one(&d.records, "summary", "general_budget", "total");
    assert_eq!((r.page, r.cell_page), (Some(5), Some(6)));
    let d = process_file(&sample("pdf-unruled", "004"), &Options::default()).unwrap();
    let r = one(&d.records, "fiscal_summary", "income_grand_total", "total");
    assert_eq!(
        (r.amount.as_str(), r.page, r.cell_page),
        ("778.96", Some(9), Some(10))
    );
    let b = r.cell_bbox.unwrap();
    assert!(
        (b[0] - 168.75).abs() < 0.5 && (b[2] - 196.68).abs() < 0.5,
        "{b:?}"
    );
    // Every number of a PDF has its place; text and HTML have none.
    assert!(d
        .records
        .iter()
        .all(|r| r.cell_page.is_some() && r.cell_bbox.is_some()));
    let h = process_file(&sample("html", "004"), &Options::default()).unwrap();
    assert!(h
        .records
        .iter()
        .all(|r| r.cell_page.is_none() && r.cell_bbox.is_none()));
}

#[test]
fn encrypted_pdfs() {
    // Encrypted with an empty user password (AES-128 and RC4-128): read like the plain file.
    for f in [
        "encrypted_empty_password.pdf",
        "encrypted_rc4_empty_password.pdf",
    ] {
        let d =
            process_file(&fixture(f), &Options::default()).unwrap_or_else(|e| panic!("{f}: {e:?}"));
        assert_eq!(d.records.len(), 29, "{f}");
        assert_eq!(
            one(&d.records, "general_expenditure", "205", "total").amount,
            "2310.40"
        );
    }
    // A user password: a clear error, not a panic or silence.
    let e = process_file(&fixture("encrypted_user_password.pdf"), &Options::default()).unwrap_err();
    assert_eq!(e.stage, "ingest");
    assert!(
        e.reason
            .contains("encrypted PDF that does not open without a password"),
        "{}",
        e.reason
    );
}

/// A PDF's pages read on several threads give the document read on one, byte for byte:
/// tables continued over pages (ruled and unruled), rotated and damaged pages included.
#[test]
fn pages_read_on_several_threads_give_the_same_document() {
    let root = common::root();
    let mut files: Vec<std::path::PathBuf> = Vec::new();
    for dir in [
        "samples/pdf",
        "samples/pdf-unruled",
        "samples/real",
        "samples/pdf-fonts",
    ] {
        for e in std::fs::read_dir(root.join(dir)).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "pdf") {
                files.push(p);
            }
        }
    }
    files.sort();
    assert!(files.len() >= 20, "{} PDFs", files.len());
    let single = Options::default();
    let three = Options {
        page_threads: 3,
        ..Options::default()
    };
    let mut records = 0;
    for f in &files {
        let a = process_file(f, &single);
        let b = process_file(f, &three);
        let json = |r: &Result<Document, budgetgrid::model::ErrorRecord>| match r {
            Ok(d) => serde_json::to_string(d).unwrap(),
            Err(e) => serde_json::to_string(e).unwrap(),
        };
        assert_eq!(json(&a), json(&b), "{}", f.display());
        records += a.map(|d| d.records.len()).unwrap_or(0);
    }
    assert!(records > 5000, "{records} records");
    // Read on three threads, 001's 一般公共预算支出表 gives 2010301 (行政运行) its amount.
    let d = process_file(&root.join("samples/pdf/001_ce97c528681cbbae.pdf"), &three).unwrap();
    let r = one(&d.records, "general_expenditure", "2010301", "total");
    assert_eq!(r.amount, "136.68");
}
