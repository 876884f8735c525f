//! Text geometry shared by the table finders: lines, chunks, cell text, clustering.

use super::device::*;
use crate::text::squash_cjk;
use std::collections::HashMap;
pub(super) struct Dsu(pub(super) Vec<usize>);
impl Dsu {
    pub(super) fn new(n: usize) -> Self {
        Dsu((0..n).collect())
    }
    pub(super) fn find(&mut self, x: usize) -> usize {
        let mut r = x;
        while self.0[r] != r {
            r = self.0[r];
        }
        let mut y = x;
        while self.0[y] != r {
            let n = self.0[y];
            self.0[y] = r;
            y = n;
        }
        r
    }
    pub(super) fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            self.0[rb.max(ra)] = rb.min(ra);
        }
    }
}

/// Cluster sorted values within `tol` to their means.
pub(super) fn cluster(mut v: Vec<f32>, tol: f32) -> Vec<f32> {
    v.sort_by(|a, b| a.total_cmp(b));
    let mut out: Vec<f32> = Vec::new();
    let mut group: Vec<f32> = Vec::new();
    for x in v {
        if let Some(&last) = group.last() {
            if x - last > tol {
                out.push(group.iter().sum::<f32>() / group.len() as f32);
                group.clear();
            }
        }
        group.push(x);
    }
    if !group.is_empty() {
        out.push(group.iter().sum::<f32>() / group.len() as f32);
    }
    out
}

/// Where each text run is placed: the centre of its first glyph.
pub(super) fn run_anchors<'g>(
    glyphs: impl Iterator<Item = &'g PGlyph>,
) -> HashMap<u32, (f32, f32)> {
    let mut anchors = HashMap::new();
    for g in glyphs {
        anchors.entry(g.run).or_insert((g.cx(), g.cy()));
    }
    anchors
}

pub(super) fn inside(b: &[f32; 4], x: f32, y: f32) -> bool {
    x >= b[0] - 1.0 && x <= b[2] + 1.0 && y >= b[1] - 1.0 && y <= b[3] + 1.0
}

/// Glyphs grouped into lines (same baseline), each sorted left to right; lines top down.
pub(super) fn text_lines(glyphs: &[&PGlyph]) -> Vec<Vec<PGlyph>> {
    let mut gs: Vec<&PGlyph> = glyphs.to_vec();
    gs.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x0.total_cmp(&b.x0)));
    let mut lines: Vec<Vec<PGlyph>> = Vec::new();
    let mut cur: Vec<PGlyph> = Vec::new();
    let mut cur_y = f32::MIN;
    for g in gs {
        if !cur.is_empty() && (g.y - cur_y).abs() > g.size.min(cur[0].size) * 0.4 {
            lines.push(std::mem::take(&mut cur));
        }
        if cur.is_empty() {
            cur_y = g.y;
        }
        cur.push(g.clone());
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    for l in &mut lines {
        l.sort_by(|a, b| a.x0.total_cmp(&b.x0));
    }
    lines
}

/// The text of one line of glyphs; a space where the gap is wider than a third of an em,
/// or where the PDF drew one.
pub(super) fn line_text(line: &[PGlyph]) -> String {
    let mut s = String::new();
    let mut prev: Option<&PGlyph> = None;
    for g in line {
        if let Some(p) = prev {
            let gap = g.x0 - p.x1;
            if gap > p.size.min(g.size) * 0.3 || (g.space_before && gap > -0.5) {
                s.push(' ');
            }
        }
        s.push_str(&g.text);
        prev = Some(g);
    }
    s
}

/// Lines of a cell joined: wrapped CJK text and numbers broken by a wrap are joined
/// without a space.
pub(super) fn join_cell_lines(lines: &[String]) -> String {
    let mut out = String::new();
    for l in lines {
        let l = l.trim();
        if l.is_empty() {
            continue;
        }
        if let (Some(a), Some(b)) = (out.chars().last(), l.chars().next()) {
            let numeric = |c: char| c.is_ascii_digit() || c == '.' || c == ',';
            let glue = crate::text::is_cjk(a)
                || crate::text::is_cjk(b)
                || (numeric(a) && numeric(b))
                || a == '（'
                || b == '）'
                || a == '('
                || b == ')'
                || a == '/';
            if !glue {
                out.push(' ');
            }
        }
        out.push_str(l);
    }
    normalize_cell(&out)
}

/// Full-width digits (and the separators of a number) become ASCII when the cell is a
/// number; other text keeps its full-width punctuation (单位：万元).
pub(super) fn normalize_cell(s: &str) -> String {
    let s = squash_cjk(s);
    let ascii: String = s
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - 0xFF10 + 0x30).unwrap_or(c),
            _ => c,
        })
        .collect();
    let num: String = ascii
        .chars()
        .map(|c| match c {
            '．' => '.',
            '，' => ',',
            '－' | '−' => '-',
            c => c,
        })
        .collect();
    if crate::text::parse_amount(&num).is_some() || num.chars().all(|c| c.is_ascii_digit()) {
        num
    } else {
        ascii
    }
}

/// The box around glyphs' text (x0, top, x1, bottom), if there are any.
pub(super) fn glyph_box<'a>(gs: impl IntoIterator<Item = &'a PGlyph>) -> Option<[f32; 4]> {
    gs.into_iter().fold(None, |b, g| {
        let gb = [g.x0, g.top(), g.x1, g.bottom()];
        Some(match b {
            None => gb,
            Some(b) => [
                b[0].min(gb[0]),
                b[1].min(gb[1]),
                b[2].max(gb[2]),
                b[3].max(gb[3]),
            ],
        })
    })
}

/// A run of glyphs on one line with no wide gap inside it.
#[derive(Debug, Clone)]
pub(super) struct Chunk {
    pub(super) x0: f32,
    pub(super) x1: f32,
    pub(super) text: compact_str::CompactString,
}

/// The glyphs of a line cut into chunks at gaps wider than 1.2 em.
pub(super) fn chunks(line: &[PGlyph]) -> Vec<Chunk> {
    split_glyphs(line, |p, g| g.x0 - p.x1 > p.size.max(g.size) * 1.2)
}

/// The glyphs of a line cut into chunks wherever `cut(previous, next)` holds.
pub(super) fn split_glyphs(
    line: &[PGlyph],
    mut cut: impl FnMut(&PGlyph, &PGlyph) -> bool,
) -> Vec<Chunk> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..line.len() {
        if cut(&line[i - 1], &line[i]) {
            out.push(make_chunk(&line[start..i]));
            start = i;
        }
    }
    if start < line.len() {
        out.push(make_chunk(&line[start..]));
    }
    out
}

pub(super) fn make_chunk(gs: &[PGlyph]) -> Chunk {
    Chunk {
        x0: gs.first().map_or(0.0, |g| g.x0),
        x1: gs.last().map_or(0.0, |g| g.x1),
        text: normalize_cell(&line_text(gs)).into(),
    }
}
