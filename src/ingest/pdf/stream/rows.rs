//! Body lines into rows: one row per line, unless the lines show that a row holds several
//! (a wrapped label): horizontal rules between rows, or the vertical rhythm of the lines.

use super::super::geometry::join_cell_lines;
use super::{is_number, SLine};
use crate::grid::{Merge, Place};

/// A body line: its index in the page's lines, its cells and where each is printed.
pub(super) type BodyLine = (usize, Vec<String>, Vec<Option<Place>>);

/// Rows of cells and the places of the cells.
pub(super) type Rows = (Vec<Vec<String>>, Vec<Vec<Option<Place>>>);

/// The body rows of `body_lines`, with the body merges (rows counted from `header_len`)
/// moved to the rows their lines went into.
pub(super) fn body_rows(
    lines: &[SLine],
    body_lines: Vec<BodyLine>,
    hrules: &[(f32, f32, f32)],
    x0: f32,
    x1: f32,
    merges: &mut [Merge],
    header_len: usize,
) -> Rows {
    let groups = groups_by_rules(lines, &body_lines, hrules, x0, x1)
        .or_else(|| groups_by_pitch(lines, &body_lines));
    let Some(groups) = groups else {
        return body_lines.into_iter().map(|(_, r, p)| (r, p)).unzip();
    };
    // A merged (spanning) body cell keeps its place only in a row of one line.
    let mut row_of = vec![0; body_lines.len()];
    for (g, members) in groups.iter().enumerate() {
        for &m in members {
            row_of[m] = g;
        }
    }
    for m in merges.iter_mut().filter(|m| m.row >= header_len) {
        m.row = header_len + row_of[m.row - header_len];
    }
    groups
        .iter()
        .map(|members| {
            let w = body_lines[members[0]].1.len();
            let cells = (0..w)
                .map(|c| {
                    let parts: Vec<String> = members
                        .iter()
                        .map(|&m| body_lines[m].1[c].clone())
                        .filter(|t| !t.is_empty())
                        .collect();
                    join_cell_lines(&parts)
                })
                .collect();
            let places = (0..w)
                .map(|c| {
                    members
                        .iter()
                        .fold(None, |p, &m| Place::union(p, body_lines[m].2[c]))
                })
                .collect();
            (cells, places)
        })
        .unzip()
}

/// Rows from horizontal rules crossing the table between its rows: when every band
/// between two rules holds at most one line with several cells, each band is one row (its
/// other lines are wrapped cells). Groups of body-line indices, or `None`.
fn groups_by_rules(
    lines: &[SLine],
    body_lines: &[BodyLine],
    hrules: &[(f32, f32, f32)],
    x0: f32,
    x1: f32,
) -> Option<Vec<Vec<usize>>> {
    let (first, last) = (body_lines.first()?, body_lines.last()?);
    let (top, bottom) = (lines[first.0].top, lines[last.0].bottom);
    let mut ys: Vec<f32> = hrules
        .iter()
        .filter(|(y, a, b)| *y > top && *y < bottom && b - a >= (x1 - x0) * 0.5)
        .map(|(y, _, _)| *y)
        .collect();
    ys.sort_by(|a, b| a.total_cmp(b));
    ys.dedup_by(|a, b| (*a - *b).abs() < 2.0);
    if ys.is_empty() {
        return None;
    }
    let band = |k: usize| {
        let y = (lines[k].top + lines[k].bottom) / 2.0;
        ys.partition_point(|&r| r < y)
    };
    let mut groups: Vec<(usize, Vec<usize>)> = Vec::new();
    for (i, (k, ..)) in body_lines.iter().enumerate() {
        let b = band(*k);
        match groups.last_mut() {
            Some((g, members)) if *g == b => members.push(i),
            _ => groups.push((b, vec![i])),
        }
    }
    let multi = |i: usize| body_lines[i].1.iter().filter(|c| !c.is_empty()).count() >= 2;
    if groups.len() == body_lines.len()
        || groups
            .iter()
            .any(|(_, ms)| ms.iter().filter(|&&i| multi(i)).count() > 1)
    {
        return None;
    }
    Some(groups.into_iter().map(|(_, ms)| ms).collect())
}

/// Rows from the vertical rhythm of the lines (a spreadsheet or a table printed without
/// rules, its labels wrapped in narrow cells): the lines of one cell follow each other at
/// the line spacing, rows at the line spacing plus the cell padding. When the pitches
/// between text lines fall into those two groups, a run of lines at the tight pitch is one
/// row if it holds at most one line of values (the values may sit on a line of their own,
/// vertically centred on the wrapped label). Runs holding several lines of values (a table
/// set solid, with only a few wider gaps) stay one row per line. Groups of body-line
/// indices, or `None` when the rhythm does not show wrapped rows.
fn groups_by_pitch(lines: &[SLine], body_lines: &[BodyLine]) -> Option<Vec<Vec<usize>>> {
    let has_values = |i: usize| body_lines[i].1.iter().any(|c| is_number(c));
    let has_text = |i: usize| {
        body_lines[i]
            .1
            .iter()
            .any(|c| !c.is_empty() && !is_number(c))
    };
    let base = |i: usize| lines[body_lines[i].0].baseline;
    // Lines with text (labels), top down, and the pitches between them.
    let text: Vec<usize> = (0..body_lines.len()).filter(|&i| has_text(i)).collect();
    if text.len() < 3 {
        return None;
    }
    let size = lines[body_lines[text[0]].0].size;
    let pitches: Vec<f32> = text.windows(2).map(|w| base(w[1]) - base(w[0])).collect();
    let mut sorted = pitches.clone();
    sorted.sort_by(|a, b| a.total_cmp(b));
    let tight = sorted[sorted.len() / 10];
    if !(size * 0.9..=size * 1.8).contains(&tight) {
        return None;
    }
    let is_tight = |p: f32| p <= tight * 1.02 + 0.15;
    let tight_count = pitches.iter().filter(|&&p| is_tight(p)).count();
    let wide = pitches.iter().filter(|&&p| p >= tight * 1.07).count();
    let in_between = pitches
        .iter()
        .filter(|&&p| !is_tight(p) && p < tight * 1.07)
        .count();
    if tight_count < 2 || wide < 2 || in_between * 4 > pitches.len() {
        return None;
    }
    // Two rows of values in a row are set at the wide pitch: where they are as close as the
    // lines of a wrapped label, the rhythm tells nothing.
    let both_values = text
        .windows(2)
        .zip(&pitches)
        .filter(|(w, _)| has_values(w[0]) && has_values(w[1]));
    let (pairs, tight_pairs) = both_values.fold((0, 0), |(n, t), (_, &p)| {
        (n + 1, t + usize::from(is_tight(p)))
    });
    if tight_pairs * 10 > pairs {
        return None;
    }
    // Runs of text lines at the tight pitch.
    // A line starting left of the run's first line is a new row (a wrapped label's lines
    // never stand out to the left of its first: `Sex, by race/ethnicity` after
    // `American Indian/Alaska` + `Native`).
    let label_x0 = |i: usize| {
        lines[body_lines[i].0]
            .words
            .iter()
            .find(|w| !is_number(&w.text))
            .map_or(f32::MAX, |w| w.x0)
    };
    let mut runs: Vec<Vec<usize>> = vec![vec![text[0]]];
    for (w, &p) in text.windows(2).zip(&pitches) {
        let first = runs.last().expect("a run")[0];
        let outdented = label_x0(w[1]) < label_x0(first) - size * 0.5;
        if is_tight(p) && !outdented {
            runs.last_mut().expect("a run").push(w[1]);
        } else {
            runs.push(vec![w[1]]);
        }
    }
    if runs.iter().all(|r| r.len() == 1) {
        return None;
    }
    // Lines of values only join the run they sit within (half a pitch around it).
    let mut run_of: Vec<Option<usize>> = vec![None; body_lines.len()];
    for (r, run) in runs.iter().enumerate() {
        for &i in run {
            run_of[i] = Some(r);
        }
    }
    for (i, slot) in run_of.iter_mut().enumerate() {
        if slot.is_none() {
            let y = base(i);
            *slot = runs.iter().position(|run| {
                let (a, b) = (base(run[0]), base(run[run.len() - 1]));
                y >= a - tight * 0.5 && y <= b + tight * 0.5
            });
        }
    }
    // A run with more than one line of values is no wrapped row: its lines stay rows.
    // So is a run of text rows with no values (several lines of several cells each).
    let cells = |i: usize| body_lines[i].1.iter().filter(|c| !c.is_empty()).count();
    let mut values_in = vec![0; runs.len()];
    let mut multi_in = vec![0; runs.len()];
    for (i, r) in run_of.iter().enumerate() {
        if let Some(r) = *r {
            values_in[r] += usize::from(has_values(i));
            multi_in[r] += usize::from(cells(i) >= 2);
        }
    }
    let one_row = |r: usize| values_in[r] == 1 || values_in[r] == 0 && multi_in[r] <= 1;
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut open: Option<usize> = None; // the run whose group is the last one
    for (i, r) in run_of.iter().enumerate() {
        match *r {
            Some(r) if one_row(r) => {
                if open == Some(r) {
                    groups.last_mut().expect("a group").push(i);
                } else {
                    groups.push(vec![i]);
                    open = Some(r);
                }
            }
            _ => {
                groups.push(vec![i]);
                open = None;
            }
        }
    }
    (groups.len() < body_lines.len()).then_some(groups)
}
