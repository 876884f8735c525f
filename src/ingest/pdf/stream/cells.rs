//! The grid of an unruled table: column separators from the body, header levels and
//! stacked headings, body cells cut at separators, wrapped labels joined.

use super::super::geometry::*;
use super::header::{column_of, header_rows, put, with_empty_columns};
use super::rows::{body_rows, BodyLine, Rows};
use super::{is_data, is_number, SLine, StreamTable};
use crate::grid::{Grid, Merge, Place};

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
    // Which words print an amount (asked once per word).
    let amounts: Vec<Vec<bool>> = body
        .iter()
        .map(|&k| {
            lines[k]
                .words
                .iter()
                .map(|w| crate::text::looks_like_money(&w.text))
                .collect()
        })
        .collect();
    // Words, not chunks: columns may be set closer than a chunk gap (`345 15.5`); a strip
    // must then be wider than a word space to be a separator. Bins under amounts: a break
    // tolerated across a few of them narrows to the white beside them where there is room
    // (a total's wider amount reaches left of its column, but the column still starts
    // where its narrower amounts do not).
    let mut money = vec![false; n];
    for (&k, is_amount) in body.iter().zip(&amounts) {
        for (c, &amount) in lines[k].words.iter().zip(is_amount) {
            for b in &mut cover[bin(c.x0)..=bin(c.x1)] {
                *b += 1;
            }
            if amount {
                for m in &mut money[bin(c.x0)..=bin(c.x1)] {
                    *m = true;
                }
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
        // Words standing wholly inside the strip are a sparse column's cells (a column
        // only the totals fill), not cells spanning a break: the strip is cut into the
        // white gaps around them. A strip at the body's edge is its margin.
        let mut inside: Vec<(f32, f32)> = body
            .iter()
            .flat_map(|&k| lines[k].words.iter())
            .filter(|w| w.x0 > from && w.x1 < to)
            .map(|w| (w.x0, w.x1))
            .collect();
        inside.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut gaps: Vec<(f32, f32)> = Vec::new();
        let mut at = from;
        for (w0, w1) in inside {
            if w0 > at {
                gaps.push((at, w0));
            }
            at = at.max(w1);
        }
        gaps.push((at, to));
        let last = gaps.len() - 1;
        for (g, &(from, to)) in gaps.iter().enumerate() {
            if (s == 0 && g == 0) || (b >= n && g == last) || to - from < min_width {
                continue;
            }
            // Amounts reaching into the gap (tolerated as a few cells across it): the
            // break narrows to the white beside them where there is room.
            let (g0, g1) = (bin(from), bin(to).max(bin(from)));
            let (r0, r1) = longest_run(&money[g0..g1], |m| !m);
            let (from, to) = if r1 > r0 && (r1 - r0) as f32 * STEP >= min_width {
                (x0 + (g0 + r0) as f32 * STEP, x0 + (g0 + r1) as f32 * STEP)
            } else {
                (from, to)
            };
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
    }
    // Two amounts on one line with white between them and no break found there are in
    // two columns (one that only this row fills): a cell never holds two amounts. The
    // break is the widest white run between them.
    let mut extra: Vec<(f32, f32)> = Vec::new();
    for (&k, is_amount) in body.iter().zip(&amounts) {
        let words = &lines[k].words;
        for i in 1..words.len() {
            let (a, b) = (&words[i - 1], &words[i]);
            if b.x0 - a.x1 < min_width
                || !is_amount[i - 1]
                || !is_amount[i]
                || seps.iter().chain(&extra).any(|s| s.0 < b.x0 && s.1 > a.x1)
            {
                continue;
            }
            let (lo, hi) = (bin(a.x1) + 1, bin(b.x0));
            let best = longest_run(&cover[lo..hi.max(lo)], |c| c <= tolerance);
            let best = (lo + best.0, lo + best.1);
            let (from, to) = (x0 + best.0 as f32 * STEP, x0 + best.1 as f32 * STEP);
            if to - from >= min_width {
                extra.push((from, to));
            }
        }
    }
    seps.extend(extra);
    seps.sort_by(|a, b| a.0.total_cmp(&b.0));
    seps
}

/// The longest run of items that pass `keep`, as (from, to) indices (to exclusive).
fn longest_run<T: Copy>(v: &[T], keep: impl Fn(T) -> bool) -> (usize, usize) {
    let mut best = (0, 0);
    let mut i = 0;
    while i < v.len() {
        if !keep(v[i]) {
            i += 1;
            continue;
        }
        let r = i;
        while i < v.len() && keep(v[i]) {
            i += 1;
        }
        if i - r > best.1 - best.0 {
            best = (r, i);
        }
    }
    best
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
            )
            .into(),
        })
        .collect()
}

/// The grid of the lines `head..=end` whose body starts at `start`, if it is a table.
pub(in crate::ingest::pdf) fn build(
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
    let seps = with_empty_columns(lines, head, &body, &seps);
    let x0 = (head..=end).map(|k| lines[k].x0).fold(f32::MAX, f32::min);
    let x1 = (head..=end).map(|k| lines[k].x1).fold(f32::MIN, f32::max);
    // Column k spans from the end of separator k-1 to the start of separator k.
    let ncols = seps.len() + 1;
    let col_of = |x: f32| column_of(&seps, x);
    let bounds: Vec<(f32, f32)> = (0..ncols)
        .map(|j| {
            let a = if j == 0 { x0 } else { seps[j - 1].1 };
            let b = if j == seps.len() { x1 } else { seps[j].0 };
            (a, b)
        })
        .collect();
    let (mut rows, mut merges) = header_rows(lines, head, start, &seps, &bounds);
    let header_len = rows.len();
    let (mut multi_cells, mut long_text, mut cells_total) = (0, 0, 0);
    // Body: one row per line; each cell as the chunk falls, cut at separators.
    let mut body_lines: Vec<BodyLine> = Vec::new();
    for (k, l) in lines.iter().enumerate().take(end + 1).skip(start) {
        let mut row = vec![String::new(); ncols];
        let mut places: Vec<Option<Place>> = vec![None; ncols];
        let mut filled = 0;
        for c in &l.chunks {
            for piece in cut_at_separators(l, c, &seps, false) {
                let (a, b) = (col_of(piece.x0 + 0.5), col_of(piece.x1 - 0.5));
                put(&mut row, a, &piece.text);
                places[a] = Place::union(places[a], Some(l.place(piece.x0, piece.x1)));
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
        body_lines.push((k, row, places));
    }
    // A table of one row (a 三公 table: a total and its parts) is a table when a header of
    // two or more lines of several headings stands over it and the row prints amounts only.
    let one_row_of_amounts = multi_cells == 1
        && start == end
        && (head..start)
            .filter(|&k| lines[k].chunks.len() >= 2)
            .count()
            >= 2
        && lines[start]
            .words
            .iter()
            .all(|w| crate::text::looks_like_money(&w.text));
    let enough = if one_row_of_amounts {
        cells_total >= 2
    } else {
        multi_cells >= 2 && cells_total >= 4
    };
    if !enough || long_text * 2 > cells_total {
        return None;
    }
    let (body_rows, body_places) =
        body_rows(lines, body_lines, hrules, x0, x1, &mut merges, header_len);
    rows.extend(body_rows);
    let mut places: Vec<Vec<Option<Place>>> = vec![vec![None; ncols]; header_len];
    places.extend(body_places);
    let mut cells = (rows, places);
    join_centred_labels(&mut cells, &mut merges, header_len);
    join_wrapped_labels(&mut cells, &mut merges, header_len);
    let mut grid = Grid::with_places(cells.0, cells.1);
    grid.merges = merges;
    Some(StreamTable {
        first: head,
        data: start,
        last: end,
        grid,
        bbox: [x0, lines[head].top, x1, lines[end].bottom],
        seps,
        has_data: (start..=end).any(|k| is_data(&lines[k])),
        header_key: lines[head..start]
            .iter()
            .map(|l| crate::text::compact(&l.text()))
            .collect(),
    })
}

/// Labels wrapped around a vertically centred row (`其他政府办公厅（室）及相关机构事务支` above
/// `2010399 | | 127.70 …`, `出` below): when the rows just above and just below print
/// only text, in cells the row leaves empty, they are that row's cells (above before it,
/// below after it).
fn join_centred_labels((rows, places): &mut Rows, merges: &mut [Merge], body_from: usize) {
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
            let p = Place::union(places[r - 1][c], places[r][c]);
            places[r][c] = Place::union(p, places[r + 1][c]);
        }
        rows.remove(r + 1);
        rows.remove(r - 1);
        places.remove(r + 1);
        places.remove(r - 1);
        for m in merges.iter_mut() {
            if m.row > r + 1 {
                m.row -= 2;
            }
        }
    }
}

/// Running text rather than a cell: long, with several words (or a long CJK phrase with
/// sentence punctuation).
pub(super) fn is_sentence(t: &str) -> bool {
    let chars = t.chars().count();
    let words = t.split_whitespace().count();
    chars > 25 && words >= 5 || chars > 60 || chars > 20 && t.contains(['，', '。', '；'])
}

/// A body row holding only a label that continues on the next row (`American Indian/`,
/// a label ending in `and`, or a next label starting in lower case) is joined to it.
fn join_wrapped_labels((rows, places): &mut Rows, merges: &mut [Merge], body_from: usize) {
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
            places[r + 1][0] = Place::union(places[r][0], places[r + 1][0]);
            rows.remove(r);
            places.remove(r);
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
