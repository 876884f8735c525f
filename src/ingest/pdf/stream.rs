//! Unruled tables: columns from the alignment of text chunks over consecutive lines.

use super::geometry::*;
use crate::grid::{Grid, Merge};
/// The grid of an unruled table. Columns are the x-ranges the body rows' chunks occupy
/// (rows from `body` on); header lines above may print a heading centred over several
/// columns (功能分类科目 over 科目编码 + 科目名称), which covers the columns between the
/// midpoints to its neighbours on the same line and becomes a merged cell.
pub(super) fn stream_grid(rows: &[&Vec<Chunk>], body: usize) -> Grid {
    let mut spans: Vec<(f32, f32)> = rows[body..]
        .iter()
        .flat_map(|cs| cs.iter().map(|c| (c.x0, c.x1)))
        .collect();
    spans.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut cols: Vec<(f32, f32)> = Vec::new();
    for (a, b) in spans {
        match cols.last_mut() {
            Some(last) if a <= last.1 + 2.0 => last.1 = last.1.max(b),
            _ => cols.push((a, b)),
        }
    }
    let centre = |(a, b): (f32, f32)| (a + b) / 2.0;
    let nearest = |x: f32| -> usize {
        (0..cols.len())
            .min_by(|&i, &j| {
                (centre(cols[i]) - x)
                    .abs()
                    .total_cmp(&(centre(cols[j]) - x).abs())
            })
            .unwrap_or(0)
    };
    let mut grid_rows: Vec<Vec<String>> = Vec::new();
    let mut merges: Vec<Merge> = Vec::new();
    let put = |row: &mut Vec<String>, k: usize, t: &str| {
        if row[k].is_empty() {
            row[k] = t.to_string();
        } else {
            row[k] = format!("{} {}", row[k], t);
        }
    };
    for (r, cs) in rows.iter().enumerate() {
        let mut row = vec![String::new(); cols.len()];
        if r < body && cs.len() < cols.len() {
            let cx: Vec<f32> = cs.iter().map(|c| (c.x0 + c.x1) / 2.0).collect();
            for (n, c) in cs.iter().enumerate() {
                let left = (n > 0).then(|| (cx[n - 1] + cx[n]) / 2.0);
                let right = (n + 1 < cs.len()).then(|| (cx[n] + cx[n + 1]) / 2.0);
                // The outer side mirrors the inner one; a lone heading covers the columns
                // as near as the nearest one.
                let reach = match (left, right) {
                    (Some(l), Some(r)) => (cx[n] - l).min(r - cx[n]),
                    (Some(l), None) => cx[n] - l,
                    (None, Some(r)) => r - cx[n],
                    (None, None) => (centre(cols[nearest(cx[n])]) - cx[n]).abs() + 1.0,
                };
                let (lo, hi) = (
                    left.unwrap_or(cx[n] - reach),
                    right.unwrap_or(cx[n] + reach),
                );
                let covered: Vec<usize> = (0..cols.len())
                    .filter(|&k| (lo..=hi).contains(&centre(cols[k])))
                    .collect();
                let k = covered.first().copied().unwrap_or_else(|| nearest(cx[n]));
                put(&mut row, k, &c.text);
                if covered.len() > 1 {
                    merges.push(Merge {
                        row: r,
                        col: k,
                        row_span: 1,
                        col_span: covered.len(),
                    });
                }
            }
        } else {
            for c in cs.iter() {
                let k = cols
                    .iter()
                    .position(|&(a, b)| c.x0 >= a - 2.0 && c.x0 <= b + 2.0)
                    .unwrap_or_else(|| nearest((c.x0 + c.x1) / 2.0));
                put(&mut row, k, &c.text);
            }
        }
        grid_rows.push(row);
    }
    let mut g = Grid::new(grid_rows);
    g.merges = merges;
    g
}

/// Unruled tables: runs of consecutive lines with two or more chunks, at least one of them
/// a number, become a grid whose columns are the x-ranges the chunks occupy.
pub(super) fn stream_tables(lines: &[(f32, Vec<Chunk>)]) -> Vec<(usize, usize, Grid)> {
    let mut out = Vec::new();
    let is_row = |cs: &Vec<Chunk>| {
        cs.len() >= 2 && cs.iter().any(|c| crate::text::looks_like_money(&c.text))
    };
    let mut i = 0;
    while i < lines.len() {
        if !is_row(&lines[i].1) {
            i += 1;
            continue;
        }
        // Extend upward over header lines with 2+ chunks, downward over rows.
        let mut start = i;
        while start > 0 && lines[start - 1].1.len() >= 2 && i - start < 4 {
            start -= 1;
        }
        let mut end = i;
        while end + 1 < lines.len()
            && (is_row(&lines[end + 1].1)
                || (lines[end + 1].1.len() >= 2
                    && end + 2 < lines.len()
                    && is_row(&lines[end + 2].1)))
        {
            end += 1;
        }
        if end - start + 1 >= 2 {
            let rows: Vec<&Vec<Chunk>> = lines[start..=end].iter().map(|l| &l.1).collect();
            out.push((start, end, stream_grid(&rows, i - start)));
        }
        i = end + 1;
    }
    out
}
