//! Ingest: bytes of a document → blocks of lines and grids. The format is taken from the
//! file's content first (PDF magic, HTML tags), then from its extension.

pub mod encoding;
pub mod html;
pub mod pdf;
pub mod text;

use crate::grid::Block;
use crate::model::Format;
use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("{0}")]
    Unsupported(String),
    #[error("{0}")]
    Unreadable(String),
    /// The document asks for more work or memory than a budget allows
    /// ([`crate::budget`]).
    #[error("over budget: {0}")]
    Budget(String),
}

/// The largest input accepted per format, in bytes (checked before a file is read).
pub fn max_bytes(format: Format) -> u64 {
    match format {
        Format::Html => html::MAX_HTML_BYTES as u64,
        Format::Text => 256 << 20,
        Format::Pdf => 1 << 30,
    }
}

/// Guess the format from the content, then the file name.
pub fn detect_format(path: &Path, bytes: &[u8]) -> Format {
    let head = &bytes[..bytes.len().min(2048)];
    if head.starts_with(b"%PDF") || head.windows(5).take(1024).any(|w| w == b"%PDF-") {
        return Format::Pdf;
    }
    let lower: Vec<u8> = head.iter().map(|b| b.to_ascii_lowercase()).collect();
    let has = |s: &[u8]| lower.windows(s.len()).any(|w| w == s);
    if has(b"<!doctype html") || has(b"<html") {
        return Format::Html;
    }
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase())
        .as_deref()
    {
        Some("pdf") => Format::Pdf,
        Some("html" | "htm" | "xhtml") => Format::Html,
        _ => Format::Text,
    }
}

/// Decode text bytes: UTF-8 (with or without BOM), UTF-16 with BOM, else by region
/// ([`encoding::decode_regions`]: UTF-8 where it is valid, GB18030 (a superset of
/// GBK/GB2312) where that decodes cleanly, U+FFFD for a stray byte). Binary data is refused.
pub fn decode_text(bytes: &[u8]) -> Result<String, IngestError> {
    decode_text_report(bytes).map(|(s, _)| s)
}

/// [`decode_text`] with the warnings a reader should see (mixed encodings, replaced bytes).
pub fn decode_text_report(bytes: &[u8]) -> Result<(String, Vec<String>), IngestError> {
    if bytes.is_empty() {
        return Err(IngestError::Unreadable("empty file".into()));
    }
    if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let body = &bytes[bom_len..];
        if enc == encoding_rs::UTF_8 && std::str::from_utf8(body).is_err() {
            // A UTF-8 BOM on a file that is not UTF-8 (GBK saved by an editor that
            // prepends one): decode by region.
            let d = encoding::decode_regions(body);
            return Ok((d.text, d.warnings));
        }
        let (s, _, _) = enc.decode(body);
        return Ok((s.into_owned(), Vec::new()));
    }
    let nul = bytes.iter().take(65536).filter(|&&b| b == 0).count();
    if nul > 0 {
        return Err(IngestError::Unreadable(format!(
            "binary data ({nul} NUL bytes in the first 64 KiB), not a text document"
        )));
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok((s.to_string(), Vec::new())),
        Err(e) => {
            // A file cut inside a multi-byte character is still UTF-8.
            if e.error_len().is_none() && e.valid_up_to() + 4 > bytes.len() {
                return Ok((
                    String::from_utf8_lossy(&bytes[..e.valid_up_to()]).into_owned(),
                    vec!["the file ends inside a character (truncated?)".into()],
                ));
            }
            let d = encoding::decode_regions(bytes);
            let chars = d.text.chars().count().max(1);
            let ctrl = d
                .text
                .chars()
                .filter(|&c| c.is_control() && !c.is_whitespace())
                .count();
            if (d.replaced + ctrl) * 20 > chars {
                return Err(IngestError::Unreadable("not UTF-8 or GB18030 text".into()));
            }
            Ok((d.text, d.warnings))
        }
    }
}

/// A document's bytes: borrowed, or owned and shared (a PDF is then read without a copy).
#[derive(Debug, Clone)]
pub enum Bytes<'a> {
    Borrowed(&'a [u8]),
    Shared(std::sync::Arc<Vec<u8>>),
}

impl Bytes<'_> {
    pub fn as_slice(&self) -> &[u8] {
        match self {
            Bytes::Borrowed(b) => b,
            Bytes::Shared(b) => b.as_slice(),
        }
    }
}

/// Ingest one document (a PDF's pages on up to `threads` threads).
pub fn ingest(format: Format, bytes: &[u8], threads: usize) -> Result<Vec<Block>, IngestError> {
    ingest_bytes(format, &Bytes::Borrowed(bytes), threads)
}

/// [`ingest`] of bytes that may be shared.
pub fn ingest_bytes(
    format: Format,
    data: &Bytes<'_>,
    threads: usize,
) -> Result<Vec<Block>, IngestError> {
    let bytes = data.as_slice();
    match format {
        Format::Text => {
            let (s, warnings) = decode_text_report(bytes)?;
            let ctrl = s
                .chars()
                .take(100_000)
                .filter(|c| c.is_control() && !c.is_whitespace() && *c != '\u{c}')
                .count();
            if ctrl * 10 > s.chars().take(100_000).count() {
                return Err(IngestError::Unreadable(
                    "mostly control characters: not a text document".into(),
                ));
            }
            let mut blocks = text_with_html_tables(&s)?;
            blocks.extend(warnings.into_iter().map(Block::Notice));
            Ok(blocks)
        }
        Format::Html => html::ingest(bytes),
        Format::Pdf => pdf::ingest(data, threads),
    }
}

/// Text that may hold raw `<table>` blocks (MinerU-style markdown): the text between the
/// tables goes through the text ingest, each `<table>…</table>` through the HTML ingest.
fn text_with_html_tables(s: &str) -> Result<Vec<Block>, IngestError> {
    let lower = s.to_ascii_lowercase();
    if !lower.contains("<table") {
        return Ok(text::ingest(s));
    }
    // Every `<table` and `</table` once, in order (searching for the next close tag from
    // each open tag was quadratic: 200,000 unclosed tables took minutes).
    let mut tags: Vec<(usize, bool)> = Vec::new();
    let mut i = 0;
    let bytes = lower.as_bytes();
    while let Some(k) = memchr_lt(bytes, i) {
        if lower[k..].starts_with("<table") {
            tags.push((k, true));
            i = k + 6;
        } else if lower[k..].starts_with("</table") {
            tags.push((k, false));
            i = k + 7;
        } else {
            i = k + 1;
        }
    }
    let mut blocks = Vec::new();
    let mut pos = 0;
    let mut t = 0;
    while t < tags.len() {
        let (start, open) = tags[t];
        t += 1;
        if !open || start < pos {
            continue;
        }
        // The matching </table>, counting nested tables; unclosed: to the end.
        let mut depth = 1usize;
        let mut end = lower.len();
        while t < tags.len() {
            let (k, open) = tags[t];
            t += 1;
            if open {
                depth += 1;
            } else {
                depth -= 1;
                if depth == 0 {
                    end = lower[k..]
                        .find('>')
                        .map(|x| k + x + 1)
                        .unwrap_or(lower.len());
                    break;
                }
            }
        }
        blocks.extend(text::ingest(&s[pos..start]));
        blocks.extend(html::blocks_from_html(&s[start..end])?);
        pos = end;
    }
    blocks.extend(text::ingest(&s[pos..]));
    Ok(blocks)
}

/// The next `<` at or after `from`.
fn memchr_lt(b: &[u8], from: usize) -> Option<usize> {
    b.get(from..)?
        .iter()
        .position(|&c| c == b'<')
        .map(|k| from + k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_encodings() {
        assert_eq!(detect_format(Path::new("a.txt"), b"%PDF-1.4"), Format::Pdf);
        assert_eq!(
            detect_format(Path::new("a.txt"), b"<!DOCTYPE html><html>"),
            Format::Html
        );
        assert_eq!(
            detect_format(Path::new("a.md"), "收支总表".as_bytes()),
            Format::Text
        );
        let (gbk, _, _) = encoding_rs::GBK.encode("收支总表 单位：万元");
        assert_eq!(decode_text(&gbk).unwrap(), "收支总表 单位：万元");
        assert!(decode_text(&[0u8, 159, 146, 150, 0, 1, 2]).is_err());
        assert!(decode_text(b"").is_err());
    }
}
