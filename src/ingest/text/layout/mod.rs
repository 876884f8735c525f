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

mod header;
mod slots;

use super::flow::{is_stop_line, known_terms};
use crate::grid::{department_in, is_table_number_line, unit_in, Block, Grid, Merge, RawTable};
use crate::text::{compact, looks_like_money, squash_cjk};
use header::header_columns;
use slots::{
    assign, find_slots, nearest, nearest_where, page_shift, rows, shifted, starts_own_row,
};

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

/// Where a code starting at token `i` ends: a code token and, after a 3-digit class, up
/// to two 2-digit parts (`201 03 01`), each at most `gap` columns after the one before.
fn code_end(toks: &[Tok], i: usize, gap: usize) -> Option<usize> {
    let t = toks.get(i).filter(|t| is_code_tok(&t.text))?;
    let mut k = i + 1;
    if t.text.len() == 3 {
        while k < toks.len()
            && k < i + 3
            && toks[k].text.len() == 2
            && is_rownum_tok(&toks[k].text)
            && toks[k].s <= toks[k - 1].e.saturating_add(gap)
        {
            k += 1;
        }
    }
    Some(k)
}

/// A label chunk holding a code's tokens joined (`20103 `), for its name to follow.
fn code_chunk(parts: &[Tok]) -> Chunk {
    let code: String = parts.iter().map(|t| t.text.as_str()).collect();
    Chunk {
        kind: Kind::Label,
        s: parts[0].s,
        e: parts[parts.len() - 1].e,
        text: format!("{code} "),
    }
}

/// Chunks of a body line. A leading code (`2010301`, or split `201 03 01`) stays with its
/// label; label words closer than three columns stay together.
fn chunks(line: &str) -> Vec<Chunk> {
    let toks = tokens(line);
    let mut out: Vec<Chunk> = Vec::new();
    let mut i = 0;
    let mut code_open = false;
    // A leading code, split or not, joins into one label chunk with what follows.
    if let Some(k) = code_end(&toks, 0, usize::MAX) {
        out.push(code_chunk(&toks[..k]));
        code_open = true;
        i = k;
    }
    while i < toks.len() {
        let t = &toks[i];
        // A code further along the line (a second panel's `501 01 工资奖金津补贴`, split
        // or not, its parts and name close by) starts a label chunk of its own and takes
        // the name after it.
        if let Some(k) =
            code_end(&toks, i, 2).filter(|&k| i > 0 && (k > i + 1 || t.text.len() >= 5))
        {
            let named = toks.get(k).is_some_and(|n| {
                n.s <= toks[k - 1].e + 2
                    && !looks_like_money(&n.text)
                    && !n.text.chars().all(|c| c.is_ascii_digit())
            });
            if named {
                out.push(code_chunk(&toks[i..k]));
                code_open = true;
                i = k;
                continue;
            }
        }
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
            && !tokens(t).iter().any(|w| looks_like_money(&w.text))
            && !is_fragments(t))
}

/// Short words one space apart (`工资福 利支 对个人 和家庭 的 商品`): headings broken up,
/// not a sentence, which runs on without spaces between CJK characters.
fn is_fragments(t: &str) -> bool {
    let toks = tokens(t);
    let chars: usize = toks.iter().map(|w| w.text.chars().count()).sum();
    toks.len() >= 4 && chars < toks.len() * 4
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

/// A body line of a table: its text, whether it prints money, whether it starts a page.
struct BodyLine<'a> {
    text: &'a str,
    data: bool,
    new_page: bool,
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
    let mut body_chunks: Vec<Vec<Chunk>> = kept.iter().map(|l| chunks(l.text)).collect();
    let data: Vec<bool> = kept.iter().map(|l| l.data).collect();
    let data_chunks = |body: &[Vec<Chunk>]| -> Vec<Vec<Chunk>> {
        body.iter()
            .zip(&data)
            .filter(|(_, d)| **d)
            .map(|(c, _)| c.clone())
            .collect()
    };
    // Each other page is brought onto the columns of the page the numbers start on.
    let mut page = vec![0usize; kept.len()];
    for k in 1..kept.len() {
        page[k] = page[k - 1] + usize::from(kept[k].new_page);
    }
    let first_data = (0..kept.len()).find(|&k| data[k]);
    if let Some(p0) = first_data
        .map(|k| page[k])
        .filter(|_| page.last() > Some(&0))
    {
        let first: Vec<Vec<Chunk>> = (0..kept.len())
            .filter(|&k| page[k] == p0 && data[k])
            .map(|k| body_chunks[k].clone())
            .collect();
        if let Some(reference) = find_slots(&first) {
            for p in (0..=page[kept.len() - 1]).filter(|&p| p != p0) {
                let on: Vec<usize> = (0..kept.len()).filter(|&k| page[k] == p).collect();
                let lines: Vec<&Vec<Chunk>> = on
                    .iter()
                    .filter(|&&k| data[k])
                    .map(|&k| &body_chunks[k])
                    .collect();
                let by = page_shift(&lines, &reference);
                if by != 0 {
                    for &k in &on {
                        body_chunks[k] = shifted(&body_chunks[k], by);
                    }
                }
            }
        }
    }
    let slots = find_slots(&data_chunks(&body_chunks))?;
    let assigned: Vec<Option<Vec<usize>>> =
        body_chunks.iter().map(|cs| assign(cs, &slots)).collect();
    let coded_panels = body_chunks.iter().zip(&assigned).any(|(cs, a)| {
        a.as_ref().is_some_and(|a| {
            cs.iter().zip(a).any(|(c, &j)| {
                j > 0
                    && slots[j].kind == Kind::Label
                    && c.text.split_whitespace().next().is_some_and(is_code_tok)
            })
        })
    });
    let starts: Vec<bool> = body_chunks
        .iter()
        .zip(&assigned)
        .map(|(cs, a)| starts_own_row(cs, a.as_ref(), &slots, coded_panels))
        .collect();
    let rows = rows(&data, &starts);
    if rows.is_empty() {
        return None;
    }
    // Cells of each row.
    let mut cells: Vec<Vec<String>> = Vec::new();
    for row in &rows {
        let mut cell = vec![String::new(); slots.len()];
        // A wrapped label prints its code on the row's own line, between the lines of
        // its name: the code leads the cell whatever line it is on.
        let mut code: Vec<Option<String>> = vec![None; slots.len()];
        for &l in row {
            let cs = &body_chunks[l];
            // A line that matches no slot sequence: each chunk to the nearest slot of its kind.
            let a = assigned[l]
                .clone()
                .unwrap_or_else(|| cs.iter().map(|c| nearest(&slots, c)).collect());
            for (c, &j) in cs.iter().zip(&a) {
                // Two numbers sent to one column (a line that fits no column sequence):
                // the second goes to the nearest column still free in this row, or, with
                // none free, stays beside the first, never dropped.
                let j = if slots[j].kind == Kind::Value && !cell[j].is_empty() {
                    nearest_where(&slots, c, |x| {
                        slots[x].kind == Kind::Value && cell[x].is_empty()
                    })
                    .unwrap_or(j)
                } else {
                    j
                };
                let dst = &mut cell[j];
                let mut text = c.text.as_str();
                let led = dst.split_whitespace().next().is_some_and(is_code_tok);
                if slots[j].kind == Kind::Label && code[j].is_none() && !dst.is_empty() && !led {
                    if let Some((first, rest)) = text.split_once(' ') {
                        if is_code_tok(first) {
                            code[j] = Some(first.to_string());
                            text = rest;
                        }
                    }
                }
                if !dst.is_empty() {
                    dst.push(' ');
                }
                dst.push_str(text);
            }
        }
        for (c, code) in cell.iter_mut().zip(code) {
            if let Some(code) = code {
                *c = format!("{code} {c}");
            }
        }
        cells.push(cell);
    }
    // A label column splits into code and name when its rows print codes (each panel of
    // a table printed side by side has its own).
    let has_code: Vec<bool> = (0..slots.len())
        .map(|j| {
            slots[j].kind == Kind::Label
                && cells
                    .iter()
                    .any(|c| c[j].split_whitespace().next().is_some_and(is_code_tok))
        })
        .collect();
    // The header prints on the page the numbers start on, so its columns are judged
    // against that page's positions (a later page may be laid out on another scale).
    let p0 = first_data.map_or(0, |k| page[k]);
    let header_pos: Vec<f32> = (0..slots.len())
        .map(|j| {
            let mut got: Vec<f32> = (0..kept.len())
                .filter(|&k| data[k] && page[k] == p0)
                .filter_map(|k| {
                    let a = assigned[k].as_ref()?;
                    let i = a.iter().position(|&x| x == j)?;
                    Some(body_chunks[k][i].pos())
                })
                .collect();
            got.sort_by(f32::total_cmp);
            got.get(got.len() / 2).copied().unwrap_or(slots[j].pos)
        })
        .collect();
    let header_cols = header_columns(header, &slots, &header_pos);
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
            Kind::Label if has_code[j] => {
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
            if has_code[j] {
                let mut it = text.splitn(2, ' ');
                let first = it.next().unwrap_or("");
                if is_code_tok(first) {
                    row.push(first.to_string());
                    row.push(squash_cjk(it.next().unwrap_or("")));
                } else {
                    row.push(String::new());
                    row.push(squash_cjk(&text));
                }
            } else if slots[j].kind == Kind::Label {
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
    fn broken_headings_are_not_prose() {
        assert!(!is_prose(
            "工资福 利支 对个人 和家庭 的 商品 和服 务支 资本性 支 出 补助"
        ));
        assert!(is_prose(
            "本部门2025年度机关运行经费支出主要用于办公费印刷费水电费差旅费和会议费等"
        ));
    }

    #[test]
    fn a_code_along_the_line_is_a_label() {
        let c = chunks("    301 02 津贴补贴     501 01 工资奖金津");
        let t: Vec<&str> = c.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(t, vec!["30102 津贴补贴", "50101 工资奖金津"]);
        assert!(c.iter().all(|c| c.kind == Kind::Label));
    }

    #[test]
    fn layout_text_is_told_from_flow_and_tsv() {
        assert!(is_layout(&[ADMIN; 20]));
        let tsv = vec!["2010301\t行政运行\t401.87\t401.87"; 30];
        assert!(!is_layout(&tsv));
        let flow = vec!["2010301 行政运行 401.87 401.87"; 30];
        assert!(!is_layout(&flow));
    }

    #[test]
    fn a_line_that_fits_no_column_sequence_keeps_every_number() {
        // 乙 prints after the numbers where no label column is: the line fits no column
        // sequence, and 1.00 and 2.00 are both nearest the first number column. The
        // second went nowhere before.
        let body = [
            "合计            100.00      200.00      300.00",
            "甲   1.00 2.00  乙",
        ];
        let body: Vec<BodyLine> = body
            .iter()
            .map(|t| BodyLine {
                text: t,
                data: true,
                new_page: false,
            })
            .collect();
        let g = table_grid(&["项目            合计        基本支出    项目支出"], &body).unwrap();
        let all: Vec<&str> = g.rows.iter().flatten().map(String::as_str).collect();
        for n in ["1.00", "2.00", "100.00", "200.00", "300.00"] {
            assert!(
                all.iter().any(|c| c.split_whitespace().any(|w| w == n)),
                "{n}: {all:?}"
            );
        }
    }
}
