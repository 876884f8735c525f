//! One table's grid analysed: meta rows taken out, header rows found, header cells
//! forward-filled into paths, columns given a role (label, value, row number) and value
//! columns a measure composed level by level from the vocabulary, and the columns cut into
//! panels where a label column follows value columns (two-sided summaries, side-by-side
//! lanes).

use crate::classify::{classify_structure, classify_title, Evidence, TableType};
use crate::grid::{department_in, is_table_number_line, unit_in, Grid, Table};
use crate::model::DocKind;
use crate::reference::Scheme;
use crate::text::{clean_cell, compact, key, looks_like_money, parse_amount};
use crate::vocab::{self, level_key, Term};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Role {
    Label,
    Value,
    RowNum,
}

#[derive(Debug, Clone)]
pub(super) struct Col {
    pub role: Role,
    /// The header path as printed, top level first.
    pub path: Vec<String>,
    /// The levels that speak about this column alone: levels whose cell also spans a
    /// row-label column (收入 over 项目 | 预算数, 项目 over the code columns) name a side or
    /// block, not a measure.
    pub measure_path: Vec<String>,
    pub measure: Option<String>,
    /// How many levels of the path named something (the more specific of two columns
    /// read as the same measure wins).
    pub specificity: usize,
    /// For label columns: how good a row name this column holds (lower is better).
    pub name_prio: u8,
    /// 年度 column (三公 tables by year).
    pub period: bool,
}

#[derive(Debug, Clone)]
pub(super) struct Panel {
    pub label_cols: Vec<usize>,
    pub value_cols: Vec<usize>,
    /// In two-sided tables: the income side (true) or the expenditure side, when the
    /// header says so (收入 / 支出 over the panel).
    pub income_side: Option<bool>,
}

/// One table, analysed.
pub(super) struct Analysis {
    pub table: Table,
    pub tt: TableType,
    pub header_rows: Vec<usize>,
    pub cols: Vec<Col>,
    pub panels: Vec<Panel>,
    pub body: Vec<usize>,
    /// A 栏次 line printed 合计 above a body row whose label is empty.
    pub pending_total: bool,
}

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
        "项目单位" => 3,
        "类型" | "项目类别" | "项目分类" | "资金来源" | "资金性质" | "计量单位" => {
            8
        }
        "类" | "款" | "项" => 5,
        _ if leaf.ends_with("组织形式") => 8,
        _ if leaf.ends_with("名称")
            || matches!(leaf.as_str(), "项目" | "预算单位" | "支出项目类别") =>
        {
            1
        }
        _ if all.iter().any(|l| l.contains("编码") || l.contains("代码")) => 5,
        _ => 2,
    };
    (p, false)
}

/// Some extractions print a group's children one column right of the data, leaving the
/// group header alone over the first data column (`项目支出 | 项目支出/小计 | 项目支出/其他运转类 …`
/// with the group's last column empty in every row). Shift the children back.
fn repair_shifted_groups(paths: &mut [Vec<(String, bool)>], g: &Grid, body: &[usize]) {
    let w = paths.len();
    let mut c = 0;
    while c + 1 < w {
        let shifted = paths[c].len() == 1
            && paths[c + 1].len() == 2
            && paths[c + 1][0].0 == paths[c][0].0
            && matches!(level_key(&paths[c + 1][1].0).as_str(), "小计" | "合计");
        if shifted {
            let mut end = c + 1;
            while end + 1 < w && paths[end + 1].len() == 2 && paths[end + 1][0].0 == paths[c][0].0 {
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
pub(super) fn is_colnum_row(row: &[String]) -> bool {
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

/// A printed placeholder for "no amount" (`-`, `—`, `/`, `无`).
pub(super) fn is_dash(c: &str) -> bool {
    let k = compact(c);
    !k.is_empty() && k.chars().all(|ch| "-—－–/／*＊…".contains(ch)) || k == "无"
}

/// Does the row start the body although it prints no money: a 合计 / code / numbered
/// label followed only by bare numbers (`合计 | | 0`) or nothing (an empty table's 合计)?
/// Column numbers (1 2 3 …) do not count.
fn starts_body(row: &[String]) -> bool {
    if row.iter().any(|c| looks_like_money(c)) {
        return true;
    }
    let cells: Vec<String> = row
        .iter()
        .map(|c| compact(c))
        .filter(|c| !c.is_empty())
        .collect();
    let Some(first) = cells.first() else {
        return false;
    };
    let rest = &cells[1..];
    let ints: Vec<u32> = rest.iter().filter_map(|c| c.parse().ok()).collect();
    let column_numbers = ints.len() >= 2 && ints.windows(2).all(|w| w[1] == w[0] + 1);
    if column_numbers {
        return false;
    }
    // 3, 5, 6 or 7 digits (a 4-digit number is more likely a year than a code).
    let is_code =
        |c: &str| matches!(c.len(), 3 | 5 | 6 | 7) && c.chars().all(|ch| ch.is_ascii_digit());
    let row_label = |c: &str| {
        let (k, ordinal) = crate::normalize::subject::strip_ordinal(c);
        matches!(k.as_str(), "合计" | "总计" | "无") || is_code(c) || ordinal
    };
    // A code opens a body row (`205 | 教育支出 | |` in an empty template).
    if is_code(first) {
        return true;
    }
    // A numbered or 合计 label followed by amounts, other row labels or names (no
    // heading words): `一、一般公共预算财政拨款收入 | | 一、一般公共服务支出 |`.
    row_label(first)
        && rest.iter().all(|c| {
            parse_amount(c).is_some()
                || is_dash(c)
                || row_label(c)
                || (vocab::atoms(c, None).is_none() && !vocab::is_label_heading(c))
        })
}

/// A row inside the grid that only carries the title, 单位 or 部门 line.
pub(super) fn meta_row(row: &[String]) -> Option<(Option<String>, Option<String>, Option<String>)> {
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

/// The grid's header: rows above the body, merged cells expanded and cells forward-filled
/// within their parent's span. Returns the filled header rows and, per header row and
/// column, the first and last column its cell spans.
/// Per header row and column: the first and last column the cell spans.
type Spans = Vec<Vec<(usize, usize)>>;

fn filled_header(g: &Grid, header_rows: &[usize]) -> (Vec<Vec<String>>, Spans) {
    let w = g.width();
    let mut hdr: Vec<Vec<String>> = header_rows.iter().map(|&r| g.rows[r].clone()).collect();
    let mut span: Spans = (0..hdr.len())
        .map(|_| (0..w).map(|c| (c, c)).collect())
        .collect();
    for m in &g.merges {
        for (hi, &r) in header_rows.iter().enumerate() {
            if r >= m.row && r < m.row + m.row_span {
                let text = g.cell(m.row, m.col).to_string();
                let end = (m.col + m.col_span).min(w);
                for c in m.col..end {
                    if hdr[hi][c].trim().is_empty() || c == m.col {
                        hdr[hi][c] = text.clone();
                        span[hi][c] = (m.col, end.saturating_sub(1).max(m.col));
                    }
                }
            }
        }
    }
    // Forward-fill: an empty cell right of a filled one, under the same parent, with a
    // child below, belongs to the cell on its left (a spanning heading the extraction
    // printed once).
    let mut group: Vec<Vec<usize>> = vec![vec![0; w]; hdr.len()];
    for r in 0..hdr.len() {
        for c in 0..w {
            if !hdr[r][c].trim().is_empty() {
                group[r][c] = if c > 0 && span[r][c].0 < c {
                    group[r][c - 1]
                } else {
                    c
                };
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
    // Spans from the groups: the columns sharing a cell's origin.
    for r in 0..hdr.len() {
        let mut c = 0;
        while c < w {
            let gid = group[r][c];
            let mut e = c;
            while e + 1 < w && gid != usize::MAX && group[r][e + 1] == gid {
                e += 1;
            }
            for s in span[r][c..=e].iter_mut() {
                *s = (c, e);
            }
            c = e + 1;
        }
    }
    (hdr, span)
}

/// The only non-empty cell of a row, if the row has exactly one.
fn single_cell(row: &[String]) -> Option<&str> {
    let mut filled = row.iter().filter(|c| !c.trim().is_empty());
    let first = filled.next()?;
    filled.next().is_none().then_some(first.as_str())
}

pub(super) fn analyse(mut table: Table) -> Analysis {
    // A title wrapped over the grid's first two rows (`2024年部门一般公共预算` /
    // `支出功能分类预算表`): one title row.
    if table.grid.height() >= 2 {
        let (a, b) = (&table.grid.rows[0], &table.grid.rows[1]);
        if let (Some(x), Some(y)) = (single_cell(a), single_cell(b)) {
            let joined = format!("{}{}", x.trim(), y.trim());
            if classify_title(x).is_none()
                && !looks_like_money(x)
                && vocab::atoms(x, None).is_none()
                && compact(y).ends_with('表')
                && classify_title(&joined).is_some()
            {
                table.grid.rows[1] = vec![joined];
                table.grid.remove_row(0);
                table.grid.pad();
            }
        }
    }
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
    // Prefer a title that names a table type; the grid's own first row when it does. A
    // heading row spanning the columns (`财政拨款“三公”经费` over the 三公 columns) names the
    // block, not the table: a title printed above the grid that ends in 表 stays.
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
    let body_start = (0..h).find(|&r| starts_body(&g.rows[r])).unwrap_or(h);
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
    let (hdr, span) = filled_header(g, &header_rows);
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

    // Paths: each level with the columns its cell spans.
    let mut paths: Vec<Vec<(String, bool)>> = Vec::with_capacity(w);
    let mut level_spans: Vec<Vec<(usize, usize)>> = Vec::with_capacity(w);
    for c in 0..w {
        let mut path: Vec<(String, bool)> = Vec::new();
        let mut spans = Vec::new();
        for (r, row) in hdr.iter().enumerate() {
            let t = clean_cell(&row[c]);
            if !t.is_empty() && path.last().map(|p| &p.0) != Some(&t) {
                path.push((t, false));
                spans.push(span[r][c]);
            }
        }
        paths.push(path);
        level_spans.push(spans);
    }
    repair_shifted_groups(&mut paths, g, &body);
    // Roles: the heading decides; a column whose heading the vocabulary does not know
    // (or that has none) is a label column when its body prints text, not amounts.
    let mut cols: Vec<Col> = Vec::with_capacity(w);
    for (c, path) in paths.iter().enumerate() {
        let texts: Vec<String> = path.iter().map(|p| p.0.clone()).collect();
        let leaf = texts.last().cloned().unwrap_or_default();
        let known_value =
            texts.iter().rev().take(1).any(|l| {
                vocab::atoms(l, None).is_some_and(|a| a.iter().any(|t| *t != Term::Wrapper))
            });
        let role = if texts.iter().any(|l| vocab::is_rownum_heading(l)) {
            Role::RowNum
        } else if vocab::is_label_heading(&leaf) {
            Role::Label
        } else if known_value && !texts.is_empty() {
            Role::Value
        } else {
            let (mut money, mut text) = (0, 0);
            for &r in &body {
                let t = g.cell(r, c);
                if parse_amount(t).is_some() {
                    money += 1;
                } else if !t.trim().is_empty() && !is_dash(t) {
                    text += 1;
                }
            }
            if text > money {
                Role::Label
            } else {
                Role::Value
            }
        };
        let (name_prio, period) = label_prio(&texts);
        cols.push(Col {
            role,
            path: texts,
            measure_path: Vec::new(),
            measure: None,
            specificity: 0,
            name_prio,
            period,
        });
    }
    // Measure paths: drop levels whose cell also spans a label column.
    for c in 0..w {
        let spans = level_spans[c].clone();
        let keep: Vec<String> = cols[c]
            .path
            .iter()
            .enumerate()
            .filter(|(i, _)| {
                let (lo, hi) = spans.get(*i).copied().unwrap_or((c, c));
                !(lo..=hi).any(|x| x != c && cols[x].role == Role::Label)
            })
            .map(|(_, l)| l.clone())
            .collect();
        cols[c].measure_path = keep;
    }
    // Panels: a label column after value columns starts a new panel.
    let mut panels: Vec<Panel> = Vec::new();
    let new_panel = || Panel {
        label_cols: vec![],
        value_cols: vec![],
        income_side: None,
    };
    let mut cur = new_panel();
    for (c, col) in cols.iter().enumerate() {
        match col.role {
            Role::Label => {
                if !cur.value_cols.is_empty() {
                    panels.push(std::mem::replace(&mut cur, new_panel()));
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
    for p in &mut panels {
        p.income_side = p
            .label_cols
            .iter()
            .chain(&p.value_cols)
            .flat_map(|&c| cols[c].path.iter())
            .find_map(|l| {
                let k = key(l);
                match (k.contains("收入"), k.contains("支出")) {
                    (true, false) => Some(true),
                    (false, true) => Some(false),
                    _ => None,
                }
            });
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

impl Analysis {
    /// Is panel `pi` on the income side of a two-sided table?
    pub fn income_side(&self, pi: usize) -> bool {
        match self.panels[pi].income_side {
            Some(s) => s,
            // No 收入 / 支出 heading: the first panel is income, a later one inherits the
            // side of the panel before it once a side was named, else alternates.
            None => {
                if pi == 0 {
                    return true;
                }
                if self.panels[..pi].iter().any(|p| p.income_side.is_some()) {
                    return self.income_side(pi - 1);
                }
                pi.is_multiple_of(2)
            }
        }
    }

    /// The default subject scheme of the table's rows.
    pub fn scheme(&self) -> Scheme {
        if self.tt.is_economic() {
            Scheme::EconDept
        } else {
            Scheme::Functional
        }
    }
}

/// The table type: from the title when it names one, else from the structure.
pub(super) fn classify(a: &mut Analysis) {
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
    for &r in &a.body {
        for pi in 0..a.panels.len() {
            for code in super::rows::parse_label(a, pi, r).codes {
                match Scheme::of_code(&code) {
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

/// Give value columns their measures now that the table type is known: each column's
/// path composed level by level ([`vocab::compose`]), kept when the table type carries
/// it. A level the vocabulary does not know but the title contains (`一般公共预算基本支出`
/// in 一般公共预算基本支出预算表) names the table's own block and is dropped.
pub(super) fn map_measures(a: &mut Analysis, doc_year: Option<i32>, kind: Option<DocKind>) {
    let title = a.table.title.as_deref().map(level_key).unwrap_or_default();
    let kinds: std::collections::BTreeSet<&'static str> = a
        .cols
        .iter()
        .filter(|c| c.role == Role::Value)
        .flat_map(|c| c.measure_path.iter())
        .filter_map(|l| match vocab::atoms(l, doc_year)?.as_slice() {
            [.., Term::Kind(k)] | [Term::Kind(k), ..] => Some(*k),
            _ => None,
        })
        .collect();
    // 预算数 / 决算数 are prefixes where a table prints both, and in 三公 tables of final
    // accounts (预算数 against 决算数); elsewhere they only say "the amount".
    let budget_actual_prefix =
        kinds.len() >= 2 || (a.tt == TableType::ThreePublic && kind == Some(DocKind::FinalAccount));
    let ctx = vocab::Context {
        doc_year,
        budget_actual_prefix,
    };
    for col in a.cols.iter_mut() {
        if col.role != Role::Value {
            continue;
        }
        let levels: Vec<&String> = col
            .measure_path
            .iter()
            .filter(|l| {
                let k = level_key(l);
                let k = k.trim_start_matches("YYYY年");
                !(vocab::atoms(l, doc_year).is_none()
                    && k.chars().count() >= 4
                    && title.contains(k))
            })
            .collect();
        let comp = vocab::compose(&levels, ctx);
        col.specificity = comp.as_ref().map_or(0, |c| c.specificity);
        col.measure = comp
            .and_then(|c| c.measure())
            .filter(|m| vocab::carries(a.tt, m));
    }
    let g = &a.table.grid;
    let one_sided = !(a.tt.is_two_sided() && a.panels.len() >= 2);
    for p in &a.panels {
        // Two columns read as the same measure: the more specific path wins (`“三公”经费 /
        // 小计` over a 合计 that also counts 会议费 and 培训费); a tie stays as printed.
        let mut by_measure: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for &c in &p.value_cols {
            if let Some(m) = &a.cols[c].measure {
                by_measure.entry(m.clone()).or_default().push(c);
            }
        }
        for cs in by_measure.values().filter(|cs| cs.len() > 1) {
            let best = cs.iter().map(|&c| a.cols[c].specificity).max().unwrap_or(0);
            if cs
                .iter()
                .filter(|&&c| a.cols[c].specificity == best)
                .count()
                == 1
            {
                for &c in cs {
                    if a.cols[c].specificity < best {
                        a.cols[c].measure = None;
                    }
                }
            }
        }
        // A table's only value column is its total, whatever it is headed (金额, 预算数,
        // 基本支出 in a basic-expenditure table, 机关运行经费支出).
        if one_sided && a.tt != TableType::ThreePublic {
            let printed: Vec<usize> = p
                .value_cols
                .iter()
                .copied()
                .filter(|&c| a.body.iter().any(|&r| parse_amount(g.cell(r, c)).is_some()))
                .collect();
            if let [only] = printed.as_slice() {
                let m = a.cols[*only].measure.as_deref();
                let prefixed = m.is_some_and(|m| m.contains('.') || m.starts_with("change"));
                if !prefixed {
                    a.cols[*only].measure = Some("total".into());
                }
            }
        }
    }
    if a.tt == TableType::ThreePublic {
        repair_three_public(a);
    }
}

/// The measures a complete 三公 block has, for repairing a garbled header.
const THREE_PUBLIC: &[&str] = &[
    "total",
    "overseas",
    "vehicle",
    "vehicle_purchase",
    "vehicle_operation",
    "reception",
];

/// A garbled 三公 header can name one column twice and miss another; when exactly one is
/// missing from a block, the repeated one is it.
fn repair_three_public(a: &mut Analysis) {
    for panel in &a.panels {
        let mut blocks: BTreeMap<String, Vec<usize>> = BTreeMap::new();
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
                .map(|&c| base(a.cols[c].measure.as_deref().unwrap_or("")))
                .collect();
            if names.iter().any(|n| !THREE_PUBLIC.contains(&n.as_str())) {
                continue;
            }
            let missing: Vec<&&str> = THREE_PUBLIC
                .iter()
                .filter(|t| !names.iter().any(|n| n == **t))
                .collect();
            let mut seen = std::collections::HashSet::new();
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
