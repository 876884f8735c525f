//! Text disclosures: markdown pipe tables (MinerU-style), tab-separated text, and
//! pdftotext flow or layout text, all turned into [`Block`]s of lines and grids.
//!
//! Markdown and TSV tables already carry their cells. Flow text does not: a table is a
//! title, a 单位 line, header words broken one per line, and data lines that end in
//! numbers. [`flow`] rebuilds the column headers from a vocabulary of header terms and a
//! two-level column tree checked against the number of values per row.

pub mod flow;
mod layout;

use crate::grid::{Block, Grid, RawTable};
use crate::text::{clean_cell, compact, key, looks_like_money};

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Blank,
    Pipe,
    Tab,
    Plain,
}

fn kind(line: &str) -> Kind {
    let t = line.trim();
    if t.is_empty() || t == "\u{c}" {
        Kind::Blank
    } else if is_toc_line(t) {
        // Table-of-contents lines (`一、收入支出决算总表..... 5`) are text, whatever their tabs.
        Kind::Plain
    } else if t.starts_with('|') && t.matches('|').count() >= 2 {
        Kind::Pipe
    } else if line.contains('\t') && line.trim_end_matches(['\t', ' ', '\r']).contains('\t') {
        Kind::Tab
    } else if line.contains('\t') {
        // A single cell followed only by tabs: a title row of a TSV table.
        Kind::Tab
    } else {
        Kind::Plain
    }
}

static TOC_RE: std::sync::LazyLock<regex::Regex> =
    std::sync::LazyLock::new(|| regex::Regex::new(r"(?:[.．·…。]\s*){3,}\d{1,4}\s*$").unwrap());

/// A table-of-contents line: a dot leader before a page number, however the leader is
/// broken by spaces (`说明... ..\t14`).
fn is_toc_line(t: &str) -> bool {
    t.contains("....") || t.contains("……") || TOC_RE.is_match(t)
}

/// Ingest a whole text document.
pub fn ingest(src: &str) -> Vec<Block> {
    let lines: Vec<&str> = src
        .split('\n')
        .flat_map(|l| l.split('\u{c}'))
        .map(|l| l.trim_end_matches('\r'))
        .collect();
    if layout::is_layout(&lines) {
        return layout::blocks(src);
    }
    let kinds: Vec<Kind> = lines.iter().map(|l| kind(l)).collect();
    let mut blocks = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        match kinds[i] {
            Kind::Blank => i += 1,
            Kind::Pipe => {
                let start = i;
                while i < lines.len() && kinds[i] == Kind::Pipe {
                    i += 1;
                }
                let grid = pipe_table(&lines[start..i]);
                blocks.push(Block::Table(RawTable {
                    grid,
                    ..Default::default()
                }));
            }
            Kind::Tab => {
                let mut rows: Vec<Vec<String>> = Vec::new();
                let mut stray: Vec<String> = Vec::new();
                while i < lines.len() {
                    match kinds[i] {
                        Kind::Tab => {
                            rows.push(tab_row(lines[i]));
                            i += 1;
                        }
                        Kind::Plain if stray_line(&rows, &lines, &kinds, i) => {
                            // One stray text line between rows of the same width (a note
                            // pasted into the table): the table goes on; the line is kept
                            // as text after it.
                            stray.push(lines[i].trim().to_string());
                            i += 1;
                        }
                        Kind::Blank => {
                            // A blank line or page break inside a table: go on when the
                            // next non-blank line is another row.
                            let mut j = i;
                            while j < lines.len() && kinds[j] == Kind::Blank {
                                j += 1;
                            }
                            if j < lines.len() && kinds[j] == Kind::Tab {
                                i = j;
                            } else {
                                break;
                            }
                        }
                        _ => break,
                    }
                }
                blocks.push(Block::Table(RawTable {
                    grid: Grid::new(rows),
                    ..Default::default()
                }));
                for text in stray {
                    blocks.push(Block::Line { text, page: None });
                }
            }
            Kind::Plain => {
                let start = i;
                while i < lines.len() && matches!(kinds[i], Kind::Plain | Kind::Blank) {
                    i += 1;
                }
                flow::blocks_from_plain(&lines[start..i], &mut blocks);
            }
        }
    }
    blocks
}

/// Is line `i` (plain text) a stray line inside a TSV table: short, no amount, no title or
/// 单位 line, between a row and a next row of the same width (three or more cells) that
/// prints an amount?
fn stray_line(rows: &[Vec<String>], lines: &[&str], kinds: &[Kind], i: usize) -> bool {
    let t = lines[i].trim();
    let (Some(prev), Some(next)) = (rows.last(), lines.get(i + 1)) else {
        return false;
    };
    if kinds.get(i + 1) != Some(&Kind::Tab) || t.chars().count() > 40 {
        return false;
    }
    let next = tab_row(next);
    let compact_t = crate::text::compact(t);
    next.len() == prev.len()
        && next.len() >= 3
        && next.iter().any(|c| crate::text::looks_like_money(c))
        && !t.split_whitespace().any(crate::text::looks_like_money)
        && !compact_t.ends_with('表')
        && !compact_t.contains("表(续")
        && !compact_t.contains("表（续")
        && crate::grid::unit_in(t).is_none()
        && crate::grid::department_in(t).is_none()
}

fn pipe_table(lines: &[&str]) -> Grid {
    let mut rows = Vec::new();
    for l in lines {
        let t = l.trim();
        let inner = t.strip_prefix('|').unwrap_or(t);
        let inner = inner.strip_suffix('|').unwrap_or(inner);
        let cells: Vec<String> = inner.split('|').map(clean_cell).collect();
        let is_sep = cells
            .iter()
            .all(|c| !c.is_empty() && c.chars().all(|ch| ch == '-' || ch == ':' || ch == ' '));
        if is_sep {
            continue;
        }
        rows.push(cells);
    }
    Grid::new(rows)
}

fn tab_row(line: &str) -> Vec<String> {
    line.split('\t').map(clean_cell).collect()
}

fn squash(toks: &[&str]) -> String {
    crate::text::squash_cjk(&toks.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pipe_tables_drop_separators_and_markup() {
        let b = ingest("| 项目 | 金额 |\n|---|---|\n| <b>合计</b> | 1.00 |\n");
        let Block::Table(t) = &b[0] else { panic!() };
        assert_eq!(t.grid.rows.len(), 2);
        assert_eq!(t.grid.rows[1][0], "合计");
    }

    #[test]
    fn tsv_table_survives_a_stray_line() {
        let b = ingest("科目编码\t科目名称\t合计\n201\t一般公共服务支出\t3.00\nnote\n20103\t政府办公厅\t3.00\n");
        let tables: Vec<&RawTable> = b
            .iter()
            .filter_map(|x| match x {
                Block::Table(t) => Some(t),
                _ => None,
            })
            .collect();
        assert_eq!(tables.len(), 1);
        assert_eq!(tables[0].grid.rows.len(), 3);
        assert!(b
            .iter()
            .any(|x| matches!(x, Block::Line { text, .. } if text == "note")));
        // A title between two tables of the same width still separates them.
        let b = ingest("科目编码\t科目名称\t合计\n201\t一般公共服务支出\t3.00\n一般公共预算基本支出表\n30101\t基本工资\t3.00\n");
        assert_eq!(b.iter().filter(|x| matches!(x, Block::Table(_))).count(), 2);
    }

    #[test]
    fn tsv_table_survives_blank_lines() {
        let b = ingest("项目\t金额\n合计\t1.00\n\n行政运行\t0.50\n注：无\n");
        let Block::Table(t) = &b[0] else { panic!() };
        assert_eq!(t.grid.rows.len(), 3);
    }
}
