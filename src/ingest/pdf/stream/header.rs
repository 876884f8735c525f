//! The header of an unruled table: columns the body leaves empty, found from their
//! headings, and the heading cells placed by level (their vertical position) and column.

use super::super::geometry::*;
use super::SLine;
use crate::grid::Merge;

/// Add `t` to a cell: CJK text wrapped over lines joins without a space.
pub(super) fn put(row: &mut [String], c: usize, t: &str) {
    if row[c].is_empty() {
        row[c] = t.to_string();
    } else {
        row[c] = join_cell_lines(&[row[c].clone(), t.to_string()]);
    }
}

/// The column `x` falls in: the number of separators whose middle lies left of it.
pub(super) fn column_of(seps: &[(f32, f32)], x: f32) -> usize {
    seps.iter().filter(|s| x > (s.0 + s.1) / 2.0).count()
}

/// The separators with the columns that print nothing in the body added: header words
/// standing wholly inside a separator strip (or beyond the body's right or left edge),
/// clear of both neighbouring columns, head a column of their own. Not so a heading over
/// several such words (`上年结转结余` over its empty parts), a word that starts or ends
/// where a heading over a body column does (a line of that heading), nor the words
/// nearest a body column that no heading covers (its own heading, set left-aligned over
/// right-aligned amounts or codes). Beyond the body's edges a column needs a heading on
/// the header's lowest level.
pub(super) fn with_empty_columns(
    lines: &[SLine],
    head: usize,
    body: &[usize],
    seps: &[(f32, f32)],
) -> Vec<(f32, f32)> {
    let start = body[0];
    if head >= start {
        return seps.to_vec();
    }
    let body_x = (
        body.iter().map(|&k| lines[k].x0).fold(f32::MAX, f32::min),
        body.iter().map(|&k| lines[k].x1).fold(f32::MIN, f32::max),
    );
    // Header words: (x0, x1, em, bottom).
    let words: Vec<(f32, f32, f32, f32)> = lines[head..start]
        .iter()
        .flat_map(|l| l.words.iter().map(move |w| (w.x0, w.x1, l.size, l.bottom)))
        .collect();
    // The phrase each word belongs to: words of one line less than half an em apart, one
    // heading set with wide letter spacing (`对个人 和家庭 的`, a cell's text spread to
    // fill it).
    let phrase_of: Vec<usize> = {
        let mut ids = Vec::with_capacity(words.len());
        let mut id = 0;
        for l in &lines[head..start] {
            for (k, w) in l.words.iter().enumerate() {
                if k == 0 || w.x0 - l.words[k - 1].x1 >= l.size * 0.5 {
                    id += 1;
                }
                ids.push(id);
            }
        }
        ids
    };
    let header_bottom = lines[start - 1].bottom;
    let header_top = lines[head].top;
    // The body text's extent in each column.
    let mut extent = vec![(f32::MAX, f32::MIN); seps.len() + 1];
    for &k in body {
        for w in &lines[k].words {
            let e = &mut extent[column_of(seps, (w.x0 + w.x1) / 2.0)];
            *e = (e.0.min(w.x0), e.1.max(w.x1));
        }
    }
    let headed: Vec<bool> = extent
        .iter()
        .map(|&(a, b)| words.iter().any(|w| w.0 < b && w.1 > a))
        .collect();
    // A word over two words that do not overlap each other is a heading over columns.
    let spanning: Vec<bool> = words
        .iter()
        .map(|w| {
            let under: Vec<&(f32, f32, f32, f32)> = words
                .iter()
                .filter(|v| v.0 >= w.0 - 0.5 && v.1 <= w.1 + 0.5 && (v.1 - v.0) < (w.1 - w.0) - 0.5)
                .collect();
            under
                .iter()
                .any(|a| under.iter().any(|b| b.0 > a.1 || a.0 > b.1))
        })
        .collect();
    let in_strip = |w: &(f32, f32, f32, f32), s0: f32, s1: f32| {
        let clear = w.2 * 0.3;
        w.0 > s0 + clear && w.1 < s1 - clear
    };
    // The strips: the margin left of the body, the separators, the margin right of it.
    let mut strips: Vec<(f32, f32)> = vec![(f32::MIN, body_x.0)];
    strips.extend(seps.iter().copied());
    strips.push((body_x.1, f32::MAX));
    let over: Vec<bool> = words
        .iter()
        .map(|w| !strips.iter().any(|&(a, b)| in_strip(w, a, b)))
        .collect();
    // Each phrase's extent, and whether one of its words stands over a body column.
    let phrases = phrase_of.last().map_or(0, |&p| p + 1);
    let mut phrase_ext = vec![(f32::MAX, f32::MIN); phrases];
    let mut phrase_heads = vec![false; phrases];
    for (i, w) in words.iter().enumerate() {
        let e = &mut phrase_ext[phrase_of[i]];
        *e = (e.0.min(w.0), e.1.max(w.1));
        phrase_heads[phrase_of[i]] |= over[i];
    }
    // The headings over body columns: each word standing over one, widened to its
    // phrase, with the word's index (its centre says which column it heads).
    let over_columns: Vec<((f32, f32), usize)> = (0..words.len())
        .filter(|&i| over[i])
        .map(|i| (phrase_ext[phrase_of[i]], i))
        .collect();
    // A word in a strip whose phrase also heads a body column is part of that heading.
    let glued = |i: usize| phrase_heads[phrase_of[i]];
    // The heading over a body column that `w` starts or ends with (a line of it).
    let partner = |i: usize| {
        let w = &words[i];
        over_columns
            .iter()
            .filter(|&&(_, j)| phrase_of[j] != phrase_of[i])
            .find(|(v, _)| (v.0 - w.0).abs() <= 1.0 || (v.1 - w.1).abs() <= 1.0)
            .map(|&(_, j)| &words[j])
    };
    let aligned = |i: usize| partner(i).is_some();
    let mut out: Vec<(f32, f32)> = Vec::new();
    let last = strips.len() - 1;
    for (k, &(s0, s1)) in strips.iter().enumerate() {
        let margin = k == 0 || k == last;
        // Beyond the body, a heading on the header's lower half, or on a line that also
        // heads a body column (a row of headings over a tall header), makes a column.
        let lowest = |w: &(f32, f32, f32, f32)| {
            !margin
                || w.3 >= header_top + (header_bottom - header_top) * 0.5
                || over_columns
                    .iter()
                    .any(|&(_, i)| (words[i].3 - w.3).abs() < 0.3 * w.2 && !spanning[i])
        };
        let picked: Vec<usize> = (0..words.len())
            .filter(|&i| {
                let w = &words[i];
                in_strip(w, s0, s1) && !spanning[i] && !aligned(i) && !glued(i)
            })
            .collect();
        // The words of one phrase are one heading: each stands for their whole extent.
        let mut inside: Vec<(f32, f32, bool)> = picked
            .iter()
            .map(|&i| {
                let (x0, x1) = picked
                    .iter()
                    .filter(|&&j| phrase_of[j] == phrase_of[i])
                    .fold((words[i].0, words[i].1), |(a, b), &j| {
                        (a.min(words[j].0), b.max(words[j].1))
                    });
                (x0, x1, lowest(&words[i]))
            })
            .collect();
        inside.sort_by(|a, b| a.0.total_cmp(&b.0));
        // Overlapping words are one column (a heading's wrapped lines).
        let mut cols: Vec<(f32, f32, bool)> = Vec::new();
        for w in inside {
            match cols.last_mut() {
                Some(c) if w.0 <= c.1 => {
                    c.1 = c.1.max(w.1);
                    c.2 |= w.2;
                }
                _ => cols.push(w),
            }
        }
        // The words nearest an unheaded column are its heading: the strip narrows to
        // leave them in that column.
        let (mut s0, mut s1) = (s0, s1);
        if k > 0 && !headed[k - 1] && !cols.is_empty() {
            let c = cols.remove(0);
            s0 = s0.max(c.1 + 0.5);
        }
        if k < last && !headed[k] && !cols.is_empty() {
            let c = cols.pop().expect("a column");
            s1 = s1.min(c.0 - 0.5);
        }
        // A line of a heading over a body column, standing in the strip, belongs to that
        // heading's column: the strip narrows to leave it there.
        if !margin {
            let (t0, t1) = (s0, s1);
            for (i, w) in words.iter().enumerate() {
                if !in_strip(w, t0, t1) {
                    continue;
                }
                match partner(i).map(|v| column_of(seps, (v.0 + v.1) / 2.0)) {
                    Some(c) if c + 1 == k => s0 = s0.max(w.1 + 0.5),
                    Some(c) if c == k => s1 = s1.min(w.0 - 0.5),
                    _ => {}
                }
            }
        }
        cols.retain(|c| c.2);
        if cols.is_empty() {
            if !margin && s1 > s0 {
                out.push((s0, s1));
            }
            continue;
        }
        // The strip is cut into the gaps around those columns.
        let mut from = s0;
        for c in &cols {
            if from > f32::MIN {
                out.push((from, c.0));
            }
            from = c.1;
        }
        if k < last {
            out.push((from, s1));
        }
    }
    out.retain(|s| s.1 > s.0);
    out
}

/// Do two pieces of text line up: the same left edge, or the same centre (within a point)?
fn lined_up(a: (f32, f32), b: (f32, f32)) -> bool {
    (a.0 - b.0).abs() <= 1.0 || ((a.0 + a.1) - (b.0 + b.1)).abs() <= 2.0
}

/// A heading cell: the columns it covers, its lines' vertical extent and its text.
struct HCell {
    from: usize,
    to: usize,
    top: f32,
    bottom: f32,
    /// The baseline of its last line.
    last_base: f32,
    size: f32,
    text: String,
}

/// The header rows of lines `head..start`. A chunk covers the columns whose centres lie
/// within its own extent or up to the midpoints with its neighbours on the line (the
/// outer side mirrors the inner one): a chunk covering several columns is a heading over
/// them, a merged cell. The chunks of one column on consecutive lines at the line pitch
/// are the lines of one wrapped cell (`本年收入合` over `计`, `Margin of` over `error`).
/// Cells go into rows by level: cells whose middles (or tops, or bottoms, whichever
/// groups them into the fewest levels) lie at one height are one header row, so a group
/// heading stands above its parts and a heading wrapped over three lines beside one of
/// one line stays in their row.
pub(super) fn header_rows(
    lines: &[SLine],
    head: usize,
    start: usize,
    seps: &[(f32, f32)],
    bounds: &[(f32, f32)],
) -> (Vec<Vec<String>>, Vec<Merge>) {
    let col_of = |x: f32| column_of(seps, x);
    let ncols = bounds.len();
    let centres: Vec<f32> = bounds.iter().map(|(a, b)| (a + b) / 2.0).collect();
    // The columns each header line has text in (by chunk centre), to keep a heading from
    // reaching over a column whose own heading sits beside it (the same row band).
    let pieces: Vec<Vec<Chunk>> = lines[head..start]
        .iter()
        .map(|l| header_pieces(l, seps))
        .collect();
    let own: Vec<(f32, f32, Vec<usize>)> = lines[head..start]
        .iter()
        .zip(&pieces)
        .map(|(l, cs)| {
            let cols = cs.iter().map(|c| col_of((c.x0 + c.x1) / 2.0)).collect();
            ((l.top + l.bottom) / 2.0, l.size, cols)
        })
        .collect();
    let mut placed: Vec<(f32, f32, usize)> = Vec::new();
    let mut cells: Vec<HCell> = Vec::new();
    for (li, cs) in pieces.iter().enumerate() {
        let line = &lines[head + li];
        let (my_y, my_size, _) = own[li];
        let beside = |j: usize| {
            own.iter().enumerate().any(|(m, (y, size, cols))| {
                m != li && (y - my_y).abs() < my_size.max(*size) * 0.9 && cols.contains(&j)
            })
        };
        let cx: Vec<f32> = cs.iter().map(|c| (c.x0 + c.x1) / 2.0).collect();
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
            let span_of = |lo: f32, hi: f32| {
                let reaches =
                    |j: usize| (lo..=hi).contains(&centres[j]) && (j == home || !beside(j));
                // The contiguous columns it reaches around its own.
                let mut from = home;
                while from > 0 && reaches(from - 1) {
                    from -= 1;
                }
                let mut to = home;
                while to + 1 < ncols && reaches(to + 1) {
                    to += 1;
                }
                (from, to)
            };
            // A line of a wrapped heading (a line above or below starts or centres where
            // it does) is text in a narrow column: it covers what its glyphs cover.
            let wrapped = pieces.iter().enumerate().any(|(m, other)| {
                m != li
                    && (lines[head + m].baseline - line.baseline).abs() <= line.size * 1.45
                    && other.iter().any(|o| {
                        // A wrapped line is no wider than the one before it and a word.
                        let (upper, lower) = if m < li { (o, c) } else { (c, o) };
                        let fits = lower.x1 - lower.x0 <= upper.x1 - upper.x0 + line.size * 1.1;
                        lined_up((o.x0, o.x1), (c.x0, c.x1)) && fits
                    })
            });
            let (from, to) = if wrapped {
                span_of(c.x0, c.x1)
            } else {
                span_of(lo, hi)
            };
            // A heading over several columns is centred over them or starts or ends where
            // they do; one that stands inside its own column and is none of these heads
            // only that column (`总计` set over its amounts, next to a name column whose
            // heading is a level lower).
            let (from, to) = if to > from {
                let (a, b) = (bounds[from].0, bounds[to].1);
                let tol = line.size * 1.5;
                // Centred over the columns' cells: they reach to the middle of the white
                // between columns (a column of short amounts beside long labels is wider
                // than its text).
                let edge = |k: usize| (seps[k].0 + seps[k].1) / 2.0;
                let ca = if from == 0 { a } else { edge(from - 1) };
                let cb = if to < seps.len() { edge(to) } else { b };
                let centred = (cx[n] - (ca + cb) / 2.0).abs() <= tol.max((cb - ca) * 0.1);
                // Flush on the side it reaches to: its home column's own edge says nothing.
                let flush = (from < home && (c.x0 - a).abs() <= tol)
                    || (to > home && (c.x1 - b).abs() <= tol);
                let (h0, h1) = bounds[home];
                let inside_home = c.x0 >= h0 - line.size * 0.5 && c.x1 <= h1 + line.size * 0.5;
                if centred || flush || !inside_home {
                    (from, to)
                } else {
                    (home, home)
                }
            } else {
                (from, to)
            };
            let aligned = |p: &&(f32, f32, usize)| lined_up((p.0, p.1), (c.x0, c.x1));
            let (from, to) = if to > from && !placed.iter().any(|p| aligned(&p)) {
                (from, to)
            } else {
                // A wrapped heading's next line starts (or centres) where its first line
                // does: the same column, whatever the separator says (headings set
                // left-aligned over right-aligned amounts).
                let col = placed
                    .iter()
                    .find(aligned)
                    .map(|p| p.2)
                    .unwrap_or(if to > from { from } else { home });
                placed.push((c.x0, c.x1, col));
                (col, col)
            };
            cells.push(HCell {
                from,
                to,
                top: line.top,
                bottom: line.bottom,
                last_base: line.baseline,
                size: line.size,
                text: c.text.to_string(),
            });
        }
    }
    let cells = wrapped_cells(cells);
    levels_to_rows(cells, ncols)
}

/// Cells of the same columns on consecutive header lines, at the line pitch, are one
/// wrapped cell.
fn wrapped_cells(cells: Vec<HCell>) -> Vec<HCell> {
    let mut out: Vec<HCell> = Vec::new();
    for c in cells {
        let base = c.last_base;
        let prev = out
            .iter_mut()
            .rev()
            .find(|o| o.from <= c.to && c.from <= o.from.max(o.to));
        match prev {
            Some(o)
                if o.from == c.from
                    && o.to == c.to
                    && base - o.last_base <= c.size.max(o.size) * 1.45 =>
            {
                o.text = join_cell_lines(&[o.text.clone(), c.text]);
                o.bottom = c.bottom;
                o.last_base = base;
            }
            _ => out.push(c),
        }
    }
    out
}

/// Header rows from cells: one row per level of cells.
fn levels_to_rows(cells: Vec<HCell>, ncols: usize) -> (Vec<Vec<String>>, Vec<Merge>) {
    if cells.is_empty() {
        return (Vec::new(), Vec::new());
    }
    let mut sizes: Vec<f32> = cells.iter().map(|c| c.size).collect();
    sizes.sort_by(|a, b| a.total_cmp(b));
    let tol = sizes[sizes.len() / 2] * 0.6;
    // Level of each cell under an alignment: clusters of its reference heights.
    let levels = |key: &dyn Fn(&HCell) -> f32| -> (usize, Vec<usize>) {
        let mut ys: Vec<(f32, usize)> =
            cells.iter().enumerate().map(|(i, c)| (key(c), i)).collect();
        ys.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut level = vec![0; cells.len()];
        let mut n = 0;
        let mut prev = f32::MIN;
        for (y, i) in ys {
            if prev > f32::MIN && y - prev > tol {
                n += 1;
            }
            level[i] = n;
            prev = y;
        }
        (n + 1, level)
    };
    let by_middle = levels(&|c: &HCell| (c.top + c.bottom) / 2.0);
    let by_top = levels(&|c: &HCell| c.top);
    let by_bottom = levels(&|c: &HCell| c.bottom);
    let (n, level) = [by_middle, by_top, by_bottom]
        .into_iter()
        .min_by_key(|(n, _)| *n)
        .expect("three alignments");
    let mut rows = vec![vec![String::new(); ncols]; n];
    let mut merges = Vec::new();
    for (c, &l) in cells.iter().zip(&level) {
        put(&mut rows[l], c.from, &c.text);
        if c.to > c.from {
            merges.push(Merge {
                row: l,
                col: c.from,
                row_span: 1,
                col_span: c.to - c.from + 1,
            });
        }
    }
    merges.dedup_by(|a, b| a.row == b.row && a.col == b.col);
    // A level whose cells stand over columns the level below leaves empty is made of
    // cells centred over both (a heading spanning two rows): one row with the one below.
    let mut l = rows.len().saturating_sub(1);
    while l > 0 {
        let occupied = |r: usize| -> Vec<bool> {
            let mut o: Vec<bool> = rows[r].iter().map(|c| !c.is_empty()).collect();
            for m in merges.iter().filter(|m| m.row == r) {
                for x in o.iter_mut().skip(m.col).take(m.col_span) {
                    *x = true;
                }
            }
            o
        };
        let (up, down) = (occupied(l - 1), occupied(l));
        if up.iter().zip(&down).all(|(a, b)| !(*a && *b)) {
            let upper = rows.remove(l - 1);
            for (c, t) in upper.into_iter().enumerate() {
                if !t.is_empty() {
                    rows[l - 1][c] = t;
                }
            }
            for m in merges.iter_mut() {
                if m.row >= l {
                    m.row -= 1;
                }
            }
        }
        l -= 1;
    }
    (rows, merges)
}

/// A header line cut into pieces: at gaps wider than a chunk gap, and at any gap between
/// glyphs that holds a separator's middle (narrow columns set close together). A piece
/// whose glyphs run across a separator without a gap is one heading over those columns.
fn header_pieces(l: &SLine, seps: &[(f32, f32)]) -> Vec<Chunk> {
    split_glyphs(&l.glyphs, |p, g| {
        let gap = g.x0 - p.x1;
        let em = p.size.max(g.size);
        // A gap holding a separator's middle, or a gap wider than a word space that
        // overlaps a separator strip (headings set at their column's left edge).
        let gap_has_sep = seps.iter().any(|&(s0, s1)| {
            let mid = (s0 + s1) / 2.0;
            (p.x1 <= mid && g.x0 >= mid && gap > 0.0) || (gap >= em * 0.5 && p.x1 < s1 && g.x0 > s0)
        });
        gap > em * 1.2 || gap_has_sep
    })
}
