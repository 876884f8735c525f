//! Row subjects: what each body row of a table is about.
//!
//! - Two-sided summaries: each side's lines are income sources, expenditure kinds
//!   (`expense_type`), functional classes, or totals; a label printed in one panel with
//!   its amount in the next panel of the same side (`当年支出小计 | | | 37,188.34`) is one
//!   line.
//! - Tables printed the other way round (an income table or a 三公 table as 项目 | 金额):
//!   each row is scheme `total`, code `total`, and its label gives the measure.
//! - Procurement lists: category lines (一、货物) are measures of the 合计 row's kind;
//!   the items under them are `project` rows, nested (no measure, flag `nested_row`).
//! - Other tables: codes printed (split over 类/款/项 columns and joined, a 款 printed
//!   without its leading zero repaired), names given their code from the document, then
//!   the reference list, agencies kept as `unit`, projects as `project`.

use super::analyse::Analysis;
use super::subject::{is_agency, strip_ordinal, DocCodes, NameResolver, Subject};
use crate::classify::TableType;
use crate::reference::{Reference, Scheme};
use crate::text::{clean_cell, compact, key};
use crate::vocab::{self, expenditure_total, income_total, level_key, Term};
use regex::Regex;
use std::collections::BTreeSet;
use std::sync::LazyLock;

/// Parsed label cells of one row in one panel.
#[derive(Debug, Default, Clone)]
pub(super) struct LabelParts {
    pub codes: Vec<String>,
    pub names: Vec<(u8, String)>,
    pub period: Option<String>,
    /// Every non-empty label cell as printed, left to right.
    pub cells: Vec<String>,
    /// A code part was printed malformed and repaired (`2` for `02`).
    pub repaired: bool,
    /// The parts of the first code group as printed, one per code column.
    pub code_parts: Vec<String>,
    /// The first code group starts in the 款 (1) or 项 (2) column while the 类 column is
    /// empty: the class (and 款) are printed once, on the rows above.
    pub starts_below_class: Option<u8>,
}

impl LabelParts {
    pub fn name(&self) -> Option<&str> {
        self.names
            .iter()
            .min_by_key(|(p, _)| *p)
            .map(|(_, n)| n.as_str())
    }
    /// The name printed next to the second code group.
    pub fn second_name(&self) -> Option<&str> {
        self.names.get(1).map(|(_, n)| n.as_str())
    }
    pub fn is_empty(&self) -> bool {
        self.codes.is_empty() && self.names.is_empty() && self.period.is_none()
    }
}

/// Row labels of a 三公 table printed by period: a year (`2024年`, `2024年预算数`), the
/// previous or current year (上年预算数, 本年预算数), or the change between them.
pub(super) static PERIOD_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:(20\d{2})\s*年度?|(上年|本年|当年)度?)(?:预算数|决算数|执行数|预算|决算|数)?$|^(增减变化金额|增减变化|增减额|增减|比上年增减)$").unwrap()
});

/// The period code of such a label: the year, or `change`.
fn period_code(label: &str, year: Option<i32>) -> String {
    let Some(c) = PERIOD_RE.captures(label) else {
        return "change".into();
    };
    if let Some(y) = c.get(1) {
        return y.as_str().to_string();
    }
    match (c.get(2).map(|m| m.as_str()), year) {
        (Some("上年"), Some(y)) => (y - 1).to_string(),
        (Some(_), Some(y)) if c.get(3).is_none() => y.to_string(),
        (Some("上年"), None) => "prior".into(),
        (Some(_), None) => "current".into(),
        _ => "change".into(),
    }
}

/// The label cells of row `r` in panel `pi`: code groups (digit cells joined, `201|03|01`
/// → `2010301`), names with their column's priority, a period (年度) cell.
pub(super) fn parse_label(a: &Analysis, pi: usize, r: usize) -> LabelParts {
    let g = &a.table.grid;
    let panel = &a.panels[pi];
    let mut parts = LabelParts::default();
    let mut group = String::new();
    let mut prev_digit = false;
    let flush = |group: &mut String, parts: &mut LabelParts| {
        if !group.is_empty() {
            parts.codes.push(std::mem::take(group));
        }
    };
    for &c in &panel.label_cols {
        let t = clean_cell(g.cell(r, c));
        let k = compact(&t);
        let col = &a.cols[c];
        if !k.is_empty() {
            parts.cells.push(t.clone());
        }
        if k.is_empty() {
            flush(&mut group, &mut parts);
            prev_digit = false;
            continue;
        }
        if col.period || (a.tt == TableType::ThreePublic && PERIOD_RE.is_match(&k)) {
            parts.period = Some(k);
            continue;
        }
        if k.chars().all(|ch| ch.is_ascii_digit()) {
            if !prev_digit && !group.is_empty() {
                flush(&mut group, &mut parts);
            }
            if parts.codes.is_empty() {
                if group.is_empty() {
                    let leaf = col.path.last().map(|l| level_key(l)).unwrap_or_default();
                    let has_class_col = panel
                        .label_cols
                        .iter()
                        .any(|&x| a.cols[x].path.last().is_some_and(|l| level_key(l) == "类"));
                    parts.starts_below_class = match leaf.as_str() {
                        "款" if has_class_col => Some(1),
                        "项" if has_class_col => Some(2),
                        _ => None,
                    };
                }
                parts.code_parts.push(k.clone());
            }
            if prev_digit && k.len() == 1 {
                // A 款 or 项 printed as a spreadsheet number (`2` for `02`).
                group.push('0');
                parts.repaired = true;
            }
            group.push_str(&k);
            prev_digit = true;
            continue;
        }
        flush(&mut group, &mut parts);
        prev_digit = false;
        // A code misprinted with a letter for a digit (`2O10301`, `3O1l01`) in a code
        // column: kept as printed, so that the check reports it (never silently read as
        // a name, nor silently repaired).
        if col.name_prio == 5 && parts.codes.is_empty() && looks_like_misprinted_code(&k) {
            parts.codes.push(k.clone());
            continue;
        }
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
    flush(&mut group, &mut parts);
    parts
}

/// Is `code` (of no scheme's shape) a misprint of a code of `scheme`: it starts with the
/// scheme's digit (2 functional, 3 departmental, 5 government) and has 3 to 7 characters?
/// Unit codes (709, 709001) start otherwise or stand beside an agency's name.
fn misprinted_in(scheme: Scheme, code: &str) -> bool {
    let lead = match scheme {
        Scheme::Functional => '2',
        Scheme::EconDept => '3',
        Scheme::EconGov => '5',
    };
    code.starts_with(lead) && (3..=7).contains(&code.chars().count())
}

/// A code with letters that look like digits: 3 to 7 characters of digits and O/o/I/l,
/// at least two digits, starting with a digit.
fn looks_like_misprinted_code(k: &str) -> bool {
    let n = k.chars().count();
    (3..=7).contains(&n)
        && k.starts_with(|c: char| c.is_ascii_digit())
        && k.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, 'O' | 'o' | 'I' | 'l'))
        && k.chars().filter(char::is_ascii_digit).count() >= 2
        && !k.chars().all(|c| c.is_ascii_digit())
}

/// Document-level context shared by the tables of one document.
pub(super) struct DocCtx<'a> {
    pub reference: &'a Reference,
    pub codes: DocCodes,
    pub department: Option<String>,
    pub year: Option<i32>,
}

/// Register the codes a table prints, by name, for name-only rows elsewhere in the document.
pub(super) fn collect_codes(a: &Analysis, ctx: &mut DocCtx) {
    for &r in &a.body {
        for pi in 0..a.panels.len() {
            let parts = parse_label(a, pi, r);
            let Some(code) = parts.codes.first() else {
                continue;
            };
            let Some(name) = parts.names.first().map(|(_, n)| n.as_str()) else {
                continue;
            };
            if parts.repaired {
                continue;
            }
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
pub(super) struct SideState {
    carry_block: bool,
}

/// The subject of one line of a two-sided summary.
pub(super) fn two_sided_subject(
    k: &str,
    class_level: bool,
    income_side: bool,
    closing: &BTreeSet<&'static str>,
    st: &mut SideState,
    res: &mut NameResolver,
) -> Subject {
    let k = k.trim_end_matches(':');
    if income_side {
        let total = match k.trim_start_matches("财政").trim_start_matches("拨款") {
            "收入合计" => Some(if closing.contains("income_grand_total") {
                "year_income"
            } else {
                "income_grand_total"
            }),
            _ => income_total(k),
        };
        if let Some(t) = total {
            st.carry_block = t == "carryover_in";
            return Subject::new("total", t);
        }
        let Some(src) = vocab::income_source(k) else {
            return Subject::uncoded("income_source");
        };
        let code = if st.carry_block {
            format!("carryover_in.{src}")
        } else {
            src.to_string()
        };
        return Subject::new("income_source", code);
    }
    let total = match k.trim_start_matches("财政").trim_start_matches("拨款") {
        "支出合计" => Some(if closing.contains("expenditure_grand_total") {
            "year_expenditure"
        } else {
            "expenditure_grand_total"
        }),
        _ => expenditure_total(k),
    };
    if let Some(t) = total {
        return Subject::new("total", t);
    }
    if let Some(t) = vocab::expense_type(k) {
        return Subject::new("expense_type", t);
    }
    let code = res.resolve(k, class_level);
    Subject {
        scheme: "functional",
        from_name: code.is_some(),
        code,
        name: None,
        econ_gov: None,
        measure: None,
        repaired: false,
    }
}

/// The side of each panel of a two-sided table: what its row labels name (income sources
/// and 收入 lines, or functional classes, kinds of spending and 支出 lines), else the
/// header over it (收入 / 支出), else the first panel income and the next expenditure.
pub(super) fn panel_sides(a: &Analysis) -> Vec<bool> {
    let n = a.panels.len();
    let votes: Vec<(usize, usize)> = (0..n)
        .map(|pi| {
            let (mut inc, mut exp) = (0, 0);
            for &r in &a.body {
                let parts = parse_label(a, pi, r);
                let (k, _) = strip_ordinal(parts.name().unwrap_or(""));
                let k = k.trim_end_matches(':');
                let i = income_total(k).is_some()
                    || vocab::income_source(k).is_some()
                    || k.ends_with("收入");
                let e = expenditure_total(k).is_some()
                    || vocab::expense_type(k).is_some()
                    || k.ends_with("支出");
                match (i, e) {
                    (true, false) => inc += 1,
                    (false, true) => exp += 1,
                    _ => {}
                }
            }
            (inc, exp)
        })
        .collect();
    (0..n)
        .map(|pi| match votes[pi] {
            (i, e) if i > e => true,
            (i, e) if e > i => false,
            _ => a.income_side(pi),
        })
        .collect()
}

/// A 合计 row's label: `Some(None)` for a plain total, `Some(Some(token))` for a lane's
/// total (`人员经费合计` → personnel).
fn total_label(k: &str) -> Option<Option<&'static str>> {
    let k = k.trim_end_matches(':');
    match k {
        "合计" | "总计" | "合计数" | "本年合计" => Some(None),
        _ => {
            let head = k.strip_suffix("合计")?;
            vocab::level_token(head).map(Some)
        }
    }
}

/// The subject of a row of a one-sided table (codes, names, agencies, projects, periods).
pub(super) fn row_subject(
    a: &Analysis,
    parts: &LabelParts,
    ctx: &DocCtx,
    res: &mut NameResolver,
    first_row: bool,
) -> Option<Subject> {
    if a.tt == TableType::ThreePublic {
        if let Some(p) = &parts.period {
            return Some(Subject::new("period", period_code(p, ctx.year)));
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
    let project_table = matches!(a.tt, TableType::Project | TableType::Performance);
    let mut repaired = parts.repaired;
    let printed = parts.codes.first().map(|c| {
        let (c, fixed) = repair_code(a, parts, c, name, res);
        repaired |= fixed;
        c
    });
    if let Some(code) = printed.as_ref() {
        let scheme = Scheme::of_code(code);
        // A project number (longer than any subject or unit code) before a project's name.
        if project_table && code.len() > 9 && !name.is_empty() && !is_agency(name, dept) {
            return Some(Subject::named("project", Some(name.to_string()), name));
        }
        let named_subject = scheme.is_some_and(|s| {
            ctx.reference.name_matches(s, code, name)
                || ctx.codes.name(s, code).is_some_and(|n| key(n) == key(name))
        });
        // A 款 or 项 code under a listed class is a budget subject, whatever its name ends
        // with (20405 法院 is no agency); a bare 3-digit code may be a unit's (709 …局).
        let under_class =
            scheme.is_some_and(|s| code.len() >= 5 && ctx.reference.get(s, &code[..3]).is_some());
        // A code of no scheme's shape beside a subject's name (not an agency's) in a table
        // of budget subjects: a misprinted subject code (`201032`, `2O10301`), kept as
        // printed in the table's scheme so that the check reports it as malformed.
        let table_scheme = a.scheme();
        if scheme.is_none()
            && !project_table
            && !name.is_empty()
            && !is_agency(name, dept)
            && misprinted_in(table_scheme, code)
        {
            return Some(Subject {
                scheme: table_scheme.as_str(),
                code: Some(code.clone()),
                name: None,
                econ_gov: None,
                measure: None,
                from_name: false,
                repaired,
            });
        }
        if scheme.is_none() || (!named_subject && !under_class && is_agency(name, dept)) {
            return Some(Subject::named("unit", Some(code.clone()), name));
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
            repaired,
        });
    }
    if k.is_empty() {
        return None;
    }
    if is_agency(name, dept) {
        return Some(Subject::named("unit", Some(String::new()), name));
    }
    if project_table {
        return Some(Subject::named("project", Some(name.to_string()), name));
    }
    let scheme = a.scheme();
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
        repaired: false,
    })
}

/// A code printed incompletely, completed from the rows above and the row's name:
/// a 款 or 项 row whose 类 cell is left empty (the class printed once, on its own row)
/// takes the class (and 款) above; a joined code of no standard length (a class printed
/// as a fragment) takes the code the row's name has in the document or the lists, when
/// that code agrees with the printed parts. Returns the code and whether it was repaired.
fn repair_code(
    a: &Analysis,
    parts: &LabelParts,
    code: &str,
    name: &str,
    res: &mut NameResolver,
) -> (String, bool) {
    let standard = |c: &str| Scheme::of_code(c).is_some();
    if let Some(level) = parts.starts_below_class {
        let parent = match level {
            1 => res.class(),
            _ => res.kuan(),
        };
        if let Some(p) = parent {
            let below: String = parts
                .code_parts
                .iter()
                .map(|x| format!("{x:0>2}"))
                .collect();
            let joined = format!("{p}{below}");
            if standard(&joined) && joined.starts_with(|c: char| c != '0') {
                return (joined, true);
            }
        }
    }
    if standard(code) || parts.code_parts.len() < 2 || name.is_empty() {
        return (code.to_string(), false);
    }
    let (k, class_level) = strip_ordinal(name);
    let scheme = a.scheme();
    if let Some(c) = res.peek(&k, class_level) {
        let tail: String = parts.code_parts[1..]
            .iter()
            .map(|p| format!("{p:0>2}"))
            .collect();
        let head = &parts.code_parts[0];
        if Scheme::of_code(&c) == Some(scheme) && c.starts_with(head.as_str()) && c.ends_with(&tail)
        {
            return (c, true);
        }
    }
    (code.to_string(), false)
}

/// The measure a row label names in a table printed the other way round, composed from
/// its label cells (`一般公共预算资金 | 小计` → general_budget; `公共财政拨款（补助）资金`
/// under 一般公共预算资金 → general_budget_fiscal). `Err(())` for a label no token fits.
pub(super) fn label_measure(cells: &[String], doc_year: Option<i32>) -> Result<String, ()> {
    let mut c = vocab::Composition::default();
    let ctx = vocab::Context {
        doc_year,
        budget_actual_prefix: false,
    };
    for cell in cells {
        let (k, _) = strip_ordinal(cell);
        let k = k.trim_start_matches("其中:");
        let atoms = vocab::atoms(k, doc_year).ok_or(())?;
        for a in atoms {
            if !c.push(a, ctx) {
                return Err(());
            }
        }
    }
    c.measure().ok_or(())
}

/// Does this one-sided table print its measures as rows (an income table or a 三公 table
/// as 项目 | 金额)? No row prints a code, and most labelled rows name a measure the table
/// type carries, at least one of them more than a total.
pub(super) fn rows_are_measures(a: &Analysis, doc_year: Option<i32>) -> bool {
    if !matches!(
        a.tt,
        TableType::Income
            | TableType::Expenditure
            | TableType::ThreePublic
            | TableType::OperatingFunds
            | TableType::Other
    ) || a.panels.len() != 1
    {
        return false;
    }
    let (mut labelled, mut mapped, mut specific) = (0, 0, 0);
    let mut carried: Vec<String> = Vec::new();
    for &r in &a.body {
        let parts = parse_label(a, 0, r);
        if !parts.codes.is_empty() {
            return false;
        }
        if parts.cells.is_empty() {
            continue;
        }
        labelled += 1;
        let cells = carried_cells(a, r, &mut carried);
        // Rows that are periods (2024年预算数, 上年预算数, 增减) are no measures.
        if parts.period.is_some() {
            continue;
        }
        if let Ok(m) = label_measure(&cells, doc_year) {
            if vocab::carries(a.tt, &m) {
                mapped += 1;
                if m != "total" {
                    specific += 1;
                }
            }
        }
    }
    labelled > 0 && mapped * 2 > labelled && specific >= 2
}

/// The label cells of row `r` (panel 0) with the first column carried down from the rows
/// above when this row leaves it empty (`| 公共财政拨款（补助）资金` under
/// `一般公共预算资金 | 小计`).
pub(super) fn carried_cells(a: &Analysis, r: usize, carried: &mut Vec<String>) -> Vec<String> {
    let g = &a.table.grid;
    let cols = &a.panels[0].label_cols;
    let cells: Vec<String> = cols.iter().map(|&c| clean_cell(g.cell(r, c))).collect();
    if carried.len() != cells.len() {
        *carried = vec![String::new(); cells.len()];
    }
    let mut out = Vec::new();
    let last_filled = cells.iter().rposition(|c| !c.is_empty());
    for (i, cell) in cells.iter().enumerate() {
        if !cell.is_empty() {
            carried[i] = cell.clone();
            for x in carried.iter_mut().skip(i + 1) {
                x.clear();
            }
            out.push(cell.clone());
        } else if last_filled.is_some_and(|l| i < l) && !carried[i].is_empty() {
            out.push(carried[i].clone());
        }
    }
    out
}

/// A procurement category line (`一、货物A`, `服务类`): its measure token.
pub(super) fn procurement_category(label: &str) -> Option<&'static str> {
    let (k, _) = strip_ordinal(label);
    let k = k.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    match vocab::term_of_key(&vocab::level_key(k))? {
        Term::Measure(t @ ("goods" | "services" | "works")) => Some(t),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_measures() {
        let m = |cells: &[&str]| {
            label_measure(
                &cells.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
                Some(2019),
            )
        };
        assert_eq!(m(&["收入总计"]), Ok("total".into()));
        assert_eq!(
            m(&["一般公共预算资金", "小计"]),
            Ok("general_budget".into())
        );
        assert_eq!(
            m(&["一般公共预算资金", "公共财政拨款（补助）资金"]),
            Ok("general_budget_fiscal".into())
        );
        assert_eq!(m(&["其他资金", "事业收入"]), Ok("business_income".into()));
        assert_eq!(m(&["1.因公出国（境）费"]), Ok("overseas".into()));
        assert_eq!(m(&["专项收入"]), Err(()));
        assert_eq!(m(&["债务资金（银行贷款）"]), Err(()));
    }

    #[test]
    fn period_rows() {
        assert_eq!(period_code("2024年", Some(2025)), "2024");
        assert_eq!(period_code("2024年预算数", Some(2025)), "2024");
        assert_eq!(period_code("上年预算数", Some(2025)), "2024");
        assert_eq!(period_code("本年预算数", Some(2025)), "2025");
        assert_eq!(period_code("增减变化金额", Some(2025)), "change");
        assert!(!PERIOD_RE.is_match("公务接待费"));
    }

    #[test]
    fn procurement_categories() {
        assert_eq!(procurement_category("一、货物A"), Some("goods"));
        assert_eq!(procurement_category("三、服务C"), Some("services"));
        assert_eq!(procurement_category("工程类"), Some("works"));
        assert_eq!(procurement_category("PC服务器"), None);
    }
}
