//! Whitespace-aligned text (`pdftotext -layout`): tables rebuilt from character columns.
//!
//! pdftotext writes each word at its x position divided by a character width, one column
//! per character whatever its width, and never lets a word start before the previous one
//! ends. So a column's numbers share their right edge to within a character or two, but a
//! word may be pushed right by a long label before it, headers wrap into fragments one or
//! two characters wide, and a cell that wraps prints its lines above and below the line
//! that carries the row's numbers.
//!
//! The rebuild, per table:
//! 1. Body: lines that print money, with the text lines between them; the header: the
//!    lines above the first one, up to the title, 单位 line or text.
//! 2. Slots: the body line with the most values gives the sequence of columns (labels,
//!    row numbers, values); every line's chunks are matched to the slots in order, at the
//!    least total distance (right edges for numbers, left edges for text), so a pushed
//!    word still lands in its column.
//! 3. Rows: a line with numbers (or a code or ordinal) anchors a row; text lines between
//!    two anchors are shared out so that each wrapped cell has about as many lines above
//!    its anchor as below it.
//! 4. Header: fragments are joined across spaces and lines into header terms; each header
//!    line's terms are matched to the value columns in order under the scale and shift
//!    that fit that line best; a group heading is carried to the neighbouring columns
//!    that are its children.

use super::flow::{
    allowed_child, is_stop_line, known_terms, term_prefix, tokenize_header, TermKind,
};
use crate::grid::{department_in, is_table_number_line, unit_in, Block, Grid, Merge, RawTable};
use crate::ingest::pdf::median;
use crate::text::{compact, looks_like_money, squash_cjk};
use crate::vocab::{level_key, level_token};

/// Is this text whitespace-aligned layout output? Many money lines with wide internal
/// gaps; markdown, TSV and flow text have (almost) none.
pub fn is_layout(lines: &[&str]) -> bool {
    let (mut money, mut gapped) = (0usize, 0usize);
    for l in lines {
        if l.contains('\t') || l.trim_start().starts_with('|') {
            continue;
        }
        let toks = tokens(l);
        if !toks.iter().any(|t| looks_like_money(&t.text)) {
            continue;
        }
        money += 1;
        if toks.windows(2).any(|w| w[1].s >= w[0].e + 4) {
            gapped += 1;
        }
    }
    gapped >= 20 && gapped * 2 >= money
}

/// A word: a run of non-space characters, at character columns `s..e`.
#[derive(Debug, Clone)]
struct Tok {
    s: usize,
    e: usize,
    text: String,
}

fn tokens(line: &str) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut start = 0;
    let mut n = 0;
    for (i, c) in line.chars().enumerate() {
        n = i + 1;
        if c.is_whitespace() {
            if !cur.is_empty() {
                out.push(Tok {
                    s: start,
                    e: i,
                    text: std::mem::take(&mut cur),
                });
            }
        } else {
            if cur.is_empty() {
                start = i;
            }
            cur.push(c);
        }
    }
    if !cur.is_empty() {
        out.push(Tok {
            s: start,
            e: n,
            text: cur,
        });
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Label,
    RowNum,
    Value,
}

/// A cell's worth of one line: a number, a row number, or label words.
#[derive(Debug, Clone)]
struct Chunk {
    kind: Kind,
    s: usize,
    e: usize,
    text: String,
}

impl Chunk {
    /// Where the chunk is anchored: numbers are right-aligned, text left-aligned.
    fn pos(&self) -> f32 {
        match self.kind {
            Kind::Value => self.e as f32,
            _ => self.s as f32,
        }
    }
}

fn is_code_tok(t: &str) -> bool {
    t.chars().all(|c| c.is_ascii_digit()) && (3..=9).contains(&t.len())
}

fn is_rownum_tok(t: &str) -> bool {
    t.chars().all(|c| c.is_ascii_digit()) && (1..=2).contains(&t.len())
}

/// Chunks of a body line. A leading code (`2010301`, or split `201 03 01`) stays with its
/// label; label words closer than three columns stay together.
fn chunks(line: &str) -> Vec<Chunk> {
    let toks = tokens(line);
    let mut out: Vec<Chunk> = Vec::new();
    let mut i = 0;
    // A leading code, split or not, joins into one label chunk with what follows.
    let mut lead = String::new();
    let mut lead_s = None;
    if let Some(t) = toks.first() {
        if is_code_tok(&t.text) {
            lead = t.text.clone();
            lead_s = Some(t.s);
            i = 1;
            if t.text.len() == 3 {
                while i < toks.len()
                    && i < 3
                    && toks[i].text.len() == 2
                    && is_rownum_tok(&toks[i].text)
                {
                    lead.push_str(&toks[i].text);
                    i += 1;
                }
            }
        }
    }
    let mut code_open = lead_s.is_some();
    if let Some(s) = lead_s {
        out.push(Chunk {
            kind: Kind::Label,
            s,
            e: toks[i - 1].e,
            text: format!("{lead} "),
        });
    }
    while i < toks.len() {
        let t = &toks[i];
        let kind = if looks_like_money(&t.text) {
            Kind::Value
        } else if is_rownum_tok(&t.text) {
            Kind::RowNum
        } else {
            Kind::Label
        };
        match out.last_mut() {
            Some(last)
                if kind == Kind::Label
                    && last.kind == Kind::Label
                    && (t.s < last.e + 3 || code_open) =>
            {
                code_open = false;
                last.text.push_str(&t.text);
                last.text.push(' ');
                last.e = t.e;
            }
            _ => out.push(Chunk {
                kind,
                s: t.s,
                e: t.e,
                text: if kind == Kind::Label {
                    format!("{} ", t.text)
                } else {
                    t.text.clone()
                },
            }),
        }
        i += 1;
    }
    for c in &mut out {
        c.text = c.text.trim().to_string();
    }
    out
}

/// A body line that prints money (and is not a sentence).
fn is_data(line: &str) -> bool {
    !is_prose(line) && tokens(line).iter().any(|t| looks_like_money(&t.text))
}

/// A sentence of the explanatory text, not a table line.
fn is_prose(line: &str) -> bool {
    let t = line.trim();
    t.contains("....")
        || t.contains("……")
        || t.chars().any(|c| "。，；%％".contains(c))
        || t.contains("万元")
        || (!t.contains("  ")
            && t.chars().count() >= 30
            && !tokens(t).iter().any(|w| looks_like_money(&w.text)))
}

/// A line no table runs through: a title, 单位 or 部门 line, table number, note or text.
fn is_boundary(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty()
        && (is_stop_line(t)
            || is_prose(t)
            || unit_in(t).is_some()
            || department_in(t).is_some()
            || is_table_number_line(t)
            || compact(t).ends_with('：')
            || compact(t).ends_with(':'))
}

/// An ordinal or total label that starts a row of its own (`（三）国防支出`, `一、`, `合计`).
fn starts_row(text: &str) -> bool {
    static ORD: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"^(（[一二三四五六七八九十廿]+）|\([一二三四五六七八九十廿]+\)|[一二三四五六七八九十廿]+、|\d+[.、．]|其中|合计|总计|本年|上年|年初|年末|年终)").unwrap()
    });
    ORD.is_match(text.trim())
}

struct LLine<'a> {
    text: &'a str,
    page: u32,
}

/// Blocks of a layout document: text lines, and a grid for each table found.
pub fn blocks(src: &str) -> Vec<Block> {
    let mut lines: Vec<LLine> = Vec::new();
    let mut page = 1;
    for raw in src.split('\n') {
        let mut l = raw.trim_end_matches('\r');
        while let Some(rest) = l.strip_prefix('\u{c}') {
            page += 1;
            l = rest;
        }
        lines.push(LLine { text: l, page });
    }
    // A 部门 line wrapped before its closing bracket (`部门：XX局（汇` / `总）`) is one line.
    let mut joined: Vec<String> = Vec::new();
    let mut k = 0;
    while k < lines.len() {
        let t = lines[k].text;
        let next = lines.get(k + 1).map(|l| l.text.trim()).unwrap_or("");
        let open = t.matches(['（', '(']).count() > t.matches(['）', ')']).count();
        if department_in(t).is_some()
            && open
            && next.chars().count() <= 8
            && (next.ends_with('）') || next.ends_with(')'))
        {
            joined.push(format!("{}{}", t.trim_end(), next));
            joined.push(String::new());
            k += 2;
        } else {
            joined.push(t.to_string());
            k += 1;
        }
    }
    for (l, j) in lines.iter_mut().zip(&joined) {
        l.text = j;
    }
    let data: Vec<bool> = lines.iter().map(|l| is_data(l.text)).collect();
    let mut out = Vec::new();
    let mut done = 0; // lines before this are emitted
    let mut i = 0;
    while i < lines.len() {
        if !data[i] {
            i += 1;
            continue;
        }
        // Header: upward from the first data line to a boundary line.
        let mut h = i;
        while h > done && i - h < 16 {
            let t = lines[h - 1].text;
            if is_boundary(t) || t.trim().is_empty() {
                break;
            }
            h -= 1;
        }
        // Body: data lines, with up to 8 text lines between them.
        let mut end = i + 1;
        let mut j = i + 1;
        while j < lines.len() {
            if data[j] {
                end = j + 1;
                j += 1;
                continue;
            }
            let t = lines[j].text;
            if is_boundary(t) || j - end >= 8 {
                break;
            }
            // Rows with no numbers (`（十一）节能环保支出`) keep the table going.
            if starts_row(t) && !is_header_line(t) {
                end = j + 1;
            }
            j += 1;
        }
        // A wrapped label may print its last lines after the last data line.
        let mut tail = end;
        while tail < lines.len()
            && tail < end + 3
            && !data[tail]
            && !lines[tail].text.trim().is_empty()
            && !is_boundary(lines[tail].text)
            && !is_header_line(lines[tail].text)
        {
            tail += 1;
        }
        for l in &lines[done..h] {
            out.push(Block::Line {
                text: l.text.to_string(),
                page: Some(l.page),
            });
        }
        let header: Vec<&str> = lines[h..i].iter().map(|l| l.text).collect();
        let body: Vec<BodyLine> = (i..tail)
            .map(|k| BodyLine {
                text: lines[k].text,
                data: data[k],
                new_page: k > i && lines[k].page != lines[k - 1].page,
            })
            .collect();
        if let Some(grid) = table_grid(&header, &body) {
            out.push(Block::Table(RawTable {
                grid,
                page: Some(lines[i].page),
                ..Default::default()
            }));
        }
        done = tail;
        i = tail;
    }
    for l in &lines[done..] {
        out.push(Block::Line {
            text: l.text.to_string(),
            page: Some(l.page),
        });
    }
    out
}

/// A line that repeats column headings (at least two header terms, no money).
fn is_header_line(line: &str) -> bool {
    known_terms(&compact(line)) >= 2
}

/// A column of the rebuilt table.
#[derive(Debug, Clone)]
struct Slot {
    kind: Kind,
    pos: f32,
    /// Leftmost start of the column's numbers (for header assignment).
    min_s: usize,
}

/// Match a line's chunks to slots in order, at the least total distance. Consecutive label
/// chunks may share a label slot. Returns the slot of each chunk.
fn assign(chunks: &[Chunk], slots: &[Slot]) -> Option<Vec<usize>> {
    let m = chunks.len();
    let k = slots.len();
    if m == 0 {
        return Some(Vec::new());
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
    for i in 1..m {
        for j in 0..k {
            let c = cost(&chunks[i], &slots[j]);
            if c == INF {
                continue;
            }
            let share = chunks[i].kind == Kind::Label && chunks[i - 1].kind == Kind::Label;
            let top = if share { j + 1 } else { j };
            for p in 0..top.min(k) {
                if best[i - 1][p] + c < best[i][j] {
                    best[i][j] = best[i - 1][p] + c;
                    from[i][j] = p;
                }
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
    Some(out)
}

/// Slots from the body: the data line with the most values (then the most chunks) gives
/// the sequence; positions are then the medians of what each slot receives.
fn find_slots(lines: &[Vec<Chunk>]) -> Option<Vec<Slot>> {
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
        if c.kind == Kind::Label && slots.last().is_some_and(|s| s.kind == Kind::Label) {
            continue;
        }
        slots.push(Slot {
            kind: c.kind,
            pos: c.pos(),
            min_s: c.s,
        });
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
/// code, an ordinal or a total word, or labels in two label slots). A code line directly
/// above a data line without a code of its own is one anchor with it. Text lines between
/// anchors are shared out so that each row has as many lines above its anchor as below,
/// give or take one; a line that starts a row never trails the one before.
/// `starts[k]`: line k starts a row of its own (see [`starts_own_row`]).
fn rows(data: &[bool], starts: &[bool]) -> Vec<Vec<usize>> {
    let n = data.len();
    let starts = |k: usize| starts[k];
    // Anchor blocks: (first line, last line).
    let mut anchors: Vec<(usize, usize)> = Vec::new();
    let mut k = 0;
    while k < n {
        if data[k] {
            anchors.push((k, k));
        } else if starts(k) {
            if k + 1 < n && data[k + 1] && !starts(k + 1) {
                anchors.push((k, k + 1));
                k += 2;
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

/// A body line of a table: its text, whether it prints money, whether it starts a page.
struct BodyLine<'a> {
    text: &'a str,
    data: bool,
    new_page: bool,
}

/// Does a line start a row of its own: a leading code, an ordinal or total word, or (in a
/// table with two label columns) text in two of them? `a` is its slot assignment.
fn starts_own_row(chunks: &[Chunk], a: Option<&Vec<usize>>, label_slots: usize) -> bool {
    let t = chunks.first().map(|c| c.text.as_str()).unwrap_or("");
    is_code_tok(t.split_whitespace().next().unwrap_or(""))
        || starts_row(t)
        || (label_slots > 1
            && a.is_some_and(|a| {
                let mut used = a.clone();
                used.dedup();
                used.len() > 1
            }))
}

/// Rebuild one table's grid from its header lines and body lines.
fn table_grid(header: &[&str], body: &[BodyLine]) -> Option<Grid> {
    // Drop a heading repeated at the top of a new page: the lines from the page break to
    // the next data line, when they print header terms.
    let mut kept: Vec<&BodyLine> = Vec::new();
    let mut k = 0;
    while k < body.len() {
        let l = &body[k];
        if l.new_page && !l.data {
            let next = (k..body.len())
                .find(|&x| body[x].data)
                .unwrap_or(body.len());
            let text: String = body[k..next].iter().map(|x| compact(x.text)).collect();
            if known_terms(&text) >= 2 {
                k = next;
                continue;
            }
        }
        kept.push(l);
        k += 1;
    }
    let body_chunks: Vec<Vec<Chunk>> = kept.iter().map(|l| chunks(l.text)).collect();
    let data: Vec<bool> = kept.iter().map(|l| l.data).collect();
    let data_chunks: Vec<Vec<Chunk>> = body_chunks
        .iter()
        .zip(&data)
        .filter(|(_, d)| **d)
        .map(|(c, _)| c.clone())
        .collect();
    let slots = find_slots(&data_chunks)?;
    let label_slots = slots.iter().filter(|s| s.kind == Kind::Label).count();
    let assigned: Vec<Option<Vec<usize>>> =
        body_chunks.iter().map(|cs| assign(cs, &slots)).collect();
    let starts: Vec<bool> = body_chunks
        .iter()
        .zip(&assigned)
        .map(|(cs, a)| starts_own_row(cs, a.as_ref(), label_slots))
        .collect();
    let rows = rows(&data, &starts);
    if rows.is_empty() {
        return None;
    }
    // Cells of each row.
    let mut cells: Vec<Vec<String>> = Vec::new();
    for row in &rows {
        let mut cell = vec![String::new(); slots.len()];
        for &l in row {
            let cs = &body_chunks[l];
            // A line that matches no slot sequence: each chunk to the nearest slot of its kind.
            let a = assigned[l]
                .clone()
                .unwrap_or_else(|| cs.iter().map(|c| nearest(&slots, c)).collect());
            for (c, &j) in cs.iter().zip(&a) {
                let dst = &mut cell[j];
                if slots[j].kind == Kind::Value && !dst.is_empty() {
                    continue;
                }
                if !dst.is_empty() {
                    dst.push(' ');
                }
                dst.push_str(&c.text);
            }
        }
        for (j, c) in cell.iter_mut().enumerate() {
            // The first label keeps its spaces until its code is split off.
            if slots[j].kind == Kind::Label && j > 0 {
                *c = squash_cjk(c);
            }
        }
        cells.push(cell);
    }
    // The first label column splits into code and name when rows print codes.
    let has_code = cells
        .iter()
        .any(|c| c[0].split_whitespace().next().is_some_and(is_code_tok));
    let header_cols = header_columns(header, &slots);
    let depth = header_cols
        .iter()
        .map(|p| p.len())
        .max()
        .unwrap_or(0)
        .max(1);
    let htext: String = header.iter().map(|l| compact(l)).collect();
    let mut col_heads: Vec<Vec<String>> = Vec::new();
    let mut grid_rows: Vec<Vec<String>> = vec![Vec::new(); depth];
    for (j, s) in slots.iter().enumerate() {
        let heads: Vec<Vec<String>> = match s.kind {
            Kind::Label if j == 0 && has_code => {
                let unit_codes = (htext.contains("单位代码") || htext.contains("单位）代码"))
                    && !htext.contains("科目");
                if unit_codes {
                    vec![vec!["单位代码".into()], vec!["单位名称".into()]]
                } else {
                    vec![vec!["科目编码".into()], vec!["科目名称".into()]]
                }
            }
            Kind::Label => vec![vec!["项目".into()]],
            Kind::RowNum => vec![vec!["行次".into()]],
            Kind::Value => vec![header_cols[j].clone()],
        };
        col_heads.extend(heads);
    }
    for (r, row) in grid_rows.iter_mut().enumerate() {
        for p in &col_heads {
            row.push(p.get(r).cloned().unwrap_or_default());
        }
    }
    // A group repeated over neighbouring columns prints once, merged over them.
    let mut merges = Vec::new();
    for r in 0..depth {
        let mut c = 0;
        while c < col_heads.len() {
            let mut e = c + 1;
            while e < col_heads.len()
                && !grid_rows[r][c].is_empty()
                && col_heads[e].len() > r + 1
                && col_heads[c].len() > r + 1
                && col_heads[e][..=r] == col_heads[c][..=r]
            {
                e += 1;
            }
            if e > c + 1 {
                for cell in &mut grid_rows[r][c + 1..e] {
                    cell.clear();
                }
                merges.push(Merge {
                    row: r,
                    col: c,
                    row_span: 1,
                    col_span: e - c,
                });
            }
            c = e;
        }
    }
    for cell in cells {
        let mut row = Vec::new();
        for (j, text) in cell.into_iter().enumerate() {
            if j == 0 && has_code {
                let mut it = text.splitn(2, ' ');
                let first = it.next().unwrap_or("");
                if is_code_tok(first) {
                    row.push(first.to_string());
                    row.push(squash_cjk(it.next().unwrap_or("")));
                } else {
                    row.push(String::new());
                    row.push(squash_cjk(&text));
                }
            } else if j == 0 {
                row.push(squash_cjk(&text));
            } else {
                row.push(text);
            }
        }
        grid_rows.push(row);
    }
    let mut g = Grid::new(grid_rows);
    g.merges = merges;
    g.pad();
    Some(g)
}

fn nearest(slots: &[Slot], c: &Chunk) -> usize {
    (0..slots.len())
        .filter(|&j| slots[j].kind == c.kind)
        .min_by(|&a, &b| {
            (slots[a].pos - c.pos())
                .abs()
                .total_cmp(&(slots[b].pos - c.pos()).abs())
        })
        .unwrap_or(0)
}

/// A header word: fragments joined across spaces and lines into (the start of) a term.
#[derive(Debug, Clone)]
struct HWord {
    text: String,
    s: usize,
    e: usize,
    line: usize,
    last_line: usize,
}

impl HWord {
    fn cx(&self) -> f32 {
        (self.s + self.e) as f32 / 2.0
    }
}

/// Header fragments joined into words: a fragment continues a word on the same line (one
/// space apart) or on a line above (overlapping or close by) when together they make a
/// header term or the start of one (`工资福利支` + `出`, `对个人和家` + `庭的` + `补助`).
fn header_words(header: &[&str]) -> Vec<HWord> {
    let mut words: Vec<HWord> = Vec::new();
    for (li, l) in header.iter().enumerate() {
        let mut line_words: Vec<HWord> = Vec::new();
        for t in tokens(l) {
            if t.text.chars().all(|c| c.is_ascii_digit()) {
                continue; // column numbers (栏次 1 2 3)
            }
            if let Some(last) = line_words.last_mut() {
                let joined = format!("{}{}", last.text, t.text);
                if t.s <= last.e + 1
                    && term_prefix(&last.text) != Some(true)
                    && joins(&last.text, &joined)
                {
                    last.text = joined;
                    last.e = t.e;
                    continue;
                }
            }
            line_words.push(HWord {
                text: t.text,
                s: t.s,
                e: t.e,
                line: li,
                last_line: li,
            });
        }
        for w in line_words {
            let cand = words
                .iter()
                .enumerate()
                .filter(|(_, p)| {
                    p.last_line < li
                        && p.last_line + 3 >= li
                        && term_prefix(&p.text) != Some(true)
                        && w.s <= p.e + 6
                        && w.e + 6 >= p.s
                        && joins(&p.text, &format!("{}{}", p.text, w.text))
                })
                .min_by(|a, b| {
                    (a.1.cx() - w.cx())
                        .abs()
                        .total_cmp(&(b.1.cx() - w.cx()).abs())
                })
                .map(|(i, _)| i);
            match cand {
                Some(i) => {
                    let p = &mut words[i];
                    p.text.push_str(&w.text);
                    p.s = p.s.min(w.s);
                    p.e = p.e.max(w.e);
                    p.last_line = li;
                }
                None => words.push(w),
            }
        }
    }
    words
}

/// Does `joined` (`part` and what follows it) make a header term or the start of one, or
/// a heading the measure mapping knows where `part` alone is none (`财政拨款收` + `入`)?
fn joins(part: &str, joined: &str) -> bool {
    term_prefix(joined).is_some() || (level_token(joined).is_some() && level_token(part).is_none())
}

fn is_group(t: &str) -> bool {
    allowed_child(t, "小计")
}

/// The value terms a header word names: vocabulary terms, and unknown runs of four or more
/// characters (a heading the vocabulary lacks). None for label headings.
fn word_terms(w: &str) -> Option<Vec<String>> {
    let k = level_key(w);
    // A heading the measure mapping knows as a whole stays whole (一般公共预算财政拨款).
    if level_token(&k).is_some() && term_prefix(&k) != Some(true) && !is_group(&k) {
        return Some(vec![k]);
    }
    let (terms, _) = tokenize_header(&k);
    if terms.iter().any(|t| t.kind == TermKind::Label)
        || matches!(
            crate::vocab::term_of_key(&k),
            Some(crate::vocab::Term::Label | crate::vocab::Term::RowNum)
        )
    {
        return None;
    }
    let v: Vec<String> = terms
        .into_iter()
        .filter(|t| {
            t.kind == TermKind::Value
                && (term_prefix(&t.text) == Some(true) || t.text.chars().count() >= 4)
        })
        .map(|t| t.text)
        .collect();
    (!v.is_empty()).then_some(v)
}

/// Header paths of the value slots (empty for other slots).
///
/// Header lines are not on the numbers' character grid: a line of wide CJK text is
/// squeezed or stretched against the number lines, differently line by line. So each
/// header line's words are matched to the value columns in order under the linear map
/// (scale and shift) that brings them nearest, and a word far from every column (a column
/// with no numbers at all) is left out. A column's path is its group headings top to
/// bottom and its lowest leaf; groups are then carried to neighbouring columns that are
/// their children.
fn header_columns(header: &[&str], slots: &[Slot]) -> Vec<Vec<String>> {
    let k = slots.len();
    let vcols: Vec<usize> = (0..k).filter(|&j| slots[j].kind == Kind::Value).collect();
    // A value column's cell runs from the previous column's right edge to its own (the
    // numbers are right-aligned); a heading is centred on the cell.
    let centres: Vec<f32> = vcols
        .iter()
        .map(|&j| {
            let left = if j > 0 && slots[j - 1].kind == Kind::Value {
                slots[j - 1].pos
            } else {
                slots[j].min_s as f32 - 1.0
            };
            (left + slots[j].pos) / 2.0
        })
        .collect();
    let mut paths: Vec<Vec<String>> = vec![Vec::new(); k];
    if vcols.is_empty() {
        return paths;
    }
    let words: Vec<(HWord, Vec<String>)> = header_words(header)
        .into_iter()
        .filter_map(|w| word_terms(&w.text).map(|t| (w, t)))
        .collect();
    // (column index in vcols, line, terms, distance)
    let mut hits: Vec<(usize, usize, Vec<String>, f32)> = Vec::new();
    let nlines = header.len();
    for li in 0..nlines {
        let mut ws: Vec<&(HWord, Vec<String>)> = words.iter().filter(|w| w.0.line == li).collect();
        if ws.is_empty() {
            continue;
        }
        ws.sort_by(|a, b| a.0.cx().total_cmp(&b.0.cx()));
        let xs: Vec<f32> = ws.iter().map(|w| w.0.cx()).collect();
        if let Some(a) = fit_line(&xs, &centres) {
            for (w, m) in ws.iter().zip(a) {
                if let Some((c, d)) = m {
                    hits.push((c, li, w.1.clone(), d));
                }
            }
        }
    }
    for (ci, &j) in vcols.iter().enumerate() {
        let mut mine: Vec<&(usize, usize, Vec<String>, f32)> =
            hits.iter().filter(|h| h.0 == ci).collect();
        mine.sort_by(|a, b| a.1.cmp(&b.1).then(a.3.total_cmp(&b.3)));
        let mut groups: Vec<String> = Vec::new();
        let mut leaf: Option<(usize, String)> = None; // (header line, term)
        for h in &mine {
            for t in &h.2 {
                if is_group(t) {
                    if !groups.contains(t) {
                        groups.push(t.clone());
                    }
                } else if leaf.as_ref().is_none_or(|l| h.1 > l.0) {
                    leaf = Some((h.1, t.clone()));
                }
            }
        }
        let mut path = groups;
        if let Some((_, l)) = leaf {
            path.push(l);
        }
        paths[j] = path;
    }
    // Carry groups to their children's columns.
    let groups: Vec<(usize, String)> = paths
        .iter()
        .enumerate()
        .flat_map(|(j, p)| {
            p.iter()
                .take(p.len().saturating_sub(1))
                .map(move |g| (j, g.clone()))
        })
        .collect();
    for (j, g) in groups {
        for dir in [-1i32, 1] {
            let mut x = j as i32 + dir;
            while x >= 0 && (x as usize) < k {
                let p = &mut paths[x as usize];
                if slots[x as usize].kind != Kind::Value || p.is_empty() || p.contains(&g) {
                    break;
                }
                if !allowed_child(&g, &p[0]) {
                    break;
                }
                p.insert(0, g.clone());
                x += dir;
            }
        }
    }
    paths
}

/// Each point's (column, distance), or None when left unmatched.
type Matches = Vec<Option<(usize, f32)>>;

/// Match one header line's word centres `xs` (sorted) to column centres in order, under
/// the map x → a·(x − x0) + x0 + b that gives the least total distance; a word may stay
/// unmatched at a fixed cost. Returns each word's (column, distance).
fn fit_line(xs: &[f32], cols: &[f32]) -> Option<Matches> {
    const SKIP: f32 = 5.0;
    let x0 = cols[0];
    let mut best: Option<(f32, Matches)> = None;
    let mut a = 0.7f32;
    while a <= 1.8 {
        for b in -40..=40 {
            let b = b as f32;
            let map: Vec<f32> = xs.iter().map(|x| a * (x - x0) + x0 + b).collect();
            let (cost, m) = align(&map, cols, SKIP);
            let cost = cost + (a - 1.0).abs() * 4.0 + b.abs() * 0.02;
            if best.as_ref().is_none_or(|(c, _)| cost < *c) {
                best = Some((cost, m));
            }
        }
        a += 0.05;
    }
    best.map(|b| b.1)
}

/// Monotone matching of points to columns (each column at most once), skips at `skip`.
fn align(xs: &[f32], cols: &[f32], skip: f32) -> (f32, Matches) {
    let (n, m) = (xs.len(), cols.len());
    // d[i][j]: least cost of the first i points using columns before j.
    let mut d = vec![vec![f32::INFINITY; m + 1]; n + 1];
    let mut how = vec![vec![0u8; m + 1]; n + 1];
    d[0].fill(0.0);
    for i in 1..=n {
        for j in 0..=m {
            // point i-1 unmatched
            let mut v = d[i - 1][j] + skip;
            let mut h = 1;
            if j > 0 {
                // column j-1 unused
                if d[i][j - 1] < v {
                    v = d[i][j - 1];
                    h = 2;
                }
                let c = d[i - 1][j - 1] + (xs[i - 1] - cols[j - 1]).abs();
                if c < v {
                    v = c;
                    h = 3;
                }
            }
            d[i][j] = v;
            how[i][j] = h;
        }
    }
    let mut out = vec![None; n];
    let (mut i, mut j) = (n, m);
    while i > 0 {
        match how[i][j] {
            1 => i -= 1,
            2 => j -= 1,
            _ => {
                out[i - 1] = Some((j - 1, (xs[i - 1] - cols[j - 1]).abs()));
                i -= 1;
                j -= 1;
            }
        }
    }
    (d[n][m], out)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Lines of 003's 部门支出总体情况表 as pdftotext -layout prints them.
    const TOTAL: &str = "                    合计                47,172.53 1,121.52 1,012.49    33.22    75.81         46,051.01    405.75 45,645.26";
    const ADMIN: &str =
        "    201 03 01       行政运行                 401.87 401.87     353.85             48.02";
    const MGMT: &str = "    201 03 02       一般行政管理事务             533.63                                               533.63     405.75     127.88";

    #[test]
    fn sparse_rows_keep_their_columns() {
        let slots = find_slots(&[chunks(TOTAL), chunks(ADMIN), chunks(MGMT)]).unwrap();
        // One label column and the eight value columns that print numbers.
        assert_eq!(slots.len(), 9);
        // 行政运行: 合计, 基本支出小计, 工资福利支出, 商品和服务支出.
        assert_eq!(assign(&chunks(ADMIN), &slots).unwrap(), vec![0, 1, 2, 3, 5]);
        // 一般行政管理事务: 合计, then the three project columns.
        assert_eq!(assign(&chunks(MGMT), &slots).unwrap(), vec![0, 1, 6, 7, 8]);
        let c = chunks(ADMIN);
        assert_eq!(c[0].text, "2010301 行政运行");
    }

    #[test]
    fn wrapped_header_fragments_join_into_terms() {
        let w = header_words(&[
            "  工资福利支 对个人和家 庭的 商品和服务",
            "  出         补助       支出",
        ]);
        let t: Vec<&str> = w.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(
            t,
            vec!["工资福利支出", "对个人和家庭的补助", "商品和服务支出"]
        );
    }

    #[test]
    fn layout_text_is_told_from_flow_and_tsv() {
        assert!(is_layout(&[ADMIN; 20]));
        let tsv = vec!["2010301\t行政运行\t401.87\t401.87"; 30];
        assert!(!is_layout(&tsv));
        let flow = vec!["2010301 行政运行 401.87 401.87"; 30];
        assert!(!is_layout(&flow));
    }
}
