//! Small text helpers shared by every stage: cleaning cell markup, CJK-aware whitespace
//! removal, NFKC comparison keys, and exact amount parsing.

use regex::Regex;
use rust_decimal::Decimal;
use std::str::FromStr;
use std::sync::LazyLock;
use unicode_normalization::UnicodeNormalization;

/// Is `c` a CJK ideograph or CJK/full-width punctuation?
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FDF | 0x3000..=0x303F | 0x3400..=0x4DBF | 0x4E00..=0x9FFF |
        0xF900..=0xFAFF | 0xFF00..=0xFFEF | 0x20000..=0x2FA1F | 0x2018..=0x201F)
}

/// Remove all whitespace.
pub fn compact(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Collapse whitespace; remove it entirely where it touches CJK text
/// (`洛龙区 政务服 务中心` → `洛龙区政务服务中心`, `OA 系统` → `OA系统`, `IT  team` kept).
pub fn squash_cjk(s: &str) -> String {
    let chars: Vec<char> = s.trim().chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            let mut j = i;
            while j < chars.len() && chars[j].is_whitespace() {
                j += 1;
            }
            let prev = out.chars().last();
            let next = chars.get(j).copied();
            let keep = match (prev, next) {
                (Some(p), Some(n)) => !is_cjk(p) && !is_cjk(n),
                _ => false,
            };
            if keep {
                out.push(' ');
            }
            i = j;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// Comparison key: NFKC, no whitespace, Kangxi radicals folded to their ideographs.
pub fn key(s: &str) -> String {
    // Fast path: text NFKC leaves as it is (ASCII, most CJK) and without radicals needs
    // only its whitespace removed (NFKC was a quarter of the time of text documents).
    if s.is_ascii()
        || (unicode_normalization::is_nfkc_quick(s.chars())
            == unicode_normalization::IsNormalized::Yes
            && !s.chars().any(|c| ('\u{2E80}'..='\u{2FDF}').contains(&c)))
    {
        return s.chars().filter(|c| !c.is_whitespace()).collect();
    }
    fold_radicals(s)
        .nfkc()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// Kangxi radicals (U+2F00–U+2FD5) and CJK radical supplements some PDF producers emit
/// instead of ideographs. NFKC folds the Kangxi block; the supplement needs a table.
pub fn fold_radicals(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            // CJK Radicals Supplement: the simplified-form radicals that Chromium's ToUnicode
            // gives for ordinary characters (names from the Unicode character database,
            // e.g. U+2ECB CJK RADICAL C-SIMPLIFIED CART = 车).
            '\u{2EB0}' => '纟',
            '\u{2EC5}' => '见',
            '\u{2EC6}' => '角',
            '\u{2EC8}' => '讠',
            '\u{2EC9}' => '贝',
            '\u{2ECB}' => '车',
            '\u{2ECC}' => '辶',
            '\u{2ED0}' => '钅',
            '\u{2ED3}' => '长',
            '\u{2ED4}' => '门',
            '\u{2ED8}' => '青',
            '\u{2ED9}' => '韦',
            '\u{2EDA}' => '页',
            '\u{2EDB}' => '风',
            '\u{2EDC}' => '飞',
            '\u{2EE0}' => '饣',
            '\u{2EE2}' => '马',
            '\u{2EE5}' => '鱼',
            '\u{2EE6}' => '鸟',
            '\u{2EE7}' => '卤',
            '\u{2EE8}' => '麦',
            '\u{2EE9}' => '黄',
            '\u{2EEA}' => '黾',
            '\u{2EEC}' => '齐',
            '\u{2EEE}' => '齿',
            '\u{2EF0}' => '龙',
            '\u{2EF3}' => '龟',
            '\u{2ECF}' | '\u{2ED6}' => '阝',
            '\u{2EA0}' => '民',
            '\u{2EB2}' => '罒',
            '\u{2EA4}' => '爫',
            '\u{2EA7}' => '牛',
            '\u{2EAA}' => '疋',
            '\u{2EDD}' => '食',
            '\u{2EE3}' => '骨',
            '\u{2EE4}' => '鬼',
            c @ '\u{2F00}'..='\u{2FD5}' => c.to_string().nfkc().next().unwrap_or(c),
            c => c,
        })
        .collect()
}

static TAG_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)</?(?:b|strong|i|em|u|span|font|sup|sub|p|div)\b[^>]*>").unwrap()
});
static BR_RE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)<br\s*/?>").unwrap());
static LATEX_RE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\$([^$]{0,80})\$").unwrap());

/// Clean a cell as extracted: markup (`<b>`, `<br>`), LaTeX snippets (`$\geq$`), entities,
/// and surrounding whitespace. CJK text broken by `<br>` is joined without a space.
pub fn clean_cell(s: &str) -> String {
    let mut t = s.to_string();
    if t.contains('<') {
        t = BR_RE.replace_all(&t, "\n").into_owned();
        t = TAG_RE.replace_all(&t, "").into_owned();
    }
    if t.contains('$') {
        t = LATEX_RE
            .replace_all(&t, |c: &regex::Captures| latex_to_text(&c[1]))
            .into_owned();
    }
    if t.contains('&') {
        t = t
            .replace("&nbsp;", " ")
            .replace("&amp;", "&")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"");
    }
    let t = t.replace(['\u{a0}', '\u{3000}'], " ");
    squash_cjk(&t)
}

fn latex_to_text(s: &str) -> String {
    let mut t = s
        .replace("\\geq", "≥")
        .replace("\\leq", "≤")
        .replace("\\ge", "≥")
        .replace("\\le", "≤")
        .replace("\\%", "%")
        .replace("\\times", "×")
        .replace("\\sim", "~")
        .replace("\\cdot", "·");
    t.retain(|c| c != '\\' && c != '{' && c != '}');
    t.trim().to_string()
}

static AMOUNT_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:(?P<neg>-|−|－)|\+)?(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<frac>\d+))?$")
        .unwrap()
});

/// Parse a printed amount exactly. `6,655.15` → 6655.15, `497.3 1` → 497.31,
/// `（12.5）` and `-12.5` → −12.5, `0.000` keeps its scale. `-`, `—`, `/` and empty → None.
pub fn parse_amount(s: &str) -> Option<Decimal> {
    // ASCII (nearly every cell) is its own NFKC form.
    let t: String = if s.is_ascii() {
        s.chars().filter(|c| !c.is_whitespace()).collect()
    } else {
        s.nfkc().filter(|c| !c.is_whitespace()).collect()
    };
    if t.is_empty() {
        return None;
    }
    let (neg_paren, inner) = if (t.starts_with('(') && t.ends_with(')')) && t.len() > 2 {
        (true, &t[1..t.len() - 1])
    } else {
        (false, t.as_str())
    };
    let caps = AMOUNT_RE.captures(inner)?;
    let mut num = caps["int"].replace(',', "");
    if let Some(f) = caps.name("frac").filter(|f| !f.is_empty()) {
        num.push('.');
        num.push_str(f.as_str());
    }
    // More digits than money has (and than a Decimal holds exactly): not read here, but
    // reported by the normaliser as an unreadable amount (`unreadable_number`).
    if num.bytes().filter(u8::is_ascii_digit).count() > crate::budget::AMOUNT_DIGITS {
        return None;
    }
    let mut d = Decimal::from_str(&num).ok()?;
    if neg_paren || caps.name("neg").is_some() {
        d.set_sign_negative(true);
    }
    Some(d)
}

static NUMBERISH_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[-−－+]?[\d,]*\d[\d,]*(?:\.\d*)?(?:[eE][-+]?\d+)?$").unwrap());

/// Does the cell print a number that [`parse_amount`] cannot read exactly (more digits than
/// money has, an exponent, misplaced thousands separators)? Such a number is reported,
/// never silently dropped.
pub fn unreadable_number(s: &str) -> bool {
    let t: String = s.nfkc().filter(|c| !c.is_whitespace()).collect();
    let inner = t
        .strip_prefix('(')
        .and_then(|x| x.strip_suffix(')'))
        .unwrap_or(&t);
    NUMBERISH_RE.is_match(inner) && parse_amount(&t).is_none()
}

/// Does the cell print money (has a decimal part or thousands separators)? Used to tell
/// table bodies from headers, whose only numbers are column numbers and years.
pub fn looks_like_money(s: &str) -> bool {
    let t = compact(s);
    (t.contains('.') || t.contains(',')) && parse_amount(&t).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_exact() {
        assert_eq!(parse_amount("6,655.15").unwrap().to_string(), "6655.15");
        assert_eq!(parse_amount("497.3 1").unwrap().to_string(), "497.31");
        assert_eq!(parse_amount("0.000").unwrap().to_string(), "0.000");
        assert_eq!(parse_amount("（12.5）").unwrap().to_string(), "-12.5");
        assert_eq!(parse_amount("-12.5").unwrap().to_string(), "-12.5");
        assert_eq!(parse_amount("４７.１０").unwrap().to_string(), "47.10");
        assert_eq!(parse_amount("47172.53").unwrap().to_string(), "47172.53");
        for s in ["-", "—", "/", "", "12.5%", "abc", "1,23.4"] {
            assert!(parse_amount(s).is_none(), "{s}");
        }
        assert_eq!(parse_amount("+12.00").unwrap().to_string(), "12.00");
        // `12.` may be an ordinal: not an amount, but reported when a value column prints it.
        assert!(parse_amount("12.").is_none());
        assert!(unreadable_number("12."));
        // 24 digits are read; more are an unreadable number, never a rounded one.
        assert!(parse_amount(&"9".repeat(24)).is_some());
        assert!(parse_amount(&format!("0.{}", "1".repeat(500))).is_none());
        for s in [
            "1".repeat(500),
            "1e309".into(),
            "1,23.4".into(),
            "79228162514264337593543950335".into(),
        ] {
            assert!(unreadable_number(&s), "{s}");
        }
        for s in ["12.5%", "-", "abc", "2024年", "12.00"] {
            assert!(!unreadable_number(s), "{s}");
        }
    }

    #[test]
    fn money_vs_column_numbers() {
        assert!(looks_like_money("0.00"));
        assert!(looks_like_money("6,655.15"));
        assert!(!looks_like_money("12"));
        assert!(!looks_like_money("2022"));
    }

    #[test]
    fn cjk_whitespace() {
        assert_eq!(squash_cjk("洛龙区 政务服 务中心"), "洛龙区政务服务中心");
        assert_eq!(squash_cjk("12345 便民热线"), "12345便民热线");
        assert_eq!(squash_cjk("OA  system"), "OA system");
    }

    #[test]
    fn cell_markup() {
        assert_eq!(clean_cell("<b>收 入 总 计</b>"), "收入总计");
        assert_eq!(clean_cell("可持<br>续影<br>响指<br>标"), "可持续影响指标");
        assert_eq!(clean_cell("目录 $\\geq 70\\%$"), "目录≥ 70%");
        assert_eq!(key("⼀般公共服务⽀出"), "一般公共服务支出");
        assert_eq!(key("部⻔"), "部门");
    }
}
