//! Header lines of a layout table: fragments joined into terms, terms matched to columns.

use super::slots::Slot;
use super::{tokens, Kind};
use crate::ingest::text::flow::{allowed_child, term_prefix, tokenize_header, TermKind};
use crate::vocab::{level_key, level_token};

/// A header word: fragments joined across spaces and lines into (the start of) a term.
#[derive(Debug, Clone)]
pub(super) struct HWord {
    pub(super) text: String,
    pub(super) s: usize,
    pub(super) e: usize,
    pub(super) line: usize,
    pub(super) last_line: usize,
    /// Where the word starts and ends on its first line: the headings of one line keep
    /// their order there, whatever the lines below drift.
    pub(super) s0: usize,
    pub(super) e0: usize,
}

impl HWord {
    pub(super) fn cx(&self) -> f32 {
        (self.s + self.e) as f32 / 2.0
    }
}

/// Header fragments joined into words: a fragment continues a word on the same line (one
/// space apart) or on a line above (overlapping or close by) when together they make a
/// header term or the start of one (`工资福利支` + `出`, `对个人和家` + `庭的` + `补助`).
pub(super) fn header_words(header: &[&str]) -> Vec<HWord> {
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
                    last.e0 = t.e;
                    continue;
                }
            }
            line_words.push(HWord {
                text: t.text,
                s: t.s,
                e: t.e,
                line: li,
                last_line: li,
                s0: t.s,
                e0: t.e,
            });
        }
        join_line(&mut words, line_words, li);
    }
    words
}

/// Join one line's fragments to the words above them: each fragment continues at most
/// one word, and the words it continues keep the fragments' left-to-right order (a line
/// drifts against the lines above it, but not within itself). As many fragments as can
/// be joined are, the nearest first; the rest start words of their own.
fn join_line(words: &mut Vec<HWord>, line_words: Vec<HWord>, li: usize) {
    const NEAR: usize = 6;
    let mut cand: Vec<usize> = (0..words.len())
        .filter(|&i| words[i].last_line < li)
        .collect();
    cand.sort_by(|&a, &b| words[a].cx().total_cmp(&words[b].cx()));
    let fits = |w: &HWord, p: &HWord| {
        w.s <= p.e + NEAR && w.e + NEAR >= p.s && continues(&p.text, &w.text)
    };
    // As many joins as can be made (each -100), then the nearest.
    let (_, target) = monotone(
        line_words.len(),
        cand.len(),
        |_| 0.0,
        0.0,
        |i, j| {
            let (w, p) = (&line_words[i], &words[cand[j]]);
            fits(w, p).then(|| {
                // A word that is already a whole term goes on less readily than one
                // that is not yet (`其中：财政` + `拨款` before `国有资本经营预算` + `拨款`).
                let whole = if term_prefix(&p.text) == Some(true) {
                    6.0
                } else {
                    0.0
                };
                -100.0 + whole + (w.cx() - p.cx()).abs() + (li - p.last_line) as f32 * 0.5
            })
        },
    );
    let target: Vec<Option<usize>> = target.into_iter().map(|t| t.map(|j| cand[j])).collect();
    for (w, t) in line_words.into_iter().zip(target) {
        match t {
            Some(k) => {
                let p = &mut words[k];
                p.text.push_str(&w.text);
                p.s = p.s.min(w.s);
                p.e = p.e.max(w.e);
                p.last_line = li;
            }
            None => words.push(w),
        }
    }
}

/// May a word above (`part`) go on with a fragment below it (`frag`)? A word not yet a
/// term may grow into one (or the start of one); a whole term only into a longer whole
/// term (`单位` + `资金`), and not with a column heading of its own below it (`本年收入`
/// over its `合计` is a group over its first child, not `本年收入合计`).
fn continues(part: &str, frag: &str) -> bool {
    let joined = format!("{part}{frag}");
    if term_prefix(part) == Some(true) {
        let own = matches!(
            crate::vocab::term_of_key(&level_key(frag)),
            Some(crate::vocab::Term::Total | crate::vocab::Term::Measure(_))
        );
        term_prefix(&joined) == Some(true) && !own
    } else {
        joins(part, &joined)
    }
}

/// Does `joined` (`part` and what follows it) make a header term or the start of one, or
/// a heading the measure mapping knows where `part` alone is none (`财政拨款收` + `入`)?
pub(super) fn joins(part: &str, joined: &str) -> bool {
    term_prefix(joined).is_some() || (level_token(joined).is_some() && level_token(part).is_none())
}

pub(super) fn is_group(t: &str) -> bool {
    allowed_child(t, "小计")
}

/// The value terms a header word names: vocabulary terms, and unknown runs of four or more
/// characters (a heading the vocabulary lacks). None for label headings.
pub(super) fn word_terms(w: &str) -> Option<Vec<String>> {
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
pub(super) fn header_columns(header: &[&str], slots: &[Slot], at: &[f32]) -> Vec<Vec<String>> {
    let k = slots.len();
    let vcols: Vec<usize> = (0..k).filter(|&j| slots[j].kind == Kind::Value).collect();
    // A value column's cell runs from the previous column's right edge to its own (the
    // numbers are right-aligned); a heading is centred on the cell.
    // A column next to one that prints no number anywhere (not a slot) would stretch
    // over it, so a cell is at most 1.3 times the usual pitch between number columns.
    let pitch_of = |pos: &dyn Fn(usize) -> f32| {
        let mut pitches: Vec<f32> = vcols
            .windows(2)
            .filter(|w| w[1] == w[0] + 1)
            .map(|w| pos(w[1]) - pos(w[0]))
            .collect();
        pitches.sort_by(f32::total_cmp);
        pitches.get(pitches.len() / 2).copied()
    };
    let pos = |j: usize| slots[j].pos;
    let pitch = pitch_of(&pos);
    let centres: Vec<f32> = vcols
        .iter()
        .map(|&j| {
            let mut left = if j > 0 && slots[j - 1].kind == Kind::Value {
                pos(j - 1)
            } else {
                slots[j].min_s as f32 - 1.0
            };
            if let Some(p) = pitch {
                left = left.max(pos(j) - 1.3 * p);
            }
            (left + pos(j)) / 2.0
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
    // Room for a column that prints no number in any row: neighbouring number columns
    // two pitches or more apart leave a column between them for each further pitch.
    let at_pitch = pitch_of(&|j| at[j]);
    let mut cols: Vec<(f32, bool)> = Vec::new();
    for (ci, &j) in vcols.iter().enumerate() {
        if let (Some(p), true) = (at_pitch, ci > 0 && vcols[ci - 1] + 1 == j) {
            let (a, b) = (at[j - 1], at[j]);
            let k = ((b - a) / p).round() as usize;
            if b - a >= 1.7 * p {
                for e in 1..k {
                    let right = a + (b - a) * e as f32 / k as f32;
                    cols.push((right - p / 2.0, false));
                }
            }
        }
        cols.push((centres[ci], true));
    }
    if let Some(v) = tree_columns(&words, &cols) {
        for (&j, p) in vcols.iter().zip(v) {
            paths[j] = p;
        }
        return paths;
    }
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

/// A header term placed in the header: its line and centre column.
#[derive(Debug, Clone)]
struct Item {
    text: String,
    line: usize,
    cx: f32,
}

/// Header paths of the value columns read as a column tree, or None when the tree has
/// fewer leaves than there are value columns.
///
/// The vocabulary says which headings group which (`本年收入` over `小计`, `一般公共预算`
/// …). Each heading that some group on a line above may hold becomes a child: headings
/// in left-to-right order fill the groups in order, a group taking no heading twice (a
/// second `小计` starts the next group). The other headings are top-level columns, in
/// left-to-right order, each a leaf or its group's children. Order decides, not
/// position: a header line drifts against the number columns, but its headings keep
/// their order. When the leaves number the value columns they map one to one; when
/// there are more (a column that prints no number in any row), they are matched to the
/// columns in order under the best scale and shift.
fn tree_columns(words: &[(HWord, Vec<String>)], cols: &[(f32, bool)]) -> Option<Vec<Vec<String>>> {
    let centres: Vec<f32> = cols.iter().filter(|c| c.1).map(|c| c.0).collect();
    let n = centres.len();
    let mut items: Vec<Item> = Vec::new();
    for (w, terms) in words {
        let k = terms.len() as f32;
        for (i, t) in terms.iter().enumerate() {
            let cx = w.s0 as f32 + (w.e0 - w.s0) as f32 * (i as f32 + 0.5) / k;
            items.push(Item {
                text: t.clone(),
                line: w.line,
                cx,
            });
        }
    }
    items.sort_by(|a, b| a.cx.total_cmp(&b.cx).then(a.line.cmp(&b.line)));
    let all: Vec<usize> = (0..items.len()).collect();
    let mut leaves: Vec<(Vec<String>, f32)> = Vec::new();
    tree_leaves(&items, &all, &mut Vec::new(), &mut leaves);
    if leaves.len() < n {
        return None;
    }
    if leaves.len() == n {
        return Some(leaves.into_iter().map(|l| l.0).collect());
    }
    // As many leaves as columns with the room left for empty ones: the empty columns'
    // headings are the ones left out.
    if leaves.len() == cols.len() {
        return Some(
            leaves
                .into_iter()
                .zip(cols)
                .filter(|(_, c)| c.1)
                .map(|(l, _)| l.0)
                .collect(),
        );
    }
    // Every column prints numbers, so each has a heading; a total (`合计`, a group's
    // `小计`) prints whenever its parts do, so it is never the heading left out.
    // Leaves keep the tree's order: one pushed left of the leaf before it (its line
    // drifts against the others) is placed just after that leaf.
    let mut xs: Vec<f32> = leaves.iter().map(|l| l.1).collect();
    for i in 1..xs.len() {
        xs[i] = xs[i].max(xs[i - 1] + 0.5);
    }
    let skips: Vec<f32> = leaves
        .iter()
        .map(|l| {
            let last = l.0.last().map(String::as_str).unwrap_or("");
            if matches!(
                crate::vocab::term_of_key(last),
                Some(crate::vocab::Term::Total)
            ) {
                1000.0
            } else {
                5.0
            }
        })
        .collect();
    let m = fit(&xs, &skips, &centres, 1000.0)?;
    let mut out = vec![Vec::new(); n];
    for (l, hit) in leaves.into_iter().zip(m) {
        if let Some((c, _)) = hit {
            out[c] = l.0;
        }
    }
    Some(out)
}

/// The leaves under `level` (items in left-to-right order), each with its path (`path`
/// and down) and centre. The groups among them take their children (below them, in
/// order, none twice); the rest are this level's columns, and each group's children are
/// read the same way one level down (`基本支出` > `人员经费` > `工资福利支出`).
fn tree_leaves(
    items: &[Item],
    level: &[usize],
    path: &mut Vec<String>,
    out: &mut Vec<(Vec<String>, f32)>,
) {
    let groups: Vec<usize> = level
        .iter()
        .copied()
        .filter(|&i| is_group(&items[i].text))
        .collect();
    let mut taken = vec![false; items.len()];
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); items.len()];
    let mut cur = 0; // index into groups
    for &i in level {
        let fits = |g: usize, children: &[Vec<usize>]| {
            g != i
                && !taken[g]
                && items[g].line < items[i].line
                && allowed_child(&items[g].text, &items[i].text)
                && !children[g].iter().any(|&c| items[c].text == items[i].text)
        };
        if let Some(k) = (cur..groups.len()).find(|&k| fits(groups[k], &children)) {
            cur = k;
            taken[i] = true;
            children[groups[k]].push(i);
        }
    }
    for &i in level.iter().filter(|&&i| !taken[i]) {
        path.push(items[i].text.clone());
        if children[i].is_empty() {
            out.push((path.clone(), items[i].cx));
        } else {
            tree_leaves(items, &children[i], path, out);
        }
        path.pop();
    }
}

/// Each point's (column, distance), or None when left unmatched.
pub(super) type Matches = Vec<Option<(usize, f32)>>;

/// Match one header line's word centres `xs` (sorted) to column centres in order, under
/// the map x → a·(x − x0) + x0 + b that gives the least total distance; a word may stay
/// unmatched at a fixed cost. Returns each word's (column, distance).
pub(super) fn fit_line(xs: &[f32], cols: &[f32]) -> Option<Matches> {
    let skips = vec![5.0; xs.len()];
    fit(xs, &skips, cols, 0.0)
}

/// `fit_line` with a cost for leaving each point unmatched (`skips`) and for each column
/// left without a point (`unused`).
pub(super) fn fit(xs: &[f32], skips: &[f32], cols: &[f32], unused: f32) -> Option<Matches> {
    let x0 = cols[0];
    let mut best: Option<(f32, Matches)> = None;
    // The full search (22 scales × 81 shifts, each an n·m alignment) suits real headers
    // (tens of words and columns); on a huge line it would take minutes, so only shifts
    // at the natural scale are tried there.
    let huge = xs.len() * cols.len() > 20_000;
    let (mut a, a_max, b_step) = if huge {
        (1.0f32, 1.0f32, 8)
    } else {
        (0.7, 1.8, 1)
    };
    while a <= a_max + 1e-6 {
        for b in (-40..=40).step_by(b_step) {
            let b = b as f32;
            let map: Vec<f32> = xs.iter().map(|x| a * (x - x0) + x0 + b).collect();
            let (cost, m) = align(&map, skips, cols, unused);
            let cost = cost + (a - 1.0).abs() * 4.0 + b.abs() * 0.02;
            if best.as_ref().is_none_or(|(c, _)| cost < *c) {
                best = Some((cost, m));
            }
        }
        a += 0.05;
    }
    best.map(|b| b.1)
}

/// Monotone matching of points to columns (each column at most once): point i left out
/// at `skips[i]`, a column left out at `unused`.
pub(super) fn align(xs: &[f32], skips: &[f32], cols: &[f32], unused: f32) -> (f32, Matches) {
    let dist = |i: usize, j: usize| (xs[i] - cols[j]).abs();
    let (cost, m) = monotone(
        xs.len(),
        cols.len(),
        |i| skips[i],
        unused,
        |i, j| Some(dist(i, j)),
    );
    let out = m
        .into_iter()
        .enumerate()
        .map(|(i, j)| j.map(|j| (j, dist(i, j))))
        .collect();
    (cost, out)
}

/// The least-cost monotone matching of `n` points to `m` columns, each column taken at
/// most once: point i left out at `skip(i)`, a column left out at `unused`, point i on
/// column j at `pair(i, j)` (None where it may not go). Returns the cost and each point's
/// column.
fn monotone(
    n: usize,
    m: usize,
    skip: impl Fn(usize) -> f32,
    unused: f32,
    pair: impl Fn(usize, usize) -> Option<f32>,
) -> (f32, Vec<Option<usize>>) {
    // d[i][j]: least cost of the first i points using columns before j.
    let mut d = vec![vec![f32::INFINITY; m + 1]; n + 1];
    let mut how = vec![vec![0u8; m + 1]; n + 1];
    for (j, v) in d[0].iter_mut().enumerate() {
        *v = j as f32 * unused;
    }
    for i in 1..=n {
        for j in 0..=m {
            // point i-1 left out
            let mut v = d[i - 1][j] + skip(i - 1);
            let mut h = 1;
            if j > 0 {
                // column j-1 left out
                if d[i][j - 1] + unused < v {
                    v = d[i][j - 1] + unused;
                    h = 2;
                }
                if let Some(c) = pair(i - 1, j - 1) {
                    if d[i - 1][j - 1] + c < v {
                        v = d[i - 1][j - 1] + c;
                        h = 3;
                    }
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
                out[i - 1] = Some(j - 1);
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

    #[test]
    fn fragments_join_the_words_above_them_in_order() {
        // 000 部门收入总表 as pdftotext -layout prints it: the 收入 of the last line belong,
        // in order, to 事业, 事业单位经营, 上级补助, 附属单位上缴 and 其他, three lines below
        // the words they end, each printed nearer the word left of its own.
        let w = header_words(&[
            "                                           国有资 财政专 事业 事业单 上级 附属单 其他",
            "                                           本经营  户管理       位经营  补助   位上缴       小计",
            "                                                                                   一般 政府性 国有资 财政专 单位",
            "                                                                                   公共 基金预 本经营 户管理 资金",
            "                                共预算 算      预算 资金 收入 收入 收入 收入 收入                    预算 算      预算 资金",
        ]);
        let t: Vec<&str> = w.iter().map(|w| w.text.as_str()).collect();
        for term in [
            "事业收入",
            "事业单位经营收入",
            "上级补助收入",
            "附属单位上缴收入",
            "其他收入",
            "一般公共预算",
            "政府性基金预算",
            "单位资金",
        ] {
            assert!(t.contains(&term), "{term}: {t:?}");
        }
        assert_eq!(t.iter().filter(|x| **x == "国有资本经营预算").count(), 2);
        assert_eq!(t.iter().filter(|x| **x == "财政专户管理资金").count(), 2);
        // A whole term goes on into a longer one, not over a heading of its own.
        assert!(continues("单位", "资金"));
        assert!(!continues("本年收入", "合计"));
    }

    #[test]
    fn leaves_follow_the_tree_not_the_drift() {
        let item = |text: &str, line, cx| Item {
            text: text.into(),
            line,
            cx,
        };
        // The children's line drifts left of its parents': 小计 prints left of 合计.
        let items = vec![
            item("小计", 1, 33.0),
            item("人员经费", 1, 38.0),
            item("合计", 0, 39.0),
            item("公用经费", 1, 43.0),
            item("基本支出", 0, 47.0),
            item("项目支出", 0, 70.0),
        ];
        let all: Vec<usize> = (0..items.len()).collect();
        let mut leaves = Vec::new();
        tree_leaves(&items, &all, &mut Vec::new(), &mut leaves);
        let paths: Vec<String> = leaves.iter().map(|l| l.0.join("/")).collect();
        assert_eq!(
            paths,
            vec![
                "合计",
                "基本支出/小计",
                "基本支出/人员经费",
                "基本支出/公用经费",
                "项目支出"
            ]
        );
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
    fn an_empty_column_takes_the_heading_between_its_neighbours() {
        // 003 部门支出总体情况表 as pdftotext prints it: nine headings, eight number
        // columns, 75.81 and 46,051.01 two pitches apart (no row prints 资本性支出).
        let header = [
            "科目编         单位代 单位（科目名称）                          合计       基本支                                       项目支出",
            "码           码                                              出",
            "                                                小计      人员经费               公用经费             小计          其他运转 特定目标",
            "                                                                                                        类    类",
            "类       款 项                                             工资福利支 对个人和家 庭的 商品和服务 资本性",
            "                                                        出         补助       支出       支出",
        ];
        let slot = |kind, pos: f32, min_s| Slot { kind, pos, min_s };
        let mut slots = vec![slot(Kind::Label, 0.0, 0), slot(Kind::Label, 20.0, 20)];
        for (e, s) in [
            (47, 38),
            (56, 48),
            (65, 57),
            (74, 69),
            (83, 78),
            (101, 92),
            (111, 105),
            (121, 112),
        ] {
            slots.push(slot(Kind::Value, e as f32, s));
        }
        let at: Vec<f32> = slots.iter().map(|s| s.pos).collect();
        let paths = header_columns(&header, &slots, &at);
        let last: Vec<&str> = paths[2..]
            .iter()
            .map(|p| p.last().unwrap().as_str())
            .collect();
        assert_eq!(
            last,
            vec![
                "合计",
                "小计",
                "工资福利支出",
                "对个人和家庭的补助",
                "商品和服务支出",
                "小计",
                "其他运转类",
                "特定目标类"
            ]
        );
    }
}
