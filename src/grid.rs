//! Table grids: what every ingest format produces and what normalisation consumes.
//!
//! A [`Grid`] is a rectangular matrix of cell texts. Merged cells (HTML rowspan/colspan,
//! PDF lattice cells spanning several rulings) are kept as [`Merge`] entries; the covered
//! positions hold an empty string so that the matrix stays rectangular.
//!
//! Ingest produces a stream of [`Block`]s (plain lines and raw grids, in reading order);
//! [`assemble`] turns it into [`Table`]s: it picks each table's title, 单位 line and
//! 部门 line from the text before it, and joins tables continued over pages.

use crate::text::{clean_cell, compact};
use regex::Regex;
use serde::{Deserialize, Serialize};
use std::sync::LazyLock;

/// A cell spanning more than one row or column. `row`/`col` is its top-left position.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Merge {
    pub row: usize,
    pub col: usize,
    pub row_span: usize,
    pub col_span: usize,
}

/// Where a cell is printed (PDF only): its 1-based page and the box of its text in PDF
/// points, origin at the page's top-left corner, y growing down: `[x0, top, x1, bottom]`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Place {
    pub page: u32,
    pub bbox: [f32; 4],
}

impl Place {
    /// The place of a cell whose text is joined from two cells: the box around both on one
    /// page; the first when they lie on different pages (a cell never spans a page break).
    pub fn union(a: Option<Place>, b: Option<Place>) -> Option<Place> {
        match (a, b) {
            (Some(a), Some(b)) if a.page == b.page => Some(Place {
                page: a.page,
                bbox: [
                    a.bbox[0].min(b.bbox[0]),
                    a.bbox[1].min(b.bbox[1]),
                    a.bbox[2].max(b.bbox[2]),
                    a.bbox[3].max(b.bbox[3]),
                ],
            }),
            (Some(a), _) => Some(a),
            (None, b) => b,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Grid {
    pub rows: Vec<Vec<String>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub merges: Vec<Merge>,
    /// Where each cell is printed, row by row like `rows` (PDF grids only; empty when the
    /// ingest knows no positions). Every row operation keeps it in step with `rows`.
    #[serde(skip)]
    pub places: Vec<Vec<Option<Place>>>,
}

impl Grid {
    pub fn new(rows: Vec<Vec<String>>) -> Self {
        let mut g = Grid {
            rows,
            merges: Vec::new(),
            places: Vec::new(),
        };
        g.pad();
        g
    }

    /// A grid with the places of its cells (`places` row by row like `rows`).
    pub fn with_places(rows: Vec<Vec<String>>, places: Vec<Vec<Option<Place>>>) -> Self {
        let mut g = Grid {
            rows,
            merges: Vec::new(),
            places,
        };
        g.pad();
        g
    }

    /// Where cell (r, c) is printed, when the ingest knows.
    pub fn place(&self, r: usize, c: usize) -> Option<Place> {
        self.places
            .get(r)
            .and_then(|row| row.get(c))
            .copied()
            .flatten()
    }

    /// The places of row `r` (empty when the grid has none).
    pub fn row_places(&self, r: usize) -> Vec<Option<Place>> {
        self.places.get(r).cloned().unwrap_or_default()
    }

    /// Insert `row` (with the places of its cells) before row `r`, keeping merges
    /// consistent.
    pub fn insert_row(&mut self, r: usize, row: Vec<String>, places: Vec<Option<Place>>) {
        let r = r.min(self.rows.len());
        self.rows.insert(r, row);
        if !self.places.is_empty() || places.iter().any(|p| p.is_some()) {
            self.places.resize(self.rows.len() - 1, Vec::new());
            self.places.insert(r, places);
        }
        for m in &mut self.merges {
            if m.row >= r {
                m.row += 1;
            }
        }
    }

    /// Append `row` with the places of its cells.
    pub fn push_row(&mut self, row: Vec<String>, places: Vec<Option<Place>>) {
        let r = self.rows.len();
        self.insert_row(r, row, places);
    }

    /// Number of columns (all rows are padded to this width).
    pub fn width(&self) -> usize {
        self.rows.iter().map(|r| r.len()).max().unwrap_or(0)
    }

    pub fn height(&self) -> usize {
        self.rows.len()
    }

    pub fn cell(&self, r: usize, c: usize) -> &str {
        self.rows
            .get(r)
            .and_then(|row| row.get(c))
            .map(|s| s.as_str())
            .unwrap_or("")
    }

    /// Pad every row to the same width and drop trailing columns that are empty everywhere.
    pub fn pad(&mut self) {
        let w = self.width();
        for row in &mut self.rows {
            row.resize(w, String::new());
        }
        let mut last = 0;
        for row in &self.rows {
            if let Some(p) = row.iter().rposition(|c| !c.trim().is_empty()) {
                last = last.max(p + 1);
            }
        }
        for m in &self.merges {
            last = last.max((m.col + m.col_span).min(w));
        }
        for row in &mut self.rows {
            row.truncate(last);
        }
        if !self.places.is_empty() {
            self.places.resize(self.rows.len(), Vec::new());
            for row in &mut self.places {
                row.resize(last, None);
            }
        }
    }

    /// The merge whose area covers (r, c), if any.
    pub fn merge_at(&self, r: usize, c: usize) -> Option<&Merge> {
        self.merges
            .iter()
            .find(|m| r >= m.row && r < m.row + m.row_span && c >= m.col && c < m.col + m.col_span)
    }

    /// Remove row `r`, keeping merges consistent.
    pub fn remove_row(&mut self, r: usize) {
        if r >= self.rows.len() {
            return;
        }
        self.rows.remove(r);
        if r < self.places.len() {
            self.places.remove(r);
        }
        let mut merges = Vec::new();
        for mut m in std::mem::take(&mut self.merges) {
            if r < m.row {
                m.row -= 1;
            } else if r < m.row + m.row_span {
                if m.row_span == 1 {
                    continue;
                }
                m.row_span -= 1;
            }
            if m.row_span > 1 || m.col_span > 1 {
                merges.push(m);
            }
        }
        self.merges = merges;
    }

    /// True when no cell holds any text.
    pub fn is_blank(&self) -> bool {
        self.rows
            .iter()
            .all(|r| r.iter().all(|c| c.trim().is_empty()))
    }
}

/// A grid as one ingest format found it, before titles and continuations are resolved.
#[derive(Debug, Clone, Default)]
pub struct RawTable {
    pub grid: Grid,
    pub page: Option<u32>,
    /// Bounding box on the page (PDF points: x0, y0, x1, y1), when known.
    pub bbox: Option<[f32; 4]>,
    /// A title the ingest format knows for sure (an HTML `<caption>`, a flow-text title).
    pub title: Option<String>,
    /// True when the ingest already knows the table continues the previous one (续表).
    pub continued: bool,
    /// Later pages the ingest already joined into this grid (a PDF table continued
    /// over pages).
    pub continued_on: Vec<u32>,
}

/// Ingest output: text lines and grids in reading order.
#[derive(Debug, Clone)]
pub enum Block {
    Line {
        text: String,
        page: Option<u32>,
    },
    Table(RawTable),
    /// Part of the document could not be read (e.g. scanned pages with no text layer).
    Warning(String),
    /// Something the reader should know that lost no number (mixed encodings, a stray
    /// byte replaced, a damaged file repaired): an error record of stage `warning`, which
    /// does not make the document a failure.
    Notice(String),
}

/// A table with its surrounding metadata, ready for normalisation.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Table {
    pub title: Option<String>,
    pub unit: Option<String>,
    pub department: Option<String>,
    pub page: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bbox: Option<[f32; 4]>,
    pub grid: Grid,
    /// Pages the table was joined from, when it continues over pages.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub continued_on: Vec<u32>,
    /// Note lines printed right after the table (注：…, 备注…).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

static UNIT_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:金额)?单位\s*[:：]\s*(万\s*元|千\s*元|元)").unwrap());
static DEPT_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:部门\s*[（(]?\s*单位\s*[)）]?\s*名称|部门名称|单位名称|部门\s*/\s*单位|部门|单位)\s*[:：]\s*([^\s:：][^:：]*?)\s*(?:(?:金额)?单位\s*[:：].*)?$").unwrap()
});
static TABLE_NO_SUFFIX_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:公开)?\d{1,2}表$").unwrap());
static TABLE_NO_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:附表|附件|表|公开|预算|决算)\s*[0-9一二三四五六七八九十\-－.]+\s*(?:表)?$|^(?:公开|预算|决算)?\d+表$|^\d+-\d+$|^[（(]\s*\d{4}\s*年度?\s*[)）]$").unwrap()
});

/// The 单位 (unit) declared in a line, normalised to `万元`, `千元` or `元`.
pub fn unit_in(line: &str) -> Option<String> {
    UNIT_RE
        .captures(line)
        .map(|c| c[1].chars().filter(|c| !c.is_whitespace()).collect())
}

/// The department named in a `部门名称：…` style line.
pub fn department_in(line: &str) -> Option<String> {
    let line = line.trim();
    let caps = DEPT_RE.captures(line)?;
    let name = compact(&caps[1]);
    // A table number printed after the name on the same line (`…局（汇总） 公开05表`).
    let name = TABLE_NO_SUFFIX_RE.replace(&name, "");
    let name = name.trim_matches(|c: char| c == '|' || c == '*' || c == '#');
    if name.is_empty() || name.starts_with("万元") || name == "元" {
        return None;
    }
    Some(name.to_string())
}

/// A line that only numbers or labels a table (附表4-5, 表 1, 公开05表, (2025 年度)).
pub fn is_table_number_line(line: &str) -> bool {
    let c = compact(line);
    !c.is_empty() && TABLE_NO_RE.is_match(&c)
}

/// Strip markdown heading and emphasis marks and ordinal prefixes from a title candidate.
pub fn clean_title(line: &str) -> String {
    let t = clean_cell(line);
    let t = t.trim_start_matches('#').trim();
    let t = t.trim_matches('*').trim();
    t.to_string()
}

/// Turn ingest blocks into tables: titles, units and departments from the lines before a
/// table, notes from the lines after it, and continued tables joined.
pub fn assemble(blocks: Vec<Block>) -> Vec<Table> {
    let mut tables: Vec<Table> = Vec::new();
    let mut pending: Vec<String> = Vec::new(); // lines since the previous table
    let mut last_was_table = false;
    let blocks = blocks.into_iter().flat_map(|b| match b {
        Block::Table(raw) if is_contents_list(&raw.grid) => raw
            .grid
            .rows
            .iter()
            .map(|r| Block::Line {
                text: r
                    .iter()
                    .filter(|c| !c.trim().is_empty())
                    .cloned()
                    .collect::<Vec<_>>()
                    .join("  "),
                page: raw.page,
            })
            .collect(),
        Block::Table(raw) => split_at_title_rows(raw),
        line => vec![line],
    });
    for block in blocks {
        match block {
            Block::Line { text, .. } => {
                let t = text.trim();
                if t.is_empty() {
                    continue;
                }
                if last_was_table && is_note_line(t) {
                    if let Some(prev) = tables.last_mut() {
                        prev.notes.push(clean_cell(t));
                        continue;
                    }
                }
                last_was_table = false;
                pending.push(t.to_string());
            }
            Block::Warning(_) | Block::Notice(_) => {}
            Block::Table(raw) => {
                if raw.grid.is_blank() {
                    continue;
                }
                let ctx = std::mem::take(&mut pending);
                let mut table = Table {
                    page: raw.page,
                    bbox: raw.bbox,
                    grid: raw.grid,
                    continued_on: raw.continued_on,
                    ..Default::default()
                };
                let (title, unit, dept) = context_meta(&ctx);
                table.title = raw.title.or(title);
                table.unit = unit;
                table.department = dept;
                let cont = tables
                    .last()
                    .is_some_and(|prev| raw.continued || is_continuation(prev, &table, &ctx));
                match tables.last_mut() {
                    Some(prev) if cont => join(prev, table),
                    _ => tables.push(table),
                }
                last_was_table = true;
            }
        }
    }
    tables
}

/// A table of contents read as a grid (`二、收入决算情况说明..... | 9`): no amount
/// anywhere, every row text followed by a page number, the page numbers never going down.
fn is_contents_list(g: &Grid) -> bool {
    let mut last_page = 0u32;
    let mut rows = 0;
    // Evidence that these are entries of a contents list: a dot leader, or entries that
    // all name a part of the document (…说明, …情况, …表).
    let mut leader = false;
    let mut all_sections = true;
    for row in &g.rows {
        let cells: Vec<String> = row
            .iter()
            .map(|c| compact(c))
            .filter(|c| !c.is_empty())
            .collect();
        let Some((page, text)) = cells.split_last() else {
            continue;
        };
        let Some(p) = page
            .parse::<u32>()
            .ok()
            .filter(|p| page.len() <= 3 && *p >= 1 && !text.is_empty())
        else {
            return false;
        };
        if p < last_page || text.iter().any(|t| crate::text::parse_amount(t).is_some()) {
            return false;
        }
        leader |= text.iter().any(|t| {
            t.contains("...") || t.contains('…') || t.contains("。。。") || t.contains("···")
        });
        let entry = text.last().map(|t| t.as_str()).unwrap_or("");
        let entry = entry.trim_end_matches(['.', '…', '。', '·']);
        all_sections &= ["说明", "情况", "表", "概况", "解释", "职责", "设置", "目录"]
            .iter()
            .any(|e| entry.ends_with(e));
        last_page = p;
        rows += 1;
    }
    rows > 0 && (leader || all_sections)
}

/// A grid that holds a second table (a title row such as `支出总表 … 单位：万元` after body
/// rows, as when two printed tables sit in one HTML `<table>` or one ruled frame) is split
/// there: the title row becomes text lines before the second grid.
fn split_at_title_rows(raw: RawTable) -> Vec<Block> {
    let g = &raw.grid;
    let mut cuts = Vec::new();
    let mut seen_body = false;
    for (r, row) in g.rows.iter().enumerate() {
        if seen_body && is_title_row(row) {
            cuts.push(r);
            seen_body = false;
        } else if row.iter().any(|c| crate::text::looks_like_money(c)) {
            seen_body = true;
        }
    }
    if cuts.is_empty() {
        return vec![Block::Table(raw)];
    }
    let mut out = Vec::new();
    let mut bounds = vec![0];
    bounds.extend(cuts.iter().copied());
    bounds.push(g.height());
    for (k, w) in bounds.windows(2).enumerate() {
        let (start, end) = (w[0], w[1]);
        let first = if k > 0 { start + 1 } else { start };
        // The page a part starts on: that of its first placed cell (a grid joined over
        // pages may hold the second table on a later page).
        let page = (start..end)
            .find_map(|r| g.places.get(r)?.iter().find_map(|p| p.map(|p| p.page)))
            .or(raw.page);
        if k > 0 {
            for cell in g.rows[start].iter().filter(|c| !c.trim().is_empty()) {
                out.push(Block::Line {
                    text: cell.trim().to_string(),
                    page,
                });
            }
        }
        let places = if g.places.is_empty() {
            Vec::new()
        } else {
            (first..end).map(|r| g.row_places(r)).collect()
        };
        let mut grid = Grid::with_places(g.rows[first..end].to_vec(), places);
        grid.merges = g
            .merges
            .iter()
            .filter(|m| m.row >= first && m.row + m.row_span <= end)
            .map(|m| Merge {
                row: m.row - first,
                ..m.clone()
            })
            .collect();
        out.push(Block::Table(RawTable {
            grid,
            page,
            bbox: if k == 0 { raw.bbox } else { None },
            title: if k == 0 { raw.title.clone() } else { None },
            continued: k == 0 && raw.continued,
            // The later pages of a grid joined over pages end it.
            continued_on: if k + 2 == bounds.len() {
                raw.continued_on.clone()
            } else {
                Vec::new()
            },
        }));
    }
    out
}

/// The grid's first non-empty row is a title row (a table printed with its title inside).
pub fn starts_with_title(g: &Grid) -> bool {
    g.rows
        .iter()
        .find(|r| r.iter().any(|c| !c.trim().is_empty()))
        .is_some_and(|r| is_title_row(r))
}

/// A row that is a table title: one cell naming a standard table (`…表`), the others empty
/// or 单位/部门/table-number lines, no amounts.
fn is_title_row(row: &[String]) -> bool {
    let filled: Vec<&String> = row.iter().filter(|c| !c.trim().is_empty()).collect();
    if filled.is_empty() || filled.len() > 3 {
        return false;
    }
    let mut titles = 0;
    for c in filled {
        let k = compact(c);
        if crate::text::looks_like_money(&k) {
            return false;
        }
        if k.ends_with('表') && crate::classify::classify_title(&k).is_some() {
            titles += 1;
        } else if unit_in(&k).is_none() && department_in(&k).is_none() && !is_table_number_line(&k)
        {
            return false;
        }
    }
    titles == 1
}

fn is_note_line(t: &str) -> bool {
    let c = compact(t);
    c.starts_with("注") || c.starts_with("备注") || c.starts_with("说明：")
}

/// Title, unit and department from the lines just before a table.
fn context_meta(ctx: &[String]) -> (Option<String>, Option<String>, Option<String>) {
    let mut unit = None;
    let mut dept = None;
    let mut title = None;
    let mut fallback = None;
    let candidate = |line: &str| -> Option<String> {
        let cleaned = clean_title(line);
        let skip = cleaned.is_empty()
            || is_table_number_line(&cleaned)
            || unit_in(&cleaned).is_some()
            || department_in(&cleaned).is_some()
            || cleaned.chars().count() > 60;
        (!skip).then_some(cleaned)
    };
    // Look at the last few lines, nearest first.
    let n = ctx.len();
    for (back, line) in ctx.iter().rev().take(8).enumerate() {
        if unit.is_none() {
            unit = unit_in(line);
        }
        if dept.is_none() {
            dept = department_in(line);
        }
        if title.is_some() {
            continue;
        }
        let Some(cleaned) = candidate(line) else {
            continue;
        };
        // A title wrapped over two lines (`财政拨款“三公”经费` / `支出决算表`): the line
        // before, when it is no title of its own, joined with this one names another table.
        let i = n - 1 - back;
        let wrapped = (i > 0)
            .then(|| candidate(&ctx[i - 1]))
            .flatten()
            .filter(|prev| !compact(prev).ends_with('表') && prev.chars().count() <= 30)
            .map(|prev| format!("{prev}{cleaned}"))
            .filter(|joined| {
                let t = crate::classify::classify_title(joined);
                t.is_some() && t != crate::classify::classify_title(&cleaned)
            });
        if let Some(joined) = wrapped {
            title = Some(joined);
        } else if crate::classify::classify_title(&cleaned).is_some() {
            title = Some(cleaned);
        } else if fallback.is_none() && compact(&cleaned).ends_with('表') {
            fallback = Some(cleaned);
        }
    }
    (title.or(fallback), unit, dept)
}

/// Does `next` continue `prev` (the same table over a page break)?
fn is_continuation(prev: &Table, next: &Table, ctx: &[String]) -> bool {
    let explicit = ctx.iter().any(|l| compact(l).starts_with("续表"));
    if explicit {
        return true;
    }
    // A new title that names a different table ends the previous one.
    if let (Some(a), Some(b)) = (&prev.title, &next.title) {
        return compact(a) == compact(b) && same_header_start(prev, next);
    }
    if next.title.is_some() {
        return false;
    }
    // No title of its own: a continuation when the text between is only page furniture and
    // the grid repeats the header or has the same width.
    let only_furniture = ctx.iter().all(|l| is_page_furniture(l));
    only_furniture
        && (same_header_start(prev, next)
            || prev.grid.width() == next.grid.width()
            || printed_columns(prev).is_some_and(|c| c.len() == next.grid.width()))
}

/// The columns a table prints something in below its header (rows with an amount and
/// the rows after the first of them), when some of its columns stay empty throughout (a
/// heading over a column the body never fills). An unruled continuation on the next page
/// has only the printed ones.
fn printed_columns(t: &Table) -> Option<Vec<usize>> {
    let rows = &t.grid.rows;
    let first = rows
        .iter()
        .position(|r| r.iter().any(|c| crate::text::looks_like_money(c)))?;
    let cols: Vec<usize> = (0..t.grid.width())
        .filter(|&c| rows[first..].iter().any(|r| !r[c].trim().is_empty()))
        .collect();
    (cols.len() < t.grid.width()).then_some(cols)
}

fn same_header_start(a: &Table, b: &Table) -> bool {
    let ra = a.grid.rows.first().map(|r| row_key(r));
    let rb = b.grid.rows.first().map(|r| row_key(r));
    ra.is_some() && ra == rb || a.grid.width() == b.grid.width()
}

fn row_key(r: &[String]) -> String {
    r.iter().map(|c| compact(c)).collect::<Vec<_>>().join("|")
}

pub fn is_page_furniture(l: &str) -> bool {
    let c = compact(l);
    c.is_empty()
        || c.chars()
            .all(|ch| ch.is_ascii_digit() || "-—第页/共".contains(ch))
        || is_table_number_line(&c)
        || unit_in(&c).is_some()
        || department_in(&c).is_some()
}

/// Append `next` to `prev`, dropping header rows that repeat `prev`'s first rows.
fn join(prev: &mut Table, mut next: Table) {
    // A continuation printing only the columns the table fills goes under those columns.
    if next.grid.width() < prev.grid.width() {
        if let Some(cols) = printed_columns(prev).filter(|c| c.len() == next.grid.width()) {
            let w = prev.grid.width();
            for row in &mut next.grid.rows {
                let mut wide = vec![String::new(); w];
                for (c, t) in cols.iter().zip(row.drain(..)) {
                    wide[*c] = t;
                }
                *row = wide;
            }
            for row in &mut next.grid.places {
                let mut wide = vec![None; w];
                for (c, p) in cols.iter().zip(row.drain(..)) {
                    wide[*c] = p;
                }
                *row = wide;
            }
            for m in &mut next.grid.merges {
                let last = cols[(m.col + m.col_span - 1).min(cols.len() - 1)];
                m.col = cols[m.col.min(cols.len() - 1)];
                m.col_span = last + 1 - m.col;
            }
        }
    }
    let prev_keys: Vec<String> = prev.grid.rows.iter().take(6).map(|r| row_key(r)).collect();
    let offset = prev.grid.rows.len();
    let w = prev.grid.width().max(next.grid.width());
    let mut skipped = 0;
    let mut next_places = std::mem::take(&mut next.grid.places).into_iter();
    for (i, row) in next.grid.rows.into_iter().enumerate() {
        let places = next_places.next().unwrap_or_default();
        let key = row_key(&row);
        // Only header rows repeat (a row printing amounts is data, even when equal).
        let is_header = !row.iter().any(|c| crate::text::looks_like_money(c));
        if i == skipped && i < 6 && is_header && prev_keys.contains(&key) {
            skipped += 1;
            continue;
        }
        prev.grid.push_row(row, places);
    }
    for m in next.grid.merges {
        if m.row >= skipped {
            prev.grid.merges.push(Merge {
                row: m.row - skipped + offset,
                ..m
            });
        }
    }
    for row in &mut prev.grid.rows {
        row.resize(w, String::new());
    }
    for row in &mut prev.grid.places {
        row.resize(w, None);
    }
    if let Some(p) = next.page {
        prev.continued_on.push(p);
    }
    if prev.unit.is_none() {
        prev.unit = next.unit;
    }
    prev.notes.extend(next.notes);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_and_department_lines() {
        assert_eq!(unit_in("单位：万元").as_deref(), Some("万元"));
        assert_eq!(unit_in("单位: 万 元").as_deref(), Some("万元"));
        assert_eq!(unit_in("公开05表 单位：万元").as_deref(), Some("万元"));
        assert_eq!(
            department_in("部门名称： 深圳市盐田区政务服务数据管理局（本级）  单位：万元")
                .as_deref(),
            Some("深圳市盐田区政务服务数据管理局（本级）")
        );
        assert_eq!(
            department_in("部门：曾都区政务服务和大数据管理局（汇总）").as_deref(),
            Some("曾都区政务服务和大数据管理局（汇总）")
        );
        assert_eq!(
            department_in("部门：曾都区政务服务和大数据管理局（汇总） 公开05表").as_deref(),
            Some("曾都区政务服务和大数据管理局（汇总）")
        );
        assert_eq!(department_in("部门/单位:"), None);
        assert_eq!(department_in("单位：万元"), None);
    }

    #[test]
    fn table_number_lines() {
        assert!(is_table_number_line("附表4-5"));
        assert!(is_table_number_line("表 1"));
        assert!(is_table_number_line("(2025 年度)"));
        assert!(!is_table_number_line("收支总表"));
    }

    #[test]
    fn continuation_with_repeated_header_is_joined() {
        let g1 = Grid::new(vec![
            vec!["项目".into(), "金额".into()],
            vec!["一、一般公共服务支出".into(), "1.00".into()],
        ]);
        let g2 = Grid::new(vec![
            vec!["项目".into(), "金额".into()],
            vec!["二、教育支出".into(), "2.00".into()],
        ]);
        let blocks = vec![
            Block::Line {
                text: "收支总表".into(),
                page: Some(1),
            },
            Block::Table(RawTable {
                grid: g1,
                page: Some(1),
                ..Default::default()
            }),
            Block::Line {
                text: "2".into(),
                page: Some(1),
            },
            Block::Table(RawTable {
                grid: g2,
                page: Some(2),
                ..Default::default()
            }),
        ];
        let t = assemble(blocks);
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].grid.rows.len(), 3);
        assert_eq!(t[0].grid.rows[2][0], "二、教育支出");
        assert_eq!(t[0].continued_on, vec![2]);
    }

    #[test]
    fn continuation_keeps_data_rows_equal_to_earlier_ones() {
        let g = || {
            Grid::new(vec![
                vec!["项目".into(), "金额".into()],
                vec!["一、一般公共服务支出".into(), "1.00".into()],
            ])
        };
        let t = |grid| {
            Block::Table(RawTable {
                grid,
                ..Default::default()
            })
        };
        let line = |s: &str| Block::Line {
            text: s.into(),
            page: None,
        };
        let tables = assemble(vec![line("收支总表"), t(g()), line("收支总表"), t(g())]);
        assert_eq!(tables.len(), 1);
        // The repeated header goes, the repeated data row stays.
        assert_eq!(tables[0].grid.rows.len(), 3);
        assert_eq!(tables[0].grid.rows[2][1], "1.00");
    }

    #[test]
    fn contents_lists_are_not_tables() {
        let toc = Grid::new(vec![
            vec!["二、收入决算情况说明.....".into(), "9".into()],
            vec!["三、支出决算情况说明.....".into(), "10".into()],
        ]);
        assert!(is_contents_list(&toc));
        // A list of units numbered in front, or a table with amounts, stays a table.
        let units = Grid::new(vec![
            vec!["1".into(), "上海市普陀区财政局（本级）".into()],
            vec!["2".into(), "上海市普陀区财政局财政所".into()],
        ]);
        assert!(!is_contents_list(&units));
        let amounts = Grid::new(vec![vec!["合计".into(), "12".into(), "1.00".into()]]);
        assert!(!is_contents_list(&amounts));
        // Staff counts by unit are numbers, not page numbers.
        let counts = Grid::new(vec![
            vec!["行政编制".into(), "12".into()],
            vec!["事业编制".into(), "15".into()],
        ]);
        assert!(!is_contents_list(&counts));
    }

    #[test]
    fn remove_row_shifts_merges() {
        let mut g = Grid::new(vec![vec!["a".into()], vec!["b".into()], vec!["c".into()]]);
        g.merges.push(Merge {
            row: 1,
            col: 0,
            row_span: 2,
            col_span: 1,
        });
        g.remove_row(0);
        assert_eq!(g.merges[0].row, 0);
        assert_eq!(g.rows[0][0], "b");
    }

    fn at(page: u32, x: f32) -> Option<Place> {
        Some(Place {
            page,
            bbox: [x, 10.0, x + 5.0, 20.0],
        })
    }

    #[test]
    fn places_stay_with_their_cells() {
        let rows = vec![vec!["a".into(), "1".into()], vec!["b".into(), "2".into()]];
        let mut g = Grid::with_places(rows, vec![vec![None, at(1, 50.0)], vec![None, at(2, 60.0)]]);
        g.insert_row(0, vec!["h".into(), "合计".into()], vec![None, None]);
        assert_eq!(g.place(2, 1), at(2, 60.0));
        g.remove_row(1);
        assert_eq!(g.rows[1][1], "2");
        assert_eq!(g.place(1, 1), at(2, 60.0));
        // A trailing empty column goes from the places too.
        g.rows[0].push(String::new());
        g.pad();
        assert_eq!(g.places[0].len(), 2);
        // A grid without places answers None, whatever is asked.
        assert_eq!(Grid::new(vec![vec!["x".into()]]).place(0, 0), None);
    }

    #[test]
    fn joined_cells_take_the_box_around_both_on_one_page() {
        let u = Place::union(at(1, 50.0), at(1, 70.0)).unwrap();
        assert_eq!(u.bbox, [50.0, 10.0, 75.0, 20.0]);
        // A cell cut by a page break keeps the place of its first part.
        assert_eq!(Place::union(at(1, 50.0), at(2, 70.0)), at(1, 50.0));
        assert_eq!(Place::union(None, at(2, 70.0)), at(2, 70.0));
    }

    #[test]
    fn a_second_table_split_off_a_grid_starts_on_the_page_of_its_cells() {
        let rows: Vec<Vec<String>> = vec![
            vec!["项目".into(), "金额".into()],
            vec!["合计".into(), "1.00".into()],
            vec!["支出总表".into(), "单位：万元".into()],
            vec!["合计".into(), "2.00".into()],
        ];
        let places = vec![
            vec![None, None],
            vec![None, at(3, 50.0)],
            vec![None, None],
            vec![None, at(4, 50.0)],
        ];
        let raw = RawTable {
            grid: Grid::with_places(rows, places),
            page: Some(3),
            ..Default::default()
        };
        let parts: Vec<RawTable> = split_at_title_rows(raw)
            .into_iter()
            .filter_map(|b| match b {
                Block::Table(t) => Some(t),
                _ => None,
            })
            .collect();
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[1].page, Some(4));
        assert_eq!(parts[1].grid.place(0, 1), at(4, 50.0));
    }
}
