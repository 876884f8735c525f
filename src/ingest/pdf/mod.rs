//! PDF ingest: positioned glyphs and ruling lines become table grids.
//!
//! Stages: `device` (the page interpreted into glyphs and rulings, fonts decoded, the page
//! turned upright), `geometry` (lines, chunks, cell text), `lattice` (ruled tables),
//! `stream` (unruled tables), `join` (ruled tables continued over pages); this module
//! lays out each page and ties them together.
//!
//! The page content is interpreted by `hayro-interpret` into a device that keeps
//! every glyph (text, baseline origin, advance, size, all in the rendered page's space, so
//! /Rotate is already applied) and every horizontal or vertical ruling (stroked segments
//! and thin filled rectangles). Text is decoded through the font's ToUnicode map; CID
//! fonts without one (non-embedded STSong-Light and the like) are decoded from their
//! predefined CMap: UCS-2 CMaps (UniGB-UCS2-H, UniGB-UTF16-H) carry Unicode in the code,
//! GB CMaps (GBK-EUC-H, GB-EUC-H, GBpc-EUC-H, GBK2K-H) carry GBK/GB18030 bytes. Kangxi
//! radicals from Chromium's ToUnicode are folded to the ordinary characters, full-width
//! digits in numbers are made ASCII, and "fake bold" text drawn twice a fraction of a
//! point apart is kept once.
//!
//! Grids: ruled tables (lattice) take their rows and columns from the rulings; a cell
//! whose inner border is missing spans several rows or columns (a merged cell). Text wrapped
//! inside a cell stays in that cell. Unruled tables (stream) take their columns from the
//! alignment of text chunks over consecutive lines.

mod device;
mod geometry;
mod join;
mod lattice;
mod stream;

use super::IngestError;
use geometry::*;
use join::*;
use lattice::*;
use stream::*;

use crate::grid::{Block, RawTable};
pub use device::{read_pages, PGlyph, PageContent, PageInfo, Pages, Seg};

/// Ingest a PDF into blocks: per page, the tables found and the text lines around them, in
/// reading order. Pages are laid out on up to `threads` threads as they are read; a
/// page's glyphs are dropped once its blocks are found.
pub fn ingest(data: &super::Bytes<'_>, threads: usize) -> Result<Vec<Block>, IngestError> {
    let bytes = data.as_slice();
    let mut pages: Vec<PageInfo> = Vec::new();
    let mut layouts: Vec<PageLayout> = Vec::new();
    let mut joiner = Joiner::default();
    let Pages { failed, announced } = read_pages(
        data,
        threads,
        |p| page_blocks(&p),
        |info, layout| {
            pages.push(info);
            layouts.push(layout);
            let n = layouts.len();
            if n >= 2 {
                joiner.step(&mut layouts, n - 2);
            }
        },
    )?;
    let scanned: Vec<u32> = pages
        .iter()
        .filter(|p| p.glyphs == 0 && p.image_area > 0.25 * p.width * p.height)
        .map(|p| p.number)
        .collect();
    if pages.iter().all(|p| p.glyphs == 0) {
        if !scanned.is_empty() {
            return Err(IngestError::Unreadable(needs_ocr(&scanned)));
        }
        if !failed.is_empty() {
            return Err(IngestError::Unreadable(format!(
                "page content could not be read on pages {}",
                page_list(&failed)
            )));
        }
        return Err(IngestError::Unreadable("PDF has no text".into()));
    }
    joiner.finish(&mut layouts);
    let per_page: Vec<Vec<PBlock>> = layouts.into_iter().map(|l| l.blocks).collect();
    let mut blocks: Vec<Block> = per_page
        .into_iter()
        .flat_map(|v| v.into_iter().map(|b| b.block))
        .collect();
    as_displayed(&mut blocks, &pages);
    if !scanned.is_empty() {
        blocks.push(Block::Warning(needs_ocr(&scanned)));
    }
    if !failed.is_empty() {
        blocks.push(Block::Warning(format!(
            "page content could not be read on pages {}",
            page_list(&failed)
        )));
    }
    blocks.extend(damage(bytes, &pages, failed.len(), announced));
    Ok(blocks)
}

/// Boxes on pages that were turned to read their text (a /Rotate, content drawn
/// sideways) go back to the page as displayed: a table's box and its cells' places.
fn as_displayed(blocks: &mut [Block], pages: &[PageInfo]) {
    let turned: std::collections::BTreeMap<u32, &PageInfo> = pages
        .iter()
        .filter(|p| p.turn != 0)
        .map(|p| (p.number, p))
        .collect();
    if turned.is_empty() {
        return;
    }
    for b in blocks {
        let Block::Table(raw) = b else { continue };
        if let (Some(bbox), Some(p)) = (raw.bbox, raw.page.and_then(|n| turned.get(&n))) {
            raw.bbox = Some(p.displayed(bbox));
        }
        for place in raw.grid.places.iter_mut().flatten().flatten() {
            if let Some(p) = turned.get(&place.page) {
                place.bbox = p.displayed(place.bbox);
            }
        }
    }
}

/// What a damaged file lost: pages its page tree announces (`announced`, from the parsed
/// catalog) but that could not be found (a truncated download: a failure), a missing
/// `%%EOF` (cut short), glyphs whose text no font map gives.
fn damage(bytes: &[u8], pages: &[PageInfo], failed: usize, announced: usize) -> Vec<Block> {
    let mut out = Vec::new();
    let found = pages.len() + failed;
    let tail = &bytes[bytes.len().saturating_sub(2048)..];
    let eof = tail.windows(5).any(|w| w == b"%%EOF");
    if announced > found {
        out.push(Block::Warning(format!(
            "damaged file: its page tree announces {announced} pages, {found} could be found{}",
            if eof {
                ""
            } else {
                " (the file is cut short: truncated download?)"
            }
        )));
    } else if !eof {
        out.push(Block::Warning(
            "damaged file: it does not end with %%EOF (cut short: truncated download?); what lies past the cut is missing".into(),
        ));
    }
    let undecoded: Vec<u32> = pages
        .iter()
        .filter(|p| p.undecoded > 0)
        .map(|p| p.number)
        .collect();
    if !undecoded.is_empty() {
        let n: usize = pages.iter().map(|p| p.undecoded).sum();
        out.push(Block::Notice(format!(
            "{n} glyphs whose font gives no text were left out (pages {})",
            page_list(&undecoded)
        )));
    }
    out
}

fn needs_ocr(pages: &[u32]) -> String {
    format!("no text layer on pages {}: needs OCR", page_list(pages))
}

/// `1-3, 7`
pub fn page_list(pages: &[u32]) -> String {
    let mut parts = Vec::new();
    let mut i = 0;
    while i < pages.len() {
        let mut j = i;
        while j + 1 < pages.len() && pages[j + 1] == pages[j] + 1 {
            j += 1;
        }
        parts.push(if j > i {
            format!("{}-{}", pages[i], pages[j])
        } else {
            pages[i].to_string()
        });
        i = j + 1;
    }
    parts.join(", ")
}
/// Blocks of one page: tables (lattice first, then stream) and the remaining text lines,
/// ordered top to bottom, with the text lines outside ruled tables (for unruled tables
/// continued from the page before).
fn page_blocks(p: &PageContent) -> PageLayout {
    let page = Some(p.number);
    let mut items: Vec<(f32, PBlock)> = Vec::new();
    let lattices = find_lattices(p);
    let mut used = vec![false; p.glyphs.len()];
    let anchor = run_anchors(p.glyphs.iter());
    let mut taken: Vec<[f32; 4]> = Vec::new();
    for l in &lattices {
        let inside_idx: Vec<usize> = (0..p.glyphs.len())
            .filter(|&i| {
                let (x, y) = anchor[&p.glyphs[i].run];
                !used[i] && inside(&l.bbox, x, y)
            })
            .collect();
        let gs: Vec<&PGlyph> = inside_idx.iter().map(|&i| &p.glyphs[i]).collect();
        if gs.is_empty() {
            continue;
        }
        let Some(grid) = lattice_grid(l, &gs, &[], p.number) else {
            continue;
        };
        let owned: Vec<PGlyph> = gs.iter().map(|g| (*g).clone()).collect();
        for i in inside_idx {
            used[i] = true;
        }
        taken.push(l.bbox);
        items.push((
            l.bbox[1],
            PBlock {
                block: Block::Table(RawTable {
                    grid,
                    page,
                    bbox: Some(l.bbox),
                    ..Default::default()
                }),
                lattice: Some((l.clone(), owned)),
                stream: None,
                line: None,
            },
        ));
    }
    let rest: Vec<&PGlyph> = p
        .glyphs
        .iter()
        .enumerate()
        .filter(|(i, _)| !used[*i])
        .map(|(_, g)| g)
        .collect();
    let lines: Vec<SLine> = text_lines(&rest)
        .iter()
        .map(|l| SLine {
            page: p.number,
            ..SLine::from_glyphs(l)
        })
        .collect();
    // Horizontal rulings outside the ruled tables (booktabs rules, rules between rows).
    let hrules: Vec<(f32, f32, f32)> = p
        .hsegs
        .iter()
        .filter(|s| {
            !taken
                .iter()
                .any(|b| inside(b, (s.from + s.to) / 2.0, s.pos))
        })
        .map(|s| (s.pos, s.from, s.to))
        .collect();
    let streams = stream_tables(&lines, &hrules);
    let mut in_stream = vec![false; lines.len()];
    for mut t in streams {
        for f in in_stream.iter_mut().take(t.last + 1).skip(t.first) {
            *f = true;
        }
        let grid = std::mem::take(&mut t.grid);
        items.push((
            lines[t.first].top,
            PBlock {
                block: Block::Table(RawTable {
                    grid,
                    page,
                    bbox: Some(t.bbox),
                    ..Default::default()
                }),
                lattice: None,
                stream: Some(t),
                line: None,
            },
        ));
    }
    for (k, l) in lines.iter().enumerate() {
        if in_stream[k] {
            continue;
        }
        items.push((
            l.top,
            PBlock {
                block: Block::Line {
                    text: l.text(),
                    page,
                },
                lattice: None,
                stream: None,
                line: Some(k),
            },
        ));
    }
    items.sort_by(|a, b| a.0.total_cmp(&b.0));
    PageLayout {
        blocks: items.into_iter().map(|(_, b)| b).collect(),
        lines,
        hrules,
    }
}

/// The page text in reading order, laid out by position (a `pdftotext -layout` substitute):
/// pages separated by form feeds.
pub fn page_text(bytes: &[u8]) -> Result<String, IngestError> {
    let mut texts: Vec<String> = Vec::new();
    read_pages(
        &super::Bytes::Borrowed(bytes),
        1,
        |p| page_lines(&p),
        |_, t| texts.push(t),
    )?;
    Ok(texts.join("\u{c}"))
}

/// A page's text laid out by position, a line each.
fn page_lines(p: &PageContent) -> String {
    let mut out = String::new();
    {
        let gs: Vec<&PGlyph> = p.glyphs.iter().collect();
        let sizes: Vec<f32> = p.glyphs.iter().map(|g| g.size).collect();
        let em = median(&sizes).unwrap_or(10.0).max(1.0);
        let col_w = em / 2.0;
        for line in text_lines(&gs) {
            let mut s = String::new();
            let mut col = 0usize;
            for c in chunks(&line) {
                let want = (c.x0 / col_w).round().max(0.0) as usize;
                if !s.is_empty() {
                    let pad = want.saturating_sub(col).max(2);
                    s.push_str(&" ".repeat(pad));
                    col += pad;
                } else {
                    s.push_str(&" ".repeat(want));
                    col = want;
                }
                s.push_str(&c.text);
                col += c
                    .text
                    .chars()
                    .map(|ch| if ch.is_ascii() { 1 } else { 2 })
                    .sum::<usize>();
            }
            out.push_str(s.trim_end());
            out.push('\n');
        }
    }
    out
}

/// The upper median.
pub(crate) fn median(v: &[f32]) -> Option<f32> {
    if v.is_empty() {
        return None;
    }
    let mut s = v.to_vec();
    s.sort_by(|a, b| a.total_cmp(b));
    Some(s[s.len() / 2])
}

#[cfg(test)]
mod tests {
    use super::device::{code_text_of_cmap, decode_code, dedup_fake_bold, CodeText};
    use super::*;

    #[test]
    fn cmap_kinds_and_codes() {
        assert_eq!(code_text_of_cmap("UniGB-UCS2-H"), CodeText::Ucs2);
        assert_eq!(code_text_of_cmap("GBK-EUC-H"), CodeText::Gbk);
        assert_eq!(decode_code(0x90E8, CodeText::Ucs2).as_deref(), Some("部"));
        let (b, _, _) = encoding_rs::GBK.encode("部");
        let code = ((b[0] as u32) << 8) | b[1] as u32;
        assert_eq!(decode_code(code, CodeText::Gbk).as_deref(), Some("部"));
        assert_eq!(decode_code(0x41, CodeText::Gbk).as_deref(), Some("A"));
    }

    #[test]
    fn fake_bold_goes_double_letters_stay() {
        let g = |t: &str, x0: f32, x1: f32| PGlyph {
            text: t.into(),
            x0,
            x1,
            y: 100.0,
            size: 10.0,
            run: 0,
            space_before: false,
        };
        // `college`: the second l starts one advance (2.2pt) after the first.
        let mut v = vec![g("l", 10.0, 12.2), g("l", 12.2, 14.4)];
        dedup_fake_bold(&mut v);
        assert_eq!(v.len(), 2);
        // Fake bold: the same glyph drawn again 0.3pt to the right.
        let mut v = vec![g("部", 10.0, 20.0), g("部", 10.3, 20.3)];
        dedup_fake_bold(&mut v);
        assert_eq!(v.len(), 1);
    }

    #[test]
    fn cells_and_numbers() {
        assert_eq!(normalize_cell("３５０．９２"), "350.92");
        assert_eq!(normalize_cell("单位：万元"), "单位：万元");
        assert_eq!(
            join_cell_lines(&["新乡市政务服务".into(), "和大数据管理局".into()]),
            "新乡市政务服务和大数据管理局"
        );
        assert_eq!(join_cell_lines(&["497.3".into(), "1".into()]), "497.31");
        assert_eq!(page_list(&[1, 2, 3, 7]), "1-3, 7");
    }

    fn sample(name: &str) -> Vec<u8> {
        std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(name)).unwrap()
    }

    #[test]
    fn pages_are_read_at_once_and_handed_over_in_order() {
        use std::sync::{Condvar, Mutex};
        let bytes = sample("samples/pdf/001_ce97c528681cbbae.pdf");
        // Page 1 waits (up to 10 s) until another page is being read beside it: read one
        // after the other, that never happens.
        let reading = (Mutex::new(0usize), Condvar::new());
        let met = Mutex::new(false);
        let mut order = Vec::new();
        read_pages(
            &crate::ingest::Bytes::Borrowed(&bytes),
            2,
            |p| {
                let mut n = reading.0.lock().unwrap();
                *n += 1;
                reading.1.notify_all();
                if p.number == 1 {
                    let (n, _) = reading
                        .1
                        .wait_timeout_while(n, std::time::Duration::from_secs(10), |n| *n < 2)
                        .unwrap();
                    *met.lock().unwrap() = *n >= 2;
                }
                p.number
            },
            |info, n| {
                assert_eq!(info.number, n);
                order.push(n);
            },
        )
        .unwrap();
        assert!(
            *met.lock().unwrap(),
            "the pages were read one after the other"
        );
        assert_eq!(order, (1..=39).collect::<Vec<u32>>());
    }

    #[test]
    fn a_joined_page_keeps_no_lines_and_no_glyphs_but_a_continued_table_s() {
        let bytes = sample("samples/pdf/001_ce97c528681cbbae.pdf");
        let mut layouts: Vec<PageLayout> = Vec::new();
        let mut joiner = Joiner::default();
        let mut kept_before = 0;
        read_pages(
            &crate::ingest::Bytes::Borrowed(&bytes),
            1,
            |p| page_blocks(&p),
            |_, l| {
                kept_before += l.lines.len();
                layouts.push(l);
                let n = layouts.len();
                if n >= 2 {
                    joiner.step(&mut layouts, n - 2);
                }
            },
        )
        .unwrap();
        assert!(kept_before > 0);
        let n = layouts.len();
        // Every page but the last has been joined to the next: its lines are gone, and its
        // ruled tables' glyphs unless a table still followed goes through them.
        assert!(layouts[..n - 1].iter().all(|l| l.lines.is_empty()));
        let glyphs = |l: &PageLayout| -> usize {
            l.blocks
                .iter()
                .filter_map(|b| b.lattice.as_ref())
                .map(|(_, g)| g.len())
                .sum()
        };
        let holding = layouts[..n - 1].iter().filter(|l| glyphs(l) > 0).count();
        assert!(holding <= 2, "{holding} earlier pages still hold glyphs");
        // The pages whose tables went on over a page break were joined all the same.
        let continued = layouts
            .iter()
            .flat_map(|l| &l.blocks)
            .filter(|b| matches!(&b.block, Block::Table(t) if t.continued))
            .count();
        joiner.finish(&mut layouts);
        let after = layouts
            .iter()
            .flat_map(|l| &l.blocks)
            .filter(|b| matches!(&b.block, Block::Table(t) if t.continued))
            .count();
        assert!(after >= 1 && after >= continued, "{continued} {after}");
    }
}
