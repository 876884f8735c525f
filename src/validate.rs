//! Validation of a document's own arithmetic, within and across tables, and of its codes.
//!
//! Checks (each finding names its `check`):
//! - `hierarchy`: 类 = Σ款, 款 = Σ项 (functional codes), 类 = Σ款 (economic codes), where
//!   the children are printed in the same table and column.
//! - `total_row`: the 合计 row = Σ of the top-level rows (classes, or agencies).
//! - `columns`: within a row, total = basic + project (+ 单位预留机动经费 + 经营 + 上缴上级 +
//!   对附属单位补助),
//!   basic = personnel + public, personnel = wages + household, public = goods_services +
//!   capital, income total = year + carryover, three-public total = overseas + vehicle +
//!   reception and vehicle = purchase + operation (also under `budget.` / `actual.`).
//! - `summary`: 本年收入合计 = Σ income lines, 收入总计 = 本年收入合计 + 上年结转 (+ 使用非财政拨款
//!   结余), 支出总计 = 本年支出合计 + 年终结转 (+ 结余分配), 收入总计 = 支出总计.
//!   In tables printed as side-by-side lanes (人员经费 | 公用经费), a lane's 合计 row
//!   (人员经费合计) = Σ the classes printed in that lane.
//! - `cross_table`: the summary's class lines against the expenditure table's classes,
//!   the expenditure table's 合计 against the summary's 本年支出合计; the fiscal summary's
//!   general-budget column (class lines, 本年支出合计) against the general-budget table; the
//!   general-budget table's 合计 against the basic-expenditure table's 合计 (basic column);
//!   the three-public table's 公务接待费 and 公务用车运行维护费 against 30217 and 30231 in
//!   the economic-classification table (all expenditure: equal), else the basic-expenditure
//!   table (basic only: the 三公 amount may be larger, never smaller), its general-budget
//!   column when printed.
//! - `unknown_code`: a code not in the reference lists.
//! - `name`: a printed name that is not the code's name (`name_mismatch`). Accepted: the
//!   listed name, a recorded old name (医疗卫生与计划生育支出 for 210), and for classes the
//!   name without its generic ending (一般公共服务).
//!
//! Tolerance: a difference of at most 0.01 per summed item is `rounding` (the documents
//! warn of 尾数误差), more is `mismatch`. Amounts in 元 are compared with 万元 after
//! conversion, with the tolerance in 万元.

use crate::model::{Finding, Record};
use crate::reference::{Reference, Scheme};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap};
use std::str::FromStr;

/// A record's measure; records without one (unmapped columns) take no part in the
/// arithmetic checks.
fn ms(r: &Record) -> &str {
    r.measure.as_deref().unwrap_or("")
}

fn amount(r: &Record) -> Option<Decimal> {
    Decimal::from_str(&r.amount).ok()
}

/// The amount in 万元.
fn wan(r: &Record) -> Option<Decimal> {
    let a = amount(r)?;
    Some(if r.unit.as_deref() == Some("元") {
        a / Decimal::from(10_000)
    } else {
        a
    })
}

struct Ctx<'a> {
    doc_id: &'a str,
    findings: Vec<Finding>,
    /// (record index, flag) to add.
    flags: Vec<(usize, String)>,
}

impl Ctx<'_> {
    /// Compare a printed record with the sum of `parts`; record a finding when they differ.
    fn compare(
        &mut self,
        recs: &[Record],
        printed: usize,
        parts: &[usize],
        check: &str,
        what: &str,
    ) {
        let p = &recs[printed];
        let (Some(pv), Some(sum)) = (
            wan(p),
            parts
                .iter()
                .try_fold(Decimal::ZERO, |acc, &i| acc.checked_add(wan(&recs[i])?)),
        ) else {
            return;
        };
        // Checked: amounts of up to `budget::AMOUNT_DIGITS` digits cannot overflow a sum of
        // a table's rows, but a hostile document must not turn a check into a panic.
        let Some(diff) = pv.checked_sub(sum) else {
            return;
        };
        if diff.is_zero() {
            return;
        }
        let tol = Decimal::new(1, 2) * Decimal::from(parts.len().max(1) as u64);
        let class = if diff.abs() <= tol {
            "rounding"
        } else {
            "mismatch"
        };
        let scale = if p.unit.as_deref() == Some("元") {
            Decimal::from(10_000)
        } else {
            Decimal::ONE
        };
        let (Some(computed), Some(difference)) = (sum.checked_mul(scale), diff.checked_mul(scale))
        else {
            return;
        };
        let (computed, difference) = (computed.normalize(), difference.normalize());
        self.flags.push((printed, format!("{check}:{class}")));
        self.findings.push(Finding {
            doc_id: self.doc_id.to_string(),
            check: check.into(),
            class: class.into(),
            table_type: p.table_type,
            table_no: p.table_no,
            page: p.page,
            row_no: Some(p.row_no),
            label: Some(p.label.clone()),
            subject_code: p.subject_code.clone(),
            measure: p.measure.clone(),
            printed: Some(p.amount.clone()),
            computed: Some(format!("{computed:.2}")),
            difference: Some(format!("{difference:.2}")),
            message: format!(
                "table {} row {} ({}) column {}: printed {}, {what} {:.2} ({} items), difference {:.2}",
                p.table_no,
                p.row_no,
                p.label,
                ms(p),
                p.amount,
                computed,
                parts.len(),
                difference
            ),
        });
    }
}

/// Check the records of one document; fills each record's `flags` and returns the findings.
pub fn validate(doc_id: &str, records: &mut [Record], reference: &Reference) -> Vec<Finding> {
    let mut ctx = Ctx {
        doc_id,
        findings: Vec::new(),
        flags: Vec::new(),
    };
    let recs: &[Record] = records;
    let mut by_table: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, r) in recs.iter().enumerate() {
        if r.measure.is_some() {
            by_table.entry(r.table_no).or_default().push(i);
        }
    }
    for idx in by_table.values() {
        // Side-by-side lanes (人员经费 | 公用经费 panels) print several subjects on one row.
        let mut per_row: HashMap<(usize, &str), usize> = HashMap::new();
        for &i in idx {
            *per_row.entry((recs[i].row_no, ms(&recs[i]))).or_default() += 1;
        }
        let lanes = per_row.values().copied().max().unwrap_or(1);
        hierarchy(&mut ctx, recs, idx);
        if lanes <= 1 {
            total_row(&mut ctx, recs, idx);
        } else {
            lane_totals(&mut ctx, recs, idx);
        }
        columns(&mut ctx, recs, idx);
        summary(&mut ctx, recs, idx);
    }
    cross_tables(&mut ctx, recs, &by_table);
    codes(&mut ctx, recs, reference);
    for (i, f) in std::mem::take(&mut ctx.flags) {
        if !records[i].flags.contains(&f) {
            records[i].flags.push(f);
        }
    }
    ctx.findings
}

fn is_code_scheme(s: &str) -> bool {
    s == "functional" || s == "econ_dept" || s == "econ_gov"
}

/// Records of a table by (scheme, code, measure), only where the key is unique.
fn unique_codes<'r>(
    recs: &'r [Record],
    idx: &[usize],
) -> HashMap<(&'r str, &'r str, &'r str), usize> {
    let mut m: HashMap<(&str, &str, &str), Vec<usize>> = HashMap::new();
    for &i in idx {
        let r = &recs[i];
        if !is_code_scheme(&r.subject_scheme) {
            continue;
        }
        if let Some(c) = r.subject_code.as_deref() {
            m.entry((r.subject_scheme.as_str(), c, ms(r)))
                .or_default()
                .push(i);
        }
    }
    m.into_iter()
        .filter(|(_, v)| v.len() == 1)
        .map(|(k, v)| (k, v[0]))
        .collect()
}

fn hierarchy(ctx: &mut Ctx, recs: &[Record], idx: &[usize]) {
    let codes = unique_codes(recs, idx);
    let mut keys: Vec<_> = codes.keys().copied().collect();
    keys.sort();
    for (scheme, code, measure) in keys {
        let child_len = match (scheme, code.len()) {
            ("functional", 3) => 5,
            ("functional", 5) => 7,
            ("econ_dept" | "econ_gov", 3) => 5,
            _ => continue,
        };
        let mut children: Vec<usize> = codes
            .iter()
            .filter(|((s, c, m), _)| {
                *s == scheme && *m == measure && c.len() == child_len && c.starts_with(code)
            })
            .map(|(_, &i)| i)
            .collect();
        if children.is_empty() {
            continue;
        }
        children.sort();
        let level = if code.len() == 3 { "类" } else { "款" };
        ctx.compare(
            recs,
            codes[&(scheme, code, measure)],
            &children,
            "hierarchy",
            &format!("sum of the printed items under this {level}"),
        );
    }
}

fn total_row(ctx: &mut Ctx, recs: &[Record], idx: &[usize]) {
    // One 合计 row per measure.
    let mut totals: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for &i in idx {
        let r = &recs[i];
        if r.subject_scheme == "total" && r.subject_code.as_deref() == Some("total") {
            totals.entry(ms(r)).or_default().push(i);
        }
    }
    for (measure, t) in totals {
        if t.len() != 1 {
            continue;
        }
        let rows: Vec<usize> = idx
            .iter()
            .copied()
            .filter(|&i| ms(&recs[i]) == measure)
            .collect();
        // Top level: classes when printed, else the shortest codes printed; for agency
        // tables the agencies that are not sub-units of a printed agency.
        let coded: Vec<usize> = rows
            .iter()
            .copied()
            .filter(|&i| is_code_scheme(&recs[i].subject_scheme) && recs[i].subject_code.is_some())
            .collect();
        let parts: Vec<usize> = if !coded.is_empty() {
            let scheme = recs[coded[0]].subject_scheme.clone();
            let same: Vec<usize> = coded
                .into_iter()
                .filter(|&i| recs[i].subject_scheme == scheme)
                .collect();
            let min = same
                .iter()
                .map(|&i| recs[i].subject_code.as_deref().unwrap_or("").len())
                .min()
                .unwrap_or(0);
            same.into_iter()
                .filter(|&i| recs[i].subject_code.as_deref().unwrap_or("").len() == min)
                .collect()
        } else {
            let units: Vec<usize> = rows
                .iter()
                .copied()
                .filter(|&i| recs[i].subject_scheme == "unit")
                .collect();
            let codes: Vec<&str> = units
                .iter()
                .filter_map(|&i| recs[i].subject_code.as_deref())
                .collect();
            units
                .iter()
                .copied()
                .filter(|&i| {
                    let c = recs[i].subject_code.as_deref().unwrap_or("");
                    !c.is_empty() && !codes.iter().any(|o| o.len() < c.len() && c.starts_with(o))
                })
                .collect()
        };
        // Each part must be unique (a code printed twice makes the sum ambiguous).
        let mut seen = std::collections::HashSet::new();
        if parts.is_empty()
            || !parts
                .iter()
                .all(|&i| seen.insert(recs[i].subject_code.clone()))
        {
            continue;
        }
        ctx.compare(recs, t[0], &parts, "total_row", "sum of the top-level rows");
    }
}

/// Side-by-side lanes: a lane's 合计 row (人员经费合计, printed in the lane's own column)
/// against the classes printed in that column (lanes may share a heading: 决算数 | 决算数).
fn lane_totals(ctx: &mut Ctx, recs: &[Record], idx: &[usize]) {
    for &t in idx {
        let r = &recs[t];
        if r.subject_scheme != "total" || code_of(recs, t) != "total" {
            continue;
        }
        let lane: Vec<usize> = idx
            .iter()
            .copied()
            .filter(|&i| {
                is_code_scheme(&recs[i].subject_scheme)
                    && recs[i].cell[1] == r.cell[1]
                    && recs[i].econ_gov_code.is_none()
            })
            .collect();
        let Some(min) = lane.iter().map(|&i| code_of(recs, i).len()).min() else {
            continue;
        };
        let parts: Vec<usize> = lane
            .into_iter()
            .filter(|&i| code_of(recs, i).len() == min)
            .collect();
        let mut seen = std::collections::HashSet::new();
        if parts.iter().all(|&i| seen.insert(code_of(recs, i))) {
            ctx.compare(
                recs,
                t,
                &parts,
                "total_row",
                "sum of the classes in this lane",
            );
        }
    }
}

/// Column identities within one printed row.
const COLUMN_RULES: &[(&str, &[&str])] = &[
    (
        "total",
        &[
            "basic",
            "project",
            "reserve",
            "business_operating",
            "remit_superior",
            "affiliate_subsidy",
        ],
    ),
    ("basic", &["personnel", "public"]),
    ("personnel", &["wages", "household"]),
    ("public", &["goods_services", "capital"]),
    ("vehicle", &["vehicle_purchase", "vehicle_operation"]),
];

fn columns(ctx: &mut Ctx, recs: &[Record], idx: &[usize]) {
    let mut rows: BTreeMap<(usize, &str, usize), HashMap<&str, usize>> = BTreeMap::new();
    for &i in idx {
        let r = &recs[i];
        // Side-by-side lanes share a row number: the label tells them apart.
        rows.entry((r.row_no, r.label.as_str(), r.cell[0]))
            .or_default()
            .insert(ms(r), i);
    }
    let three_public = idx
        .first()
        .is_some_and(|&i| recs[i].table_type.as_str() == "three_public");
    let income = idx
        .first()
        .is_some_and(|&i| recs[i].table_type.as_str() == "income");
    let table_measures: std::collections::HashSet<&str> =
        idx.iter().map(|&i| ms(&recs[i])).collect();
    for cols in rows.values() {
        for prefix in ["", "budget.", "actual."] {
            let get = |m: &str| cols.get(format!("{prefix}{m}").as_str()).copied();
            let mut rules: Vec<(&str, Vec<&str>)> =
                COLUMN_RULES.iter().map(|(t, p)| (*t, p.to_vec())).collect();
            if three_public {
                rules = vec![
                    ("total", vec!["overseas", "vehicle", "reception"]),
                    ("vehicle", vec!["vehicle_purchase", "vehicle_operation"]),
                ];
            } else if income {
                rules.push(("total", vec!["year", "carryover"]));
            }
            if !table_measures.contains(format!("{prefix}personnel").as_str())
                && !table_measures.contains(format!("{prefix}public").as_str())
            {
                rules.push((
                    "basic",
                    vec!["wages", "household", "goods_services", "capital"],
                ));
            }
            for (total, parts) in rules {
                let Some(t) = get(total) else { continue };
                // The table must print at least two of the parts as columns (a lone
                // 基本支出 column says nothing about 合计); a part's empty cell is zero.
                let columns = parts
                    .iter()
                    .filter(|p| table_measures.contains(format!("{prefix}{p}").as_str()))
                    .count();
                let needed = if three_public && total == "total" {
                    3
                } else {
                    2
                };
                if columns < needed {
                    continue;
                }
                let found: Vec<usize> = parts.iter().filter_map(|p| get(p)).collect();
                if found.is_empty() {
                    continue;
                }
                ctx.compare(
                    recs,
                    t,
                    &found,
                    "columns",
                    &format!("sum of {}", parts.join(" + ")),
                );
            }
        }
    }
}

fn code_of(recs: &[Record], i: usize) -> &str {
    recs[i].subject_code.as_deref().unwrap_or("")
}

fn summary(ctx: &mut Ctx, recs: &[Record], idx: &[usize]) {
    let tt = idx.first().map(|&i| recs[i].table_type.as_str());
    if !matches!(tt, Some("summary" | "fiscal_summary")) {
        return;
    }
    let mut measures: Vec<&str> = idx.iter().map(|&i| ms(&recs[i])).collect();
    measures.sort();
    measures.dedup();
    for m in measures {
        let rows: Vec<usize> = idx.iter().copied().filter(|&i| ms(&recs[i]) == m).collect();
        let find = |code: &str| -> Option<usize> {
            let v: Vec<usize> = rows
                .iter()
                .copied()
                .filter(|&i| recs[i].subject_scheme == "total" && code_of(recs, i) == code)
                .collect();
            (v.len() == 1).then(|| v[0])
        };
        // 本年收入合计 = Σ income lines (outside the carry-over block).
        if let Some(yi) = find("year_income") {
            let lines: Vec<usize> = rows
                .iter()
                .copied()
                .filter(|&i| {
                    recs[i].subject_scheme == "income_source"
                        && !code_of(recs, i).contains('.')
                        && !recs[i].label.starts_with("其中")
                })
                .collect();
            // Sub-lines ((一)/1./其中 under 一、) would be counted twice: when lines are
            // numbered 一、二、…, only those are summed.
            let top = |l: &str| {
                let mut cs = l.chars();
                let first = cs.next();
                first.is_some_and(|c| "一二三四五六七八九十".contains(c))
                    && l.chars().take(4).any(|c| c == '、')
            };
            let tops: Vec<usize> = lines
                .iter()
                .copied()
                .filter(|&i| top(&recs[i].label))
                .collect();
            let mut lines = if tops.is_empty() { lines } else { tops };
            // Unnumbered lines: a parent source line covers its parts.
            let has = |c: &str, lines: &[usize]| lines.iter().any(|&i| code_of(recs, i) == c);
            if has("fiscal_appropriation", &lines) {
                lines.retain(|&i| {
                    !matches!(
                        code_of(recs, i),
                        "general_budget" | "gov_fund" | "state_capital"
                    )
                });
            }
            if has("unit_funds", &lines) {
                lines.retain(|&i| {
                    !matches!(
                        code_of(recs, i),
                        "business_income"
                            | "business_operating_income"
                            | "superior_subsidy"
                            | "affiliate_remit"
                            | "other_income"
                    )
                });
            }
            if !lines.is_empty() {
                ctx.compare(recs, yi, &lines, "summary", "sum of the income lines");
            }
        }
        if let (Some(gt), Some(yi)) = (find("income_grand_total"), find("year_income")) {
            let mut parts = vec![yi];
            parts.extend(find("carryover_in"));
            parts.extend(find("nonfiscal_surplus_used"));
            ctx.compare(recs, gt, &parts, "summary", "本年收入合计 + 上年结转结余");
        }
        if let (Some(gt), Some(ye)) = (find("expenditure_grand_total"), find("year_expenditure")) {
            let mut parts = vec![ye];
            parts.extend(find("carryover_out"));
            parts.extend(find("surplus_distribution"));
            ctx.compare(recs, gt, &parts, "summary", "本年支出合计 + 年终结转结余");
        }
        if let (Some(a), Some(b)) = (find("income_grand_total"), find("expenditure_grand_total")) {
            ctx.compare(recs, a, &[b], "summary", "支出总计");
        }
    }
}

/// The record indices of the document's first table of type `tt`.
fn first_table<'a>(
    recs: &[Record],
    by_table: &'a BTreeMap<usize, Vec<usize>>,
    tt: &str,
) -> Option<&'a [usize]> {
    by_table
        .values()
        .find(|idx| {
            idx.first()
                .is_some_and(|&i| recs[i].table_type.as_str() == tt)
        })
        .map(|idx| idx.as_slice())
}

/// The one record of a table with this subject and measure (the departmental code of a row
/// that pairs two codes).
fn unique(
    recs: &[Record],
    idx: &[usize],
    scheme: &str,
    code: &str,
    measure: &str,
) -> Option<usize> {
    let v: Vec<usize> = idx
        .iter()
        .copied()
        .filter(|&i| {
            recs[i].subject_scheme == scheme
                && code_of(recs, i) == code
                && ms(&recs[i]) == measure
                && recs[i].econ_gov_code.is_none()
        })
        .collect();
    (v.len() == 1).then(|| v[0])
}

/// A two-sided table's class lines (column `measure`) against the classes (total column)
/// of a detail table.
fn class_lines_against(
    ctx: &mut Ctx,
    recs: &[Record],
    two_sided: &[usize],
    measure: &str,
    detail: &[usize],
    what: &str,
) {
    for &i in two_sided {
        let r = &recs[i];
        if r.subject_scheme == "functional" && code_of(recs, i).len() == 3 && ms(r) == measure {
            if let Some(j) = unique(recs, detail, "functional", code_of(recs, i), "total") {
                ctx.compare(recs, i, &[j], "cross_table", what);
            }
        }
    }
}

fn cross_tables(ctx: &mut Ctx, recs: &[Record], by_table: &BTreeMap<usize, Vec<usize>>) {
    let first_of = |tt: &str| first_table(recs, by_table, tt);
    let get = |idx: &[usize], scheme: &str, code: &str, measure: &str| {
        unique(recs, idx, scheme, code, measure)
    };
    if let (Some(sum), Some(exp)) = (first_of("summary"), first_of("expenditure")) {
        class_lines_against(
            ctx,
            recs,
            sum,
            "total",
            exp,
            "the expenditure table's class",
        );
        if let (Some(ye), Some(t)) = (
            get(sum, "total", "year_expenditure", "total"),
            get(exp, "total", "total", "total"),
        ) {
            ctx.compare(recs, t, &[ye], "cross_table", "the summary's 本年支出合计");
        }
    }
    if let (Some(fs), Some(ge)) = (first_of("fiscal_summary"), first_of("general_expenditure")) {
        // The fiscal summary's general-budget column against the general-budget table.
        class_lines_against(
            ctx,
            recs,
            fs,
            "general_budget",
            ge,
            "the general-budget table's class",
        );
        if let (Some(ye), Some(t)) = (
            get(fs, "total", "year_expenditure", "general_budget"),
            get(ge, "total", "total", "total"),
        ) {
            ctx.compare(
                recs,
                ye,
                &[t],
                "cross_table",
                "the general-budget table's 合计",
            );
        }
    }
    three_public_vs_economic(ctx, recs, by_table);
    if let (Some(ge), Some(gb)) = (first_of("general_expenditure"), first_of("general_basic")) {
        if let (Some(b), Some(t)) = (
            get(ge, "total", "total", "basic"),
            get(gb, "total", "total", "total"),
        ) {
            ctx.compare(
                recs,
                t,
                &[b],
                "cross_table",
                "the general-budget table's basic column",
            );
        }
    }
}

/// The three-public table's 公务接待费 / 公务用车运行维护费 against 30217 / 30231.
fn three_public_vs_economic(
    ctx: &mut Ctx,
    recs: &[Record],
    by_table: &BTreeMap<usize, Vec<usize>>,
) {
    let first_of = |tt: &str| first_table(recs, by_table, tt);
    let Some(tp) = first_of("three_public") else {
        return;
    };
    // Final accounts print 预算数 and 决算数: the spending is the 决算数.
    let prefix = if tp.iter().any(|&i| ms(&recs[i]).starts_with("actual.")) {
        "actual."
    } else {
        ""
    };
    // The row: the 合计 row, else the document year's row, else the only row.
    let year = tp
        .first()
        .and_then(|&i| recs[i].fiscal_year)
        .map(|y| y.to_string());
    let rows: Vec<usize> = tp.iter().map(|&i| recs[i].row_no).collect();
    let row = tp
        .iter()
        .find(|&&i| recs[i].subject_scheme == "total")
        .or_else(|| {
            tp.iter()
                .find(|&&i| recs[i].subject_scheme == "period" && recs[i].subject_code == year)
        })
        .map(|&i| recs[i].row_no)
        .or_else(|| rows.windows(2).all(|w| w[0] == w[1]).then(|| rows[0]));
    let Some(row) = row else { return };
    for (measure, code) in [("reception", "30217"), ("vehicle_operation", "30231")] {
        let m = format!("{prefix}{measure}");
        let Some(&t) = tp
            .iter()
            .find(|&&i| recs[i].row_no == row && ms(&recs[i]) == m)
        else {
            continue;
        };
        // The first table printing the code, in its general-budget column when it has one
        // (a row pairing 30217 with 50206 counts: it is the code's one row).
        let counterpart = ["econ_summary", "general_basic", "basic_summary"]
            .into_iter()
            .filter_map(|tt| Some((tt, first_of(tt)?)))
            .find_map(|(tt, idx)| {
                ["general_budget_fiscal", "general_budget", "total"]
                    .into_iter()
                    .find_map(|col| {
                        let v: Vec<usize> = idx
                            .iter()
                            .copied()
                            .filter(|&i| {
                                recs[i].subject_scheme == "econ_dept"
                                    && code_of(recs, i) == code
                                    && ms(&recs[i]) == col
                            })
                            .collect();
                        (v.len() == 1).then(|| (tt, v[0]))
                    })
            });
        if let Some((tt, j)) = counterpart {
            // A basic-expenditure table holds only the basic part of the spending (the
            // 三公 amount also counts project spending): there the 三公 amount may be larger,
            // never smaller. The economic-classification summary holds all of it.
            if tt != "econ_summary" && wan(&recs[t]) >= wan(&recs[j]) {
                continue;
            }
            ctx.compare(
                recs,
                t,
                &[j],
                "cross_table",
                &format!("{code} in the {tt} table"),
            );
        }
    }
}

/// Each printed code against the reference: a code the lists do not have is
/// `unknown_code`; a known code printed beside a name that is not its name is
/// `name_mismatch` (rows whose code was given from their name are not checked). One
/// finding per printed row; every record of the row is flagged.
fn codes(ctx: &mut Ctx, recs: &[Record], reference: &Reference) {
    // A row's records share its code and label: judge each (table, row, code) once.
    let mut verdicts: HashMap<(usize, usize, &str), Option<String>> = HashMap::new();
    for (i, r) in recs.iter().enumerate() {
        let (Some(scheme), Some(code)) = (
            Scheme::from_name(&r.subject_scheme),
            r.subject_code.as_deref(),
        ) else {
            continue;
        };
        let class = verdicts
            .entry((r.table_no, r.row_no, code))
            .or_insert_with(|| {
                let f = code_finding(ctx.doc_id, r, scheme, code, reference)?;
                let class = f.class.clone();
                ctx.findings.push(f);
                Some(class)
            });
        if let Some(c) = class {
            ctx.flags.push((i, c.clone()));
        }
    }
}

/// The finding of one printed code, if any. `unknown_code` is for a malformed code (not
/// the digits and length of its scheme: `2O10301`, a 6-digit functional code), never for a
/// well-formed code the lists lack: a code printed beside its name is evidence of the
/// classification of its year. `name_mismatch` is for a listed code printed beside a name
/// that is not its name in the document's year.
fn code_finding(
    doc_id: &str,
    r: &Record,
    scheme: Scheme,
    code: &str,
    reference: &Reference,
) -> Option<Finding> {
    let (check, class, computed, message) = if Scheme::of_code(code) != Some(scheme) {
        let message = format!(
            "{} code {code} ({}) is malformed: not the {} of a {} code",
            scheme.as_str(),
            r.label,
            match scheme {
                Scheme::Functional => "3, 5 or 7 digits starting with 2",
                Scheme::EconDept => "3 or 5 digits starting with 3",
                Scheme::EconGov => "3 or 5 digits starting with 5",
            },
            scheme.as_str()
        );
        ("unknown_code", "unknown_code", None, message)
    } else if reference.get(scheme, code).is_none() {
        return None;
    } else {
        let printed = crate::normalize::subject::printed_name(&r.label);
        if r.code_from_name
            || printed.is_empty()
            || reference.name_agrees(scheme, code, &printed, r.fiscal_year)
        {
            return None;
        }
        let listed = reference
            .get_in(scheme, code, r.fiscal_year)
            .map(|e| e.name.clone())
            .unwrap_or_default();
        let year = r
            .fiscal_year
            .map(|y| format!(" in {y}"))
            .unwrap_or_default();
        let message = format!(
            "table {} row {}: code {code} is printed as {}, its name{year} is {listed}",
            r.table_no, r.row_no, r.label
        );
        ("name", "name_mismatch", Some(listed), message)
    };
    Some(Finding {
        doc_id: doc_id.to_string(),
        check: check.into(),
        class: class.into(),
        table_type: r.table_type,
        table_no: r.table_no,
        page: r.page,
        row_no: Some(r.row_no),
        label: Some(r.label.clone()),
        subject_code: Some(code.to_string()),
        measure: None,
        printed: computed.is_some().then(|| r.label.clone()),
        computed,
        difference: None,
        message,
    })
}
