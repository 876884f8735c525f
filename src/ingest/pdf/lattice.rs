//! Ruled tables: connected rulings form a lattice; rows and columns from the rulings.

use super::{device::*, geometry::*};
use crate::grid::{Grid, Merge, Place};
use std::collections::HashMap;

/// Merge collinear rulings that touch or overlap.
pub(super) fn merge_segs(mut segs: Vec<Seg>) -> Vec<Seg> {
    segs.sort_by(|a, b| a.pos.total_cmp(&b.pos).then(a.from.total_cmp(&b.from)));
    let mut out: Vec<Seg> = Vec::new();
    // Group by position (within 1pt), then merge intervals.
    let mut i = 0;
    while i < segs.len() {
        let mut j = i;
        while j + 1 < segs.len() && segs[j + 1].pos - segs[i].pos <= 1.0 {
            j += 1;
        }
        let mut group: Vec<Seg> = segs[i..=j].to_vec();
        let pos = group.iter().map(|s| s.pos).sum::<f32>() / group.len() as f32;
        group.sort_by(|a, b| a.from.total_cmp(&b.from));
        let mut cur = group[0];
        cur.pos = pos;
        for s in &group[1..] {
            if s.from <= cur.to + 1.5 {
                cur.to = cur.to.max(s.to);
            } else {
                out.push(cur);
                cur = Seg { pos, ..*s };
            }
        }
        out.push(cur);
        i = j + 1;
    }
    out
}

/// A ruled table found on a page.
#[derive(Clone)]
pub(super) struct Lattice {
    pub(super) bbox: [f32; 4],
    pub(super) hs: Vec<Seg>,
    pub(super) vs: Vec<Seg>,
}

pub(super) fn find_lattices(p: &PageContent) -> Vec<Lattice> {
    let hs = merge_segs(p.hsegs.clone());
    let vs = merge_segs(p.vsegs.clone());
    let n = hs.len() + vs.len();
    let mut dsu = Dsu::new(n);
    let tol = 2.0;
    for (i, h) in hs.iter().enumerate() {
        for (j, v) in vs.iter().enumerate() {
            if v.pos >= h.from - tol
                && v.pos <= h.to + tol
                && h.pos >= v.from - tol
                && h.pos <= v.to + tol
            {
                dsu.union(i, hs.len() + j);
            }
        }
    }
    // Ordered by their root ruling, so that the lattices come out in the same order on
    // every run (hash order must never reach the output).
    let mut groups: std::collections::BTreeMap<usize, (Vec<Seg>, Vec<Seg>)> =
        std::collections::BTreeMap::new();
    for (i, h) in hs.iter().enumerate() {
        groups.entry(dsu.find(i)).or_default().0.push(*h);
    }
    for (j, v) in vs.iter().enumerate() {
        groups.entry(dsu.find(hs.len() + j)).or_default().1.push(*v);
    }
    let mut out: Vec<Lattice> = groups
        .into_values()
        .filter(|(h, v)| h.len() >= 2 && v.len() >= 2)
        .map(|(h, v)| {
            let x0 = v.iter().map(|s| s.pos).fold(f32::MAX, f32::min);
            let x1 = v.iter().map(|s| s.pos).fold(f32::MIN, f32::max);
            // A table ruled without outer borders: its horizontal rules run past the
            // outer verticals, over its first and last columns.
            let h0 = h.iter().map(|s| s.from).fold(f32::MAX, f32::min);
            let h1 = h.iter().map(|s| s.to).fold(f32::MIN, f32::max);
            let x0 = if h0 < x0 - 3.0 { h0 } else { x0 };
            let x1 = if h1 > x1 + 3.0 { h1 } else { x1 };
            // Verticals may run past the outer rulings: a table cut by a page break has
            // no closing rule, its columns end at the cut.
            let y0 = h
                .iter()
                .map(|s| s.pos)
                .chain(v.iter().map(|s| s.from))
                .fold(f32::MAX, f32::min);
            let y1 = h
                .iter()
                .map(|s| s.pos)
                .chain(v.iter().map(|s| s.to))
                .fold(f32::MIN, f32::max);
            Lattice {
                bbox: [x0, y0, x1, y1],
                hs: h,
                vs: v,
            }
        })
        .filter(|l| l.bbox[2] - l.bbox[0] > 20.0 && l.bbox[3] - l.bbox[1] > 8.0)
        .collect();
    out.sort_by(|a, b| {
        a.bbox[1]
            .total_cmp(&b.bbox[1])
            .then(a.bbox[0].total_cmp(&b.bbox[0]))
            .then(a.bbox[3].total_cmp(&b.bbox[3]))
            .then(a.bbox[2].total_cmp(&b.bbox[2]))
    });
    out
}

/// A text run drawn across a cell border (an amount right-aligned in one cell, the label
/// of the next cell a few points after it, in one text-showing operation) is cut where a
/// vertical ruling lies in the white space between two of its glyphs. A run whose glyphs
/// touch (advances that overflow a cell, a CID font's default width) is never cut: the
/// ruling then crosses a glyph, not a gap.
pub(super) fn split_runs_at_rulings(
    glyphs: &[&PGlyph],
    xs: &[f32],
    has_v: &dyn Fn(f32, f32) -> bool,
) -> Vec<PGlyph> {
    let mut out: Vec<PGlyph> = glyphs.iter().map(|g| (*g).clone()).collect();
    let mut order: Vec<usize> = (0..out.len()).collect();
    order.sort_by(|&a, &b| {
        out[a]
            .run
            .cmp(&out[b].run)
            .then(out[a].x0.total_cmp(&out[b].x0))
    });
    let mut next_id = out.iter().map(|g| g.run).max().map_or(0, |m| m + 1);
    let mut current: Option<(u32, u32)> = None; // (original run, assigned run)
    let mut prev: Option<usize> = None;
    for &i in &order {
        let orig = out[i].run;
        let assigned = match (current, prev) {
            (Some((o, a)), Some(p)) if o == orig => {
                let (gap_from, gap_to) = (out[p].x1, out[i].x0);
                let cy = out[i].cy();
                let cut = gap_to - gap_from >= 1.0
                    && xs
                        .iter()
                        .any(|&x| x > gap_from - 0.5 && x < gap_to + 0.5 && has_v(x, cy));
                if cut {
                    next_id += 1;
                    next_id - 1
                } else {
                    a
                }
            }
            _ => orig,
        };
        current = Some((orig, assigned));
        out[i].run = assigned;
        prev = Some(i);
    }
    out
}

/// Row breaks inside bands between horizontal rules. A band holding two or more lines that
/// each print numbers in two or more columns holds several rows: it is cut between every
/// two consecutive lines that have text in a common column (a section row and the next
/// row, two rows of figures). Lines whose cells interleave stay one row: a label wrapped
/// around its centred values, numbers set at other heights than their label. The break
/// is the midpoint between the two lines.
fn unruled_row_breaks(glyphs: &[&PGlyph], ys: &[f32], xs: &[f32]) -> Vec<f32> {
    use std::collections::BTreeSet;
    struct L {
        y: f32,
        cols: BTreeSet<usize>,
        anchor: bool,
    }
    let lines: Vec<L> = text_lines(glyphs)
        .iter()
        .map(|line| {
            let cs = chunks(line);
            let col = |c: &Chunk| xs.partition_point(|&x| x <= (c.x0 + c.x1) / 2.0);
            let cols: BTreeSet<usize> = cs.iter().map(col).collect();
            let numbers = cs
                .iter()
                .filter(|c| super::stream::is_number(&c.text))
                .count();
            L {
                y: line.iter().map(|g| g.cy()).sum::<f32>() / line.len() as f32,
                anchor: cols.len() >= 2 && numbers >= 1,
                cols,
            }
        })
        .collect();
    let mut out = Vec::new();
    for w in ys.windows(2) {
        let band: Vec<&L> = lines.iter().filter(|l| l.y > w[0] && l.y < w[1]).collect();
        if band.iter().filter(|l| l.anchor).count() < 2 {
            continue;
        }
        for p in band.windows(2) {
            if !p[0].cols.is_disjoint(&p[1].cols) {
                out.push((p[0].y + p[1].y) / 2.0);
            }
        }
    }
    out
}

/// The cells of a one-row area spanning several columns when its text is one line of
/// chunks that fall into two or more of those columns (by their centres): (column offset,
/// text) per column. None when the area is a real merged cell.
fn unruled_row_cells(gs: &[&PGlyph], xs: &[f32]) -> Option<Vec<(usize, String, f32, f32)>> {
    let lines = text_lines(gs);
    if lines.len() != 1 {
        return None;
    }
    let cs = chunks(&lines[0]);
    if cs.len() < 2 {
        return None;
    }
    let mut cells: Vec<(usize, String, f32, f32)> = Vec::new();
    for c in cs {
        let centre = (c.x0 + c.x1) / 2.0;
        let k = xs
            .windows(2)
            .position(|w| centre >= w[0] && centre < w[1])
            .unwrap_or(0);
        match cells.iter_mut().find(|(j, ..)| *j == k) {
            Some((_, t, _, x1)) => {
                t.push(' ');
                t.push_str(&c.text);
                *x1 = c.x1;
            }
            None => cells.push((k, c.text.into_string(), c.x0, c.x1)),
        }
    }
    (cells.len() >= 2).then_some(cells)
}

/// The cells of a lattice that no ruling separates: its first cell (row-major), its
/// bounding rows and columns (first row, first column, last row, last column) and how many
/// cells it has.
struct Area {
    first: (usize, usize),
    span: (usize, usize, usize, usize),
    cells: usize,
}

/// The grid of a ruled table. `extra_xs` adds column boundaries that another part of the
/// same table (continued on the next page) has, so that the parts get the same columns.
/// The column boundaries of a ruled table: its vertical rules and edges, and `extra_xs`
/// (those of the other parts of a table continued over pages) within it.
pub(super) fn column_xs(l: &Lattice, extra_xs: &[f32]) -> Vec<f32> {
    let mut all_x: Vec<f32> = l.vs.iter().map(|s| s.pos).collect();
    all_x.extend([l.bbox[0], l.bbox[2]]);
    all_x.extend(
        extra_xs
            .iter()
            .filter(|&&x| x > l.bbox[0] + 2.0 && x < l.bbox[2] - 2.0),
    );
    cluster(all_x, 2.0)
}

pub(super) fn lattice_grid(
    l: &Lattice,
    glyphs: &[&PGlyph],
    extra_xs: &[f32],
    page: u32,
) -> Option<Grid> {
    let mut all_y: Vec<f32> = l.hs.iter().map(|s| s.pos).collect();
    all_y.extend([l.bbox[1], l.bbox[3]]);
    let ys = cluster(all_y, 2.0);
    let xs = column_xs(l, extra_xs);
    if ys.len() < 2 || xs.len() < 2 {
        return None;
    }
    // Rows not ruled: a band between two rules holding several lines that each print a
    // number in two or more columns is cut between those lines (a wrapped label or a
    // wrapped heading, in one column or without numbers, is not).
    let virtual_ys = unruled_row_breaks(glyphs, &ys, &xs);
    let ys = if virtual_ys.is_empty() {
        ys
    } else {
        let mut all = ys.clone();
        all.extend(&virtual_ys);
        cluster(all, 2.0)
    };
    let (nr, nc) = (ys.len() - 1, xs.len() - 1);
    if nr * nc > 200_000 {
        return None;
    }
    // A box ruled only across (one column) whose lines hold several chunks: its columns
    // are in the text alignment, which the unruled-table finder reads.
    if nc == 1 {
        let multi = text_lines(glyphs)
            .iter()
            .filter(|l| chunks(l).len() >= 2)
            .count();
        if multi >= 2 {
            return None;
        }
    }
    let has_v = |x: f32, y: f32| {
        l.vs.iter()
            .any(|s| (s.pos - x).abs() <= 2.0 && s.from - 1.0 <= y && y <= s.to + 1.0)
    };
    let has_h = |y: f32, x: f32| {
        virtual_ys.iter().any(|v| (v - y).abs() <= 2.0)
            || l.hs
                .iter()
                .any(|s| (s.pos - y).abs() <= 2.0 && s.from - 1.0 <= x && x <= s.to + 1.0)
    };
    let mut dsu = Dsu::new(nr * nc);
    for r in 0..nr {
        let ym = (ys[r] + ys[r + 1]) / 2.0;
        for c in 0..nc {
            let xm = (xs[c] + xs[c + 1]) / 2.0;
            if c + 1 < nc && !has_v(xs[c + 1], ym) {
                dsu.union(r * nc + c, r * nc + c + 1);
            }
            if r + 1 < nr && !has_h(ys[r + 1], xm) {
                dsu.union(r * nc + c, (r + 1) * nc + c);
            }
        }
    }
    // The components in row-major order of their first cell, and each root's component.
    let mut areas: Vec<Area> = Vec::new();
    let mut area_of: HashMap<usize, usize> = HashMap::new();
    for r in 0..nr {
        for c in 0..nc {
            let root = dsu.find(r * nc + c);
            let k = *area_of.entry(root).or_insert_with(|| {
                areas.push(Area {
                    first: (r, c),
                    span: (r, c, r, c),
                    cells: 0,
                });
                areas.len() - 1
            });
            let e = &mut areas[k];
            e.span.0 = e.span.0.min(r);
            e.span.1 = e.span.1.min(c);
            e.span.2 = e.span.2.max(r);
            e.span.3 = e.span.3.max(c);
            e.cells += 1;
        }
    }
    let mut texts: HashMap<usize, Vec<&PGlyph>> = HashMap::new();
    let split = split_runs_at_rulings(glyphs, &xs, &has_v);
    let glyphs: Vec<&PGlyph> = split.iter().collect();
    let anchors = run_anchors(glyphs.iter().copied());
    for &g in &glyphs {
        let (cx, cy) = anchors[&g.run];
        let r = ys.partition_point(|&y| y <= cy);
        let c = xs.partition_point(|&x| x <= cx);
        if r == 0 || c == 0 || r > nr || c > nc {
            continue;
        }
        let root = dsu.find((r - 1) * nc + (c - 1));
        texts.entry(area_of[&root]).or_default().push(g);
    }
    let mut rows = vec![vec![String::new(); nc]; nr];
    let mut places: Vec<Vec<Option<Place>>> = vec![vec![None; nc]; nr];
    let mut merges = Vec::new();
    for (k, a) in areas.iter().enumerate() {
        let ((fr, fc), (r0, c0, r1, c1)) = (a.first, a.span);
        // A component that is not a rectangle (irregular rulings, as in a chart) is no
        // merged cell: its text goes to its first cell, which no other component holds.
        let rectangle = a.cells == (r1 - r0 + 1) * (c1 - c0 + 1);
        if let Some(gs) = texts.get(&k) {
            // A row whose columns are ruled only in the header (a box around the body):
            // its one area holds several chunks in different columns, not a merged cell.
            if r0 == r1 && c1 > c0 {
                if let Some(cells) = unruled_row_cells(gs, &xs[c0..=c1 + 1]) {
                    let [_, top, _, bottom] = glyph_box(gs.iter().copied()).unwrap_or_default();
                    for (k, text, x0, x1) in cells {
                        rows[r0][c0 + k] = text;
                        let bbox = [x0, top, x1, bottom];
                        places[r0][c0 + k] = Some(Place { page, bbox });
                    }
                    continue;
                }
            }
            let lines: Vec<String> = text_lines(gs).iter().map(|l| line_text(l)).collect();
            rows[fr][fc] = join_cell_lines(&lines);
            places[fr][fc] = glyph_box(gs.iter().copied()).map(|bbox| Place { page, bbox });
        }
        if rectangle && (r1 > r0 || c1 > c0) {
            merges.push(Merge {
                row: r0,
                col: c0,
                row_span: r1 - r0 + 1,
                col_span: c1 - c0 + 1,
            });
        }
    }
    let mut grid = Grid {
        rows,
        merges,
        places,
    };
    // Rows with no text at all (ruled spacer rows) are dropped.
    let mut r = grid.height();
    while r > 0 {
        r -= 1;
        if grid.rows[r].iter().all(|c| c.is_empty())
            && !grid.merges.iter().any(|m| m.row == r && m.row_span > 1)
        {
            grid.remove_row(r);
        }
    }
    if grid.is_blank() {
        return None;
    }
    grid.pad();
    Some(grid)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glyph(text: &str, x: f32, y: f32, run: u32) -> PGlyph {
        PGlyph {
            text: text.into(),
            x0: x,
            x1: x + 8.0,
            y,
            size: 10.0,
            run,
            space_before: false,
        }
    }

    fn seg(pos: f32, from: f32, to: f32) -> Seg {
        Seg { pos, from, to }
    }

    #[test]
    fn irregular_areas_keep_their_own_text() {
        // A 2×2 box whose inner rules stop halfway: the top-left cell is closed, the other
        // three cells are one L-shaped area whose bounding box also starts top left.
        let l = Lattice {
            bbox: [0.0, 0.0, 100.0, 100.0],
            hs: vec![
                seg(0.0, 0.0, 100.0),
                seg(50.0, 0.0, 50.0),
                seg(100.0, 0.0, 100.0),
            ],
            vs: vec![
                seg(0.0, 0.0, 100.0),
                seg(50.0, 0.0, 50.0),
                seg(100.0, 0.0, 100.0),
            ],
        };
        let (a, b) = (glyph("7", 20.0, 30.0, 1), glyph("9", 70.0, 80.0, 2));
        let g = lattice_grid(&l, &[&a, &b], &[], 1).unwrap();
        assert_eq!(g.rows, [["7", "9"]]); // the empty row is dropped
                                          // No merged cell over the closed one.
        assert!(g.merges.is_empty(), "{:?}", g.merges);
    }
}
