//! Columns of a layout table (slots) from its body lines, and rows from anchor lines.

use super::{is_code_tok, starts_row, Chunk, Kind};
use crate::ingest::pdf::median;

/// A column of the rebuilt table.
#[derive(Debug, Clone)]
pub(super) struct Slot {
    pub(super) kind: Kind,
    pub(super) pos: f32,
    /// Leftmost start of the column's numbers (for header assignment).
    pub(super) min_s: usize,
}

/// Match a line's chunks to slots in order, at the least total distance. Consecutive label
/// chunks may share a label slot. Returns the slot of each chunk.
pub(super) fn assign(chunks: &[Chunk], slots: &[Slot]) -> Option<Vec<usize>> {
    assign_cost(chunks, slots).map(|(_, a)| a)
}

/// `assign`, with the total distance of the match.
pub(super) fn assign_cost(chunks: &[Chunk], slots: &[Slot]) -> Option<(f32, Vec<usize>)> {
    let m = chunks.len();
    let k = slots.len();
    if m == 0 {
        return Some((0.0, Vec::new()));
    }
    const INF: f32 = f32::INFINITY;
    let cost = |c: &Chunk, s: &Slot| {
        if c.kind != s.kind {
            INF
        } else {
            let d = c.pos() - s.pos;
            // A word pushed right by the text before it is likelier than one to the left.
            if d >= 0.0 {
                d * 0.7
            } else {
                -d
            }
        }
    };
    // best[i][j]: least cost with chunk i in slot j.
    let mut best = vec![vec![INF; k]; m];
    let mut from = vec![vec![usize::MAX; k]; m];
    for j in 0..k {
        best[0][j] = cost(&chunks[0], &slots[j]);
    }
    // Prefix minima of the previous row (value, first slot reaching it): each cell then
    // costs O(1), not O(k) (a line of 1,500 columns was cubic).
    let mut pre: Vec<(f32, usize)> = vec![(INF, usize::MAX); k + 1];
    for i in 1..m {
        for t in 0..k {
            let (v, at) = pre[t];
            let cand = best[i - 1][t];
            pre[t + 1] = if cand < v { (cand, t) } else { (v, at) };
        }
        for j in 0..k {
            let c = cost(&chunks[i], &slots[j]);
            if c == INF {
                continue;
            }
            let share = chunks[i].kind == Kind::Label && chunks[i - 1].kind == Kind::Label;
            let top = if share { j + 1 } else { j };
            let (v, p) = pre[top.min(k)];
            if v + c < best[i][j] {
                best[i][j] = v + c;
                from[i][j] = p;
            }
        }
    }
    let (mut j, v) = (0..k)
        .map(|j| (j, best[m - 1][j]))
        .min_by(|a, b| a.1.total_cmp(&b.1))?;
    if v == INF {
        return None;
    }
    let mut out = vec![0; m];
    for i in (0..m).rev() {
        out[i] = j;
        j = from[i][j];
    }
    Some((v, out))
}

/// Move a line's chunks `by` character columns.
pub(super) fn shifted(chunks: &[Chunk], by: i64) -> Vec<Chunk> {
    chunks
        .iter()
        .map(|c| {
            let mv = |x: usize| (x as i64 + by).max(0) as usize;
            Chunk {
                s: mv(c.s),
                e: mv(c.e),
                ..c.clone()
            }
        })
        .collect()
}

/// The shift that brings a page's lines onto the slots: pdftotext lays out each page on
/// its own character grid, so a table continued on the next page may sit columns to the
/// left or right of where it began. The shift (within ±20) of least total distance over
/// the page's first 30 data lines (enough to tell, and a long page costs no more); a line
/// no shift can match costs a fixed 50.
pub(super) fn page_shift(lines: &[&Vec<Chunk>], slots: &[Slot]) -> i64 {
    let mut best = (f32::INFINITY, 0i64);
    for by in -20i64..=20 {
        let mut total = by.abs() as f32 * 0.01;
        for cs in lines.iter().take(30) {
            let moved = shifted(cs, by);
            // Numbers judge the shift: a page's labels indent on their own scale.
            total += match assign(&moved, slots) {
                Some(a) => moved
                    .iter()
                    .zip(a)
                    .filter(|(c, _)| c.kind == Kind::Value)
                    .map(|(c, j)| (c.pos() - slots[j].pos).abs())
                    .sum(),
                None => 50.0,
            };
        }
        if total < best.0 {
            best = (total, by);
        }
    }
    best.1
}

/// Slots from the body: the data line with the most values (then the most chunks) gives
/// the sequence; positions are then the medians of what each slot receives.
pub(super) fn find_slots(lines: &[Vec<Chunk>]) -> Option<Vec<Slot>> {
    let nval = |cs: &Vec<Chunk>| cs.iter().filter(|c| c.kind == Kind::Value).count();
    let tpl = lines.iter().filter(|cs| nval(cs) > 0).max_by_key(|cs| {
        (
            nval(cs),
            cs.len(),
            std::cmp::Reverse(cs.first().map_or(0, |c| c.s)),
        )
    })?;
    let mut slots: Vec<Slot> = Vec::new();
    if tpl.first().map(|c| c.kind) != Some(Kind::Label) {
        let s = lines
            .iter()
            .filter_map(|cs| cs.first().filter(|c| c.kind == Kind::Label).map(|c| c.s))
            .min()
            .unwrap_or(0);
        slots.push(Slot {
            kind: Kind::Label,
            pos: s as f32,
            min_s: s,
        });
    }
    for c in tpl {
        // Label words run on in one slot, unless a code starts another panel's label.
        let coded = c.text.split_whitespace().next().is_some_and(is_code_tok);
        if c.kind == Kind::Label && slots.last().is_some_and(|s| s.kind == Kind::Label) && !coded {
            continue;
        }
        slots.push(Slot {
            kind: c.kind,
            pos: c.pos(),
            min_s: c.s,
        });
    }
    // A second panel of coded labels (部门预算经济分类 beside 政府预算经济分类) that the
    // template line lacks (its total row names no subject there) gets its own slot, where
    // the other lines print it.
    let lead = |cs: &Vec<Chunk>| cs.iter().take_while(|c| c.kind == Kind::Label).count();
    let coded = |c: &Chunk| c.text.split_whitespace().next().is_some_and(is_code_tok);
    let panels_in_tpl = tpl[..lead(tpl)].iter().filter(|c| coded(c)).count();
    let second: Vec<f32> = lines
        .iter()
        .filter_map(|cs| {
            cs[..lead(cs)]
                .iter()
                .skip(1)
                .find(|c| coded(c))
                .map(|c| c.s as f32)
        })
        .collect();
    if panels_in_tpl < 2 && second.len() >= 3 && second.len() * 4 >= lines.len() {
        if let (Some(p), Some(at)) = (
            median(&second),
            slots.iter().position(|s| s.kind != Kind::Label),
        ) {
            if slots[..at].iter().all(|s| s.pos < p) {
                slots.insert(
                    at,
                    Slot {
                        kind: Kind::Label,
                        pos: p,
                        min_s: p as usize,
                    },
                );
            }
        }
    }
    // Refine: median position of each slot over the lines that match.
    for _ in 0..2 {
        let mut got: Vec<Vec<f32>> = vec![Vec::new(); slots.len()];
        let mut min_s: Vec<usize> = slots.iter().map(|s| s.min_s).collect();
        for cs in lines {
            let Some(a) = assign(cs, &slots) else {
                continue;
            };
            for (c, &j) in cs.iter().zip(&a) {
                got[j].push(c.pos());
                min_s[j] = min_s[j].min(c.s);
            }
        }
        for (j, s) in slots.iter_mut().enumerate() {
            if let Some(p) = median(&got[j]) {
                s.pos = p;
            }
            s.min_s = min_s[j];
        }
    }
    Some(slots)
}

/// Group body lines into rows (each row the body lines it spans). Anchors: data lines, and text lines that start a row (a
/// code, an ordinal or a total word, or labels in two label slots). A code line above a
/// data line without a code of its own (directly, or with up to two wrapped lines between)
/// is one anchor with it. Text lines between
/// anchors are shared out so that each row has as many lines above its anchor as below,
/// give or take one; a line that starts a row never trails the one before.
/// `starts[k]`: line k starts a row of its own (see [`starts_own_row`]).
pub(super) fn rows(data: &[bool], starts: &[bool]) -> Vec<Vec<usize>> {
    let n = data.len();
    let starts = |k: usize| starts[k];
    // Anchor blocks: (first line, last line).
    let mut anchors: Vec<(usize, usize)> = Vec::new();
    let mut k = 0;
    while k < n {
        if data[k] {
            anchors.push((k, k));
        } else if starts(k) {
            // The row's numbers may print up to two wrapped lines further down.
            let mut j = k + 1;
            while j < n && j <= k + 2 && !data[j] && !starts(j) {
                j += 1;
            }
            if j < n && j <= k + 3 && data[j] && !starts(j) {
                anchors.push((k, j));
                k = j + 1;
                continue;
            }
            anchors.push((k, k));
        }
        k += 1;
    }
    if anchors.is_empty() {
        return Vec::new();
    }
    // Gaps: text lines before anchor 0, between anchors, after the last.
    let na = anchors.len();
    let gap_lines = |g: usize| -> Vec<usize> {
        let lo = if g == 0 { 0 } else { anchors[g - 1].1 + 1 };
        let hi = if g == na { n } else { anchors[g].0 };
        (lo..hi).collect()
    };
    // DP over the split of each inner gap: tail of the row before, head of the row after.
    // Row 0's head is all of gap 0; the last row's tail is at most one line longer than
    // its head.
    let gaps: Vec<Vec<usize>> = (0..=na).map(gap_lines).collect();
    // first_starter[g]: lines from this index on in gap g start the next row.
    let first_starter: Vec<usize> = gaps
        .iter()
        .map(|g| g.iter().position(|&l| starts(l)).unwrap_or(g.len()))
        .collect();
    // state: head count of row r; value: (cost, choice of split per gap)
    let mut states: Vec<(usize, f32, Vec<usize>)> = vec![(gaps[0].len(), 0.0, Vec::new())];
    for r in 0..na {
        let g = &gaps[r + 1];
        let mut next: Vec<(usize, f32, Vec<usize>)> = Vec::new();
        for (h, c, splits) in &states {
            let max_t = if r + 1 == na {
                g.len()
            } else {
                first_starter[r + 1]
            };
            let range: Vec<usize> = if r + 1 == na {
                vec![g.len().min(*h + 1)]
            } else {
                (0..=max_t).collect()
            };
            for t in range {
                let cost = c + (*h as f32 - t as f32).abs() - t as f32 * 0.01;
                let nh = g.len() - t;
                let mut sp = splits.clone();
                sp.push(t);
                match next.iter_mut().find(|s| s.0 == nh) {
                    Some(s) if s.1 <= cost => {}
                    Some(s) => *s = (nh, cost, sp),
                    None => next.push((nh, cost, sp)),
                }
            }
        }
        states = next;
    }
    let Some((_, _, splits)) = states.into_iter().min_by(|a, b| a.1.total_cmp(&b.1)) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for r in 0..na {
        let mut ls: Vec<usize> = Vec::new();
        let head_from = if r == 0 { 0 } else { splits[r - 1] };
        ls.extend(&gaps[r][head_from.min(gaps[r].len())..]);
        ls.extend(anchors[r].0..=anchors[r].1);
        let t = splits[r].min(gaps[r + 1].len());
        ls.extend(&gaps[r + 1][..t]);
        out.push(ls);
    }
    out
}

/// Does a line start a row of its own: a leading code, an ordinal or total word, or (in a
/// table with two label columns that are not coded panels, such as the two sides of a
/// 收支总表) text in two of them? `a` is its slot assignment; `coded_panels`: a later
/// label column prints codes of its own (经济分类 beside 政府经济分类), so a wrapped label
/// may print its name's second line beside the other panel's code.
pub(super) fn starts_own_row(
    chunks: &[Chunk],
    a: Option<&Vec<usize>>,
    slots: &[Slot],
    coded_panels: bool,
) -> bool {
    let t = chunks.first().map(|c| c.text.as_str()).unwrap_or("");
    // A code starts a row in the first label column; one in a later panel's (a wrapped
    // label's code printed below its first line) does not.
    let first_slot = a.is_none_or(|a| a.first() == Some(&0));
    let label_slots = slots.iter().filter(|s| s.kind == Kind::Label).count();
    (first_slot && is_code_tok(t.split_whitespace().next().unwrap_or("")))
        || starts_row(t)
        || (label_slots > 1
            && !coded_panels
            && a.is_some_and(|a| {
                let mut used: Vec<usize> = a
                    .iter()
                    .copied()
                    .filter(|&j| slots[j].kind == Kind::Label)
                    .collect();
                used.dedup();
                used.len() > 1
            }))
}

pub(super) fn nearest(slots: &[Slot], c: &Chunk) -> usize {
    nearest_where(slots, c, |j| slots[j].kind == c.kind).unwrap_or(0)
}

/// The slot nearest the chunk among those `ok` allows.
pub(super) fn nearest_where(
    slots: &[Slot],
    c: &Chunk,
    ok: impl Fn(usize) -> bool,
) -> Option<usize> {
    (0..slots.len()).filter(|&j| ok(j)).min_by(|&a, &b| {
        (slots[a].pos - c.pos())
            .abs()
            .total_cmp(&(slots[b].pos - c.pos()).abs())
    })
}
