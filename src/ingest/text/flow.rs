//! Flow text (pdftotext without -layout, or plain copy-paste): tables rebuilt from lines.

use super::*;
use crate::classify::classify_title;
use crate::grid::{department_in, is_table_number_line, unit_in};

/// What a header term is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum TermKind {
    /// A row-label column (项目, 科目编码, 预算单位 …).
    Label,
    /// 收入 / 支出 over the two halves of a two-sided table.
    Side,
    /// A wrapper that names no column of its own (2022 年预算).
    Wrapper,
    /// A value column or a group of value columns.
    Value,
}

/// The flow splitter's terms, from the one vocabulary ([`crate::vocab`]): its row-label
/// headings, wrappers, the two sides, and every other heading as a value term. Words of
/// one character and the procurement categories are left out: inside text whose spaces
/// were lost (`政务服务`) they would split words that are no headings.
static FLOW_TERMS: std::sync::LazyLock<Vec<(&'static str, TermKind)>> =
    std::sync::LazyLock::new(|| {
        use crate::vocab::Term;
        crate::vocab::TERMS
            .iter()
            .filter(|(k, t)| {
                k.chars().count() >= 2
                    && !matches!(t, Term::RowNum)
                    && !matches!(t, Term::Measure("goods" | "services" | "works"))
            })
            .map(|(k, t)| {
                let kind = match t {
                    _ if matches!(*k, "收入" | "支出") => TermKind::Side,
                    Term::Label => TermKind::Label,
                    Term::Wrapper | Term::Block => TermKind::Wrapper,
                    _ => TermKind::Value,
                };
                (*k, kind)
            })
            .collect()
    });

fn is_value_term(t: &str) -> bool {
    FLOW_TERMS
        .iter()
        .any(|(k, kind)| *k == t && *kind == TermKind::Value)
}

fn is_label_term(t: &str) -> bool {
    FLOW_TERMS
        .iter()
        .any(|(k, kind)| *k == t && *kind == TermKind::Label)
}

/// Groups of the two-level column tree and the children each may have.
pub fn allowed_child(group: &str, child: &str) -> bool {
    crate::vocab::allowed_child(group, child)
}

/// Normalise text for vocabulary matching: NFKC, no spaces, years as `YYYY` (the same
/// key the measure mapping uses).
fn vocab_key(s: &str) -> String {
    crate::vocab::level_key(s)
}

#[derive(Debug, Clone)]
pub struct Term {
    pub text: String,
    pub kind: TermKind,
}

/// Split concatenated header text into vocabulary terms (longest match first). Text
/// that matches nothing becomes one unknown value term per run; the returned
/// `usize` is the position just after the last recognised term.
pub fn tokenize_header(h: &str) -> (Vec<Term>, usize) {
    let chars: Vec<char> = h.chars().collect();
    let mut vocab: Vec<(Vec<char>, TermKind)> = FLOW_TERMS
        .iter()
        .map(|(t, k)| (t.chars().collect(), *k))
        .collect();
    vocab.sort_by_key(|(t, _)| std::cmp::Reverse(t.len()));
    let mut terms = Vec::new();
    let mut unknown = String::new();
    let mut i = 0;
    let mut last_end = 0;
    while i < chars.len() {
        let hit = vocab.iter().find(|(t, _)| chars[i..].starts_with(t));
        match hit {
            Some((t, k)) => {
                if !unknown.is_empty() {
                    terms.push(Term {
                        text: std::mem::take(&mut unknown),
                        kind: TermKind::Value,
                    });
                }
                terms.push(Term {
                    text: t.iter().collect(),
                    kind: *k,
                });
                i += t.len();
                last_end = i;
            }
            None => {
                unknown.push(chars[i]);
                i += 1;
            }
        }
    }
    (terms, last_end)
}

/// Is `h` a whole header term (`Some(true)`), the start of one (`Some(false)`), or
/// neither (`None`)? Keys as `vocab_key` makes them.
pub fn term_prefix(h: &str) -> Option<bool> {
    let k = vocab_key(h);
    let mut prefix = false;
    for (t, _) in FLOW_TERMS.iter() {
        if *t == k {
            return Some(true);
        }
        prefix |= t.starts_with(k.as_str());
    }
    prefix.then_some(false)
}

/// How many vocabulary header terms the text holds (unknown runs not counted).
pub fn known_terms(h: &str) -> usize {
    let (terms, _) = tokenize_header(&vocab_key(h));
    terms
        .iter()
        .filter(|t| is_label_term(&t.text) || is_value_term(&t.text))
        .count()
}

/// Leaves of the column tree: (group, child) pairs, group empty for top-level columns.
/// Tries every split of the value terms into a top level and a second level, and keeps
/// the first split whose leaves number `n`.
pub fn leaves(values: &[String], n: usize) -> Option<Vec<(String, String)>> {
    for k in 1..=values.len() {
        let (top, second) = values.split_at(k);
        let mut out = Vec::new();
        let mut rest = second.iter().peekable();
        for t in top {
            let mut children = Vec::new();
            while let Some(c) = rest.peek() {
                if allowed_child(t, c) {
                    children.push((*c).clone());
                    rest.next();
                } else {
                    break;
                }
            }
            if children.is_empty() {
                out.push((String::new(), t.clone()));
            } else {
                for c in children {
                    out.push((t.clone(), c));
                }
            }
        }
        if rest.peek().is_none() && out.len() == n {
            return Some(out);
        }
    }
    loose_leaves(values, n)
}

/// When no tree has the vocabulary's groups: a heading the vocabulary does not know as a
/// column of its own (`2022年政府采购项目`) may group a `小计` and `其中:…` headings below
/// it (keys: `：` is `:`). The first split into top headings and children, each top taking the next children
/// in order, that gives `n` columns and places every child.
fn loose_leaves(values: &[String], n: usize) -> Option<Vec<(String, String)>> {
    let groups = |t: &str, c: &str| {
        allowed_child(t, c) || (!is_measure_key(t) && (c == "小计" || c.starts_with("其中:")))
    };
    fn place(
        top: &[String],
        children: &[String],
        n: usize,
        groups: &dyn Fn(&str, &str) -> bool,
        out: &mut Vec<(String, String)>,
    ) -> bool {
        let Some((t, rest)) = top.split_first() else {
            return children.is_empty() && out.len() == n;
        };
        // Children taken by this heading: as many as it can group, fewest last.
        let most = children.iter().take_while(|c| groups(t, c)).count();
        for m in (0..=most).rev() {
            let mark = out.len();
            if m == 0 {
                out.push((String::new(), t.clone()));
            } else {
                out.extend(children[..m].iter().map(|c| (t.clone(), c.clone())));
            }
            if out.len() <= n && place(rest, &children[m..], n, groups, out) {
                return true;
            }
            out.truncate(mark);
        }
        false
    }
    (1..values.len()).find_map(|k| {
        let (top, children) = values.split_at(k);
        let mut out = Vec::new();
        place(top, children, n, &groups, &mut out).then_some(out)
    })
}

/// Is `t` a heading the vocabulary reads as a column meaning of its own?
fn is_measure_key(t: &str) -> bool {
    matches!(
        crate::vocab::term_of_key(t),
        Some(crate::vocab::Term::Measure(_) | crate::vocab::Term::Total)
    )
}

/// Split a data line into (label, numbers) groups: `一、政府预算拨款 555.08 一、一般公共服务支出 408.48`
/// gives two groups. A number broken by a wrap (`497.3 1`) is joined.
pub fn split_groups(line: &str) -> Vec<(String, Vec<String>)> {
    let toks: Vec<&str> = line.split_whitespace().collect();
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    let mut label: Vec<&str> = Vec::new();
    let mut nums: Vec<String> = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let t = toks[i];
        if looks_like_money(t) {
            let mut num = t.to_string();
            // 497.3 1 → 497.31
            if let Some(next) = toks.get(i + 1) {
                let frac = num.rsplit('.').next().unwrap_or("");
                if num.contains('.')
                    && frac.len() == 1
                    && next.len() == 1
                    && next.chars().all(|c| c.is_ascii_digit())
                {
                    num.push_str(next);
                    i += 1;
                }
            }
            nums.push(num);
        } else {
            if !nums.is_empty() {
                groups.push((super::squash(&label), std::mem::take(&mut nums)));
                label.clear();
            }
            label.push(t);
        }
        i += 1;
    }
    if !nums.is_empty() {
        groups.push((super::squash(&label), nums));
    } else if !label.is_empty() {
        groups.push((super::squash(&label), Vec::new()));
    }
    groups
}

fn is_data_line(line: &str) -> bool {
    let toks: Vec<&str> = line.split_whitespace().collect();
    toks.last().is_some_and(|t| looks_like_money(t)) && !line.contains("....")
}

fn is_title_line(line: &str) -> bool {
    let c = crate::grid::clean_title(line);
    let k = compact(&c);
    !k.starts_with('-')
        && !line.contains("....")
        && k.ends_with('表') | k.contains("表(") | k.contains("表（")
        && classify_title(&c).is_some()
}

pub(super) fn is_stop_line(line: &str) -> bool {
    let k = compact(line);
    k.starts_with("注")
        || k.starts_with("备注")
        || k.starts_with("第") && k.contains("部分")
        || is_title_line(line)
}

fn is_income_label(label: &str) -> bool {
    let k = key(label);
    (k.contains("收入")
        || k.contains("拨款")
        || k.contains("资金")
        || k.contains("上年结")
        || k.contains("年初"))
        && !k.contains("支出")
}

/// Turn a run of plain lines into blocks: lines, plus grids for any flow tables in it.
pub fn blocks_from_plain(lines: &[&str], out: &mut Vec<Block>) {
    let mut i = 0;
    while i < lines.len() {
        if is_title_line(lines[i]) {
            if let Some((grid, end)) = parse_table(lines, i + 1) {
                out.push(Block::Line {
                    text: lines[i].to_string(),
                    page: None,
                });
                // The 部门 and 单位 lines just after the title belong to the table.
                for l in &lines[i + 1..end.min(i + 6)] {
                    if unit_in(l).is_some() || department_in(l).is_some() {
                        out.push(Block::Line {
                            text: l.to_string(),
                            page: None,
                        });
                    }
                }
                out.push(Block::Table(RawTable {
                    grid,
                    title: Some(crate::grid::clean_title(lines[i])),
                    ..Default::default()
                }));
                i = end;
                continue;
            }
        }
        out.push(Block::Line {
            text: lines[i].to_string(),
            page: None,
        });
        i += 1;
    }
}

/// Parse the table whose title is on the line before `start`. Returns the grid and the
/// index of the first line after the table, or None when no data lines follow.
fn parse_table(lines: &[&str], start: usize) -> Option<(Grid, usize)> {
    // Header zone: lines up to the first data line.
    let mut j = start;
    let mut header_lines: Vec<&str> = Vec::new();
    while j < lines.len() && !is_data_line(lines[j]) {
        let l = lines[j];
        if is_stop_line(l) || j - start > 80 {
            return None;
        }
        if !(l.trim().is_empty()
            || unit_in(l).is_some()
            || department_in(l).is_some()
            || is_table_number_line(l))
        {
            header_lines.push(l);
        }
        j += 1;
    }
    if j >= lines.len() {
        return None;
    }
    // Concatenated header; the text after the last header term is the first row's label.
    let mut h = String::new();
    let mut line_of: Vec<usize> = Vec::new();
    for (n, l) in header_lines.iter().enumerate() {
        let k = vocab_key(l);
        for _ in k.chars() {
            line_of.push(n);
        }
        h.push_str(&k);
    }
    let (mut terms, last_end) = tokenize_header(&h);
    // Headings as printed: the key's `YYYY` is the year the page prints.
    let mut years = crate::vocab::printed_years(&header_lines.concat()).into_iter();
    for t in &mut terms {
        t.text = crate::vocab::with_years(&t.text, &mut years);
    }
    let h_chars: Vec<char> = h.chars().collect();
    let mut first_label = String::new();
    if last_end < h_chars.len() {
        // Drop the trailing unknown term: it is the label of the first row.
        if terms
            .last()
            .is_some_and(|t| t.kind == TermKind::Value && !is_value_term(&t.text))
        {
            terms.pop();
        }
        let first_line = line_of[last_end];
        let starts_line = last_end == 0 || line_of[last_end - 1] != first_line;
        if starts_line {
            first_label = header_lines[first_line..]
                .iter()
                .map(|l| l.trim())
                .collect::<Vec<_>>()
                .join("");
        } else {
            first_label = h_chars[last_end..].iter().collect();
        }
    }
    if !terms.iter().any(|t| t.kind == TermKind::Value) {
        return None;
    }
    let labels: Vec<&Term> = terms.iter().filter(|t| t.kind == TermKind::Label).collect();
    let two_sided = labels.iter().filter(|t| t.text == "项目").count() >= 2;

    // Body: data lines, with text-only lines before a data line prefixed to its label.
    let mut body: Vec<Vec<(String, Vec<String>)>> = Vec::new();
    let mut pending = first_label;
    let mut end = j;
    while j < lines.len() {
        let l = lines[j];
        if is_data_line(l) {
            let mut groups = split_groups(l);
            if !pending.is_empty() {
                if let Some(g) = groups.first_mut() {
                    g.0 = format!("{}{}", compact(&pending), g.0);
                }
                pending.clear();
            }
            body.push(groups);
            end = j + 1;
        } else if is_stop_line(l) || is_table_number_line(l) || unit_in(l).is_some() {
            break;
        } else if !l.trim().is_empty() {
            pending.push_str(l.trim());
        }
        j += 1;
    }
    if body.is_empty() {
        return None;
    }
    let grid = if two_sided {
        two_sided_grid(&terms, &body)
    } else {
        one_sided_grid(&terms, &body)
    };
    Some((grid, end))
}

fn two_sided_grid(terms: &[Term], body: &[Vec<(String, Vec<String>)>]) -> Grid {
    // Value terms of each half: between the first 项目 and the second, and after it.
    let mut halves: Vec<Vec<String>> = Vec::new();
    for t in terms {
        match t.kind {
            TermKind::Label if t.text == "项目" => halves.push(Vec::new()),
            TermKind::Value | TermKind::Wrapper => {
                if let Some(h) = halves.last_mut() {
                    if t.kind == TermKind::Value {
                        h.push(t.text.clone());
                    }
                }
            }
            _ => {}
        }
    }
    let left_w = halves.first().map(|h| h.len().max(1)).unwrap_or(1);
    let right_w = halves.get(1).map(|h| h.len().max(1)).unwrap_or(1);
    let mut header = vec!["项目".to_string()];
    header.extend(pad(halves.first().cloned().unwrap_or_default(), left_w));
    header.push("项目".to_string());
    header.extend(pad(halves.get(1).cloned().unwrap_or_default(), right_w));
    let mut rows = vec![header];
    for groups in body {
        let mut left: Option<&(String, Vec<String>)> = None;
        let mut right: Option<&(String, Vec<String>)> = None;
        match groups.len() {
            0 => continue,
            1 => {
                if is_income_label(&groups[0].0) {
                    left = Some(&groups[0]);
                } else {
                    right = Some(&groups[0]);
                }
            }
            _ => {
                left = Some(&groups[0]);
                right = Some(&groups[1]);
            }
        }
        let mut row = Vec::new();
        for (side, w) in [(left, left_w), (right, right_w)] {
            match side {
                Some((label, nums)) => {
                    row.push(label.clone());
                    row.extend(pad(nums.clone(), w));
                }
                None => row.extend(pad(Vec::new(), w + 1)),
            }
        }
        rows.push(row);
    }
    Grid::new(rows)
}

fn one_sided_grid(terms: &[Term], body: &[Vec<(String, Vec<String>)>]) -> Grid {
    let values: Vec<String> = terms
        .iter()
        .filter(|t| t.kind == TermKind::Value)
        .map(|t| t.text.clone())
        .collect();
    let label_terms: Vec<String> = terms
        .iter()
        .filter(|t| t.kind == TermKind::Label)
        .map(|t| t.text.clone())
        .collect();
    let has_code = label_terms
        .iter()
        .any(|t| t.contains("编码") || t.contains("代码"));
    let has_year = label_terms.iter().any(|t| t == "年度");
    // Number of values per row: the most common count.
    let mut counts = std::collections::HashMap::new();
    for g in body {
        let n: usize = g.iter().map(|x| x.1.len()).sum();
        *counts.entry(n).or_insert(0) += 1;
    }
    let n = counts
        .into_iter()
        .max_by_key(|(n, c)| (*c, *n))
        .map(|x| x.0)
        .unwrap_or(0);
    let leaves = leaves(&values, n).unwrap_or_else(|| {
        // No consistent tree: name only a leading total column.
        let mut v = vec![(String::new(), String::new()); n];
        if let (Some(first), Some(slot)) = (values.first(), v.first_mut()) {
            if ["合计", "总计", "收入总计", "支出总计"].contains(&first.as_str()) {
                slot.1 = first.clone();
            }
        }
        v
    });
    let mut label_cols = vec![if has_code {
        "科目编码".to_string()
    } else {
        label_terms
            .first()
            .cloned()
            .unwrap_or_else(|| "项目".into())
    }];
    if has_code {
        label_cols.push("科目名称".into());
    }
    if has_year {
        label_cols.push("年度".into());
    }
    let nl = label_cols.len();
    let mut top = label_cols.clone();
    let mut second = vec![String::new(); nl];
    let mut prev_group = String::new();
    for (g, c) in &leaves {
        if g.is_empty() {
            top.push(c.clone());
            second.push(String::new());
            prev_group.clear();
        } else {
            top.push(if *g == prev_group {
                String::new()
            } else {
                g.clone()
            });
            second.push(c.clone());
            prev_group = g.clone();
        }
    }
    let mut rows = vec![top];
    if second.iter().any(|s| !s.is_empty()) {
        rows.push(second);
    }
    for groups in body {
        let label: String = groups
            .iter()
            .map(|g| g.0.as_str())
            .collect::<Vec<_>>()
            .join("");
        let nums: Vec<String> = groups.iter().flat_map(|g| g.1.iter().cloned()).collect();
        let mut row = Vec::new();
        let (mut code, mut name, mut year) = (String::new(), label.clone(), String::new());
        if has_year {
            if let Some(p) = find_period(&name) {
                year = name[p..].to_string();
                name = name[..p].to_string();
            }
        }
        if has_code {
            let digits: String = name.chars().take_while(|c| c.is_ascii_digit()).collect();
            if (3..=7).contains(&digits.len()) {
                code = digits.clone();
                name = name[digits.len()..].trim().to_string();
            }
            row.push(code);
        }
        row.push(name);
        if has_year {
            row.push(year);
        }
        row.extend(pad(nums, leaves.len()));
        rows.push(row);
    }
    Grid::new(rows)
}

static PERIOD_TAIL: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"(20\d{2}\s*年|增减变化金额|增减变化|增减额)\s*$").unwrap()
});

fn find_period(s: &str) -> Option<usize> {
    PERIOD_TAIL.find(s).map(|m| m.start())
}

fn pad(mut v: Vec<String>, w: usize) -> Vec<String> {
    v.resize(w.max(v.len()), String::new());
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_heading_groups_its_subtotal_and_parts() {
        let v: Vec<String> = [
            "支出总计",
            "基本支出",
            "项目支出",
            "2022年政府采购项目",
            "小计",
            "其中:面向中小企业",
            "其中:面向小型企业",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let l = leaves(&v, 6).expect("six columns");
        assert_eq!(l[1], (String::new(), "基本支出".to_string()));
        assert_eq!(l[3], ("2022年政府采购项目".to_string(), "小计".to_string()));
        assert_eq!(l[5].1, "其中:面向小型企业");
        // Seven columns: each heading its own; no split gives eight.
        assert_eq!(
            leaves(&v, 7).unwrap()[4],
            (String::new(), "小计".to_string())
        );
        assert!(leaves(&v, 8).is_none());
    }

    #[test]
    fn header_tree_from_flow_terms() {
        let h = vocab_key("支出项目类别 总计\n政府预算拨款\n财政专\n户管理\n资金\n单位资金\n上年结\n余、结转 小计\n一般公共\n预算拨款\n政府性基金预\n算拨款\n国有资本经\n营预算拨款\n事业收\n入\n事业单\n位经营\n收入\n上级补\n助收入\n附属单\n位上缴\n收入\n其他\n收入");
        let (terms, _) = tokenize_header(&h);
        let values: Vec<String> = terms
            .iter()
            .filter(|t| t.kind == TermKind::Value)
            .map(|t| t.text.clone())
            .collect();
        let l = leaves(&values, 12).expect("a 12-leaf tree");
        assert_eq!(l[0], (String::new(), "总计".to_string()));
        assert_eq!(l[1], ("政府预算拨款".to_string(), "小计".to_string()));
        assert_eq!(l[5], (String::new(), "财政专户管理资金".to_string()));
        assert_eq!(l[10], ("单位资金".to_string(), "其他收入".to_string()));
        assert_eq!(l[11], (String::new(), "上年结余、结转".to_string()));
    }

    #[test]
    fn groups_split_and_broken_numbers_join() {
        let g =
            split_groups("  1.一般公共预算拨款 555.08   政府办公厅（室）及相关机构事务 378.48 ");
        assert_eq!(g.len(), 2);
        assert_eq!(g[0].0, "1.一般公共预算拨款");
        assert_eq!(g[1].1, vec!["378.48".to_string()]);
        let g = split_groups("合计 497.3 1 0.00");
        assert_eq!(g[0].1, vec!["497.31".to_string(), "0.00".to_string()]);
    }
}
