//! Normalisation: each table's grid becomes typed columns and subject rows, and every
//! printed number of a table body becomes a [`Record`].
//!
//! Per table (`analyse`): meta rows inside the grid (title, 单位, 部门) are taken out;
//! header rows are the rows above the body; header cells are forward-filled into paths;
//! columns get a role (label, value, row number) and value columns a measure composed from
//! the one vocabulary ([`crate::vocab`]); the columns are cut into panels where a label
//! column follows value columns. Every body row of every panel then gets a subject
//! (`rows`). No printed number is dropped: a column no token fits gives records with
//! `measure: null` and the flag `unmapped_column`; a row whose subject cannot be decided
//! keeps `subject_code: null`.

mod analyse;
pub mod analysis;
pub mod meta;
mod rows;
pub mod subject;

use crate::classify::TableType;
use crate::grid::{department_in, Table};
use crate::model::{ColumnInfo, DocKind, Finding, Format, Record, TableOut};
use crate::reference::{Reference, Scheme};
use crate::text::{clean_cell, parse_amount};
use analyse::{analyse, classify, map_measures, Analysis, Role};
use rows::{
    carried_cells, collect_codes, label_measure, parse_label, procurement_category, row_subject,
    rows_are_measures, two_sided_subject, DocCtx, SideState,
};
use std::collections::BTreeSet;
use subject::{strip_ordinal, DocCodes, NameResolver, Subject};

/// Document-level facts the records repeat.
pub struct DocInfo<'a> {
    pub doc_id: &'a str,
    pub source: &'a str,
    pub format: Format,
    pub department: Option<String>,
    pub fiscal_year: Option<i32>,
    pub doc_kind: Option<DocKind>,
}

/// Flags a record gets from normalisation (validation adds its own).
pub mod flags {
    /// The column's header fits no token (or none its table type carries).
    pub const UNMAPPED_COLUMN: &str = "unmapped_column";
    /// A row of a table printed the other way round whose label fits no token.
    pub const UNMAPPED_ROW: &str = "unmapped_row";
    /// An item under a category line of a procurement list: part of that line's amount.
    pub const NESTED_ROW: &str = "nested_row";
    /// The printed code was malformed (`2` for `02`) and repaired.
    pub const CODE_REPAIRED: &str = "code_repaired";
    /// The code was not printed beside the row: it was given from the row's name (by the
    /// codes the same document prints, else the lists).
    pub const CODE_FROM_NAME: &str = "code_from_name";
}

/// A row's subject and what its label adds to the column's measure.
struct RowRead {
    subject: Subject,
    label: String,
    /// The measure the row itself names (rows printed as measures); `Err` when the row is
    /// such a row but no token fits its label.
    row_measure: Option<Result<String, ()>>,
    nested: bool,
}

impl RowRead {
    /// A row whose measures are its columns'.
    fn plain(subject: Subject, label: String) -> RowRead {
        RowRead {
            subject,
            label,
            row_measure: None,
            nested: false,
        }
    }
}

/// The measure of one cell: the column's, refined by the row's.
fn cell_measure(col: Option<&str>, row: &RowRead) -> Option<String> {
    let col = col?;
    let token = match &row.row_measure {
        None => match row.subject.measure {
            Some(m) if col == "total" => return Some(m.to_string()),
            _ => return Some(col.to_string()),
        },
        Some(Ok(t)) => t.as_str(),
        Some(Err(())) => return None,
    };
    if row.nested {
        return None;
    }
    // The row names the measure, the column its prefix (`预算数` → budget., 上年 → prior.).
    let (prefix, base) = match col.rsplit_once('.') {
        Some((p, b)) => (Some(p), b),
        None => (None, col),
    };
    Some(match (prefix, base) {
        (_, "total") if token == "total" => col.to_string(),
        (Some("prior"), "total") => format!("prior.{token}"),
        (Some(p), "total") => format!("{p}.{token}"),
        (None, "total") => token.to_string(),
        (None, "change" | "change_pct") => format!("{base}.{token}"),
        _ => col.to_string(),
    })
}

/// Normalise the tables of one document into table descriptions and records.
pub fn normalize_tables(
    tables: Vec<Table>,
    info: &DocInfo,
    reference: &Reference,
) -> (Vec<TableOut>, Vec<Record>) {
    let (tables, records, _, _) = normalize_with_findings(tables, info, reference, 1);
    (tables, records)
}

/// [`normalize_tables`], with the code/name pairs the document prints and a finding for each cell of a value column that prints a
/// number no exact amount can hold (`unreadable_amount`: 500 digits, `1e309`, `1,23.4`),
/// so that no printed number is lost without a word.
pub fn normalize_with_findings(
    tables: Vec<Table>,
    info: &DocInfo,
    reference: &Reference,
    threads: usize,
) -> (
    Vec<TableOut>,
    Vec<Record>,
    Vec<Finding>,
    Vec<crate::model::PrintedCode>,
) {
    // Each table on its own, on up to `threads` threads, then what the document's tables
    // tell together (the codes each prints), then each table's records.
    let analyses: Vec<Analysis> = crate::par::map(tables, threads, |_, t| {
        let mut a = analyse(t);
        classify(&mut a);
        map_measures(&mut a, info.fiscal_year, info.doc_kind);
        a
    });
    let mut ctx = DocCtx {
        reference,
        codes: DocCodes::default(),
        department: info.department.clone(),
        year: info.fiscal_year,
    };
    for a in &analyses {
        collect_codes(a, &mut ctx);
    }
    let doc_unit = most_common_unit(&analyses);
    let per_table = crate::par::map(analyses.iter().collect(), threads, |ti, a| {
        table_records(a, ti + 1, &doc_unit, info, &ctx)
    });
    let mut outs = Vec::with_capacity(per_table.len());
    let mut records = Vec::new();
    let mut findings = Vec::new();
    for (out, recs, finds) in per_table {
        outs.push(out);
        records.extend(recs);
        findings.extend(finds);
    }
    codes_from_amounts(&mut records);
    analysis::fill(&mut records);
    (outs, records, findings, ctx.codes.printed())
}

/// One table's description, records and unreadable-amount findings.
fn table_records(
    a: &Analysis,
    table_no: usize,
    doc_unit: &Option<String>,
    info: &DocInfo,
    ctx: &DocCtx,
) -> (TableOut, Vec<Record>, Vec<Finding>) {
    let mut records = Vec::new();
    let mut findings = Vec::new();
    let unit = a.table.unit.clone().or_else(|| doc_unit.clone());
    let t = TableCtx {
        info,
        a,
        table_no,
        unit: &unit,
        reference: ctx.reference,
    };
    let reads = read_rows(a, ctx, info.fiscal_year);
    for (r, pi, read) in reads {
        let p = &a.panels[pi];
        let row_no = a.body.iter().position(|&b| b == r).map_or(0, |i| i + 1);
        for &c in &p.value_cols {
            let col = &a.cols[c];
            let cell = a.table.grid.cell(r, c);
            let Some(amount) = parse_amount(cell) else {
                if crate::text::unreadable_number(cell) {
                    findings.push(unreadable(&t, row_no, &read, col.measure.clone(), cell));
                }
                continue;
            };
            // Performance tables: only their money cells are records.
            if a.tt == TableType::Performance && col.measure.is_none() {
                continue;
            }
            let measure = cell_measure(col.measure.as_deref(), &read);
            let mut flags = Vec::new();
            if col.measure.is_none() {
                flags.push(flags::UNMAPPED_COLUMN.to_string());
            } else if matches!(read.row_measure, Some(Err(()))) {
                flags.push(flags::UNMAPPED_ROW.to_string());
            } else if read.nested {
                flags.push(flags::NESTED_ROW.to_string());
            }
            if read.subject.repaired {
                flags.push(flags::CODE_REPAIRED.to_string());
            }
            records.push(t.record(
                (r, c),
                row_no,
                &read.label,
                &read.subject,
                measure,
                amount,
                flags,
            ));
        }
    }
    if a.tt == TableType::Performance {
        form_records(&t, &mut records);
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
            }
            .to_string(),
            header: col.path.join(" / "),
            measure: col.measure.clone(),
        })
        .collect();
    let out = TableOut {
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
        record_count: records.len(),
        notes: a.table.notes.clone(),
    };
    (out, records, findings)
}

/// The finding for a number that no exact amount holds.
fn unreadable(
    t: &TableCtx,
    row_no: usize,
    read: &RowRead,
    measure: Option<String>,
    cell: &str,
) -> Finding {
    let printed: String = cell.chars().take(64).collect();
    let more = if cell.chars().count() > 64 { "…" } else { "" };
    Finding {
        doc_id: t.info.doc_id.to_string(),
        check: "amount".into(),
        class: "unreadable_amount".into(),
        table_type: t.a.tt,
        table_no: t.table_no,
        page: t.a.table.page,
        row_no: Some(row_no),
        label: Some(read.label.clone()).filter(|l| !l.is_empty()),
        subject_code: read.subject.code.clone(),
        measure,
        printed: Some(format!("{printed}{more}")),
        computed: None,
        difference: None,
        message: format!(
            "the cell prints a number that is not an exact amount of at most {} digits; it has no record",
            crate::budget::AMOUNT_DIGITS
        ),
    }
}

/// Performance tables printed as forms (`预算情况 | 部门预算总额（万元） | | 778.96`): an
/// amount inside the label columns is a record labelled by the text nearest on its left,
/// whose measure that text names (scheme `total`).
fn form_records(tc: &TableCtx, records: &mut Vec<Record>) {
    let a = tc.a;
    let g = &a.table.grid;
    for (bi, &r) in a.body.iter().enumerate() {
        for (c, col) in a.cols.iter().enumerate() {
            let t = g.cell(r, c);
            if col.role != Role::Label || !crate::text::looks_like_money(t) {
                continue;
            }
            let Some(amount) = parse_amount(t) else {
                continue;
            };
            let label = (0..c)
                .rev()
                .map(|x| clean_cell(g.cell(r, x)))
                .find(|x| !x.is_empty() && parse_amount(x).is_none())
                .unwrap_or_default();
            let measure = label_measure(std::slice::from_ref(&label), tc.info.fiscal_year)
                .ok()
                .filter(|m| crate::vocab::carries(a.tt, m));
            let flags = if measure.is_none() {
                vec![flags::UNMAPPED_ROW.to_string()]
            } else {
                Vec::new()
            };
            let subject = Subject::new("total", "total");
            records.push(tc.record((r, c), bi + 1, &label, &subject, measure, amount, flags));
        }
    }
}

/// What every record of one table repeats.
struct TableCtx<'a> {
    info: &'a DocInfo<'a>,
    a: &'a Analysis,
    table_no: usize,
    unit: &'a Option<String>,
    reference: &'a Reference,
}

impl TableCtx<'_> {
    /// The record of the printed cell `(row, col)` of the grid.
    #[allow(clippy::too_many_arguments)]
    fn record(
        &self,
        (r, c): (usize, usize),
        row_no: usize,
        label: &str,
        subj: &Subject,
        measure: Option<String>,
        amount: rust_decimal::Decimal,
        flags: Vec<String>,
    ) -> Record {
        let (info, a) = (self.info, self.a);
        let (subject_name, name_source) =
            subject_name(subj, label, info.fiscal_year, self.reference);
        let mut flags = flags;
        let place = a.table.grid.place(r, c).filter(|p| p.page > 0);
        if subj.from_name && subj.code.is_some() {
            flags.push(flags::CODE_FROM_NAME.to_string());
        }
        Record {
            doc_id: info.doc_id.to_string(),
            source: info.source.to_string(),
            format: info.format,
            department: info.department.clone(),
            fiscal_year: info.fiscal_year,
            doc_kind: info.doc_kind,
            table_no: self.table_no,
            table_type: a.tt,
            table_title: a.table.title.clone(),
            page: a.table.page,
            unit: self.unit.clone(),
            row_no,
            label: label.to_string(),
            subject_scheme: subj.scheme.to_string(),
            subject_code: subj.code.clone(),
            subject_name,
            name_source,
            econ_gov_code: subj.econ_gov.clone(),
            measure,
            header: a.cols[c].path.join(" / "),
            amount: amount.to_string(),
            flags,
            cell: [r, c],
            level: None,
            class_code: None,
            parent_code: None,
            is_total: false,
            amount_wan: None,
            side: None,
            department_key: None,
            scope: None,
            cell_page: place.map(|p| p.page),
            cell_bbox: place.map(|p| p.bbox.map(|v| (f64::from(v) * 100.0).round() / 100.0)),
            code_from_name: subj.from_name,
        }
    }
}

/// A record's subject name and where it comes from. A listed code takes its name in the
/// document's year from the list (`builtin` or `reference`); a code no list has takes the
/// name printed beside it (`document`): a well-formed code printed with its name is
/// evidence, not an error. Units and projects are named as printed; totals, income sources
/// and kinds of spending have no name.
fn subject_name(
    subj: &Subject,
    label: &str,
    year: Option<i32>,
    reference: &Reference,
) -> (Option<String>, Option<String>) {
    let code = subj.code.as_deref().filter(|c| !c.is_empty());
    let printed = subject::printed_name(label);
    match (Scheme::from_name(subj.scheme), code) {
        (Some(s), Some(code)) => match reference.get_printed(s, code, year, &printed) {
            Some(e) => (Some(e.name.clone()), Some(e.origin.as_str().to_string())),
            None => {
                if printed.is_empty() || Scheme::of_code(code) != Some(s) {
                    (None, None)
                } else {
                    (Some(printed), Some("document".to_string()))
                }
            }
        },
        (Some(_), None) => (None, None),
        (None, _) => match &subj.name {
            Some(n) if !n.is_empty() => (Some(n.clone()), Some("document".to_string())),
            _ => (None, None),
        },
    }
}

/// Does panel `pi` print an amount in row `r`?
fn has_values(a: &Analysis, pi: usize, r: usize) -> bool {
    a.panels[pi].value_cols.iter().any(|&c| {
        let t = a.table.grid.cell(r, c);
        parse_amount(t).is_some() || crate::text::unreadable_number(t)
    })
}

/// Every (row, panel) of the body that prints an amount, with its subject.
fn read_rows(a: &Analysis, ctx: &DocCtx, year: Option<i32>) -> Vec<(usize, usize, RowRead)> {
    if a.tt.is_two_sided() && a.panels.len() >= 2 {
        return read_two_sided(a, ctx);
    }
    if a.tt == TableType::Procurement {
        return read_procurement(a);
    }
    let as_measures = rows_are_measures(a, year);
    let mut out = Vec::new();
    let mut resolvers: Vec<NameResolver> = a
        .panels
        .iter()
        .map(|_| NameResolver::new(ctx.reference, &ctx.codes, a.scheme()))
        .collect();
    let mut carried = Vec::new();
    for (bi, &r) in a.body.iter().enumerate() {
        for (pi, res) in resolvers.iter_mut().enumerate() {
            let parts = parse_label(a, pi, r);
            if as_measures {
                let cells = carried_cells(a, r, &mut carried);
                if !has_values(a, pi, r) {
                    continue;
                }
                let m = if cells.is_empty() {
                    Ok("total".to_string())
                } else {
                    label_measure(&cells, year)
                };
                out.push((
                    r,
                    pi,
                    RowRead {
                        subject: Subject::new("total", "total"),
                        label: parts.cells.join("/"),
                        row_measure: Some(m),
                        nested: false,
                    },
                ));
                continue;
            }
            let subj = row_subject(a, &parts, ctx, res, bi == 0);
            if !has_values(a, pi, r) {
                continue;
            }
            // A row whose subject cannot be decided keeps its numbers, code null.
            let subject = subj.unwrap_or_else(|| Subject::uncoded(a.scheme().as_str()));
            let label = parts
                .name()
                .map(|s| s.to_string())
                .or_else(|| parts.period.clone())
                .unwrap_or_else(|| {
                    if subject.scheme == "total" {
                        "合计".into()
                    } else {
                        parts.codes.first().cloned().unwrap_or_default()
                    }
                });
            out.push((r, pi, RowRead::plain(subject, label)));
        }
    }
    out
}

/// Two-sided summaries: each line of each side.
fn read_two_sided(a: &Analysis, ctx: &DocCtx) -> Vec<(usize, usize, RowRead)> {
    let n = a.panels.len();
    let mut resolvers: Vec<NameResolver> = (0..n)
        .map(|_| NameResolver::new(ctx.reference, &ctx.codes, Scheme::Functional))
        .collect();
    let mut sides: Vec<SideState> = (0..n).map(|_| SideState::default()).collect();
    let income = rows::panel_sides(a);
    // The label of each (row, panel): a panel that prints amounts but no label takes the
    // label of the panel before it on the same side when that one prints no amount.
    let labels = |r: usize| -> Vec<String> {
        let mut ls: Vec<String> = (0..n)
            .map(|pi| parse_label(a, pi, r).name().unwrap_or("").to_string())
            .collect();
        for pi in 1..n {
            if ls[pi].is_empty() && has_values(a, pi, r) {
                if let Some(pj) = (0..pi).rev().find(|&pj| income[pj] == income[pi]) {
                    if !ls[pj].is_empty() && !has_values(a, pj, r) {
                        ls[pi] = std::mem::take(&mut ls[pj]);
                    }
                }
            }
        }
        ls
    };
    // Which grand totals each side prints (decides what 收入合计 / 支出合计 mean).
    let mut closing: BTreeSet<&'static str> = BTreeSet::new();
    for &r in &a.body {
        for (pi, l) in labels(r).iter().enumerate() {
            let (k, _) = strip_ordinal(l);
            let t = if income[pi] {
                crate::vocab::income_total(&k)
            } else {
                crate::vocab::expenditure_total(&k)
            };
            if let Some(t) = t.filter(|t| t.ends_with("grand_total")) {
                closing.insert(t);
            }
        }
    }
    let mut out = Vec::new();
    for &r in &a.body {
        for (pi, label) in labels(r).into_iter().enumerate() {
            let (k, class_level) = strip_ordinal(&label);
            if k.is_empty() {
                continue;
            }
            let subject = two_sided_subject(
                &k,
                class_level,
                income[pi],
                &closing,
                &mut sides[pi],
                &mut resolvers[pi],
            );
            if !has_values(a, pi, r) {
                continue;
            }
            out.push((r, pi, RowRead::plain(subject, label)));
        }
    }
    out
}

/// Procurement lists: the 合计 row, category lines (一、货物 → measure `goods`), and the
/// items, each a `project` row coded by its label cells carried down from the lines above
/// (`一、货物A/信息网络建设费/…`). Items under a category line are nested in it: no
/// measure, flag `nested_row`, so that sums by measure count each amount once.
fn read_procurement(a: &Analysis) -> Vec<(usize, usize, RowRead)> {
    let mut out = Vec::new();
    let Some(pi) = (0..a.panels.len()).find(|&pi| !a.panels[pi].value_cols.is_empty()) else {
        return out;
    };
    let labels: Vec<_> = a.body.iter().map(|&r| parse_label(a, pi, r)).collect();
    let categories = labels.iter().any(|parts| {
        parts
            .cells
            .first()
            .is_some_and(|c| procurement_category(c).is_some())
    });
    let g = &a.table.grid;
    let cols = &a.panels[pi].label_cols;
    let mut carried: Vec<String> = vec![String::new(); cols.len()];
    for ((bi, &r), parts) in a.body.iter().enumerate().zip(labels) {
        let cells: Vec<String> = cols.iter().map(|&c| clean_cell(g.cell(r, c))).collect();
        // Carried down: a printed cell replaces its column and clears the deeper ones.
        let last = cells.iter().rposition(|c| !c.is_empty());
        if let Some(l) = last {
            for (i, c) in cells.iter().enumerate() {
                if !c.is_empty() {
                    carried[i] = c.clone();
                }
            }
            for x in carried.iter_mut().skip(l + 1) {
                x.clear();
            }
        }
        if !has_values(a, pi, r) {
            continue;
        }
        let label = parts.cells.join("|");
        let (k, _) = strip_ordinal(&label);
        let mut read = RowRead::plain(Subject::new("total", "total"), label.clone());
        // The total row: the first row printed without a label, or 合计 / 总计.
        let total = parts.cells.is_empty() && bi == 0 || matches!(k.as_str(), "合计" | "总计");
        if let Some(cat) = parts.cells.first().and_then(|c| procurement_category(c)) {
            read.row_measure = Some(Ok(cat.to_string()));
        } else if !total {
            let code: Vec<&str> = carried
                .iter()
                .take(last.map_or(0, |l| l + 1))
                .filter(|c| !c.is_empty())
                .map(|c| c.as_str())
                .collect();
            let code = code.join("/");
            read.subject = Subject::new("project", code.clone());
            read.subject.name = Some(label.clone());
            read.nested = categories;
            if categories {
                read.row_measure = Some(Ok("total".into()));
            }
        }
        out.push((r, pi, read));
    }
    out
}

/// A class line of a summary printed by name only, whose name no list gives a code, takes
/// the class that the document's own 项-level codes imply when its amount equals the total
/// of exactly one such class (e.g. `其他支出 40,517.38` = Σ 229xxxx printed in the 支出表).
/// The records are flagged `code_from_amount`.
fn codes_from_amounts(records: &mut [Record]) {
    use rust_decimal::Decimal;
    use std::collections::BTreeMap;
    // Class totals implied by 7-digit codes, per detail table.
    let mut sums: BTreeMap<usize, BTreeMap<String, Decimal>> = BTreeMap::new();
    for r in records.iter() {
        if r.subject_scheme == "functional"
            && r.measure.as_deref() == Some("total")
            && !r.table_type.is_two_sided()
        {
            if let Some(c) = r.subject_code.as_deref().filter(|c| c.len() == 7) {
                if let Some(a) = parse_amount(&r.amount) {
                    let s = sums
                        .entry(r.table_no)
                        .or_default()
                        .entry(c[..3].to_string())
                        .or_default();
                    // Saturating: a class total that overflows matches no printed line.
                    *s = s.checked_add(a).unwrap_or(Decimal::MAX);
                }
            }
        }
    }
    let mut implied: BTreeMap<String, Vec<Decimal>> = BTreeMap::new();
    for t in sums.values() {
        for (class, total) in t {
            implied.entry(class.clone()).or_default().push(*total);
        }
    }
    if implied.is_empty() {
        return;
    }
    // Functional codes each table prints (worked out once: per line it was quadratic).
    let mut used: BTreeMap<usize, BTreeSet<String>> = BTreeMap::new();
    for x in records.iter().filter(|x| x.subject_scheme == "functional") {
        if let Some(c) = &x.subject_code {
            used.entry(x.table_no).or_default().insert(c.clone());
        }
    }
    let none = BTreeSet::new();
    let mut assign: BTreeMap<(usize, usize, String), String> = BTreeMap::new();
    for r in records.iter() {
        if !(r.table_type.is_two_sided()
            && r.subject_scheme == "functional"
            && r.subject_code.is_none()
            && r.measure.as_deref() == Some("total"))
        {
            continue;
        }
        let Some(a) = parse_amount(&r.amount).filter(|a| !a.is_zero()) else {
            continue;
        };
        let used = used.get(&r.table_no).unwrap_or(&none);
        let fits: Vec<&String> = implied
            .iter()
            .filter(|(c, totals)| !used.contains(c.as_str()) && totals.contains(&a))
            .map(|(c, _)| c)
            .collect();
        if fits.len() == 1 {
            assign.insert((r.table_no, r.row_no, r.label.clone()), fits[0].clone());
        }
    }
    if assign.is_empty() {
        return;
    }
    for r in records.iter_mut() {
        if r.subject_code.is_some() || r.subject_scheme != "functional" {
            continue;
        }
        if let Some(c) = assign.get(&(r.table_no, r.row_no, r.label.clone())) {
            r.subject_code = Some(c.clone());
            r.code_from_name = true;
            r.flags.push("code_from_amount".into());
        }
    }
}

/// The unit most tables print (万元 wins a tie, then the unit printed first).
fn most_common_unit(analyses: &[Analysis]) -> Option<String> {
    // unit -> (tables, first table)
    let mut counts: std::collections::HashMap<&str, (usize, usize)> = Default::default();
    for (i, a) in analyses.iter().enumerate() {
        if let Some(u) = &a.table.unit {
            counts.entry(u.as_str()).or_insert((0, i)).0 += 1;
        }
    }
    counts
        .into_iter()
        .max_by_key(|(u, (n, first))| (*n, *u == "万元", std::cmp::Reverse(*first)))
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
mod tests;
