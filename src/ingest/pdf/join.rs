//! Tables continued over pages: ruled parts joined and re-gridded on their columns, unruled
//! parts gridded as one.

use super::stream::{build, is_number, SLine, StreamTable};
use super::{device::*, geometry::*, lattice::*};
use crate::grid::Block;
/// A block of a page, with the ruled table and glyphs it came from (to rebuild its grid
/// when a continuation on the next page has more columns), or the unruled table (its
/// lines and columns), or the index of the text line it is.
pub(super) struct PBlock {
    pub(super) block: Block,
    pub(super) lattice: Option<(Lattice, Vec<PGlyph>)>,
    pub(super) stream: Option<StreamTable>,
    pub(super) line: Option<usize>,
}

/// A page's blocks with the text lines outside its ruled tables and its horizontal rules.
pub(super) struct PageLayout {
    pub(super) blocks: Vec<PBlock>,
    pub(super) lines: Vec<SLine>,
    pub(super) hrules: Vec<(f32, f32, f32)>,
}

/// An unruled table being followed over pages: the block that will hold its grid, its
/// lines so far (earlier pages' lines moved up to sit just above the later ones), the
/// rules among them, and where its header and body lie in those lines.
struct Chain {
    page: usize,
    block: usize,
    lines: Vec<SLine>,
    hrules: Vec<(f32, f32, f32)>,
    t: StreamTable,
}

/// The longest table (in lines) followed over pages as one; a longer one is joined part by
/// part when tables are assembled (each part on its own columns).
const MAX_CHAIN_LINES: usize = 4000;

/// Tables continued over pages, followed page by page as the pages come in order: after
/// page `j + 1` is laid out, [`Joiner::step`] joins it to page `j`; page `j`'s text
/// lines and the glyphs of its ruled tables that no table continues through are then
/// dropped, so that a long document does not hold every page's glyphs.
#[derive(Default)]
pub(super) struct Joiner {
    /// The unruled table being followed.
    chain: Option<Chain>,
    /// The ruled table being followed over pages: its parts, (page, block) each.
    open: Option<Vec<(usize, usize)>>,
}

impl Joiner {
    /// Join page `j + 1` (the last of `pages`) to page `j`: unruled tables first (which
    /// may take rows from the top of page `j + 1`), then ruled tables.
    pub(super) fn step(&mut self, pages: &mut [PageLayout], j: usize) {
        self.streams(pages, j);
        let link = {
            let (a, b) = (&pages[j].blocks, &pages[j + 1].blocks);
            lattice_link(a, b)
        };
        match (link, &mut self.open) {
            (Some((a, b)), Some(g)) if g.last() == Some(&(j, a)) => g.push((j + 1, b)),
            (link, open) => {
                // The table followed so far ended on page j.
                if let Some(g) = open.take() {
                    join_lattice_group(pages, &g);
                }
                self.open = link.map(|(a, b)| vec![(j, a), (j + 1, b)]);
            }
        }
        // Page j is done with: its lines were only needed to continue a table onto it or
        // from it, its ruled tables' glyphs only to lay out again a continued table.
        let page = &mut pages[j];
        page.lines = Vec::new();
        page.hrules = Vec::new();
        for (i, pb) in page.blocks.iter_mut().enumerate() {
            let open = self.open.as_ref().is_some_and(|g| g.contains(&(j, i)));
            if let (Some((_, gs)), false) = (&mut pb.lattice, open) {
                *gs = Vec::new();
            }
        }
    }

    /// After the last page: the table still followed ends there.
    pub(super) fn finish(self, pages: &mut [PageLayout]) {
        if let Some(g) = self.open {
            join_lattice_group(pages, &g);
        }
    }

    /// Unruled tables continued over pages. When a page ends with an unruled table and the
    /// next page's first table is unruled, with nothing between but page furniture and text
    /// lines within the table's edges, and with few column breaks the earlier part lacks, the
    /// parts are one table: its lines (the earlier ones moved up above the later ones, as on
    /// one tall page) are gridded once, so that the columns come from every part's rows (a
    /// continuation leaves columns empty, and a part with only the header has no body to show
    /// them). The label lines above the later part's first amount (`十四、交通运输` … in the
    /// 支出 column) are rows, not text; a header that repeats the earlier part's is dropped.
    fn streams(&mut self, pages: &mut [PageLayout], j: usize) {
        let (before, after) = pages.split_at_mut(j + 1);
        let next = &mut after[0];
        // The table ending page j: the one followed from earlier pages, or the page's own.
        let own = before[j]
            .blocks
            .iter()
            .rposition(|b| !is_furniture(&b.block))
            .filter(|&a| before[j].blocks[a].stream.is_some());
        let (t, so_far) = match (&self.chain, own) {
            (Some(c), _) => (&c.t, c.lines.len()),
            (None, Some(a)) => {
                let t = before[j].blocks[a].stream.as_ref().expect("a stream table");
                (t, t.last + 1 - t.first)
            }
            (None, None) => return,
        };
        let Some(part) = continuation(t, so_far, next) else {
            self.chain = None;
            return;
        };
        // Only a table that continues has its lines copied.
        let c = match self.chain.take() {
            Some(c) => c,
            None => start_chain(&before[j], j, own.expect("a stream table")),
        };
        self.chain = join_part(c, &part, before, next);
    }
}

/// A chain of one part: the stream table `a` of page `j`, its lines and rules.
fn start_chain(page: &PageLayout, j: usize, a: usize) -> Chain {
    let t = page.blocks[a].stream.as_ref().expect("a stream table");
    let lines = page.lines[t.first..=t.last].to_vec();
    let (top, bottom) = (lines[0].top, lines[lines.len() - 1].bottom);
    let hrules = page
        .hrules
        .iter()
        .filter(|r| r.0 >= top - 2.0 && r.0 <= bottom + 2.0)
        .copied()
        .collect();
    let mut t = t.clone();
    (t.data, t.last) = (t.data - t.first, t.last - t.first);
    t.first = 0;
    Chain {
        page: j,
        block: a,
        lines,
        hrules,
        t,
    }
}

/// Where a table continues on the next page: its block `ui`, the text-line blocks above it
/// that become rows (`pre`: block and line indices), the part's first and last line
/// (`from`, `last`; `from` is past a header that repeats the table's).
struct Part {
    /// None for a tail of rows too short to be found as a table of its own.
    ui: Option<usize>,
    pre: Vec<(usize, usize)>,
    from: usize,
    /// The part's first body line (past its own header lines).
    data: usize,
    last: usize,
}

/// Does the first table of `next` continue `t` (of `so_far` lines; see
/// [`Joiner::streams`])?
fn continuation(t: &StreamTable, so_far: usize, next: &PageLayout) -> Option<Part> {
    let first = next.blocks.iter().position(|b| !is_furniture(&b.block))?;
    continued_table(t, so_far, next, first).or_else(|| tail_rows(t, so_far, next, first))
}

/// The last rows of a table standing alone at the top of the next page, too few to be a
/// table of their own (label-only rows and a `收入总计` row, then the next table's title):
/// text lines within the table's edges, no title, 单位 line or prose among them, the last
/// of them printing an amount beside other text.
fn tail_rows(t: &StreamTable, so_far: usize, next: &PageLayout, first: usize) -> Option<Part> {
    if !t.has_data {
        return None;
    }
    let (x0, x1) = (t.bbox[0], t.bbox[2]);
    let mut pre: Vec<(usize, usize)> = Vec::new();
    let mut through = 0;
    for (i, b) in next.blocks.iter().enumerate().skip(first) {
        if is_furniture(&b.block) {
            continue;
        }
        let Some(k) = b.line else { break };
        let l = &next.lines[k];
        let m = l.size * 2.0;
        let prose = l.chunks.len() < 2 && l.x1 - l.x0 > (x1 - x0) * 0.5;
        if l.meta || prose || l.x0 < x0 - m || l.x1 > x1 + m {
            break;
        }
        pre.push((i, k));
        if l.chunks.len() >= 2 && l.chunks.iter().any(|c| is_number(&c.text)) {
            through = pre.len();
        }
    }
    pre.truncate(through);
    let (from, last) = (pre.first()?.1, pre.last()?.1);
    let contiguous = pre.iter().enumerate().all(|(n, p)| p.1 == from + n);
    (contiguous && so_far + pre.len() <= MAX_CHAIN_LINES).then_some(Part {
        ui: None,
        pre,
        from,
        data: from,
        last,
    })
}

/// The next page's first table, when it continues `t`.
fn continued_table(
    t: &StreamTable,
    so_far: usize,
    next: &PageLayout,
    first: usize,
) -> Option<Part> {
    let ui =
        (first..next.blocks.len()).find(|&i| matches!(next.blocks[i].block, Block::Table(_)))?;
    let u = next.blocks[ui].stream.as_ref()?;
    // Only text lines before it, directly above it.
    let pre: Vec<(usize, usize)> = (first..ui)
        .filter(|&i| !is_furniture(&next.blocks[i].block))
        .map(|i| next.blocks[i].line.map(|l| (i, l)))
        .collect::<Option<_>>()?;
    let lines = &next.lines;
    let top = pre.first().map_or(u.first, |p| p.1);
    let only_furniture_between = (top..u.first)
        .all(|k| pre.iter().any(|p| p.1 == k) || crate::grid::is_page_furniture(&lines[k].text()));
    if !only_furniture_between || so_far + (u.last + 1 - top) > MAX_CHAIN_LINES {
        return None;
    }
    // A repeated header (every line of it in the earlier part's header) is dropped.
    let repeated = u.first < u.data
        && pre.is_empty()
        && (u.first..u.data).all(|k| {
            let key = crate::text::compact(&lines[k].text());
            !key.is_empty() && t.header_key.contains(&key)
        });
    let from = if repeated { u.data } else { top };
    fits_columns(t, lines, from, u).then_some(Part {
        ui: Some(ui),
        pre,
        from,
        data: u.data.max(from),
        last: u.last,
    })
}

/// Grid the chain's table with `part` of `next`: the grid goes to the chain's first block,
/// the part's blocks go. The chain goes on when the part ends its page.
fn join_part(
    mut c: Chain,
    part: &Part,
    pages: &mut [PageLayout],
    next: &mut PageLayout,
) -> Option<Chain> {
    let lines = &next.lines;
    let (from, last) = (part.from, part.last);
    // The chain's lines moved up to end well above the part's first line: a page breaks
    // between rows (a row is kept whole on a page), so the two lines are never read as
    // lines of one wrapped cell.
    let pitch = lines[from].size.max(c.lines[c.lines.len() - 1].size) * 2.5;
    let dy = lines[from].baseline - pitch - c.lines[c.lines.len() - 1].baseline;
    let mut all: Vec<SLine> = std::mem::take(&mut c.lines);
    for l in &mut all {
        l.shift(dy);
    }
    let nt = all.len();
    all.extend(lines[from..=last].iter().cloned());
    let mut hrules: Vec<(f32, f32, f32)> = c.hrules.iter().map(|r| (r.0 + dy, r.1, r.2)).collect();
    let (top_y, bottom_y) = (lines[from].top - 2.0, lines[last].bottom + 2.0);
    hrules.extend(
        next.hrules
            .iter()
            .filter(|r| r.0 >= top_y && r.0 <= bottom_y),
    );
    // A table cut off after its header goes on with the rest of its header: the part's
    // own heading lines are header lines too.
    let data = if c.t.has_data {
        c.t.data
    } else {
        nt + (part.data - from)
    };
    let end = all.len() - 1;
    let mut joined = build(&all, 0, data, end, &hrules)?;
    // The block after which the part ends: its table, or its last line.
    let end_block = part.ui.or(part.pre.last().map(|p| p.0))?;
    let page_no = match &next.blocks[end_block].block {
        Block::Table(raw) => raw.page,
        Block::Line { page, .. } => *page,
        _ => None,
    };
    if let Block::Table(raw) = &mut pages[c.page].blocks[c.block].block {
        raw.grid = std::mem::take(&mut joined.grid);
        raw.continued_on.extend(page_no);
    }
    let ends_page = next.blocks[end_block + 1..]
        .iter()
        .all(|b| is_furniture(&b.block));
    if let Some(ui) = part.ui {
        next.blocks.remove(ui);
    }
    for &(i, _) in part.pre.iter().rev() {
        next.blocks.remove(i);
    }
    joined.header_key = std::mem::take(&mut c.t.header_key);
    ends_page.then_some(Chain {
        page: c.page,
        block: c.block,
        lines: all,
        hrules,
        t: joined,
    })
}

/// Do the lines `from..=u.last` of the next page fit the table `t`: within its edges (an
/// em or two, when it has a body), no title or 单位 line, and (when `t` has a body to show its columns) few
/// column breaks of `u` that `t` lacks?
fn fits_columns(t: &StreamTable, lines: &[SLine], from: usize, u: &StreamTable) -> bool {
    // A table cut off after its header has no edges yet: its headings need not reach
    // the columns the body fills (a header row with 单位：万元 at one end and the amount
    // columns' headings on the next page).
    let (x0, x1) = if t.has_data {
        (t.bbox[0], t.bbox[2])
    } else {
        (f32::MIN, f32::MAX)
    };
    let within = (from..=u.last).all(|k| {
        let l = &lines[k];
        let m = l.size * 2.0;
        !l.meta && l.x0 >= x0 - m && l.x1 <= x1 + m
    });
    // Most of the part's own column breaks are the table's (a few more come from a
    // label the part breaks at a word gap, with too few rows to tolerate it).
    let em = lines[u.last].size;
    let matched = u
        .seps
        .iter()
        .filter(|s| t.seps.iter().any(|r| s.0 < r.1 + em && r.0 < s.1 + em))
        .count();
    let agree = !t.has_data || matched * 4 >= u.seps.len() * 3;
    within && agree
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
/// table. Does the last table of a page (`a`, its blocks) go on as the first of the next
/// (`b`)? Their block indices if so: the same left and right edges, columns that agree,
/// and no title at the top of the later part.
fn lattice_link(a: &[PBlock], b: &[PBlock]) -> Option<(usize, usize)> {
    let last = a.iter().rposition(|x| !is_furniture(&x.block))?;
    let first = b.iter().position(|x| !is_furniture(&x.block))?;
    let linked = match (&a[last].lattice, &b[first].lattice, &b[first].block) {
        (Some((la, _)), Some((lb, _)), Block::Table(next)) => {
            (la.bbox[0] - lb.bbox[0]).abs() < 3.0
                && (la.bbox[2] - lb.bbox[2]).abs() < 3.0
                && columns_agree(&edge_xs(la, true), &edge_xs(lb, false))
                && !crate::grid::starts_with_title(&next.grid)
        }
        _ => false,
    };
    linked.then_some((last, first))
}

/// One ruled table continued over pages (its parts, gathered by [`Joiner::step`]): the
/// parts re-gridded on the union of their column boundaries, the later ones marked as
/// continuations, a header repeated at the top of a page dropped, a row cut by the page
/// break mended.
pub(super) fn join_lattice_group(pages: &mut [PageLayout], group: &[(usize, usize)]) {
    let mut xs: Vec<f32> = Vec::new();
    for &(p, i) in group {
        if let Some((l, _)) = &pages[p].blocks[i].lattice {
            xs.extend(lattice_xs(l));
        }
    }
    for (n, &(p, i)) in group.iter().enumerate() {
        let pb = &mut pages[p].blocks[i];
        if let (Some((l, gs)), Block::Table(raw)) = (&pb.lattice, &mut pb.block) {
            // Laid out again only where the other parts add a column boundary: the
            // grid is a function of the boundaries, and most parts share them.
            if column_xs(l, &xs) != column_xs(l, &[]) {
                let refs: Vec<&PGlyph> = gs.iter().collect();
                if let Some(g) = lattice_grid(l, &refs, &xs, raw.page.unwrap_or(0)) {
                    raw.grid = g;
                }
            }
            raw.continued = n > 0;
        }
    }
    // The header rows of the table's first part (above its first amount): a row that
    // repeats one of them at the top of a later page is a repeated header, not the
    // rest of a cut row.
    let head: Vec<String> = match &pages[group[0].0].blocks[group[0].1].block {
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
        let open_bottom = pages[pa].blocks[ia]
            .lattice
            .as_ref()
            .is_some_and(|(l, _)| !closed_bottom(l));
        if !open_bottom {
            continue;
        }
        let tail = match &mut pages[pb_].blocks[ib].block {
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
                    let places = raw.grid.row_places(0);
                    raw.grid.remove_row(0);
                    Some((first, places))
                } else {
                    None
                }
            }
            _ => None,
        };
        let Some((tail, tail_places)) = tail else {
            continue;
        };
        let mut undo = Some((tail.clone(), tail_places));
        if let Block::Table(raw) = &mut pages[pa].blocks[ia].block {
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
                    // The cut cell keeps the place of its first part.
                    undo = None;
                }
            }
        }
        if let (Some((row, places)), Block::Table(raw)) = (undo, &mut pages[pb_].blocks[ib].block) {
            raw.grid.insert_row(0, row, places);
        }
    }
    // The parts are laid out for good: their glyphs are not needed any more.
    for &(p, i) in group {
        if let Some((_, gs)) = &mut pages[p].blocks[i].lattice {
            *gs = Vec::new();
        }
    }
}
