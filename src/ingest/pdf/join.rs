//! Ruled tables continued over pages: parts joined and re-gridded on their columns.

use super::{device::*, geometry::*, lattice::*};
use crate::grid::Block;
/// A block of a page, with the ruled table and glyphs it came from (to rebuild its grid
/// when a continuation on the next page has more columns).
pub(super) struct PBlock {
    pub(super) block: Block,
    pub(super) lattice: Option<(Lattice, Vec<PGlyph>)>,
}

/// Column boundaries at the bottom row (`bottom`) or top row of a ruled table: the
/// verticals that cross it.
pub(super) fn edge_xs(l: &Lattice, bottom: bool) -> Vec<f32> {
    let ys = cluster(l.hs.iter().map(|s| s.pos).collect(), 2.0);
    if ys.len() < 2 {
        return lattice_xs(l);
    }
    let y = if bottom {
        (ys[ys.len() - 2] + ys[ys.len() - 1]) / 2.0
    } else {
        (ys[0] + ys[1]) / 2.0
    };
    l.vs.iter()
        .filter(|s| s.from - 1.0 <= y && y <= s.to + 1.0)
        .map(|s| s.pos)
        .collect()
}

pub(super) fn lattice_xs(l: &Lattice) -> Vec<f32> {
    l.vs.iter().map(|s| s.pos).collect()
}

/// Most column boundaries of the part with fewer columns recur in the other part.
pub(super) fn columns_agree(a: &[f32], b: &[f32]) -> bool {
    let (a, b) = (cluster(a.to_vec(), 2.0), cluster(b.to_vec(), 2.0));
    let (small, large) = if a.len() <= b.len() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    let hits = small
        .iter()
        .filter(|x| large.iter().any(|y| (*x - y).abs() <= 2.0))
        .count();
    hits * 10 >= small.len() * 8
}

/// A row's text as one comparison key.
pub(super) fn row_key(r: &[String]) -> String {
    crate::text::key(&r.concat())
}

/// Is the ruled table closed by a horizontal rule along its bottom edge (across most of
/// its width)? A table cut by a page break has verticals running past its last rule.
pub(super) fn closed_bottom(l: &Lattice) -> bool {
    let w = l.bbox[2] - l.bbox[0];
    l.hs.iter()
        .any(|s| (s.pos - l.bbox[3]).abs() <= 2.0 && s.to - s.from >= 0.9 * w)
}

pub(super) fn is_furniture(b: &Block) -> bool {
    match b {
        Block::Line { text, .. } => crate::grid::is_page_furniture(text),
        _ => false,
    }
}

/// Ruled tables continued over pages: the last table of a page and the first of the next
/// (only page furniture after / before them) with the same left and right edges are one
/// table. Their parts are re-gridded on the union of their column boundaries and the later
/// parts marked as continuations.
pub(super) fn join_page_lattices(pages: &mut [Vec<PBlock>]) {
    // Links (page, block) -> (next page, block), grouped into chains of one table.
    let mut groups: Vec<Vec<(usize, usize)>> = Vec::new();
    for j in 0..pages.len().saturating_sub(1) {
        let last = pages[j].iter().rposition(|b| !is_furniture(&b.block));
        let first = pages[j + 1].iter().position(|b| !is_furniture(&b.block));
        let (Some(a), Some(b)) = (last, first) else {
            continue;
        };
        let linked = match (
            &pages[j][a].lattice,
            &pages[j + 1][b].lattice,
            &pages[j + 1][b].block,
        ) {
            (Some((la, _)), Some((lb, _)), Block::Table(next)) => {
                (la.bbox[0] - lb.bbox[0]).abs() < 3.0
                    && (la.bbox[2] - lb.bbox[2]).abs() < 3.0
                    && columns_agree(&edge_xs(la, true), &edge_xs(lb, false))
                    && !crate::grid::starts_with_title(&next.grid)
            }
            _ => false,
        };
        if !linked {
            continue;
        }
        match groups.last_mut() {
            Some(g) if g.last() == Some(&(j, a)) => g.push((j + 1, b)),
            _ => groups.push(vec![(j, a), (j + 1, b)]),
        }
    }
    for group in groups {
        let mut xs: Vec<f32> = Vec::new();
        for &(p, i) in &group {
            if let Some((l, _)) = &pages[p][i].lattice {
                xs.extend(lattice_xs(l));
            }
        }
        for (n, &(p, i)) in group.iter().enumerate() {
            let pb = &mut pages[p][i];
            if let (Some((l, gs)), Block::Table(raw)) = (&pb.lattice, &mut pb.block) {
                let refs: Vec<&PGlyph> = gs.iter().collect();
                if let Some(g) = lattice_grid(l, &refs, &xs) {
                    raw.grid = g;
                }
                raw.continued = n > 0;
            }
        }
        // The header rows of the table's first part (above its first amount): a row that
        // repeats one of them at the top of a later page is a repeated header, not the
        // rest of a cut row.
        let head: Vec<String> = match &pages[group[0].0][group[0].1].block {
            Block::Table(raw) => raw
                .grid
                .rows
                .iter()
                .take_while(|r| !r.iter().any(|c| crate::text::looks_like_money(c)))
                .map(|r| row_key(r))
                .collect(),
            _ => Vec::new(),
        };
        // A row cut by the page break: the next part starts with the rest of its text
        // (no amounts, no code) under columns the previous part's last row fills, and the
        // previous part is not closed by a rule along its bottom.
        for w in group.windows(2) {
            let ((pa, ia), (pb_, ib)) = (w[0], w[1]);
            let open_bottom = pages[pa][ia]
                .lattice
                .as_ref()
                .is_some_and(|(l, _)| !closed_bottom(l));
            if !open_bottom {
                continue;
            }
            let tail = match &mut pages[pb_][ib].block {
                Block::Table(raw) => {
                    let first = raw.grid.rows.first().cloned().unwrap_or_default();
                    let is_rest = first.iter().any(|c| !c.is_empty())
                        && !head.contains(&row_key(&first))
                        && first.iter().all(|c| {
                            c.is_empty()
                                || (!crate::text::looks_like_money(c)
                                    && !c.chars().all(|ch| ch.is_ascii_digit()))
                        });
                    if is_rest {
                        raw.grid.remove_row(0);
                        Some(first)
                    } else {
                        None
                    }
                }
                _ => None,
            };
            let Some(tail) = tail else { continue };
            let mut undo = Some(tail.clone());
            if let Block::Table(raw) = &mut pages[pa][ia].block {
                if let Some(last) = raw.grid.rows.last_mut() {
                    let fits = tail
                        .iter()
                        .enumerate()
                        .all(|(c, t)| t.is_empty() || last.get(c).is_some_and(|x| !x.is_empty()));
                    if fits {
                        for (c, t) in tail.iter().enumerate() {
                            if !t.is_empty() {
                                last[c] = join_cell_lines(&[last[c].clone(), t.clone()]);
                            }
                        }
                        undo = None;
                    }
                }
            }
            if let (Some(row), Block::Table(raw)) = (undo, &mut pages[pb_][ib].block) {
                raw.grid.rows.insert(0, row);
                for m in &mut raw.grid.merges {
                    m.row += 1;
                }
            }
        }
    }
}
