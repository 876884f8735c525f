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

mod cells;
mod header;
mod rows;

use super::device::PGlyph;
use super::geometry::*;
use crate::grid::Grid;
pub(in crate::ingest::pdf) use cells::build;
use cells::is_sentence;
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
    /// Does the line name a table or carry its 单位 / 部门 / number (`is_title_or_meta`)?
    /// Worked out once: the table finder asks it of each line many times.
    pub(super) meta: bool,
    /// The median baseline of its glyphs (worked out once: row and header grouping
    /// compare it many times).
    pub(super) baseline: f32,
    /// The page the line is printed on (0 until the page is known).
    pub(super) page: u32,
    /// How far the line was moved down from where it is printed (`shift`).
    pub(super) moved: f32,
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
        let words = words(line);
        let chunks = chunks(line);
        let mut l = SLine {
            top,
            bottom,
            size,
            x0: chunks.first().map_or(0.0, |c| c.x0),
            x1: chunks.iter().map(|c| c.x1).fold(f32::MIN, f32::max),
            chunks,
            words,
            glyphs: line.to_vec(),
            meta: false,
            baseline: median_baseline(line, bottom),
            page: 0,
            moved: 0.0,
        };
        l.meta = is_title_or_meta(&l);
        l
    }

    /// The line as text: its chunks two spaces apart.
    pub(super) fn text(&self) -> String {
        self.chunks
            .iter()
            .map(|c| c.text.as_str())
            .collect::<Vec<_>>()
            .join("  ")
    }

    /// Move the line down by `dy` (up when negative).
    pub(super) fn shift(&mut self, dy: f32) {
        self.moved += dy;
        self.top += dy;
        self.bottom += dy;
        self.baseline += dy;
        for g in &mut self.glyphs {
            g.y += dy;
        }
    }

    /// Where the text between `x0` and `x1` on this line is printed.
    pub(super) fn place(&self, x0: f32, x1: f32) -> crate::grid::Place {
        crate::grid::Place {
            page: self.page,
            bbox: [x0, self.top - self.moved, x1, self.bottom - self.moved],
        }
    }

    fn width(&self) -> f32 {
        self.x1 - self.x0
    }
}

/// The median baseline of a line's glyphs (`bottom` for none).
fn median_baseline(line: &[PGlyph], bottom: f32) -> f32 {
    let mut ys: Vec<f32> = line.iter().map(|g| g.y).collect();
    ys.sort_by(|a, b| a.total_cmp(b));
    ys.get(ys.len() / 2).copied().unwrap_or(bottom)
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

/// The words of a line: its glyphs cut at gaps wider than 0.2 em or at a printed space.
fn words(line: &[PGlyph]) -> Vec<Chunk> {
    split_glyphs(line, |p, g| {
        let gap = g.x0 - p.x1;
        gap > p.size.max(g.size) * 0.2 || (g.space_before && gap > -0.5)
    })
}

/// An unruled table found on a page: the lines it spans and its grid.
#[derive(Debug, Clone)]
pub(super) struct StreamTable {
    pub(super) first: usize,
    /// The first body line (the lines from `first` up to it are the header).
    pub(super) data: usize,
    pub(super) last: usize,
    pub(super) grid: Grid,
    pub(super) bbox: [f32; 4],
    /// The column separators the grid was cut at (white strips, from..to).
    pub(super) seps: Vec<(f32, f32)>,
    /// The header lines' text, compacted (of the first part, for a continuation).
    pub(super) header_key: String,
    /// Does a body line print data (an amount)? A table cut off after its header at
    /// the foot of a page has none.
    pub(super) has_data: bool,
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
    l.chunks.len() >= 2 && !l.meta
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
    let numeric = k
        .chars()
        .all(|c| c.is_ascii_digit() || ",.%()（）-–—−+$€£¥/ ".contains(c));
    crate::text::looks_like_money(&k) || (numeric && !is_year(&k))
}

/// A bare year (`1998`, `2024`): four digits starting 19 or 20.
fn is_year(k: &str) -> bool {
    k.len() == 4
        && (k.starts_with("19") || k.starts_with("20"))
        && k.bytes().all(|b| b.is_ascii_digit())
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
            k.chars().any(|ch| ch.is_ascii_digit()) && !is_year(&k)
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
        // The first lines of a wrapped label just above the first data line (the body
        // continued from the page before starts mid-cell) are body, not header.
        let mut first_body = start;
        while data == first_body && first_body > taken && wraps_into(lines, first_body) {
            first_body -= 1;
            data = first_body;
        }
        let end = trailing_label_lines(lines, data, end);
        let mut head = header_start(lines, first_body, end, taken);
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
    // Left edges of the text cells after the first on the multi-chunk lines: a label
    // column inside the table (the 支出 side of a 收支总表).
    let inner_text = |l: &SLine| -> Vec<f32> {
        l.chunks
            .iter()
            .skip(1)
            .filter(|c| !is_number(&c.text))
            .map(|c| c.x0)
            .collect()
    };
    let mut inner_x: Vec<f32> = Vec::new();
    let add_inner = |xs: Vec<f32>, inner_x: &mut Vec<f32>| {
        for x in xs {
            if !inner_x.iter().any(|y| (y - x).abs() < 0.01) {
                inner_x.push(x);
            }
        }
    };
    add_inner(inner_text(&lines[i]), &mut inner_x);
    // Has a line of the run so far printed data?
    let mut seen_data = is_data(&lines[i]);
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
        if l.meta || (is_prose(l, x1 - x0) && !in_label_column) {
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
            add_inner(inner_text(l), &mut inner_x);
            seen_data |= is_data(l);
            k += 1;
            continue;
        }
        // A one-chunk line starting where the text cells of an inner column start is a
        // row that fills only that column (`十四、交通运输` under `十三、农林水事务`),
        // however many follow: it stays in the table.
        let in_inner_column = l.chunks.len() == 1
            && !is_number(&l.chunks[0].text)
            && l.x1 <= x1 + l.size * 2.0
            && inner_x.iter().any(|x| (l.x0 - x).abs() <= l.size * 0.5);
        if in_inner_column {
            end = k;
            seen_data |= is_data(l);
            k += 1;
            continue;
        }
        // A one-chunk line: kept when it is short, inside the table, and a multi-chunk
        // line follows within a few lines.
        // Inside the table, or in its label column (which may start left of the first
        // row: a total row printing only amounts).
        // Above the first row of data (among the headings) a line may reach past the
        // headings so far: the next level heads columns further right.
        let inside =
            l.x0 >= x0 - l.size * 2.0 && l.x1 <= x1 + l.size * 2.0 || in_label_column || !seen_data;
        // Short, or within the label column however long (a wrapped label).
        let short = l.width() <= (x1 - x0) * 0.5 || in_label_column;
        // A label wrapped in a narrow column runs over several lines.
        let reach = if in_label_column { 8 } else { 4 };
        let resumes = (k + 1..lines.len().min(k + reach))
            .take_while(|&m| {
                lines[m].top - lines[m - 1].bottom <= max_gap(&lines[m - 1], &lines[m])
            })
            .take_while(|&m| !lines[m].meta && !is_prose(&lines[m], x1 - x0))
            .any(|m| is_multi(&lines[m]));
        if inside && short && resumes {
            seen_data |= is_data(l);
            k += 1;
            continue;
        }
        break;
    }
    (i, end)
}

/// Is the one-chunk line above `k` the first line of a label wrapped in the cell whose
/// values `k` prints? It starts where a text cell of `k` (or of the line just below)
/// starts, and either `k` is vertically centred between it and a further line of that
/// cell below, or it sits closer above `k` than the next line of that column sits below.
fn wraps_into(lines: &[SLine], k: usize) -> bool {
    let (Some(above), d) = (k.checked_sub(1).map(|a| &lines[a]), &lines[k]) else {
        return false;
    };
    if above.chunks.len() != 1 || above.meta || is_number(&above.chunks[0].text) || !is_data(d) {
        return false;
    }
    // Only at the head of a page's text (a body continued from the page before); higher
    // up the page such a line is a heading or a section row.
    let first_on_page =
        k == 1 || above.top - lines[k - 2].bottom > max_gap(&lines[k - 2], above) * 2.0;
    if !first_on_page {
        return false;
    }
    let tol = above.size;
    // In the label column: left of the first amount of `k`.
    let values_from = d
        .words
        .iter()
        .find(|w| is_number(&w.text) && w.x0 > d.x0)
        .map_or(f32::MAX, |w| w.x0);
    if above.x1 > values_from + tol * 0.5 {
        return false;
    }
    let starts_at = |l: &SLine| {
        l.chunks
            .iter()
            .any(|c| !is_number(&c.text) && (c.x0 - above.x0).abs() <= tol)
    };
    let pitch = |a: &SLine, b: &SLine| b.baseline - a.baseline;
    let in_column_below = lines[k + 1..]
        .iter()
        .take(3)
        .find(|l| l.chunks.iter().any(|c| (c.x0 - above.x0).abs() <= tol));
    if starts_at(d) {
        // Bottom- or top-aligned: the label's next line carries the values.
        let p = pitch(above, d);
        return p <= above.size * 2.0 && in_column_below.is_some_and(|b| p < pitch(d, b) * 0.95);
    }
    // Vertically centred: the values between two lines of the label.
    in_column_below.is_some_and(|b| {
        b.chunks.len() == 1
            && starts_at(b)
            && pitch(above, b) <= above.size * 2.0
            && d.baseline > above.baseline
            && d.baseline < b.baseline
    })
}

/// The body's last line, extended over the last lines of a label wrapped below the last
/// data line (one-chunk lines in the label column, set as closely as lines of one cell).
fn trailing_label_lines(lines: &[SLine], start: usize, end: usize) -> usize {
    // Closer than the rows of data are to each other (a note below the table is not).
    let data: Vec<f32> = (start..=end)
        .filter(|&k| is_data(&lines[k]))
        .map(|k| lines[k].baseline)
        .collect();
    let mut pitches: Vec<f32> = data.windows(2).map(|w| w[1] - w[0]).collect();
    pitches.sort_by(|a, b| a.total_cmp(b));
    let Some(&row_pitch) = pitches.get(pitches.len() / 2) else {
        return end;
    };
    let mut e = end;
    let label_x: Vec<f32> = lines[end]
        .words
        .iter()
        .filter(|c| !is_number(&c.text))
        .map(|c| c.x0)
        .collect();
    while e + 1 < lines.len() && e < end + 3 {
        let (p, l) = (&lines[e], &lines[e + 1]);
        let pitch = l.baseline - p.baseline;
        // Set in the body's type (a footnote is smaller) and closer than its rows.
        let same_type = (l.size - lines[end].size).abs() <= lines[end].size * 0.1;
        let close = pitch <= l.size * 2.0 && pitch < row_pitch * 0.8 && same_type;
        let in_label = l.chunks.len() == 1
            && label_x.iter().any(|x| (l.x0 - x).abs() <= l.size)
            && !is_number(&l.chunks[0].text);
        if !close || !in_label || l.meta || is_prose(l, lines[end].width()) {
            break;
        }
        e += 1;
    }
    // Only where the table ends: when rows go on below, the lines are the body's own.
    let goes_on = lines.get(e + 1).is_some_and(|n| {
        is_multi(n) && n.top - lines[e].bottom <= max_gap(&lines[e], n) && !n.meta
    });
    if goes_on {
        end
    } else {
        e
    }
}

/// Does `l` repeat the header row `first` (the same text in its first cell, at the same
/// place, not a number)?
fn repeats_header(first: &SLine, l: &SLine) -> bool {
    let (Some(a), Some(b)) = (first.chunks.first(), l.chunks.first()) else {
        return false;
    };
    let k = crate::text::compact(&a.text);
    !k.is_empty()
        && !is_number(&a.text)
        && k == crate::text::compact(&b.text)
        && (a.x0 - b.x0).abs() <= first.size.max(l.size)
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
        // The wrapped end of a 部门 / 单位 line just above is no heading either.
        let meta_wrap = l.chunks.len() == 1
            && lines[h.saturating_sub(3)..h - 1].iter().any(|m| {
                m.meta
                    && (m.x0 - l.x0).abs() <= l.size * 0.5
                    && l.baseline - m.baseline <= l.size * 1.6
            });
        // A line printing amounts is a row of data (of the table above), never a heading.
        if meta_wrap
            || l.meta
            || is_prose(l, x1 - x0)
            || l.chunks.len() == 1 && is_sentence(&l.text())
            || is_data(l)
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
                        text: ch.to_string().into(),
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
