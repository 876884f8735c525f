//! Normalisation: each table's grid becomes typed columns and subject rows, and every
//! printed number in a mapped column becomes a [`Record`].
//!
//! Per table: meta rows inside the grid (title, 单位, 部门) are taken out; header rows are
//! the rows above the first row that prints money; header cells are forward-filled into
//! paths; columns get a role (label, value, row number) and value columns a measure; the
//! columns are cut into panels where a label column follows value columns (two-sided
//! summaries, side-by-side 基本支出 lanes); every body row of every panel gets a subject.

pub mod measure;
pub mod meta;
pub mod subject;

use crate::classify::{classify_structure, classify_title, Evidence, TableType};
use crate::grid::{department_in, is_table_number_line, unit_in, Table};
use crate::model::{ColumnInfo, DocKind, Format, Record, TableOut};
use crate::reference::{Reference, Scheme};
use crate::text::{clean_cell, compact, key, looks_like_money, parse_amount};
use measure::{allowed, level_key, path_measure, THREE_PUBLIC};
use regex::Regex;
use std::collections::HashSet;
use std::sync::LazyLock;
use subject::{
    expenditure_total, income_source, income_total, is_agency, strip_ordinal, DocCodes,
    NameResolver, Subject,
};

#[derive(Debug, Clone, Copy, PartialEq)]
enum Role {
    Label,
    Value,
    RowNum,
}

#[derive(Debug, Clone)]
struct Col {
    role: Role,
    path: Vec<String>,
    measure: Option<String>,
    /// For label columns: how good a row name this column holds (lower is better).
    name_prio: u8,
    /// 年度 column (三公 tables by year).
    period: bool,
}

#[derive(Debug, Clone)]
struct Panel {
    label_cols: Vec<usize>,
    value_cols: Vec<usize>,
}

/// One table, analysed.
struct Analysis {
    table: Table,
    tt: TableType,
    header_rows: Vec<usize>,
    cols: Vec<Col>,
    panels: Vec<Panel>,
    body: Vec<usize>,
    /// A 栏次 line printed 合计 above a body row whose label is empty.
    pending_total: bool,
}

/// Parsed label cells of one row in one panel.
#[derive(Debug, Default, Clone)]
struct LabelParts {
    codes: Vec<String>,
    names: Vec<(u8, String)>,
    period: Option<String>,
}

impl LabelParts {
    fn name(&self) -> Option<&str> {
        self.names
            .iter()
            .min_by_key(|(p, _)| *p)
            .map(|(_, n)| n.as_str())
    }
    /// The name printed next to the n-th code group.
    fn second_name(&self) -> Option<&str> {
        self.names.get(1).map(|(_, n)| n.as_str())
    }
    fn is_empty(&self) -> bool {
        self.codes.is_empty() && self.names.is_empty() && self.period.is_none()
    }
}

const LABEL_KEYS: &[&str] = &[
    "项目",
    "科目编码",
    "科目代码",
    "科目名称",
    "类",
    "款",
    "项",
    "单位代码",
    "单位名称",
    "部门(单位)代码",
    "部门(单位)名称",
    "部门代码",
    "部门名称",
    "预算单位",
    "支出项目类别",
    "年度",
    "项目名称",
    "项目单位",
    "类型",
    "单位(科目名称)",
    "功能分类科目",
    "项目类别",
    "单位编码",
    "单位编码(项目编码)",
    "项目单位(项目名称)",
    "项目分类",
    "科目",
    "功能科目",
    "部门预算支出经济分类科目",
    "政府预算支出经济分类科目",
    "编码",
    "名称",
    "单位代码(科目编码)",
    "单位名称(科目名称)",
    "支出功能分类科目",
    "经济分类科目",
    "科目名称(类/款/项)",
    "政府预算支出经济分类科目编码",
    "部门预算经济分类",
    "政府预算经济分类",
    "单位名称/项目名称",
    "项目名称/单位名称",
    "采购项目",
    "政府采购品目",
    "部门支出经济分类",
    "资金来源",
    "资金性质",
    "计量单位",
    "单位",
    "序号",
];

fn label_prio(path: &[String]) -> (u8, bool) {
    let leaf = path.last().map(|l| level_key(l)).unwrap_or_default();
    let all: Vec<String> = path.iter().map(|l| level_key(l)).collect();
    if leaf == "年度" {
        return (9, true);
    }
    let p = match leaf.as_str() {
        "项目名称" | "项目单位(项目名称)" | "单位名称/项目名称" | "项目名称/单位名称" => {
            0
        }
        "科目名称"
        | "单位(科目名称)"
        | "单位名称"
        | "部门(单位)名称"
        | "部门名称"
        | "预算单位"
        | "支出项目类别"
        | "项目"
        | "名称"
        | "单位名称(科目名称)" => 1,
        "项目单位" => 3,
        "类型" | "项目类别" | "项目分类" | "资金来源" | "资金性质" | "计量单位" => {
            8
        }
        _ if all.iter().any(|l| l.contains("编码") || l.contains("代码")) => 5,
        _ => 2,
    };
    (p, false)
}

fn is_label_key(k: &str) -> bool {
    LABEL_KEYS.contains(&k) || k.ends_with("编码") || k.ends_with("代码")
}

fn is_rownum_key(k: &str) -> bool {
    k == "行次" || k == "栏次" || k.starts_with("栏次")
}

static PERIOD_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(20\d{2})\s*年度?$|^(增减变化金额|增减变化|增减额|增减)$").unwrap()
});

/// Some extractions print a group's children one column right of the data, leaving the
/// group header alone over the first data column (`项目支出 | 项目支出/小计 | 项目支出/其他运转类 …`
/// with the group's last column empty in every row). Shift the children back.
fn repair_shifted_groups(paths: &mut [Vec<String>], g: &crate::grid::Grid, body: &[usize]) {
    let w = paths.len();
    let mut c = 0;
    while c + 1 < w {
        let shifted = paths[c].len() == 1
            && paths[c + 1].len() == 2
            && paths[c + 1][0] == paths[c][0]
            && matches!(level_key(&paths[c + 1][1]).as_str(), "小计" | "合计");
        if shifted {
            let mut end = c + 1;
            while end + 1 < w && paths[end + 1].len() == 2 && paths[end + 1][0] == paths[c][0] {
                end += 1;
            }
            if body.iter().all(|&r| g.cell(r, end).trim().is_empty()) {
                for j in c..end {
                    paths[j] = paths[j + 1].clone();
                }
                paths[end] = Vec::new();
                c = end;
            }
        }
        c += 1;
    }
}

/// A row of column numbers (栏次 1 2 3 …) or 行次 labels: not a header, not a body row.
fn is_colnum_row(row: &[String]) -> bool {
    let cells: Vec<String> = row
        .iter()
        .map(|c| compact(c))
        .filter(|c| !c.is_empty())
        .collect();
    if cells.is_empty() {
        return false;
    }
    let mut ints = 0;
    for c in &cells {
        if c.starts_with("栏次") || c.starts_with("行次") {
            continue;
        }
        if c.len() <= 3 && c.chars().all(|ch| ch.is_ascii_digit()) {
            ints += 1;
            continue;
        }
        return false;
    }
    ints > 0 || cells.iter().any(|c| c.starts_with("栏次"))
}

fn is_note_row(row: &[String]) -> bool {
    row.iter()
        .map(|c| compact(c))
        .find(|c| !c.is_empty())
        .is_some_and(|c| c.starts_with("注") || c.starts_with("备注") || c.starts_with("说明"))
}

/// A row inside the grid that only carries the title, 单位 or 部门 line.
fn meta_row(row: &[String]) -> Option<(Option<String>, Option<String>, Option<String>)> {
    let cells: Vec<&String> = row.iter().filter(|c| !c.trim().is_empty()).collect();
    if cells.is_empty() {
        return None;
    }
    let (mut title, mut unit, mut dept) = (None, None, None);
    let mut meta_cells = 0;
    for c in &cells {
        let k = compact(c);
        let u = unit_in(c);
        let d = department_in(c);
        let is_dept_label = k.starts_with("部门/单位")
            || k.starts_with("部门:")
            || k.starts_with("部门：")
            || k.starts_with("单位名称");
        if u.is_some() || d.is_some() || is_dept_label {
            unit = unit.or(u);
            dept = dept.or(d);
            meta_cells += 1;
        } else if is_table_number_line(c) || k.starts_with("公开") && k.contains("表") {
            meta_cells += 1;
        } else if (classify_title(c).is_some() || k.ends_with('表'))
            && !looks_like_money(c)
            && k.chars().count() >= 4
        {
            title = title.or(Some(clean_cell(c)));
            meta_cells += 1;
        }
    }
    let all_meta = meta_cells == cells.len();
    // A title alone in the row (markdown puts it in the first row) is a meta row too.
    if all_meta || (title.is_some() && cells.len() == 1) {
        Some((title, unit, dept))
    } else {
        None
    }
}

fn analyse(mut table: Table) -> Analysis {
    // Meta rows at the top of the grid.
    let mut grid_title = None;
    while let Some(row) = table.grid.rows.first() {
        match meta_row(row) {
            Some((t, u, d)) => {
                grid_title = grid_title.or(t);
                table.unit = table.unit.or(u);
                table.department = table.department.or(d);
                table.grid.remove_row(0);
            }
            None => break,
        }
    }
    // Prefer a title that names a table type; the grid's own first row when it does.
    // A heading row spanning the columns (`财政拨款“三公”经费` over the 三公 columns) names
    // the block, not the table: a title printed above the grid that ends in 表 stays.
    match (&grid_title, &table.title) {
        (Some(g), Some(t))
            if (classify_title(g).is_some() || classify_title(t).is_none())
                && (compact(g).ends_with('表') || !compact(t).ends_with('表')) =>
        {
            table.title = Some(g.clone())
        }
        (Some(g), None) => table.title = Some(g.clone()),
        _ => {}
    }
    let g = &table.grid;
    let h = g.height();
    let w = g.width();
    let body_start = (0..h)
        .find(|&r| g.rows[r].iter().any(|c| looks_like_money(c)))
        .unwrap_or(h);
    let mut header_rows = Vec::new();
    let mut pending_total = false;
    for r in 0..body_start {
        if is_colnum_row(&g.rows[r]) {
            if g.rows[r].iter().any(|c| compact(c).contains("合计")) {
                pending_total = true;
            }
            continue;
        }
        if meta_row(&g.rows[r]).is_some() {
            continue;
        }
        header_rows.push(r);
    }
    // Header texts, merged cells expanded, then forward-filled into paths.
    let mut hdr: Vec<Vec<String>> = header_rows.iter().map(|&r| g.rows[r].clone()).collect();
    for m in &g.merges {
        for (hi, &r) in header_rows.iter().enumerate() {
            if r >= m.row && r < m.row + m.row_span {
                let text = g.cell(m.row, m.col).to_string();
                let end = (m.col + m.col_span).min(w);
                for cell in hdr[hi][m.col..end].iter_mut() {
                    if cell.trim().is_empty() {
                        *cell = text.clone();
                    }
                }
            }
        }
    }
    let mut group: Vec<Vec<usize>> = vec![vec![0; w]; hdr.len()];
    for r in 0..hdr.len() {
        for c in 0..w {
            if !hdr[r][c].trim().is_empty() {
                group[r][c] = c;
                continue;
            }
            group[r][c] = usize::MAX;
            if c == 0 || hdr[r][c - 1].trim().is_empty() {
                continue;
            }
            let below = (r + 1..hdr.len()).any(|r2| !hdr[r2][c].trim().is_empty());
            let same_parent = r == 0 || group[r - 1][c] == group[r - 1][c - 1];
            if below && same_parent {
                hdr[r][c] = hdr[r][c - 1].clone();
                group[r][c] = group[r][c - 1];
            }
        }
    }
    let body: Vec<usize> = (body_start..h)
        .filter(|&r| {
            let row = &g.rows[r];
            !row.iter().all(|c| c.trim().is_empty())
                && !is_colnum_row(row)
                && !is_note_row(row)
                && meta_row(row).is_none()
                && !header_rows.iter().any(|&hr| g.rows[hr] == *row)
        })
        .collect();

    let mut paths: Vec<Vec<String>> = (0..w)
        .map(|c| {
            let mut path: Vec<String> = Vec::new();
            for row in &hdr {
                let t = clean_cell(&row[c]);
                if !t.is_empty() && path.last() != Some(&t) {
                    path.push(t);
                }
            }
            path
        })
        .collect();
    repair_shifted_groups(&mut paths, g, &body);
    let mut cols = Vec::with_capacity(w);
    for (c, path) in paths.into_iter().enumerate() {
        let leaf = path.last().map(|l| level_key(l)).unwrap_or_default();
        let keys: Vec<String> = path.iter().map(|l| level_key(l)).collect();
        let role = if keys.iter().any(|k| is_rownum_key(k)) {
            Role::RowNum
        } else if is_label_key(&leaf) {
            Role::Label
        } else if path.is_empty() {
            // No header: the body decides.
            let (mut money, mut text) = (0, 0);
            for &r in &body {
                let t = g.cell(r, c);
                if looks_like_money(t) {
                    money += 1;
                } else if !t.trim().is_empty() && parse_amount(t).is_none() {
                    text += 1;
                }
            }
            if text > money {
                Role::Label
            } else {
                Role::Value
            }
        } else {
            Role::Value
        };
        let (name_prio, period) = label_prio(&path);
        cols.push(Col {
            role,
            path,
            measure: None,
            name_prio,
            period,
        });
    }
    // Panels: a label column after value columns starts a new panel.
    let mut panels: Vec<Panel> = Vec::new();
    let mut cur = Panel {
        label_cols: vec![],
        value_cols: vec![],
    };
    for (c, col) in cols.iter().enumerate() {
        match col.role {
            Role::Label => {
                if !cur.value_cols.is_empty() {
                    panels.push(std::mem::replace(
                        &mut cur,
                        Panel {
                            label_cols: vec![],
                            value_cols: vec![],
                        },
                    ));
                }
                cur.label_cols.push(c);
            }
            Role::Value => cur.value_cols.push(c),
            Role::RowNum => {}
        }
    }
    if !cur.label_cols.is_empty() || !cur.value_cols.is_empty() {
        panels.push(cur);
    }
    Analysis {
        table,
        tt: TableType::Other,
        header_rows,
        cols,
        panels,
        body,
        pending_total,
    }
}

fn parse_label(a: &Analysis, panel: &Panel, r: usize) -> LabelParts {
    let g = &a.table.grid;
    let mut parts = LabelParts::default();
    let mut group = String::new();
    let mut prev_digit = false;
    for &c in &panel.label_cols {
        let t = clean_cell(g.cell(r, c));
        let k = compact(&t);
        let col = &a.cols[c];
        if k.is_empty() {
            if !group.is_empty() {
                parts.codes.push(std::mem::take(&mut group));
            }
            prev_digit = false;
            continue;
        }
        if col.period || (a.tt == TableType::ThreePublic && PERIOD_RE.is_match(&k)) {
            parts.period = Some(k);
            continue;
        }
        if k.chars().all(|ch| ch.is_ascii_digit()) {
            if !prev_digit && !group.is_empty() {
                parts.codes.push(std::mem::take(&mut group));
            }
            group.push_str(&k);
            prev_digit = true;
            continue;
        }
        if !group.is_empty() {
            parts.codes.push(std::mem::take(&mut group));
        }
        prev_digit = false;
        // `30101 基本工资`: a code and a name in one cell.
        let digits: String = t.chars().take_while(|ch| ch.is_ascii_digit()).collect();
        if (3..=7).contains(&digits.len())
            && t[digits.len()..].starts_with(char::is_whitespace)
            && col.name_prio >= 1
        {
            parts.codes.push(digits.clone());
            parts
                .names
                .push((col.name_prio, t[digits.len()..].trim().to_string()));
        } else {
            parts.names.push((col.name_prio, t));
        }
    }
    if !group.is_empty() {
        parts.codes.push(group);
    }
    parts
}

/// Document-level context shared by the tables of one document.
struct DocCtx<'a> {
    reference: &'a Reference,
    codes: DocCodes,
    department: Option<String>,
}

fn classify(a: &mut Analysis) {
    if let Some(tt) = a.table.title.as_deref().and_then(classify_title) {
        a.tt = tt;
        return;
    }
    let header_text: String = a
        .cols
        .iter()
        .flat_map(|c| c.path.iter().cloned())
        .collect::<Vec<_>>()
        .join("|");
    let two_sided = a.panels.len() >= 2
        && a.panels.iter().all(|p| {
            p.label_cols.first().is_some_and(|&c| {
                a.cols[c]
                    .path
                    .last()
                    .is_some_and(|l| level_key(l) == "项目")
            })
        });
    let (mut f, mut e) = (0, 0);
    let panels = a.panels.clone();
    for &r in &a.body {
        for p in &panels {
            for code in parse_label(a, p, r).codes {
                match crate::reference::Scheme::of_code(&code) {
                    Some(Scheme::Functional) => f += 1,
                    Some(_) => e += 1,
                    None => {}
                }
            }
        }
    }
    a.tt = classify_structure(&Evidence {
        header_text: &header_text,
        two_sided,
        functional_codes: f,
        econ_codes: e,
    });
}

/// Give value columns their measures now that the table type is known.
fn map_measures(a: &mut Analysis) {
    let tp = a.tt == TableType::ThreePublic;
    for col in a.cols.iter_mut() {
        if col.role != Role::Value {
            continue;
        }
        col.measure = path_measure(&col.path, tp).filter(|m| allowed(a.tt, m));
    }
    if tp {
        // A garbled 三公 header can name one column twice and miss another; when exactly one
        // is missing from a block, the repeated one is it.
        for panel in &a.panels {
            let mut blocks: std::collections::BTreeMap<String, Vec<usize>> = Default::default();
            for &c in &panel.value_cols {
                if let Some(m) = &a.cols[c].measure {
                    let prefix = m
                        .rsplit_once('.')
                        .map(|(p, _)| p.to_string())
                        .unwrap_or_default();
                    blocks.entry(prefix).or_default().push(c);
                }
            }
            for (prefix, cs) in blocks {
                let base = |m: &str| m.rsplit('.').next().unwrap_or(m).to_string();
                let names: Vec<String> = cs
                    .iter()
                    .map(|&c| base(a.cols[c].measure.as_deref().unwrap()))
                    .collect();
                let missing: Vec<&&str> = THREE_PUBLIC
                    .iter()
                    .filter(|t| !names.iter().any(|n| n == **t))
                    .collect();
                let mut seen = HashSet::new();
                let dups: Vec<usize> = cs
                    .iter()
                    .zip(&names)
                    .filter(|(_, n)| !seen.insert((*n).clone()))
                    .map(|(c, _)| *c)
                    .collect();
                if missing.len() == 1 && dups.len() == 1 {
                    let m = if prefix.is_empty() {
                        missing[0].to_string()
                    } else {
                        format!("{prefix}.{}", missing[0])
                    };
                    a.cols[dups[0]].measure = Some(m);
                }
            }
        }
    }
}

/// Register the codes a table prints, by name, for name-only rows elsewhere in the document.
fn collect_codes(a: &Analysis, ctx: &mut DocCtx) {
    for &r in &a.body {
        for p in &a.panels {
            let parts = parse_label(a, p, r);
            let Some(code) = parts.codes.first() else {
                continue;
            };
            let Some(name) = parts.names.first().map(|(_, n)| n.as_str()) else {
                continue;
            };
            if let Some(s) = Scheme::of_code(code) {
                if !is_agency(name, ctx.department.as_deref()) {
                    ctx.codes.add(s, code, name);
                }
            }
            if let (Some(gov), Some(gname)) = (parts.codes.get(1), parts.second_name()) {
                if Scheme::of_code(gov) == Some(Scheme::EconGov) {
                    ctx.codes.add(Scheme::EconGov, gov, gname);
                }
            }
        }
    }
}

/// State carried down the rows of one side of a two-sided table.
#[derive(Default)]
struct SideState {
    carry_block: bool,
}

fn two_sided_subject(
    k: &str,
    class_level: bool,
    income_side: bool,
    closing: &HashSet<&'static str>,
    st: &mut SideState,
    res: &mut NameResolver,
) -> Option<Subject> {
    if income_side {
        let total = match k {
            "收入合计" | "收入合计:" => Some(if closing.contains("income_grand_total") {
                "year_income"
            } else {
                "income_grand_total"
            }),
            _ => income_total(k.trim_end_matches(':')),
        };
        if let Some(t) = total {
            st.carry_block = t == "carryover_in";
            return Some(Subject::new("total", t));
        }
        let src = income_source(k)?;
        let code = if st.carry_block {
            format!("carryover_in.{src}")
        } else {
            src.to_string()
        };
        return Some(Subject::new("income_source", code));
    }
    let total = match k {
        "支出合计" | "支出合计:" => Some(if closing.contains("expenditure_grand_total") {
            "year_expenditure"
        } else {
            "expenditure_grand_total"
        }),
        _ => expenditure_total(k.trim_end_matches(':')),
    };
    if let Some(t) = total {
        return Some(Subject::new("total", t));
    }
    let code = res.resolve(k, class_level);
    Some(Subject {
        scheme: "functional",
        from_name: code.is_some(),
        code,
        name: None,
        econ_gov: None,
        measure: None,
    })
}

fn total_label(k: &str) -> Option<Option<&'static str>> {
    let k = k.trim_end_matches(':');
    match k {
        "合计" | "总计" | "合计数" | "本年合计" => Some(None),
        _ => {
            let head = k.strip_suffix("合计")?;
            measure::level_token(head).map(Some)
        }
    }
}

fn row_subject(
    a: &Analysis,
    parts: &LabelParts,
    ctx: &DocCtx,
    res: &mut NameResolver,
    first_row: bool,
) -> Option<Subject> {
    if a.tt == TableType::ThreePublic {
        if let Some(p) = &parts.period {
            let code = match PERIOD_RE.captures(p).and_then(|c| c.get(1)) {
                Some(y) => y.as_str().to_string(),
                None => "change".to_string(),
            };
            return Some(Subject::new("period", code));
        }
    }
    if parts.is_empty() {
        return (first_row || a.pending_total).then(|| Subject::new("total", "total"));
    }
    let name = parts.name().unwrap_or("");
    let (k, class_level) = strip_ordinal(name);
    if parts.codes.is_empty() {
        if let Some(m) = total_label(&k) {
            let mut s = Subject::new("total", "total");
            s.measure = m;
            return Some(s);
        }
    }
    let dept = ctx.department.as_deref();
    if let Some(code) = parts.codes.first() {
        let scheme = Scheme::of_code(code);
        let named_subject = scheme.is_some_and(|s| {
            ctx.reference.name_matches(s, code, name)
                || ctx.codes.name(s, code).is_some_and(|n| key(n) == key(name))
        });
        if scheme.is_none() || (!named_subject && is_agency(name, dept)) {
            return Some(Subject {
                scheme: "unit",
                code: Some(code.clone()),
                name: Some(name.to_string()),
                econ_gov: None,
                measure: None,
                from_name: false,
            });
        }
        let scheme = scheme.unwrap();
        res.saw(code);
        let econ_gov = parts
            .codes
            .get(1)
            .filter(|c| Scheme::of_code(c) == Some(Scheme::EconGov))
            .cloned();
        let scheme_str = if scheme == Scheme::EconGov && a.tt.is_economic() && econ_gov.is_none() {
            "econ_gov"
        } else {
            scheme.as_str()
        };
        return Some(Subject {
            scheme: scheme_str,
            code: Some(code.clone()),
            name: ctx.reference.name(scheme, code).map(|s| s.to_string()),
            econ_gov,
            measure: None,
            from_name: false,
        });
    }
    if k.is_empty() {
        return None;
    }
    if is_agency(name, dept) {
        return Some(Subject {
            scheme: "unit",
            code: Some(String::new()),
            name: Some(name.to_string()),
            econ_gov: None,
            measure: None,
            from_name: false,
        });
    }
    if a.tt == TableType::Project {
        return Some(Subject {
            scheme: "project",
            code: Some(name.to_string()),
            name: Some(name.to_string()),
            econ_gov: None,
            measure: None,
            from_name: false,
        });
    }
    let scheme = if a.tt.is_economic() {
        Scheme::EconDept
    } else {
        Scheme::Functional
    };
    let code = res.resolve(&k, class_level);
    Some(Subject {
        scheme: scheme.as_str(),
        from_name: code.is_some(),
        name: code
            .as_deref()
            .and_then(|c| ctx.reference.name(scheme, c))
            .map(|s| s.to_string()),
        code,
        econ_gov: None,
        measure: None,
    })
}

/// Document-level facts the records repeat.
pub struct DocInfo<'a> {
    pub doc_id: &'a str,
    pub source: &'a str,
    pub format: Format,
    pub department: Option<String>,
    pub fiscal_year: Option<i32>,
    pub doc_kind: Option<DocKind>,
}

/// Normalise the tables of one document into table descriptions and records.
pub fn normalize_tables(
    tables: Vec<Table>,
    info: &DocInfo,
    reference: &Reference,
) -> (Vec<TableOut>, Vec<Record>) {
    let mut analyses: Vec<Analysis> = tables.into_iter().map(analyse).collect();
    let mut ctx = DocCtx {
        reference,
        codes: DocCodes::default(),
        department: info.department.clone(),
    };
    for a in analyses.iter_mut() {
        classify(a);
        map_measures(a);
    }
    for a in &analyses {
        collect_codes(a, &mut ctx);
    }
    let doc_unit = most_common_unit(&analyses);
    let mut outs = Vec::new();
    let mut records = Vec::new();
    for (ti, a) in analyses.iter().enumerate() {
        let table_no = ti + 1;
        let unit = a.table.unit.clone().or_else(|| doc_unit.clone());
        let before = records.len();
        let scheme = if a.tt.is_economic() {
            Scheme::EconDept
        } else {
            Scheme::Functional
        };
        let mut resolvers: Vec<NameResolver> = a
            .panels
            .iter()
            .map(|_| NameResolver::new(reference, &ctx.codes, scheme))
            .collect();
        let mut sides: Vec<SideState> = a.panels.iter().map(|_| SideState::default()).collect();
        let two_sided = a.tt.is_two_sided() && a.panels.len() >= 2;
        // Which grand totals each side prints (decides what 收入合计 / 支出合计 mean).
        let mut closing: HashSet<&'static str> = HashSet::new();
        if two_sided {
            for &r in &a.body {
                for (pi, p) in a.panels.iter().enumerate() {
                    let parts = parse_label(a, p, r);
                    let (k, _) = strip_ordinal(parts.name().unwrap_or(""));
                    let t = if pi % 2 == 0 {
                        income_total(&k)
                    } else {
                        expenditure_total(&k)
                    };
                    if let Some(t) = t {
                        if t.ends_with("grand_total") {
                            closing.insert(t);
                        }
                    }
                }
            }
        }
        for (bi, &r) in a.body.iter().enumerate() {
            let row_no = bi + 1;
            for (pi, p) in a.panels.iter().enumerate() {
                let parts = parse_label(a, p, r);
                let subj = if two_sided {
                    let (k, cl) = strip_ordinal(parts.name().unwrap_or(""));
                    if k.is_empty() {
                        None
                    } else {
                        two_sided_subject(
                            &k,
                            cl,
                            pi % 2 == 0,
                            &closing,
                            &mut sides[pi],
                            &mut resolvers[pi],
                        )
                    }
                } else {
                    row_subject(a, &parts, &ctx, &mut resolvers[pi], bi == 0)
                };
                let Some(subj) = subj else { continue };
                let label = parts
                    .name()
                    .map(|s| s.to_string())
                    .or_else(|| parts.period.clone())
                    .unwrap_or_else(|| {
                        if subj.scheme == "total" {
                            "合计".into()
                        } else {
                            parts.codes.first().cloned().unwrap_or_default()
                        }
                    });
                for &c in &p.value_cols {
                    let col = &a.cols[c];
                    let Some(measure) = col.measure.clone() else {
                        continue;
                    };
                    let Some(amount) = parse_amount(a.table.grid.cell(r, c)) else {
                        continue;
                    };
                    let measure = match subj.measure {
                        Some(m) if measure == "total" => m.to_string(),
                        _ => measure,
                    };
                    let scheme_enum = Scheme::from_name(subj.scheme);
                    let subject_name = subj.name.clone().or_else(|| {
                        let s = scheme_enum?;
                        reference
                            .name(s, subj.code.as_deref()?)
                            .map(|x| x.to_string())
                    });
                    records.push(Record {
                        doc_id: info.doc_id.to_string(),
                        source: info.source.to_string(),
                        format: info.format,
                        department: info.department.clone(),
                        fiscal_year: info.fiscal_year,
                        doc_kind: info.doc_kind,
                        table_no,
                        table_type: a.tt,
                        table_title: a.table.title.clone(),
                        page: a.table.page,
                        unit: unit.clone(),
                        row_no,
                        label: label.clone(),
                        subject_scheme: subj.scheme.to_string(),
                        subject_code: subj.code.clone(),
                        subject_name,
                        econ_gov_code: subj.econ_gov.clone(),
                        measure,
                        header: col.path.join(" / "),
                        amount: amount.to_string(),
                        flags: Vec::new(),
                        cell: [r, c],
                        code_from_name: subj.from_name,
                    });
                }
            }
        }
        let columns = a
            .cols
            .iter()
            .enumerate()
            .map(|(c, col)| ColumnInfo {
                col: c,
                role: match col.role {
                    Role::Label => "label",
                    Role::Value => "value",
                    Role::RowNum => "row_number",
                },
                header: col.path.join(" / "),
                measure: col.measure.clone(),
            })
            .collect();
        outs.push(TableOut {
            table_no,
            table_type: a.tt,
            title: a.table.title.clone(),
            unit,
            page: a.table.page,
            bbox: a.table.bbox,
            continued_on: a.table.continued_on.clone(),
            header_rows: a.header_rows.len(),
            columns,
            grid: a.table.grid.clone(),
            record_count: records.len() - before,
            notes: a.table.notes.clone(),
        });
    }
    codes_from_amounts(&mut records);
    (outs, records)
}

/// A class line of a summary printed by name only, whose name no list gives a code, takes
/// the class that the document's own 项-level codes imply when its amount equals the total
/// of exactly one such class (e.g. `其他支出 40,517.38` = Σ 229xxxx printed in the 支出表).
/// The records are flagged `code_from_amount`.
fn codes_from_amounts(records: &mut [Record]) {
    use rust_decimal::Decimal;
    use std::collections::{BTreeMap, HashMap};
    // Class totals implied by 7-digit codes, per detail table.
    let mut sums: BTreeMap<usize, BTreeMap<String, Decimal>> = BTreeMap::new();
    for r in records.iter() {
        if r.subject_scheme == "functional" && r.measure == "total" && !r.table_type.is_two_sided()
        {
            if let Some(c) = r.subject_code.as_deref().filter(|c| c.len() == 7) {
                if let Some(a) = parse_amount(&r.amount) {
                    *sums
                        .entry(r.table_no)
                        .or_default()
                        .entry(c[..3].to_string())
                        .or_default() += a;
                }
            }
        }
    }
    let mut implied: HashMap<String, Vec<Decimal>> = HashMap::new();
    for t in sums.values() {
        for (class, total) in t {
            implied.entry(class.clone()).or_default().push(*total);
        }
    }
    let mut assign: Vec<((usize, usize, String), String)> = Vec::new();
    for r in records.iter() {
        if !(r.table_type.is_two_sided()
            && r.subject_scheme == "functional"
            && r.subject_code.is_none()
            && r.measure == "total")
        {
            continue;
        }
        let Some(a) = parse_amount(&r.amount).filter(|a| !a.is_zero()) else {
            continue;
        };
        let used: HashSet<&str> = records
            .iter()
            .filter(|x| x.table_no == r.table_no && x.subject_scheme == "functional")
            .filter_map(|x| x.subject_code.as_deref())
            .collect();
        let fits: Vec<&String> = implied
            .iter()
            .filter(|(c, totals)| !used.contains(c.as_str()) && totals.contains(&a))
            .map(|(c, _)| c)
            .collect();
        if fits.len() == 1 {
            assign.push(((r.table_no, r.row_no, r.label.clone()), fits[0].clone()));
        }
    }
    for r in records.iter_mut() {
        if r.subject_code.is_some() || r.subject_scheme != "functional" {
            continue;
        }
        if let Some((_, c)) = assign
            .iter()
            .find(|(k, _)| k.0 == r.table_no && k.1 == r.row_no && k.2 == r.label)
        {
            r.subject_code = Some(c.clone());
            r.code_from_name = true;
            r.flags.push("code_from_amount".into());
        }
    }
}

fn most_common_unit(analyses: &[Analysis]) -> Option<String> {
    let mut counts: std::collections::HashMap<&str, usize> = Default::default();
    for a in analyses {
        if let Some(u) = &a.table.unit {
            *counts.entry(u.as_str()).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .max_by_key(|(u, n)| (*n, *u == "万元"))
        .map(|(u, _)| u.to_string())
}

/// Departments named in the tables (部门名称 lines), most common first.
pub fn table_departments(tables: &[Table]) -> Vec<String> {
    let mut v: Vec<String> = Vec::new();
    for t in tables {
        if let Some(d) = &t.department {
            v.push(d.clone());
        }
        for row in t.grid.rows.iter().take(3) {
            for c in row {
                if let Some(d) = department_in(c) {
                    v.push(d);
                }
            }
        }
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grid::Grid;

    fn table(rows: &[&[&str]]) -> Table {
        Table {
            grid: Grid::new(
                rows.iter()
                    .map(|r| r.iter().map(|s| s.to_string()).collect())
                    .collect(),
            ),
            unit: Some("万元".into()),
            ..Default::default()
        }
    }

    fn info() -> DocInfo<'static> {
        DocInfo {
            doc_id: "t",
            source: "t.txt",
            format: Format::Text,
            department: None,
            fiscal_year: Some(2024),
            doc_kind: Some(DocKind::Budget),
        }
    }

    #[test]
    fn split_codes_and_multilevel_headers() {
        let t = table(&[
            &["支出总表", "", "", "", "", "", ""],
            &["科目编码", "", "", "科目名称", "合计", "基本支出", ""],
            &["类", "款", "项", "", "", "小计", "人员经费"],
            &["201", "03", "01", "行政运行", "401.87", "401.87", "353.85"],
        ]);
        let r = Reference::builtin();
        let (outs, recs) = normalize_tables(vec![t], &info(), &r);
        assert_eq!(outs[0].table_type, TableType::Expenditure);
        let find = |m: &str| recs.iter().find(|x| x.measure == m).unwrap();
        assert_eq!(find("total").subject_code.as_deref(), Some("2010301"));
        assert_eq!(find("total").amount, "401.87");
        assert_eq!(find("basic").amount, "401.87");
        assert_eq!(find("personnel").amount, "353.85");
    }

    #[test]
    fn empty_cells_give_no_record_and_dashes_none() {
        let t = table(&[
            &["科目编码", "科目名称", "合计", "基本支出"],
            &["201", "一般公共服务支出", "1.00", "-"],
            &["", "合计", "1.00", ""],
        ]);
        let (_, recs) = normalize_tables(vec![t], &info(), &Reference::builtin());
        assert_eq!(recs.len(), 2);
        assert_eq!(recs[1].subject_scheme, "total");
    }

    #[test]
    fn class_line_without_listed_name_takes_the_class_its_amount_implies() {
        // No list names 特别试点支出; the 支出总表 prints only 2280101 and 2280102 under class
        // 228, whose total 4.00 is the summary line's amount.
        let summary = table(&[
            &["收支总表", "", "", ""],
            &["收入", "", "支出", ""],
            &["项目", "预算数", "项目", "预算数"],
            &[
                "一、一般公共预算拨款收入",
                "5.00",
                "一、一般公共服务支出",
                "1.00",
            ],
            &["", "", "二、特别试点支出", "4.00"],
            &["", "", "三、其他试点支出", "3.00"],
            &["本年收入合计", "5.00", "本年支出合计", "5.00"],
        ]);
        let detail = table(&[
            &["支出总表", "", "", "", ""],
            &["科目编码", "", "", "科目名称", "合计"],
            &["类", "款", "项", "", ""],
            &["201", "03", "01", "行政运行", "1.00"],
            &["228", "01", "01", "试点一", "1.50"],
            &["228", "01", "02", "试点二", "2.50"],
        ]);
        let (_, recs) = normalize_tables(vec![summary, detail], &info(), &Reference::builtin());
        let line = |label: &str| recs.iter().find(|r| r.label == label).unwrap();
        let r = line("二、特别试点支出");
        assert_eq!(r.subject_code.as_deref(), Some("228"));
        assert!(r.flags.contains(&"code_from_amount".to_string()));
        // an amount no class of the document totals keeps a null code
        assert_eq!(line("三、其他试点支出").subject_code, None);
    }
}
