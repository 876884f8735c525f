//! HTML ingest: portal pages and `<table>` blocks inside converter markdown become
//! [`Block`]s: the text around tables as lines (titles, 单位 and 部门 lines) and every data
//! table as a [`Grid`] with its rowspan/colspan merges.
//!
//! Nothing in the page runs: `<script>`, `<style>`, `<template>`, `<noscript>` and `<head>`
//! are skipped and comments never reach the text. The walk over the parsed tree is
//! iterative, and pages beyond [`MAX_HTML_BYTES`] or tables beyond [`MAX_TABLE_CELLS`] are
//! refused with a clear error, so hostile pages cannot exhaust the stack or memory.
//!
//! A `<table>` that holds another `<table>` is a layout table: its own cells are read as
//! text and the tables inside it are read as tables.

use super::IngestError;
use crate::grid::{Block, Grid, Merge, RawTable};
use crate::text::clean_cell;
use ego_tree::iter::Edge;
use ego_tree::NodeId;
use regex::bytes::Regex as BytesRegex;
use scraper::{ElementRef, Html, Node};
use std::collections::HashSet;
use std::sync::LazyLock;

/// Largest HTML document read (bytes). Real disclosure pages are well under 10 MB.
pub const MAX_HTML_BYTES: usize = 64 * 1024 * 1024;
/// Largest expanded table (rows × columns after spans are expanded).
pub const MAX_TABLE_CELLS: usize = 1_000_000;
/// Largest number of expanded cells over all tables of one page.
pub const MAX_PAGE_CELLS: usize = 4_000_000;
/// Deepest element nesting accepted. The HTML parser's scope checks cost time in
/// proportion to the depth, so a page nested 100,000 levels deep would take many seconds;
/// real pages nest a few dozen levels.
pub const MAX_NESTING: usize = 5_000;
/// HTML's own limits on spans (the HTML standard clamps to these).
const MAX_ROWSPAN: usize = 65_534;
const MAX_COLSPAN: usize = 1_000;

static META_CHARSET_RE: LazyLock<BytesRegex> = LazyLock::new(|| {
    BytesRegex::new(r#"(?i)<meta[^>]*?charset\s*=\s*["']?\s*([a-z0-9_\-:.]+)"#).unwrap()
});

/// Decode an HTML page: BOM, then a `<meta charset>` / `http-equiv` declaration in the first
/// 4 KiB (WHATWG labels: gb2312 and gbk → GBK, gb18030), then UTF-8 if valid, else
/// GB18030 (undeclared GBK, common on portals). A page declared UTF-8 that is not valid
/// UTF-8 but decodes cleanly as GB18030 is read as GB18030.
pub fn decode_html(bytes: &[u8]) -> Result<(String, &'static str), IngestError> {
    decode_html_report(bytes).map(|(s, name, _)| (s, name))
}

/// [`decode_html`] with the warnings of a decoding by region (a page that is UTF-8 but
/// for a few bytes, or switches encoding part-way).
pub fn decode_html_report(
    bytes: &[u8],
) -> Result<(String, &'static str, Vec<String>), IngestError> {
    if bytes.len() > MAX_HTML_BYTES {
        return Err(IngestError::Unreadable(format!(
            "HTML page too large: {} bytes (limit {} MiB)",
            bytes.len(),
            MAX_HTML_BYTES / (1024 * 1024)
        )));
    }
    if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let (s, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        return Ok((s.into_owned(), enc.name(), Vec::new()));
    }
    let head = &bytes[..bytes.len().min(4096)];
    let declared = META_CHARSET_RE
        .captures(head)
        .and_then(|c| encoding_rs::Encoding::for_label(&c[1]));
    if let Some(enc) = declared {
        // A page saying UTF-16 in ASCII is not UTF-16 (WHATWG: treat as UTF-8).
        let enc = if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
            encoding_rs::UTF_8
        } else {
            enc
        };
        let (s, had_errors) = enc.decode_without_bom_handling(bytes);
        if had_errors && enc == encoding_rs::UTF_8 {
            let (g, gb_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
            if !gb_errors {
                return Ok((g.into_owned(), "GB18030 (declared UTF-8)", Vec::new()));
            }
            let d = super::encoding::decode_regions(bytes);
            return Ok((d.text, "UTF-8 (by region)", d.warnings));
        }
        return Ok((s.into_owned(), enc.name(), Vec::new()));
    }
    let (s, warnings) = super::decode_text_report(bytes)?;
    let name = if std::str::from_utf8(bytes).is_ok() {
        "UTF-8"
    } else if warnings.is_empty() {
        "GB18030 (undeclared)"
    } else {
        "UTF-8 / GB18030 (by region)"
    };
    Ok((s, name, warnings))
}

/// Ingest an HTML page.
pub fn ingest(bytes: &[u8]) -> Result<Vec<Block>, IngestError> {
    let (src, _, warnings) = decode_html_report(bytes)?;
    let mut blocks = blocks_from_html(&src)?;
    blocks.extend(warnings.into_iter().map(Block::Notice));
    Ok(blocks)
}

/// Elements whose content is never text of the document.
fn is_skipped(name: &str) -> bool {
    matches!(
        name,
        "script" | "style" | "template" | "noscript" | "head" | "iframe" | "object" | "svg"
    )
}

/// Elements that start and end a line of text.
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "li"
            | "ul"
            | "ol"
            | "dl"
            | "dt"
            | "dd"
            | "tr"
            | "td"
            | "th"
            | "table"
            | "caption"
            | "section"
            | "article"
            | "header"
            | "footer"
            | "main"
            | "nav"
            | "aside"
            | "blockquote"
            | "pre"
            | "center"
            | "hr"
            | "br"
            | "body"
            | "form"
            | "figure"
            | "figcaption"
    )
}

/// A page-break marker: CSS `page-break-before/after: always`, `break-before/after: page`,
/// or a class naming a page break. Returns (before, after).
fn page_break(el: &scraper::node::Element) -> (bool, bool) {
    let style = el.attr("style").unwrap_or("").to_ascii_lowercase();
    let style: String = style.chars().filter(|c| !c.is_whitespace()).collect();
    let before = style.contains("page-break-before:always")
        || style.contains("page-break-before:page")
        || style.contains("break-before:page");
    let after = style.contains("page-break-after:always")
        || style.contains("page-break-after:page")
        || style.contains("break-after:page");
    let class = el.attr("class").unwrap_or("").to_ascii_lowercase();
    let class_break = class
        .split_whitespace()
        .any(|c| matches!(c, "page-break" | "pagebreak" | "page_break" | "pb"));
    (before, after || class_break)
}

/// Tables that hold no other table: the data tables. One pass over the tree.
fn data_tables(doc: &Html) -> HashSet<NodeId> {
    let mut open: Vec<(NodeId, bool)> = Vec::new();
    let mut data = HashSet::new();
    for edge in doc.tree.root().traverse() {
        match edge {
            Edge::Open(node) => {
                if let Node::Element(el) = node.value() {
                    if el.name() == "table" {
                        if let Some(parent) = open.last_mut() {
                            parent.1 = true;
                        }
                        open.push((node.id(), false));
                    }
                }
            }
            Edge::Close(node) => {
                if let Node::Element(el) = node.value() {
                    if el.name() == "table" {
                        if let Some((id, nested)) = open.pop() {
                            if !nested {
                                data.insert(id);
                            }
                        }
                    }
                }
            }
        }
    }
    data
}

/// Parse an HTML document or fragment into blocks in reading order.
pub fn blocks_from_html(src: &str) -> Result<Vec<Block>, IngestError> {
    if src.len() > MAX_HTML_BYTES {
        return Err(IngestError::Unreadable(format!(
            "HTML too large: {} bytes (limit {} MiB)",
            src.len(),
            MAX_HTML_BYTES / (1024 * 1024)
        )));
    }
    let depth = nesting_depth(src);
    if depth > MAX_NESTING {
        return Err(IngestError::Unreadable(format!(
            "HTML nested too deeply: over {MAX_NESTING} levels of elements"
        )));
    }
    let doc = Html::parse_document(src);
    let data = data_tables(&doc);
    let lower = src.to_ascii_lowercase();
    let paged = lower.contains("page-break")
        || lower.contains("break-before:")
        || lower.contains("break-after:")
        || lower.contains("pagebreak");
    let mut page: Option<u32> = paged.then_some(1);

    let mut blocks = Vec::new();
    let mut line = String::new();
    let mut budget = MAX_PAGE_CELLS;
    let flush = |line: &mut String, blocks: &mut Vec<Block>, page: Option<u32>| {
        let t = clean_cell(line);
        if !t.trim().is_empty() {
            blocks.push(Block::Line {
                text: t.trim().to_string(),
                page,
            });
        }
        line.clear();
    };
    // A data table's subtree is read by `table_grid`, not as text.
    let mut in_table: Option<NodeId> = None;
    for edge in visible_edges(doc.tree.root()) {
        match edge {
            Edge::Open(node) => {
                if in_table.is_some() {
                    continue;
                }
                match node.value() {
                    Node::Text(t) => line.push_str(t),
                    Node::Element(el) => {
                        let name = el.name();
                        if is_block(name) {
                            flush(&mut line, &mut blocks, page);
                        }
                        if page_break(el).0 && !blocks.is_empty() {
                            if let Some(p) = page.as_mut() {
                                *p += 1;
                            }
                        }
                        if name == "table" && data.contains(&node.id()) {
                            let table = ElementRef::wrap(node).expect("an element node");
                            let mut raw = table_grid(table, &mut budget)?;
                            raw.page = page;
                            blocks.push(Block::Table(raw));
                            in_table = Some(node.id());
                        }
                    }
                    _ => {}
                }
            }
            Edge::Close(node) => {
                match in_table {
                    Some(id) if id == node.id() => in_table = None,
                    Some(_) => continue,
                    None => {}
                }
                if let Node::Element(el) = node.value() {
                    if is_block(el.name()) {
                        flush(&mut line, &mut blocks, page);
                    }
                    if page_break(el).1 {
                        if let Some(p) = page.as_mut() {
                            *p += 1;
                        }
                    }
                }
            }
        }
    }
    flush(&mut line, &mut blocks, page);
    Ok(blocks)
}

/// An upper estimate of the element nesting depth, from the tags alone: void elements,
/// self-closed tags and elements the parser closes by themselves (p, li, td, tr, …) do not
/// count; comments and raw text are skipped.
fn nesting_depth(src: &str) -> usize {
    let b = src.as_bytes();
    let mut depth = 0usize;
    let mut max = 0usize;
    let mut i = 0;
    while let Some(k) = memchr_lt(&b[i..]) {
        i += k + 1;
        if b[i..].starts_with(b"!--") {
            i = find(&b[i..], b"-->").map_or(b.len(), |k| i + k + 3);
            continue;
        }
        let closing = b.get(i) == Some(&b'/');
        let start = if closing { i + 1 } else { i };
        let end = b[start..]
            .iter()
            .position(|c| !c.is_ascii_alphanumeric())
            .map_or(b.len(), |k| start + k);
        if end == start {
            continue;
        }
        let name = src[start..end].to_ascii_lowercase();
        let gt = b[end..]
            .iter()
            .position(|&c| c == b'>')
            .map_or(b.len(), |k| end + k);
        if closing {
            if counts_for_depth(&name) {
                depth = depth.saturating_sub(1);
            }
        } else if matches!(name.as_str(), "script" | "style" | "textarea" | "title") {
            let close = format!("</{name}");
            let lower_tail = &b[gt.min(b.len())..];
            i = find_ci(lower_tail, close.as_bytes()).map_or(b.len(), |k| gt + k);
            continue;
        } else if counts_for_depth(&name) && gt > 0 && b.get(gt - 1) != Some(&b'/') {
            depth += 1;
            max = max.max(depth);
        }
        i = gt.min(b.len());
    }
    max
}

fn counts_for_depth(name: &str) -> bool {
    !matches!(
        name,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "source"
            | "track"
            | "wbr"
            | "param"
            | "p"
            | "li"
            | "td"
            | "th"
            | "tr"
            | "dt"
            | "dd"
            | "option"
            | "thead"
            | "tbody"
            | "tfoot"
            | "colgroup"
            | "html"
            | "head"
            | "body"
    )
}

fn memchr_lt(b: &[u8]) -> Option<usize> {
    b.iter().position(|&c| c == b'<')
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn find_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

fn span_attr(el: &scraper::node::Element, name: &str, max: usize) -> usize {
    el.attr(name)
        .and_then(|v| {
            let digits: String = v
                .trim()
                .chars()
                .take_while(|c| c.is_ascii_digit())
                .collect();
            digits.parse::<usize>().ok()
        })
        .map(|n| n.min(max))
        .unwrap_or(1)
}

/// The text of a cell: `<br>` and block elements inside it become line breaks, which
/// [`clean_cell`] then joins the way wrapped CJK text is joined.
fn cell_text(cell: ElementRef) -> String {
    let mut out = String::new();
    for edge in visible_edges(*cell) {
        if let Edge::Open(node) = edge {
            match node.value() {
                Node::Text(t) => out.push_str(t),
                Node::Element(el) if node.id() != cell.id() && is_block(el.name()) => {
                    out.push('\n')
                }
                _ => {}
            }
        }
    }
    clean_cell(&out).trim().to_string()
}

/// The tree walked in document order without the elements that are never text
/// ([`is_skipped`]) and everything inside them. Iterative: deep pages cannot overflow the
/// stack.
fn visible_edges<'a>(root: ego_tree::NodeRef<'a, Node>) -> impl Iterator<Item = Edge<'a, Node>> {
    let mut skip: Option<NodeId> = None;
    root.traverse().filter(move |edge| match edge {
        Edge::Open(n) => {
            if skip.is_some() {
                return false;
            }
            if let Node::Element(el) = n.value() {
                if is_skipped(el.name()) {
                    skip = Some(n.id());
                    return false;
                }
            }
            true
        }
        Edge::Close(n) => {
            if let Some(id) = skip {
                if id == n.id() {
                    skip = None;
                }
                return false;
            }
            true
        }
    })
}

/// Expand one data table into a grid (the HTML table model: each cell goes to the first
/// free slot of its row; spans cover later rows and columns and become [`Merge`]s).
fn table_grid(table: ElementRef, budget: &mut usize) -> Result<RawTable, IngestError> {
    let mut caption = None;
    let mut rows: Vec<Vec<ElementRef>> = Vec::new();
    for el in table.descendants().filter_map(ElementRef::wrap) {
        match el.value().name() {
            "caption" if caption.is_none() => {
                let t = cell_text(el);
                if !t.is_empty() {
                    caption = Some(t);
                }
            }
            "tr" => {
                let cells: Vec<ElementRef> = el
                    .children()
                    .filter_map(ElementRef::wrap)
                    .filter(|c| matches!(c.value().name(), "td" | "th"))
                    .collect();
                rows.push(cells);
            }
            _ => {}
        }
    }
    let nrows = rows.len();
    let mut cells: Vec<Vec<Option<String>>> = vec![Vec::new(); nrows];
    let mut merges = Vec::new();
    let mut width = 0usize;
    for (r, row) in rows.iter().enumerate() {
        let mut c = 0usize;
        for cell in row {
            while cells[r].get(c).is_some_and(|x| x.is_some()) {
                c += 1;
            }
            let el = cell.value();
            let mut rs = span_attr(el, "rowspan", MAX_ROWSPAN);
            if rs == 0 {
                rs = nrows - r; // rowspan="0": to the end of the table
            }
            let rs = rs.clamp(1, nrows - r);
            let cs = span_attr(el, "colspan", MAX_COLSPAN).max(1);
            let new_width = width.max(c + cs);
            let area = new_width.saturating_mul(nrows);
            if area > MAX_TABLE_CELLS || area > *budget {
                return Err(IngestError::Unreadable(format!(
                    "HTML table too large: {nrows} rows × {new_width} columns (limit {MAX_TABLE_CELLS} cells per table, {MAX_PAGE_CELLS} per page)"
                )));
            }
            width = new_width;
            let text = cell_text(*cell);
            for (rr, row_cells) in cells.iter_mut().enumerate().skip(r).take(rs) {
                if row_cells.len() < c + cs {
                    row_cells.resize(c + cs, None);
                }
                for (cc, slot) in row_cells.iter_mut().enumerate().skip(c).take(cs) {
                    *slot = Some(if rr == r && cc == c {
                        text.clone()
                    } else {
                        String::new()
                    });
                }
            }
            if rs > 1 || cs > 1 {
                merges.push(Merge {
                    row: r,
                    col: c,
                    row_span: rs,
                    col_span: cs,
                });
            }
            c += cs;
        }
    }
    *budget -= width * nrows;
    let rows: Vec<Vec<String>> = cells
        .into_iter()
        .map(|r| r.into_iter().map(|c| c.unwrap_or_default()).collect())
        .filter(|r: &Vec<String>| !r.is_empty())
        .collect();
    // Rows dropped as empty (a `<tr>` with no cells) shift the merges: rebuild from scratch
    // when that happened.
    let mut grid = Grid::new(rows);
    if grid.height() == nrows {
        grid.merges = merges;
    } else {
        grid.merges = Vec::new();
    }
    grid.pad();
    Ok(RawTable {
        grid,
        title: caption,
        ..Default::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tables(blocks: &[Block]) -> Vec<&RawTable> {
        blocks
            .iter()
            .filter_map(|b| match b {
                Block::Table(t) => Some(t),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn spans_expand_into_the_grid() {
        let html = r#"<table>
          <tr><th rowspan="2">科目名称</th><th colspan="3">基本支出</th><th rowspan=2>项目支出</th></tr>
          <tr><th>小计</th><th>人员经费</th><th>公用经费</th></tr>
          <tr><td>行政运行</td><td>3.00</td><td>2.00</td><td>1.00</td><td>&nbsp;</td></tr>
        </table>"#;
        let blocks = blocks_from_html(html).unwrap();
        let t = tables(&blocks);
        assert_eq!(t.len(), 1);
        let g = &t[0].grid;
        assert_eq!(g.rows[0], vec!["科目名称", "基本支出", "", "", "项目支出"]);
        assert_eq!(g.rows[1], vec!["", "小计", "人员经费", "公用经费", ""]);
        assert_eq!(g.rows[2][4], "");
        assert!(g.merges.contains(&Merge {
            row: 0,
            col: 1,
            row_span: 1,
            col_span: 3
        }));
        assert!(g.merges.contains(&Merge {
            row: 0,
            col: 4,
            row_span: 2,
            col_span: 1
        }));
    }

    #[test]
    fn scripts_comments_and_layout_tables() {
        let html = r#"<html><head><title>x</title><script>document.write("<table><tr><td>1</td></tr></table>")</script></head>
        <body><!-- <p>hidden</p> --><table><tr><td><h2>收支总表</h2><p>单位：万元</p>
        <table><tr><td>项目</td><td>金额</td></tr><tr><td>合计</td><td>1.00</td></tr></table>
        </td></tr></table></body></html>"#;
        let blocks = blocks_from_html(html).unwrap();
        let lines: Vec<&str> = blocks
            .iter()
            .filter_map(|b| match b {
                Block::Line { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(lines, vec!["收支总表", "单位：万元"]);
        let t = tables(&blocks);
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].grid.rows[1], vec!["合计", "1.00"]);
    }

    #[test]
    fn nesting_is_estimated_from_tags() {
        assert_eq!(nesting_depth("<div><p>a<p>b<div><br></div></div>"), 2);
        assert_eq!(
            nesting_depth("<!-- <div><div> --><script>'<div>'</script><span/>"),
            0
        );
        let deep = format!("{}x{}", "<div>".repeat(6000), "</div>".repeat(6000));
        let e = blocks_from_html(&deep).unwrap_err().to_string();
        assert!(e.contains("nested too deeply"), "{e}");
    }

    #[test]
    fn encodings() {
        let page = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"></head><body><p>部门收支总表</p></body></html>";
        let (gbk, _, _) = encoding_rs::GBK.encode(page);
        let (s, enc) = decode_html(&gbk).unwrap();
        assert!(s.contains("部门收支总表"));
        assert_eq!(enc, "GBK");
        // Undeclared GBK.
        let page = "<html><body><p>一般公共预算支出表 单位：万元</p></body></html>";
        let (gbk, _, _) = encoding_rs::GBK.encode(page);
        let (s, enc) = decode_html(&gbk).unwrap();
        assert!(s.contains("一般公共预算支出表"), "{s}");
        assert_eq!(enc, "GB18030 (undeclared)");
        // UTF-8 with BOM.
        let mut b = vec![0xEF, 0xBB, 0xBF];
        b.extend_from_slice("<p>收入总表</p>".as_bytes());
        assert!(decode_html(&b).unwrap().0.starts_with("<p>收入总表"));
    }

    #[test]
    fn hostile_spans_are_bounded() {
        let html = r#"<table><tr><td colspan="999999" rowspan="999999">x</td></tr><tr><td>1</td></tr></table>"#;
        let blocks = blocks_from_html(html).unwrap();
        let g = &tables(&blocks)[0].grid;
        // colspan clamps to 1000, rowspan to the table's rows; trailing empty columns go.
        assert_eq!(g.height(), 2);
        assert_eq!(g.merges[0].row_span, 2);
        let many = format!(
            "<table>{}</table>",
            "<tr><td colspan=1000>x</td></tr>".repeat(2000)
        );
        let e = blocks_from_html(&many).unwrap_err().to_string();
        assert!(e.contains("HTML table too large"), "{e}");
    }
}
