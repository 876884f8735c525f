//! Unruled tables: found from the alignment of text over consecutive lines.
//!
//! 1. **Lines and chunks.** A page's text lines (outside ruled tables) are cut into words
//!    (a gap wider than a fifth of an em) and chunks (a gap wider than 1.2 em).
//! 2. **Bodies.** A table body is a run of lines with two or more chunks, close to each
//!    other. Short one-chunk lines inside the run (a section row such as `Sex` or
//!    `一、…`, a wrapped label, a heading) stay in it when a multi-chunk line follows;
//!    prose (one chunk across most of the table), a title (`Table 3`, `…表`), a 单位 /
//!    部门 line or a wide vertical gap ends it.
//! 3. **Headers.** Lines just above the body that lie within its width and are neither a
//!    title, prose nor a meta line are its header (up to six lines).
//! 4. **Columns.** Column separators are the vertical strips of white space that hold
//!    through the body: x positions no body chunk covers (a few spanning cells, such as a
//!    long section label, are tolerated) with chunks on both sides in at least two lines.
//!    A body chunk that crosses a separator at a word gap is cut there (columns set one
//!    space apart); a chunk that still crosses one spans those columns.
//! 5. **Cells.** Each line is a row. A header chunk covers the columns up to the midpoints
//!    with its neighbours on the line (a heading centred over several columns becomes a
//!    merged cell). A body line holding only a label that continues on the next line
//!    (`American Indian/` + `Alaska Native …`) is joined to it.
//!
//! A region needs two body lines of two or more cells and two columns; two columns of
//! long text are prose set in columns, not a table.

use super::device::PGlyph;
use super::geometry::*;
use crate::grid::{Grid, Merge};
use regex::Regex;
use std::sync::LazyLock;

/// A text line of the page, outside ruled tables.
#[derive(Debug, Clone)]
pub(super) struct SLine {
    pub(super) top: f32,
    pub(super) bottom: f32,
    /// The median glyph size (an em).
    pub(super) size: f32,
    pub(super) x0: f32,
    pub(super) x1: f32,
    pub(super) chunks: Vec<Chunk>,
    pub(super) words: Vec<Chunk>,
    /// The glyphs, left to right (dot leaders removed).
    pub(super) glyphs: Vec<PGlyph>,
}

impl SLine {
    pub(super) fn from_glyphs(line: &[PGlyph]) -> SLine {
        let kept = without_leaders(line);
        let line: &[PGlyph] = if kept.is_empty() { line } else { &kept };
        let mut sizes: Vec<f32> = line.iter().map(|g| g.size).collect();
        sizes.sort_by(|a, b| a.total_cmp(b));
        let size = sizes.get(sizes.len() / 2).copied().unwrap_or(10.0).max(1.0);
        let top = line.iter().map(|g| g.top()).fold(f32::MAX, f32::min);
        let bottom = line
            .iter()
            .map(|g| g.y + g.size * 0.2)
            .fold(f32::MIN, f32::max);
        let words = split_at_gaps(line, 0.2);
        let chunks = chunks(line);
        SLine {
            top,
            bottom,
            size,
            x0: chunks.first().map_or(0.0, |c| c.x0),
            x1: chunks.iter().map(|c| c.x1).fold(f32::MIN, f32::max),
            chunks,
            words,
            glyphs: line.to_vec(),
        }
    }

    /// The line as text: its chunks two spaces apart.
    pub(super) fn text(&self) -> String {
        self.chunks
            .iter()
            .map(|c| c.text.as_str())
            .collect::<Vec<_>>()
            .join("  ")
    }

    fn width(&self) -> f32 {
        self.x1 - self.x0
    }
}

/// The line without its dot leaders (`All ages . . . . . 291,099`): runs of three or more
/// dots (`.`, `·`, `…`), with or without spaces between them, are no text.
fn without_leaders(line: &[PGlyph]) -> Vec<PGlyph> {
    let is_dot = |g: &PGlyph| matches!(g.text.as_str(), "." | "·" | "…" | "．" | "‥" | "⋯");
    let mut drop = vec![false; line.len()];
    let mut i = 0;
    while i < line.len() {
        if !is_dot(&line[i]) {
            i += 1;
            continue;
        }
        let mut j = i;
        let mut dots = 0;
        while j < line.len() && is_dot(&line[j]) {
            dots += if line[j].text == "…" { 3 } else { 1 };
            j += 1;
        }
        if dots >= 3 {
            for d in &mut drop[i..j] {
                *d = true;
            }
        }
        i = j;
    }
    line.iter()
        .zip(drop)
        .filter(|(_, d)| !d)
        .map(|(g, _)| g.clone())
        .collect()
}

/// The glyphs of a line cut where the gap is wider than `em` ems.
fn split_at_gaps(line: &[PGlyph], em: f32) -> Vec<Chunk> {
    let mut out = Vec::new();
    let mut cur: Vec<PGlyph> = Vec::new();
    for g in line {
        if let Some(p) = cur.last() {
            let gap = g.x0 - p.x1;
            if gap > p.size.max(g.size) * em || (g.space_before && gap > -0.5) {
                out.push(make_chunk(&cur));
                cur.clear();
            }
        }
        cur.push(g.clone());
    }
    if !cur.is_empty() {
        out.push(make_chunk(&cur));
    }
    out
}

/// An unruled table found on a page: the lines it spans and its grid.
pub(super) struct StreamTable {
    pub(super) first: usize,
    pub(super) last: usize,
    pub(super) grid: Grid,
    pub(super) bbox: [f32; 4],
}

static TITLE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:Table|TABLE|Figure|FIGURE|Chart|Exhibit|表|图)\s*[0-9IVXA-Z一二三四五六七八九十]",
    )
    .unwrap()
});

/// A line that names a table or figure, or carries its 单位 / 部门 / number.
fn is_title_or_meta(l: &SLine) -> bool {
    let text = l.text();
    let k = crate::text::compact(&text);
    if TITLE_RE.is_match(&k) {
        return true;
    }
    if crate::grid::unit_in(&text).is_some()
        || crate::grid::department_in(&text).is_some()
        || crate::grid::is_table_number_line(&k)
    {
        return true;
    }
    l.chunks.len() == 1 && crate::classify::classify_title(&k).is_some() && k.ends_with('表')
}

/// Is the line prose set across the table (one long chunk)?
fn is_prose(l: &SLine, width: f32) -> bool {
    l.chunks.len() == 1 && l.width() > width * 0.6 && l.chunks[0].text.chars().count() > 20
}

/// Does the line look like a table row of several cells?
fn is_multi(l: &SLine) -> bool {
    l.chunks.len() >= 2 && !is_title_or_meta(l)
}

/// A cell that prints a number (an amount, a count, a percentage, a range), but not a bare
/// year such as a column heading `2007`.
pub(super) fn is_number(t: &str) -> bool {
    let k: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    // A currency sign before, a magnitude or unit after (`$1.1M`, `12万`, `3.5bn`).
    let k = k.trim_start_matches(['$', '€', '£', '¥', '￥']);
    let k = [
        "bn", "万元", "亿元", "千元", "元", "万", "亿", "K", "M", "B", "k", "m",
    ]
    .iter()
    .find_map(|u| k.strip_suffix(u))
    .unwrap_or(k)
    .to_string();
    let digits = k.chars().filter(|c| c.is_ascii_digit()).count();
    if digits == 0 {
        return false;
    }
    let year = k.len() == 4 && (k.starts_with("19") || k.starts_with("20")) && digits == 4;
    let numeric = k
        .chars()
        .all(|c| c.is_ascii_digit() || ",.%()（）-–—−+$€£¥/ ".contains(c));
    crate::text::looks_like_money(&k) || (numeric && !year)
}

/// A line that carries data: a number in a cell after its first.
fn is_data(l: &SLine) -> bool {
    l.chunks.iter().skip(1).any(|c| is_number(&c.text))
        || l.chunks
            .first()
            .is_some_and(|c| crate::text::looks_like_money(&c.text))
}

/// A row of a table whose values are text with figures (`Lowest | $9,594 or less | …`):
/// its first cell at the table's left edge, and most of its other cells print digits
/// (not years). A heading such as `Characteristic | no. | (%) | (95% CI)` is not.
fn is_label_row(l: &SLine, left: f32) -> bool {
    if (l.x0 - left).abs() > l.size * 2.0 || l.chunks.len() < 2 {
        return false;
    }
    let values = &l.chunks[1..];
    let with_digits = values
        .iter()
        .filter(|c| {
            let k = crate::text::compact(&c.text);
            let digits = k.chars().filter(|ch| ch.is_ascii_digit()).count();
            digits > 0
                && !(k.len() == 4 && digits == 4 && (k.starts_with("19") || k.starts_with("20")))
        })
        .count();
    with_digits * 2 > values.len()
}

/// The tables of a page's text lines (top down). `hrules` are the page's horizontal
/// rulings (y, x from, x to) outside ruled tables.
pub(super) fn stream_tables(lines: &[SLine], hrules: &[(f32, f32, f32)]) -> Vec<StreamTable> {
    let mut out = Vec::new();
    let mut i = 0;
    let mut taken = 0; // lines before this belong to earlier tables
    let mut skipped: Option<(usize, usize)> = None;
    while i < lines.len() {
        if !is_multi(&lines[i]) {
            i += 1;
            continue;
        }
        let (start, end) = body_run(lines, i);
        let body_multi = (start..=end).filter(|&k| is_multi(&lines[k])).count();
        if body_multi < 2 {
            i = end + 1;
            continue;
        }
        // The body starts at the first line that carries data (a number that is not a
        // bare year); multi-chunk lines above it are header lines.
        let left = (start..=end).map(|k| lines[k].x0).fold(f32::MAX, f32::min);
        let first_data =
            (start..=end).find(|&k| is_data(&lines[k]) || is_label_row(&lines[k], left));
        // No data at all: a few lines of headings cut off from their table by a gap
        // between heading levels stay free for that table's header.
        // (At the foot of a page it stays a table: the continuation on the next page
        // joins it.)
        let more_below = lines[end + 1..].iter().any(is_multi);
        if first_data.is_none() && body_multi < 3 && more_below {
            skipped = Some((start, end));
            i = end + 1;
            continue;
        }
        let mut data = first_data.unwrap_or(start);
        // One-chunk lines at the left edge just above it are section rows (`Sex`).
        while data > start
            && lines[data - 1].chunks.len() == 1
            && (lines[data - 1].x0 - left).abs() <= lines[data - 1].size * 2.0
        {
            data -= 1;
        }
        let mut head = header_start(lines, start, end, taken);
        // Headings cut off just above (a no-data run ending right before the header) are
        // this table's header, whatever the gap between heading levels.
        if let Some((s0, s1)) = skipped.take() {
            let (x0, x1) = (
                left,
                (start..=end).map(|k| lines[k].x1).fold(f32::MIN, f32::max),
            );
            let within = (s0..=s1).all(|k| {
                let m = lines[k].size * 2.0;
                lines[k].x0 >= x0 - m && lines[k].x1 <= x1 + m
            });
            if s1 + 1 == head && s0 >= taken && within {
                head = s0;
            }
        }
        if let Some(t) = build(lines, head, data, end, hrules) {
            taken = end + 1;
            out.push(t);
        }
        i = end + 1;
    }
    out
}

/// The vertical gap allowed between two lines of one table.
fn max_gap(a: &SLine, b: &SLine) -> f32 {
    a.size.max(b.size) * 1.6
}

/// Do two multi-chunk lines line up: every cell of `b` starts or ends where a cell of
/// `a` does (left-aligned labels, right-aligned amounts)?
fn aligned(a: &SLine, b: &SLine) -> bool {
    if a.chunks.len() < 2 || b.chunks.len() < 2 {
        return false;
    }
    let tol = a.size.max(b.size);
    b.chunks.iter().all(|c| {
        a.chunks
            .iter()
            .any(|d| (c.x0 - d.x0).abs() <= tol || (c.x1 - d.x1).abs() <= tol)
    })
}

/// The run of body lines starting at the multi-chunk line `i`: (first, last).
fn body_run(lines: &[SLine], i: usize) -> (usize, usize) {
    let mut end = i;
    let (mut x0, mut x1) = (lines[i].x0, lines[i].x1);
    // Where the value cells start: the second chunk of the multi-chunk lines.
    let second = |l: &SLine| l.chunks.get(1).map_or(f32::MAX, |c| c.x0);
    let mut values_from = second(&lines[i]);
    let mut k = i + 1;
    while k < lines.len() {
        let prev = &lines[k - 1];
        let l = &lines[k];
        // Rows set far apart stay one table when their cells line up.
        let allowed = if aligned(&lines[end], l) {
            max_gap(prev, l) * 2.5
        } else {
            max_gap(prev, l)
        };
        if l.top - prev.bottom > allowed {
            break;
        }
        let in_label_column = l.x1 <= values_from + l.size * 0.5;
        if is_title_or_meta(l) || (is_prose(l, x1 - x0) && !in_label_column) {
            break;
        }
        if is_multi(l) {
            values_from = values_from.min(second(l));
            // A repeated header row (its first cell the run's first cell again) starts the
            // next table, with the headings just above it that do not start at the
            // table's left edge (`Design effect` centred over the value columns).
            if repeats_header(&lines[i], l) {
                let mut cut = k;
                while cut > end + 1 && (lines[cut - 1].x0 - x0).abs() > lines[cut - 1].size * 2.0 {
                    cut -= 1;
                }
                return (i, end.min(cut - 1));
            }
            end = k;
            x0 = x0.min(l.x0);
            x1 = x1.max(l.x1);
            k += 1;
            continue;
        }
        // A one-chunk line: kept when it is short, inside the table, and a multi-chunk
        // line follows within a few lines.
        let inside = l.x0 >= x0 - l.size * 2.0 && l.x1 <= x1 + l.size * 2.0;
        // Short, or within the label column however long (a wrapped label).
        let short = l.width() <= (x1 - x0) * 0.5 || in_label_column;
        let resumes = (k + 1..lines.len().min(k + 4))
            .take_while(|&m| {
                lines[m].top - lines[m - 1].bottom <= max_gap(&lines[m - 1], &lines[m])
            })
            .take_while(|&m| !is_title_or_meta(&lines[m]) && !is_prose(&lines[m], x1 - x0))
            .any(|m| is_multi(&lines[m]));
        if inside && short && resumes {
            k += 1;
            continue;
        }
        break;
    }
    (i, end)
}

/// Does `l` repeat the header row `first` (the same text in its first cell, not a number)?
fn repeats_header(first: &SLine, l: &SLine) -> bool {
    let (Some(a), Some(b)) = (first.chunks.first(), l.chunks.first()) else {
        return false;
    };
    let k = crate::text::compact(&a.text);
    !k.is_empty()
        && !is_number(&a.text)
        && k == crate::text::compact(&b.text)
        && first.chunks.len() >= 2
        && !is_data(first)
}

/// The first line of the table whose body starts at `start`: header lines above it.
fn header_start(lines: &[SLine], start: usize, end: usize, taken: usize) -> usize {
    let x0 = (start..=end).map(|k| lines[k].x0).fold(f32::MAX, f32::min);
    let x1 = (start..=end).map(|k| lines[k].x1).fold(f32::MIN, f32::max);
    let mut h = start;
    while h > taken && start - h < 6 {
        let l = &lines[h - 1];
        let below = &lines[h];
        // A header may stand a little apart from its body (a rule between them).
        if below.top - l.bottom > max_gap(l, below) * 1.5 {
            break;
        }
        if is_title_or_meta(l)
            || is_prose(l, x1 - x0)
            || l.chunks.len() == 1 && is_sentence(&l.text())
        {
            break;
        }
        let margin = l.size * 2.0;
        if l.x0 < x0 - margin || l.x1 > x1 + margin {
            break;
        }
        // A one-chunk line centred over the whole table is its title.
        if l.chunks.len() == 1 {
            let c = (l.x0 + l.x1) / 2.0;
            let centre = (x0 + x1) / 2.0;
            if (c - centre).abs() < (x1 - x0) * 0.05 && l.width() > (x1 - x0) * 0.3 {
                break;
            }
        }
        h -= 1;
    }
    h
}

/// Column separators: strips of white space through the body, as (from, to).
fn separators(lines: &[SLine], body: &[usize]) -> Vec<(f32, f32)> {
    let x0 = body.iter().map(|&k| lines[k].x0).fold(f32::MAX, f32::min);
    let x1 = body.iter().map(|&k| lines[k].x1).fold(f32::MIN, f32::max);
    if x1 <= x0 {
        return Vec::new();
    }
    const STEP: f32 = 0.5;
    let n = ((x1 - x0) / STEP).ceil() as usize + 1;
    if n > 20_000 {
        return Vec::new();
    }
    let mut cover = vec![0usize; n];
    let bin = |x: f32| (((x - x0) / STEP).floor().max(0.0) as usize).min(n - 1);
    // Words, not chunks: columns may be set closer than a chunk gap (`345 15.5`); a strip
    // must then be wider than a word space to be a separator.
    for &k in body {
        for c in &lines[k].words {
            for b in &mut cover[bin(c.x0)..=bin(c.x1)] {
                *b += 1;
            }
        }
    }
    let mut sizes: Vec<f32> = body.iter().map(|&k| lines[k].size).collect();
    sizes.sort_by(|a, b| a.total_cmp(b));
    let em = sizes.get(sizes.len() / 2).copied().unwrap_or(10.0);
    let min_width = (em * 0.5).max(2.0);
    // A few cells may span a separator (long section labels, a total's label).
    let tolerance = body.len() / 8;
    let mut seps = Vec::new();
    let mut b = 0;
    while b < n {
        if cover[b] > tolerance {
            b += 1;
            continue;
        }
        let s = b;
        while b < n && cover[b] <= tolerance {
            b += 1;
        }
        let (from, to) = (x0 + s as f32 * STEP, x0 + b as f32 * STEP);
        if s == 0 || b >= n || to - from < min_width {
            continue;
        }
        // A real column break: text on both sides of it in at least two lines.
        let both = body
            .iter()
            .filter(|&&k| {
                let l = &lines[k];
                l.words.iter().any(|c| c.x1 <= from + STEP)
                    && l.words.iter().any(|c| c.x0 >= to - STEP)
            })
            .count();
        if both >= 2.min(body.len().div_ceil(2)) {
            seps.push((from, to));
        }
    }
    seps
}

/// A chunk cut at the word gaps that fall inside a separator (in a header line, only at a
/// gap that holds the separator's middle: a heading's words may sit over a separator).
fn cut_at_separators(line: &SLine, chunk: &Chunk, seps: &[(f32, f32)], header: bool) -> Vec<Chunk> {
    let words: Vec<&Chunk> = line
        .words
        .iter()
        .filter(|w| w.x0 >= chunk.x0 - 0.5 && w.x1 <= chunk.x1 + 0.5)
        .collect();
    if words.len() < 2 {
        return vec![chunk.clone()];
    }
    let mut out: Vec<Vec<&Chunk>> = vec![vec![words[0]]];
    for w in words.windows(2) {
        let (a, b) = (w[0], w[1]);
        let cut = seps.iter().any(|&(s0, s1)| {
            if header {
                let mid = (s0 + s1) / 2.0;
                a.x1 <= mid && b.x0 >= mid
            } else {
                a.x1 <= s1 + 0.5 && b.x0 >= s0 - 0.5 && a.x1 < s1 && b.x0 > s0
            }
        });
        if cut {
            out.push(vec![b]);
        } else if let Some(last) = out.last_mut() {
            last.push(b);
        }
    }
    out.into_iter()
        .map(|ws| Chunk {
            x0: ws[0].x0,
            x1: ws[ws.len() - 1].x1,
            text: normalize_cell(
                &ws.iter()
                    .map(|w| w.text.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
        })
        .collect()
}

/// The grid of the lines `head..=end` whose body starts at `start`, if it is a table.
fn build(
    lines: &[SLine],
    head: usize,
    start: usize,
    end: usize,
    hrules: &[(f32, f32, f32)],
) -> Option<StreamTable> {
    let body: Vec<usize> = (start..=end).collect();
    let seps = separators(lines, &body);
    if seps.is_empty() {
        return None;
    }
    let x0 = (head..=end).map(|k| lines[k].x0).fold(f32::MAX, f32::min);
    let x1 = (head..=end).map(|k| lines[k].x1).fold(f32::MIN, f32::max);
    // Column k spans from the end of separator k-1 to the start of separator k.
    let ncols = seps.len() + 1;
    let col_of = |x: f32| seps.iter().filter(|s| x > (s.0 + s.1) / 2.0).count();
    let centres: Vec<f32> = (0..ncols)
        .map(|j| {
            let a = if j == 0 { x0 } else { seps[j - 1].1 };
            let b = if j == seps.len() { x1 } else { seps[j].0 };
            (a + b) / 2.0
        })
        .collect();
    let (mut rows, mut merges) = header_rows(lines, head, start, &seps, &centres, &col_of);
    let header_len = rows.len();
    let (mut multi_cells, mut long_text, mut cells_total) = (0, 0, 0);
    // Body: one row per line; each cell as the chunk falls, cut at separators.
    let mut body_lines: Vec<(usize, Vec<String>)> = Vec::new();
    for (k, l) in lines.iter().enumerate().take(end + 1).skip(start) {
        let mut row = vec![String::new(); ncols];
        let mut filled = 0;
        for c in &l.chunks {
            for piece in cut_at_separators(l, c, &seps, false) {
                let (a, b) = (col_of(piece.x0 + 0.5), col_of(piece.x1 - 0.5));
                put(&mut row, a, &piece.text);
                filled += 1;
                cells_total += 1;
                if is_sentence(&piece.text) {
                    long_text += 1;
                }
                if b > a {
                    merges.push(Merge {
                        row: header_len + body_lines.len(),
                        col: a,
                        row_span: 1,
                        col_span: b - a + 1,
                    });
                }
            }
        }
        if filled >= 2 {
            multi_cells += 1;
        }
        body_lines.push((k, row));
    }
    if multi_cells < 2 || cells_total < 4 || long_text * 2 > cells_total {
        return None;
    }
    let body_rows = rows_by_rules(lines, body_lines, hrules, x0, x1, &merges, header_len);
    rows.extend(body_rows);
    join_centred_labels(&mut rows, &mut merges, header_len);
    join_wrapped_labels(&mut rows, &mut merges, header_len);
    let mut grid = Grid::new(rows);
    grid.merges = merges;
    Some(StreamTable {
        first: head,
        last: end,
        grid,
        bbox: [x0, lines[head].top, x1, lines[end].bottom],
    })
}

/// Body rows, one per line, unless horizontal rules cross the table between its rows: when
/// every band between two rules holds at most one line with several cells, each band is
/// one row (its other lines are wrapped cells).
fn rows_by_rules(
    lines: &[SLine],
    body_lines: Vec<(usize, Vec<String>)>,
    hrules: &[(f32, f32, f32)],
    x0: f32,
    x1: f32,
    merges: &[Merge],
    header_len: usize,
) -> Vec<Vec<String>> {
    let rows = || body_lines.iter().map(|(_, r)| r.clone()).collect();
    let (Some(first), Some(last)) = (body_lines.first(), body_lines.last()) else {
        return rows();
    };
    let (top, bottom) = (lines[first.0].top, lines[last.0].bottom);
    let mut ys: Vec<f32> = hrules
        .iter()
        .filter(|(y, a, b)| *y > top && *y < bottom && b - a >= (x1 - x0) * 0.5)
        .map(|(y, _, _)| *y)
        .collect();
    ys.sort_by(|a, b| a.total_cmp(b));
    ys.dedup_by(|a, b| (*a - *b).abs() < 2.0);
    if ys.is_empty() || merges.iter().any(|m| m.row >= header_len) {
        return rows();
    }
    let band = |k: usize| {
        let y = (lines[k].top + lines[k].bottom) / 2.0;
        ys.partition_point(|&r| r < y)
    };
    let mut groups: Vec<(usize, Vec<&Vec<String>>)> = Vec::new();
    for (k, row) in &body_lines {
        let b = band(*k);
        match groups.last_mut() {
            Some((g, rs)) if *g == b => rs.push(row),
            _ => groups.push((b, vec![row])),
        }
    }
    let multi = |r: &Vec<String>| r.iter().filter(|c| !c.is_empty()).count() >= 2;
    if groups.len() == body_lines.len()
        || groups
            .iter()
            .any(|(_, rs)| rs.iter().filter(|r| multi(r)).count() > 1)
    {
        return rows();
    }
    groups
        .into_iter()
        .map(|(_, rs)| {
            let w = rs[0].len();
            (0..w)
                .map(|c| {
                    let parts: Vec<String> = rs
                        .iter()
                        .map(|r| r[c].clone())
                        .filter(|t| !t.is_empty())
                        .collect();
                    join_cell_lines(&parts)
                })
                .collect()
        })
        .collect()
}

/// Add `t` to a cell: CJK text wrapped over lines joins without a space.
fn put(row: &mut [String], c: usize, t: &str) {
    if row[c].is_empty() {
        row[c] = t.to_string();
    } else {
        row[c] = join_cell_lines(&[row[c].clone(), t.to_string()]);
    }
}

/// The header rows of lines `head..start`. A chunk covers the columns whose centres lie
/// within its own extent or up to the midpoints with its neighbours on the line (the
/// outer side mirrors the inner one). A chunk covering several columns is a heading over
/// them: a merged cell in a row of its own level (in line order). The chunks within one
/// column are the lines of one wrapped cell (`本年收入合` over `计`, `Margin of` over
/// `error`): stacked into one cell of the last header row.
fn header_rows(
    lines: &[SLine],
    head: usize,
    start: usize,
    seps: &[(f32, f32)],
    centres: &[f32],
    col_of: &dyn Fn(f32) -> usize,
) -> (Vec<Vec<String>>, Vec<Merge>) {
    let ncols = centres.len();
    let mut span_rows: Vec<Vec<String>> = Vec::new();
    let mut merges: Vec<Merge> = Vec::new();
    let mut stacked = vec![String::new(); ncols];
    // The columns each header line has text in (by chunk centre), to keep a heading from
    // reaching over a column whose own heading sits beside it (the same row band).
    let own: Vec<(f32, f32, Vec<usize>)> = lines[head..start]
        .iter()
        .map(|l| {
            let cols = header_pieces(l, seps)
                .iter()
                .map(|c| col_of((c.x0 + c.x1) / 2.0))
                .collect();
            ((l.top + l.bottom) / 2.0, l.size, cols)
        })
        .collect();
    let mut placed: Vec<(f32, f32, usize)> = Vec::new();
    for (li, l) in lines[head..start].iter().enumerate() {
        let cs = header_pieces(l, seps);
        let (my_y, my_size, _) = own[li];
        let beside = |j: usize| {
            own.iter().enumerate().any(|(m, (y, size, cols))| {
                m != li && (y - my_y).abs() < my_size.max(*size) * 0.9 && cols.contains(&j)
            })
        };
        let cx: Vec<f32> = cs.iter().map(|c| (c.x0 + c.x1) / 2.0).collect();
        let mut row = vec![String::new(); ncols];
        let mut spans: Vec<(usize, usize)> = Vec::new();
        for (n, c) in cs.iter().enumerate() {
            let left = (n > 0).then(|| (cx[n - 1] + cx[n]) / 2.0);
            let right = (n + 1 < cs.len()).then(|| (cx[n] + cx[n + 1]) / 2.0);
            let reach = match (left, right) {
                (Some(a), Some(b)) => (cx[n] - a).min(b - cx[n]),
                (Some(a), None) => cx[n] - a,
                (None, Some(b)) => b - cx[n],
                (None, None) => 0.0,
            };
            let lo = left.unwrap_or(cx[n] - reach).min(c.x0);
            let hi = right.unwrap_or(cx[n] + reach).max(c.x1);
            let home = col_of(cx[n]);
            let reaches = |j: usize| (lo..=hi).contains(&centres[j]) && (j == home || !beside(j));
            // The contiguous columns it reaches around its own.
            let mut from = home;
            while from > 0 && reaches(from - 1) {
                from -= 1;
            }
            let mut to = home;
            while to + 1 < ncols && reaches(to + 1) {
                to += 1;
            }
            let covered: Vec<usize> = (from..=to).collect();
            let aligned_with = placed.iter().any(|(x0, x1, _)| {
                (x0 - c.x0).abs() <= 1.0 || ((x0 + x1) / 2.0 - cx[n]).abs() <= 1.0
            });
            if covered.len() > 1 && !aligned_with {
                put(&mut row, covered[0], &c.text);
                spans.push((covered[0], covered.len()));
            } else {
                // A wrapped heading's next line starts (or centres) where its first line
                // does: the same column, whatever the separator says (headings set
                // left-aligned over right-aligned amounts).
                let col = placed
                    .iter()
                    .find(|(x0, x1, _)| {
                        (x0 - c.x0).abs() <= 1.0 || ((x0 + x1) / 2.0 - cx[n]).abs() <= 1.0
                    })
                    .map(|p| p.2)
                    .unwrap_or_else(|| covered.first().copied().unwrap_or_else(|| col_of(cx[n])));
                put(&mut stacked, col, &c.text);
                placed.push((c.x0, c.x1, col));
            }
        }
        if !spans.is_empty() {
            let r = span_rows.len();
            for (col, span) in spans {
                merges.push(Merge {
                    row: r,
                    col,
                    row_span: 1,
                    col_span: span,
                });
            }
            span_rows.push(row);
        }
    }
    if stacked.iter().any(|c| !c.is_empty()) {
        span_rows.push(stacked);
    }
    (span_rows, merges)
}

/// A header line cut into pieces: at gaps wider than a chunk gap, and at any gap between
/// glyphs that holds a separator's middle (narrow columns set close together). A piece
/// whose glyphs run across a separator without a gap is one heading over those columns.
fn header_pieces(l: &SLine, seps: &[(f32, f32)]) -> Vec<Chunk> {
    let mut out = Vec::new();
    let mut cur: Vec<PGlyph> = Vec::new();
    for g in &l.glyphs {
        if let Some(p) = cur.last() {
            let gap = g.x0 - p.x1;
            let em = p.size.max(g.size);
            // A gap holding a separator's middle, or a gap wider than a word space that
            // overlaps a separator strip (headings set at their column's left edge).
            let gap_has_sep = seps.iter().any(|&(s0, s1)| {
                let mid = (s0 + s1) / 2.0;
                (p.x1 <= mid && g.x0 >= mid && gap > 0.0)
                    || (gap >= em * 0.5 && p.x1 < s1 && g.x0 > s0)
            });
            if gap > em * 1.2 || gap_has_sep {
                out.push(make_chunk(&cur));
                cur.clear();
            }
        }
        cur.push(g.clone());
    }
    if !cur.is_empty() {
        out.push(make_chunk(&cur));
    }
    out
}

/// Labels wrapped around a vertically centred row (`其他政府办公厅（室）及相关机构事务支` above
/// `2010399 | | 127.70 …`, `出` below): when the rows just above and just below print
/// only text, in cells the row leaves empty, they are that row's cells (above before it,
/// below after it).
fn join_centred_labels(rows: &mut Vec<Vec<String>>, merges: &mut [Merge], body_from: usize) {
    let has_values = |r: &[String]| r.iter().any(|c| is_number(c));
    let label_only = |r: &[String]| !has_values(r) && r.iter().any(|c| !c.is_empty());
    let fits = |other: &[String], row: &[String]| {
        other
            .iter()
            .zip(row)
            .all(|(o, c)| o.is_empty() || c.is_empty())
    };
    let mut r = body_from + 1;
    while r + 1 < rows.len() {
        let joinable = has_values(&rows[r])
            && label_only(&rows[r - 1])
            && label_only(&rows[r + 1])
            && fits(&rows[r - 1], &rows[r])
            && fits(&rows[r + 1], &rows[r])
            && !merges.iter().any(|m| (r - 1..=r + 1).contains(&m.row));
        if !joinable {
            r += 1;
            continue;
        }
        let (up, down) = (rows[r - 1].clone(), rows[r + 1].clone());
        for c in 0..rows[r].len() {
            let parts: Vec<String> = [&up[c], &rows[r][c], &down[c]]
                .into_iter()
                .filter(|t| !t.is_empty())
                .cloned()
                .collect();
            if !parts.is_empty() {
                rows[r][c] = join_cell_lines(&parts);
            }
        }
        rows.remove(r + 1);
        rows.remove(r - 1);
        for m in merges.iter_mut() {
            if m.row > r + 1 {
                m.row -= 2;
            }
        }
    }
}

/// Running text rather than a cell: long, with several words (or a long CJK phrase with
/// sentence punctuation).
fn is_sentence(t: &str) -> bool {
    let chars = t.chars().count();
    let words = t.split_whitespace().count();
    chars > 25 && words >= 5 || chars > 60 || chars > 20 && t.contains(['，', '。', '；'])
}

/// A body row holding only a label that continues on the next row (`American Indian/`,
/// a label ending in `and`, or a next label starting in lower case) is joined to it.
fn join_wrapped_labels(rows: &mut Vec<Vec<String>>, merges: &mut [Merge], body_from: usize) {
    let mut r = body_from;
    while r + 1 < rows.len() {
        let only_label = !rows[r][0].is_empty() && rows[r][1..].iter().all(|c| c.is_empty());
        let next_has_values = rows[r + 1][1..].iter().any(|c| !c.is_empty());
        let label = rows[r][0].trim_end().to_string();
        let next = rows[r + 1][0].clone();
        let continues = label.ends_with(['/', '-', ',', '(', '&'])
            || ["and", "of", "or", "the", "for", "in", "to", "with"]
                .iter()
                .any(|w| label.ends_with(&format!(" {w}")))
            || next.chars().next().is_some_and(|c| c.is_lowercase());
        let merged_here = merges.iter().any(|m| m.row == r || m.row == r + 1);
        if only_label && next_has_values && continues && !merged_here && !next.is_empty() {
            let sep = if label.ends_with(['/', '-']) { "" } else { " " };
            rows[r + 1][0] = format!("{label}{sep}{next}");
            rows.remove(r);
            for m in merges.iter_mut() {
                if m.row > r {
                    m.row -= 1;
                }
            }
            continue;
        }
        r += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A line of cells: (x0, text) at 5pt per character (10pt type), at height `y`.
    fn line(y: f32, cells: &[(f32, &str)]) -> SLine {
        let mut glyphs = Vec::new();
        for (x, t) in cells {
            let mut x = *x;
            for ch in t.chars() {
                if ch != ' ' {
                    glyphs.push(PGlyph {
                        text: ch.to_string(),
                        x0: x,
                        x1: x + 5.0,
                        y: y + 8.0,
                        size: 10.0,
                        run: 0,
                        space_before: false,
                    });
                }
                x += 5.0;
            }
        }
        SLine::from_glyphs(&glyphs)
    }

    #[test]
    fn section_rows_and_header_stay_in_the_table() {
        let lines = vec![
            line(0.0, &[(100.0, "Table 1. Housing by characteristic")]),
            line(14.0, &[(200.0, "2007"), (300.0, "2009")]),
            line(
                28.0,
                &[
                    (40.0, "Characteristic"),
                    (180.0, "no."),
                    (230.0, "(%)"),
                    (280.0, "no."),
                    (330.0, "(%)"),
                ],
            ),
            line(42.0, &[(40.0, "Sex")]),
            line(
                56.0,
                &[
                    (40.0, "Male"),
                    (180.0, "2,862"),
                    (230.0, "(4.7)"),
                    (280.0, "2,962"),
                    (330.0, "(4.9)"),
                ],
            ),
            line(
                70.0,
                &[
                    (40.0, "Female"),
                    (180.0, "2,909"),
                    (230.0, "(5.9)"),
                    (280.0, "2,795"),
                    (330.0, "(5.5)"),
                ],
            ),
            line(84.0, &[(40.0, "Race/Ethnicity")]),
            line(
                98.0,
                &[
                    (40.0, "Hispanic"),
                    (180.0, "966"),
                    (230.0, "(7.7)"),
                    (280.0, "991"),
                    (330.0, "(7.8)"),
                ],
            ),
            line(112.0, &[(40.0, "American Indian/")]),
            line(
                126.0,
                &[
                    (40.0, "Alaska Native"),
                    (180.0, "51"),
                    (230.0, "(7.2)"),
                    (280.0, "55"),
                    (330.0, "(7.5)"),
                ],
            ),
        ];
        let t = stream_tables(&lines, &[]);
        assert_eq!(t.len(), 1);
        let t = &t[0];
        assert_eq!((t.first, t.last), (1, 9));
        let g = &t.grid;
        assert_eq!(g.rows[1], ["Characteristic", "no.", "(%)", "no.", "(%)"]);
        assert_eq!(g.rows[2][0], "Sex");
        assert_eq!(
            g.rows[7],
            [
                "American Indian/Alaska Native",
                "51",
                "(7.2)",
                "55",
                "(7.5)"
            ]
        );
        assert_eq!(g.height(), 8);
    }

    #[test]
    fn prose_in_two_columns_is_no_table() {
        let lines: Vec<SLine> = (0..6)
            .map(|k| {
                line(
                    k as f32 * 14.0,
                    &[
                        (40.0, "the committee considered the proposal in"),
                        (300.0, "detail and adopted the amended text after"),
                    ],
                )
            })
            .collect();
        assert!(stream_tables(&lines, &[]).is_empty());
    }
}
