//! Text decoding by region, not by file: a document that is UTF-8 but for one stray byte
//! stays UTF-8 (the byte becomes U+FFFD, with a warning), a document that switches from
//! UTF-8 to GBK part-way is read in both, and a GBK document is read as GB18030.
//!
//! Per line: the longest valid UTF-8 prefix is kept (unless its only non-ASCII characters
//! are two-byte ones, which GBK pairs can imitate); the rest of the line is read as
//! GB18030 when it decodes cleanly; else its first undecodable byte becomes U+FFFD and the
//! line goes on from the next byte.

/// The decoded text and what the reader should be told about it.
pub struct Decoded {
    pub text: String,
    pub warnings: Vec<String>,
    /// Characters that could not be decoded (each now U+FFFD).
    pub replaced: usize,
    /// Lines (1-based) read (partly) as GB18030.
    pub gb_lines: usize,
    /// Lines holding valid UTF-8 beyond ASCII.
    pub utf8_lines: usize,
}

/// Decode bytes that are not valid UTF-8 as a whole.
pub fn decode_regions(bytes: &[u8]) -> Decoded {
    let mut text = String::with_capacity(bytes.len() + bytes.len() / 2);
    let (mut replaced, mut gb_lines, mut utf8_lines) = (0usize, 0usize, 0usize);
    let mut bad_lines: Vec<usize> = Vec::new();
    for (no, line) in bytes.split_inclusive(|&b| b == b'\n').enumerate() {
        let (mut gb, mut utf8, mut bad) = (false, false, 0usize);
        let mut rest = line;
        while !rest.is_empty() {
            let (valid, err_len) = match std::str::from_utf8(rest) {
                Ok(s) => (s, None),
                Err(e) => (
                    // SAFETY-free: the prefix up to valid_up_to is valid UTF-8.
                    std::str::from_utf8(&rest[..e.valid_up_to()]).unwrap_or(""),
                    Some(e.error_len()),
                ),
            };
            // A prefix whose only non-ASCII characters are two-byte ones may be GBK
            // pairs that happen to be valid UTF-8: keep only its ASCII part then.
            let keep = if err_len.is_some()
                && !valid.is_ascii()
                && valid.chars().all(|c| c.len_utf8() <= 2)
            {
                valid.find(|c: char| !c.is_ascii()).unwrap_or(valid.len())
            } else {
                valid.len()
            };
            text.push_str(&valid[..keep]);
            utf8 |= !valid[..keep].is_ascii();
            rest = &rest[keep..];
            if err_len.is_none() && keep == valid.len() {
                break;
            }
            if rest.is_empty() {
                break;
            }
            // The rest of the line as GB18030, when it decodes cleanly.
            let (g, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(rest);
            if !had_errors {
                text.push_str(&g);
                gb = true;
                break;
            }
            // Not GB18030 either: a two-byte UTF-8 prefix held back above was UTF-8 after all.
            if keep < valid.len() {
                text.push_str(&valid[keep..]);
                utf8 = true;
                rest = &rest[valid.len() - keep..];
                continue;
            }
            // Else one undecodable byte (or a truncated sequence) and go on.
            let n = match std::str::from_utf8(rest) {
                Err(e) if e.valid_up_to() == 0 => e.error_len().unwrap_or(rest.len()),
                _ => 1,
            };
            text.push('\u{fffd}');
            bad += 1;
            rest = &rest[n.max(1).min(rest.len())..];
        }
        gb_lines += usize::from(gb);
        utf8_lines += usize::from(utf8);
        if bad > 0 {
            replaced += bad;
            bad_lines.push(no + 1);
        }
    }
    let mut warnings = Vec::new();
    if gb_lines > 0 && utf8_lines > 0 {
        warnings.push(format!(
            "mixed encodings: {gb_lines} lines read as GB18030, {utf8_lines} as UTF-8"
        ));
    }
    if replaced > 0 {
        let shown: Vec<String> = bad_lines.iter().take(5).map(|l| l.to_string()).collect();
        let more = if bad_lines.len() > 5 { ", …" } else { "" };
        warnings.push(format!(
            "{replaced} undecodable byte(s) replaced by U+FFFD (line {}{more})",
            shown.join(", ")
        ));
    }
    Decoded {
        text,
        warnings,
        replaced,
        gb_lines,
        utf8_lines,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_stray_byte_stays_utf8() {
        let mut b = "科目编码 科目名称\n".as_bytes().to_vec();
        b.extend_from_slice(b"\xa9 2025\n");
        b.extend_from_slice("\u{ff}".as_bytes());
        b.extend_from_slice(b"\xff");
        b.extend_from_slice("第一部分 行政运行 200.00\n".as_bytes());
        let d = decode_regions(&b);
        assert_eq!(
            d.text,
            "科目编码 科目名称\n\u{fffd} 2025\nÿ\u{fffd}第一部分 行政运行 200.00\n"
        );
        assert_eq!(d.replaced, 2);
        assert_eq!(d.gb_lines, 0);
        assert!(d.warnings[0].contains("line 2, 3"), "{:?}", d.warnings);
    }

    #[test]
    fn gbk_and_a_switch_midway() {
        let (gbk, _, _) = encoding_rs::GBK.encode("一般公共预算支出表\n单位：万元\n");
        let d = decode_regions(&gbk);
        assert_eq!(d.text, "一般公共预算支出表\n单位：万元\n");
        assert!(d.warnings.is_empty());
        let mut b = "| 20103 | 政府办公厅".as_bytes().to_vec();
        b.extend_from_slice(&encoding_rs::GBK.encode("（室）及相关机构事务 |\n").0);
        let d = decode_regions(&b);
        assert_eq!(d.text, "| 20103 | 政府办公厅（室）及相关机构事务 |\n");
        assert_eq!(d.warnings.len(), 1, "{:?}", d.warnings);
    }
}
