//! PDF ingest: positioned glyphs and ruling lines become table grids.
//!
//! The page content is interpreted by `hayro-interpret` into a [`Device`] that keeps
//! every glyph (text, baseline origin, advance, size, all in the rendered page's space, so
//! /Rotate is already applied) and every horizontal or vertical ruling (stroked segments
//! and thin filled rectangles). Text is decoded through the font's ToUnicode map; CID
//! fonts without one (non-embedded STSong-Light and the like) are decoded from their
//! predefined CMap: UCS-2 CMaps (UniGB-UCS2-H, UniGB-UTF16-H) carry Unicode in the code,
//! GB CMaps (GBK-EUC-H, GB-EUC-H, GBpc-EUC-H, GBK2K-H) carry GBK/GB18030 bytes. Kangxi
//! radicals from Chromium's ToUnicode are folded to the ordinary characters, full-width
//! digits in numbers are made ASCII, and "fake bold" text drawn twice a fraction of a
//! point apart is kept once.
//!
//! Grids: ruled tables (lattice) take their rows and columns from the rulings; a cell
//! whose inner border is missing spans several rows or columns (a [`Merge`]). Text wrapped
//! inside a cell stays in that cell. Unruled tables (stream) take their columns from the
//! alignment of text chunks over consecutive lines.

use super::IngestError;
use crate::grid::{Block, Grid, Merge, RawTable};
use crate::text::{fold_radicals, squash_cjk};
use hayro_interpret::font::Glyph;
use hayro_interpret::font::GlyphRun;
use hayro_interpret::hayro_syntax::object::{Dict, Name};
use hayro_interpret::hayro_syntax::Pdf;
use hayro_interpret::kurbo::{Affine, BezPath, PathEl, Point, Rect, Shape};
use hayro_interpret::{
    interpret_page, BlendMode, ClipPath, Context, Device, DrawMode, DrawProps, Image,
    ImageDrawProps, InterpreterCache, InterpreterSettings, SoftMask,
};
use std::collections::HashMap;

/// A glyph on the page (rendered page space: origin top-left, y down, points).
#[derive(Debug, Clone)]
pub struct PGlyph {
    pub text: String,
    /// Left and right edge (advance) of the glyph.
    pub x0: f32,
    pub x1: f32,
    /// Baseline.
    pub y: f32,
    /// Font size (em height) in page units.
    pub size: f32,
    /// The text run (one text-showing operation, cut at gaps wider than an em) it belongs
    /// to: a run is placed in a cell as a whole, by its first glyph, so text whose
    /// advances overflow a cell border (a font's default width) stays in its cell.
    pub run: u32,
}

impl PGlyph {
    fn cx(&self) -> f32 {
        (self.x0 + self.x1) / 2.0
    }
    fn cy(&self) -> f32 {
        self.y - self.size * 0.35
    }
    fn top(&self) -> f32 {
        self.y - self.size * 0.85
    }
}

/// A horizontal (y = pos, x from..to) or vertical (x = pos, y from..to) ruling.
#[derive(Debug, Clone, Copy)]
pub struct Seg {
    pub pos: f32,
    pub from: f32,
    pub to: f32,
}

/// What one page holds.
#[derive(Debug, Clone, Default)]
pub struct PageContent {
    pub number: u32,
    pub width: f32,
    pub height: f32,
    pub glyphs: Vec<PGlyph>,
    pub hsegs: Vec<Seg>,
    pub vsegs: Vec<Seg>,
    /// Area of the page covered by images (for scan detection).
    pub image_area: f32,
}

/// How codes of a CID font without ToUnicode are read.
#[derive(Debug, Clone, Copy, PartialEq)]
enum CodeText {
    Ucs2,
    Gbk,
    Unknown,
}

fn code_text_of_cmap(name: &str) -> CodeText {
    let n = name.to_ascii_uppercase();
    if n.contains("UCS2") || n.contains("UTF16") {
        CodeText::Ucs2
    } else if n.starts_with("GB") {
        CodeText::Gbk
    } else {
        CodeText::Unknown
    }
}

/// The predefined CMap of the page's CID fonts that have no ToUnicode map.
fn page_code_text(fonts: &Dict<'_>) -> CodeText {
    let mut counts: HashMap<&'static str, usize> = HashMap::new();
    for key in fonts.keys() {
        let Some(font) = fonts.get::<Dict<'_>>(key.clone()) else {
            continue;
        };
        let subtype = font.get::<Name<'_>>(b"Subtype".as_slice());
        if subtype.as_deref() != Some(b"Type0".as_slice()) {
            continue;
        }
        if font.contains_key(b"ToUnicode".as_slice()) {
            continue;
        }
        if let Some(enc) = font.get::<Name<'_>>(b"Encoding".as_slice()) {
            let kind = code_text_of_cmap(enc.as_str());
            let k = match kind {
                CodeText::Ucs2 => "ucs2",
                CodeText::Gbk => "gbk",
                CodeText::Unknown => "unknown",
            };
            *counts.entry(k).or_default() += 1;
        }
    }
    let ucs = counts.get("ucs2").copied().unwrap_or(0);
    let gbk = counts.get("gbk").copied().unwrap_or(0);
    if ucs == 0 && gbk == 0 {
        CodeText::Unknown
    } else if ucs >= gbk {
        CodeText::Ucs2
    } else {
        CodeText::Gbk
    }
}

fn decode_code(code: u32, how: CodeText) -> Option<String> {
    match how {
        CodeText::Ucs2 => char::from_u32(code).map(|c| c.to_string()),
        CodeText::Gbk => {
            let bytes: Vec<u8> = if code > 0xFF {
                vec![(code >> 8) as u8, code as u8]
            } else {
                vec![code as u8]
            };
            let (s, _, err) = encoding_rs::GBK.decode(&bytes);
            (!err).then(|| s.into_owned())
        }
        CodeText::Unknown => None,
    }
}

/// A glyph as drawn: origin, end of its advance and size in the rendered page space.
#[derive(Debug, Clone)]
struct RawGlyph {
    text: String,
    o: Point,
    e: Point,
    size: f32,
    run: u32,
}

struct Collector {
    page: PageContent,
    code_text: CodeText,
    raw: Vec<RawGlyph>,
    runs: u32,
    /// Bounding boxes of the active clip paths, innermost last (each already intersected
    /// with the one before). Text and rulings outside the clip are not visible: Chromium
    /// draws a table row that moves to the next page clipped away at the page foot.
    clips: Vec<Rect>,
}

impl Collector {
    fn visible(&self, p: Point) -> bool {
        self.clips.last().is_none_or(|c| {
            p.x >= c.x0 - 0.5 && p.x <= c.x1 + 0.5 && p.y >= c.y0 - 0.5 && p.y <= c.y1 + 0.5
        })
    }

    /// Clip the rulings added since `from_h` / `from_v` to the current clip box.
    fn clip_segs(&mut self, from_h: usize, from_v: usize) {
        let Some(c) = self.clips.last().copied() else {
            return;
        };
        let (xs, ys) = ((c.x0 as f32, c.x1 as f32), (c.y0 as f32, c.y1 as f32));
        clip_to(&mut self.page.hsegs, from_h, xs, ys);
        clip_to(&mut self.page.vsegs, from_v, ys, xs);
    }
}

/// Cut segments `from..` to `along` (their own direction) and drop those whose position is
/// outside `across`, or that become shorter than 2pt.
fn clip_to(segs: &mut Vec<Seg>, from: usize, along: (f32, f32), across: (f32, f32)) {
    let mut tail = segs.split_off(from);
    tail.retain_mut(|s| {
        s.from = s.from.max(along.0);
        s.to = s.to.min(along.1);
        s.pos >= across.0 - 0.5 && s.pos <= across.1 + 0.5 && s.to - s.from > 2.0
    });
    segs.extend(tail);
}

fn seg_from(a: Point, b: Point, out_h: &mut Vec<Seg>, out_v: &mut Vec<Seg>) {
    let (dx, dy) = ((b.x - a.x).abs(), (b.y - a.y).abs());
    if dy < 0.8 && dx > 2.0 {
        out_h.push(Seg {
            pos: ((a.y + b.y) / 2.0) as f32,
            from: a.x.min(b.x) as f32,
            to: a.x.max(b.x) as f32,
        });
    } else if dx < 0.8 && dy > 2.0 {
        out_v.push(Seg {
            pos: ((a.x + b.x) / 2.0) as f32,
            from: a.y.min(b.y) as f32,
            to: a.y.max(b.y) as f32,
        });
    }
}

impl Collector {
    fn stroke(&mut self, path: &BezPath, t: Affine) {
        let mut start = None;
        let mut last = None;
        for el in path.elements() {
            match *el {
                PathEl::MoveTo(p) => {
                    let p = t * p;
                    start = Some(p);
                    last = Some(p);
                }
                PathEl::LineTo(p) => {
                    let p = t * p;
                    if let Some(l) = last {
                        seg_from(l, p, &mut self.page.hsegs, &mut self.page.vsegs);
                    }
                    last = Some(p);
                }
                PathEl::ClosePath => {
                    if let (Some(l), Some(s)) = (last, start) {
                        seg_from(l, s, &mut self.page.hsegs, &mut self.page.vsegs);
                    }
                    last = start;
                }
                PathEl::QuadTo(_, p) | PathEl::CurveTo(_, _, p) => last = Some(t * p),
            }
        }
    }

    /// A filled path: thin rectangles are rulings; rectangles are split into sub-paths.
    fn fill(&mut self, path: &BezPath, t: Affine) {
        let mut sub = BezPath::new();
        let flush = |sub: &mut BezPath, me: &mut Collector| {
            if sub.elements().is_empty() {
                return;
            }
            let straight = sub
                .elements()
                .iter()
                .all(|e| !matches!(e, PathEl::QuadTo(..) | PathEl::CurveTo(..)));
            if straight {
                let bb = (t * sub.clone()).bounding_box();
                let (w, h) = (bb.width(), bb.height());
                if h <= 2.5 && w > 2.0 && w > h * 3.0 {
                    me.page.hsegs.push(Seg {
                        pos: ((bb.y0 + bb.y1) / 2.0) as f32,
                        from: bb.x0 as f32,
                        to: bb.x1 as f32,
                    });
                } else if w <= 2.5 && h > 2.0 && h > w * 3.0 {
                    me.page.vsegs.push(Seg {
                        pos: ((bb.x0 + bb.x1) / 2.0) as f32,
                        from: bb.y0 as f32,
                        to: bb.y1 as f32,
                    });
                }
            }
            *sub = BezPath::new();
        };
        for el in path.elements() {
            if matches!(el, PathEl::MoveTo(_)) {
                flush(&mut sub, self);
            }
            sub.push(*el);
        }
        flush(&mut sub, self);
    }
}

impl<'a> Device<'a> for Collector {
    fn draw_path(&mut self, path: &BezPath, props: DrawProps<'a>, draw_mode: &DrawMode) {
        let (nh, nv) = (self.page.hsegs.len(), self.page.vsegs.len());
        self.draw_path_inner(path, props, draw_mode);
        self.clip_segs(nh, nv);
    }
    fn push_clip_path(&mut self, clip: &ClipPath) {
        let bb = clip.path.bounding_box();
        let next = match self.clips.last() {
            Some(c) => c.intersect(bb),
            None => bb,
        };
        self.clips.push(next);
    }
    fn pop_clip(&mut self) {
        self.clips.pop();
    }
    fn push_transparency_group(&mut self, _: f32, _: Option<SoftMask<'a>>, _: BlendMode) {}
    fn draw_glyph_run(&mut self, run: &GlyphRun<'_, 'a>, props: DrawProps<'a>, _: &DrawMode) {
        self.glyph_run(run, props);
    }
    fn draw_image(&mut self, _: Image<'a, '_>, props: ImageDrawProps<'a>) {
        let bb = (props.transform * Rect::new(0.0, 0.0, 1.0, 1.0).to_path(0.1)).bounding_box();
        self.page.image_area += (bb.width() * bb.height()) as f32;
    }
    fn pop_transparency_group(&mut self) {}
}

impl Collector {
    fn draw_path_inner(&mut self, path: &BezPath, props: DrawProps<'_>, draw_mode: &DrawMode) {
        match draw_mode {
            DrawMode::Stroke(_) => self.stroke(path, props.transform),
            DrawMode::FillAndStroke(..) => {
                self.stroke(path, props.transform);
                self.fill(path, props.transform);
            }
            DrawMode::Fill(_) => self.fill(path, props.transform),
            DrawMode::Invisible => {}
        }
    }

    fn glyph_run(&mut self, run: &GlyphRun<'_, '_>, props: DrawProps<'_>) {
        for g in run.glyphs() {
            let full = props.transform * g.transform();
            let origin = full * Point::new(0.0, 0.0);
            let up = full * Point::new(0.0, 1000.0);
            let size = ((up - origin).hypot()) as f32;
            if !(0.5..=500.0).contains(&size) {
                continue; // zero-size or absurd glyphs carry no visible text
            }
            let (text, adv) = match &**g {
                Glyph::Outline(o) => (
                    o.as_unicode().map(bf_string),
                    o.advance_width().unwrap_or(0.0),
                ),
                Glyph::Type3(t) => (
                    t.as_unicode().map(bf_string),
                    t.advance_width().unwrap_or(0.0),
                ),
            };
            let text = match text {
                Some(t) if !t.is_empty() && t != "\0" => t,
                _ => match decode_code(g.char_code(), self.code_text) {
                    Some(t) => t,
                    None => continue,
                },
            };
            let text = pdf_fold(&text);
            if text.chars().all(|c| c.is_whitespace() || c.is_control()) {
                continue;
            }
            let adv = if adv > 1.0 {
                adv
            } else if text.is_ascii() {
                // No usable advance (some Type3 fonts): half an em for ASCII, an em for CJK.
                500.0
            } else {
                1000.0
            };
            let e = full * Point::new(adv as f64, 0.0);
            let mid = full * Point::new(adv as f64 / 2.0, 350.0);
            if !self.visible(mid) {
                continue;
            }
            self.raw.push(RawGlyph {
                text,
                o: origin,
                e,
                size,
                run: self.runs,
            });
        }
        self.runs += 1;
    }
}

/// Radicals folded to characters; and 戶 (U+6236) to 户: Noto Sans CJK SC draws both with
/// one glyph, and Chromium's ToUnicode names the traditional one.
fn pdf_fold(s: &str) -> String {
    fold_radicals(s).replace('戶', "户")
}

fn bf_string(b: hayro_interpret::hayro_cmap::BfString) -> String {
    match b {
        hayro_interpret::hayro_cmap::BfString::Char(c) => c.to_string(),
        hayro_interpret::hayro_cmap::BfString::String(s) => s,
    }
}

/// Open a PDF: an empty user password is tried; other encryption is a clear error.
fn open(bytes: &[u8]) -> Result<Pdf, IngestError> {
    match Pdf::new(bytes.to_vec()) {
        Ok(p) => Ok(p),
        Err(hayro_interpret::hayro_syntax::LoadPdfError::Decryption(e)) => {
            Err(IngestError::Unreadable(format!(
                "encrypted PDF that does not open without a password ({e:?})"
            )))
        }
        Err(hayro_interpret::hayro_syntax::LoadPdfError::Invalid) => Err(IngestError::Unreadable(
            "not a readable PDF: no usable cross-reference table or page tree (damaged or truncated file)".into(),
        )),
    }
}

/// Interpret every page. A page whose content cannot be interpreted is skipped and named
/// in the returned list of failed pages.
pub fn read_pages(bytes: &[u8]) -> Result<(Vec<PageContent>, Vec<u32>), IngestError> {
    let pdf = open(bytes)?;
    let pages = pdf.pages();
    if pages.is_empty() {
        return Err(IngestError::Unreadable("PDF has no pages".into()));
    }
    let cache = InterpreterCache::new();
    let mut out = Vec::with_capacity(pages.len());
    let mut failed = Vec::new();
    for (i, page) in pages.iter().enumerate() {
        let number = i as u32 + 1;
        let res = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let (w, h) = page.render_dimensions();
            let settings = InterpreterSettings::default();
            let mut ctx = Context::new(
                Affine::new(page.initial_transform(true).as_coeffs()),
                Rect::new(0.0, 0.0, w as f64, h as f64),
                &cache,
                pdf.xref(),
                settings,
            );
            let mut dev = Collector {
                page: PageContent {
                    number,
                    width: w,
                    height: h,
                    ..Default::default()
                },
                code_text: page_code_text(&page.resources().fonts),
                raw: Vec::new(),
                runs: 0,
                clips: Vec::new(),
            };
            interpret_page(page, &mut ctx, &mut dev);
            upright(dev)
        }));
        match res {
            Ok(mut p) => {
                dedup_fake_bold(&mut p.glyphs);
                out.push(p);
            }
            Err(_) => failed.push(number),
        }
    }
    Ok((out, failed))
}

/// The page turned so that its text reads left to right: the dominant direction of the
/// glyph baselines decides (a page whose content is drawn rotated, or a /Rotate that the
/// content counteracts). Glyphs get their final boxes and run ids.
fn upright(dev: Collector) -> PageContent {
    let mut page = dev.page;
    let dir = |g: &RawGlyph| {
        let (dx, dy) = (g.e.x - g.o.x, g.e.y - g.o.y);
        if dx.abs() >= dy.abs() {
            if dx >= 0.0 {
                0
            } else {
                2
            }
        } else if dy > 0.0 {
            1
        } else {
            3
        }
    };
    let mut counts = [0usize; 4];
    for g in &dev.raw {
        counts[dir(g)] += g.text.chars().count();
    }
    let q = (0..4)
        .max_by_key(|&k| (counts[k], usize::from(k == 0)))
        .unwrap_or(0);
    let (w, h) = (page.width as f64, page.height as f64);
    let turn = |p: Point| -> Point {
        match q {
            1 => Point::new(p.y, w - p.x),
            2 => Point::new(w - p.x, h - p.y),
            3 => Point::new(h - p.y, p.x),
            _ => p,
        }
    };
    if q == 1 || q == 3 {
        std::mem::swap(&mut page.width, &mut page.height);
    }
    if q != 0 {
        let (hs, vs) = (
            std::mem::take(&mut page.hsegs),
            std::mem::take(&mut page.vsegs),
        );
        let mut nh = Vec::new();
        let mut nv = Vec::new();
        for s in hs {
            let a = turn(Point::new(s.from as f64, s.pos as f64));
            let b = turn(Point::new(s.to as f64, s.pos as f64));
            seg_from(a, b, &mut nh, &mut nv);
        }
        for s in vs {
            let a = turn(Point::new(s.pos as f64, s.from as f64));
            let b = turn(Point::new(s.pos as f64, s.to as f64));
            seg_from(a, b, &mut nh, &mut nv);
        }
        page.hsegs = nh;
        page.vsegs = nv;
    }
    // Glyphs in the dominant direction; others (a vertical label in a margin) are dropped
    // from the layout.
    let mut glyphs: Vec<PGlyph> = Vec::with_capacity(dev.raw.len());
    let mut run_id = 0u32;
    let mut last: Option<(u32, f32, f32)> = None; // (raw run, x1, size)
    for g in dev.raw.iter().filter(|g| dir(g) == q) {
        let o = turn(g.o);
        let e = turn(g.e);
        let (x0, x1) = (o.x as f32, (e.x as f32).max(o.x as f32));
        match last {
            Some((r, px1, sz)) if r == g.run && x0 - px1 <= sz.max(g.size) * 1.0 => {}
            Some(_) => run_id += 1,
            None => {}
        }
        last = Some((g.run, x1, g.size));
        glyphs.push(PGlyph {
            text: g.text.clone(),
            x0,
            x1,
            y: o.y as f32,
            size: g.size,
            run: run_id,
        });
    }
    page.glyphs = glyphs;
    page
}

/// Text drawn twice a fraction of a point apart ("fake bold") is kept once.
fn dedup_fake_bold(glyphs: &mut Vec<PGlyph>) {
    let mut idx: Vec<usize> = (0..glyphs.len()).collect();
    idx.sort_by(|&a, &b| {
        let (ga, gb) = (&glyphs[a], &glyphs[b]);
        ga.text
            .cmp(&gb.text)
            .then(ga.y.total_cmp(&gb.y))
            .then(ga.x0.total_cmp(&gb.x0))
    });
    let mut drop = vec![false; glyphs.len()];
    for w in 0..idx.len() {
        let a = &glyphs[idx[w]];
        for &j in idx.iter().skip(w + 1) {
            let b = &glyphs[j];
            if b.text != a.text || b.y - a.y > a.size * 0.25 {
                break;
            }
            if !drop[j] && (b.x0 - a.x0).abs() < a.size * 0.25 && (b.y - a.y).abs() < a.size * 0.25
            {
                drop[j] = true;
            }
        }
    }
    let mut k = 0;
    glyphs.retain(|_| {
        let keep = !drop[k];
        k += 1;
        keep
    });
}

/// Ingest a PDF into blocks: per page, the tables found and the text lines around them, in
/// reading order.
pub fn ingest(bytes: &[u8]) -> Result<Vec<Block>, IngestError> {
    let (pages, failed) = read_pages(bytes)?;
    let scanned: Vec<u32> = pages
        .iter()
        .filter(|p| p.glyphs.is_empty() && p.image_area > 0.25 * p.width * p.height)
        .map(|p| p.number)
        .collect();
    if pages.iter().all(|p| p.glyphs.is_empty()) {
        if !scanned.is_empty() {
            return Err(IngestError::Unreadable(needs_ocr(&scanned)));
        }
        if !failed.is_empty() {
            return Err(IngestError::Unreadable(format!(
                "page content could not be read on pages {}",
                page_list(&failed)
            )));
        }
        return Err(IngestError::Unreadable("PDF has no text".into()));
    }
    let mut per_page: Vec<Vec<PBlock>> = pages.iter().map(page_blocks).collect();
    join_page_lattices(&mut per_page);
    let mut blocks: Vec<Block> = per_page
        .into_iter()
        .flat_map(|v| v.into_iter().map(|b| b.block))
        .collect();
    if !scanned.is_empty() {
        blocks.push(Block::Warning(needs_ocr(&scanned)));
    }
    if !failed.is_empty() {
        blocks.push(Block::Warning(format!(
            "page content could not be read on pages {}",
            page_list(&failed)
        )));
    }
    Ok(blocks)
}

fn needs_ocr(pages: &[u32]) -> String {
    format!("no text layer on pages {}: needs OCR", page_list(pages))
}

/// `1-3, 7`
pub fn page_list(pages: &[u32]) -> String {
    let mut parts = Vec::new();
    let mut i = 0;
    while i < pages.len() {
        let mut j = i;
        while j + 1 < pages.len() && pages[j + 1] == pages[j] + 1 {
            j += 1;
        }
        parts.push(if j > i {
            format!("{}-{}", pages[i], pages[j])
        } else {
            pages[i].to_string()
        });
        i = j + 1;
    }
    parts.join(", ")
}

// ---------------------------------------------------------------------------------------
// Layout

/// Merge collinear rulings that touch or overlap.
fn merge_segs(mut segs: Vec<Seg>) -> Vec<Seg> {
    segs.sort_by(|a, b| a.pos.total_cmp(&b.pos).then(a.from.total_cmp(&b.from)));
    let mut out: Vec<Seg> = Vec::new();
    // Group by position (within 1pt), then merge intervals.
    let mut i = 0;
    while i < segs.len() {
        let mut j = i;
        while j + 1 < segs.len() && segs[j + 1].pos - segs[i].pos <= 1.0 {
            j += 1;
        }
        let mut group: Vec<Seg> = segs[i..=j].to_vec();
        let pos = group.iter().map(|s| s.pos).sum::<f32>() / group.len() as f32;
        group.sort_by(|a, b| a.from.total_cmp(&b.from));
        let mut cur = group[0];
        cur.pos = pos;
        for s in &group[1..] {
            if s.from <= cur.to + 1.5 {
                cur.to = cur.to.max(s.to);
            } else {
                out.push(cur);
                cur = Seg { pos, ..*s };
            }
        }
        out.push(cur);
        i = j + 1;
    }
    out
}

struct Dsu(Vec<usize>);
impl Dsu {
    fn new(n: usize) -> Self {
        Dsu((0..n).collect())
    }
    fn find(&mut self, x: usize) -> usize {
        let mut r = x;
        while self.0[r] != r {
            r = self.0[r];
        }
        let mut y = x;
        while self.0[y] != r {
            let n = self.0[y];
            self.0[y] = r;
            y = n;
        }
        r
    }
    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            self.0[rb.max(ra)] = rb.min(ra);
        }
    }
}

/// Cluster sorted values within `tol` to their means.
fn cluster(mut v: Vec<f32>, tol: f32) -> Vec<f32> {
    v.sort_by(|a, b| a.total_cmp(b));
    let mut out: Vec<f32> = Vec::new();
    let mut group: Vec<f32> = Vec::new();
    for x in v {
        if let Some(&last) = group.last() {
            if x - last > tol {
                out.push(group.iter().sum::<f32>() / group.len() as f32);
                group.clear();
            }
        }
        group.push(x);
    }
    if !group.is_empty() {
        out.push(group.iter().sum::<f32>() / group.len() as f32);
    }
    out
}

/// A ruled table found on a page.
#[derive(Clone)]
struct Lattice {
    bbox: [f32; 4],
    hs: Vec<Seg>,
    vs: Vec<Seg>,
}

fn find_lattices(p: &PageContent) -> Vec<Lattice> {
    let hs = merge_segs(p.hsegs.clone());
    let vs = merge_segs(p.vsegs.clone());
    let n = hs.len() + vs.len();
    let mut dsu = Dsu::new(n);
    let tol = 2.0;
    for (i, h) in hs.iter().enumerate() {
        for (j, v) in vs.iter().enumerate() {
            if v.pos >= h.from - tol
                && v.pos <= h.to + tol
                && h.pos >= v.from - tol
                && h.pos <= v.to + tol
            {
                dsu.union(i, hs.len() + j);
            }
        }
    }
    // Ordered by their root ruling, so that the lattices come out in the same order on
    // every run (hash order must never reach the output).
    let mut groups: std::collections::BTreeMap<usize, (Vec<Seg>, Vec<Seg>)> =
        std::collections::BTreeMap::new();
    for (i, h) in hs.iter().enumerate() {
        groups.entry(dsu.find(i)).or_default().0.push(*h);
    }
    for (j, v) in vs.iter().enumerate() {
        groups.entry(dsu.find(hs.len() + j)).or_default().1.push(*v);
    }
    let mut out: Vec<Lattice> = groups
        .into_values()
        .filter(|(h, v)| h.len() >= 2 && v.len() >= 2)
        .map(|(h, v)| {
            let x0 = v.iter().map(|s| s.pos).fold(f32::MAX, f32::min);
            let x1 = v.iter().map(|s| s.pos).fold(f32::MIN, f32::max);
            // Verticals may run past the outer rulings: a table cut by a page break has
            // no closing rule, its columns end at the cut.
            let y0 = h
                .iter()
                .map(|s| s.pos)
                .chain(v.iter().map(|s| s.from))
                .fold(f32::MAX, f32::min);
            let y1 = h
                .iter()
                .map(|s| s.pos)
                .chain(v.iter().map(|s| s.to))
                .fold(f32::MIN, f32::max);
            Lattice {
                bbox: [x0, y0, x1, y1],
                hs: h,
                vs: v,
            }
        })
        .filter(|l| l.bbox[2] - l.bbox[0] > 20.0 && l.bbox[3] - l.bbox[1] > 8.0)
        .collect();
    out.sort_by(|a, b| {
        a.bbox[1]
            .total_cmp(&b.bbox[1])
            .then(a.bbox[0].total_cmp(&b.bbox[0]))
            .then(a.bbox[3].total_cmp(&b.bbox[3]))
            .then(a.bbox[2].total_cmp(&b.bbox[2]))
    });
    out
}

/// Where each text run is placed: the centre of its first glyph.
fn run_anchors<'g>(glyphs: impl Iterator<Item = &'g PGlyph>) -> HashMap<u32, (f32, f32)> {
    let mut anchors = HashMap::new();
    for g in glyphs {
        anchors.entry(g.run).or_insert((g.cx(), g.cy()));
    }
    anchors
}

fn inside(b: &[f32; 4], x: f32, y: f32) -> bool {
    x >= b[0] - 1.0 && x <= b[2] + 1.0 && y >= b[1] - 1.0 && y <= b[3] + 1.0
}

/// Glyphs grouped into lines (same baseline), each sorted left to right; lines top down.
fn text_lines(glyphs: &[&PGlyph]) -> Vec<Vec<PGlyph>> {
    let mut gs: Vec<&PGlyph> = glyphs.to_vec();
    gs.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x0.total_cmp(&b.x0)));
    let mut lines: Vec<Vec<PGlyph>> = Vec::new();
    let mut cur: Vec<PGlyph> = Vec::new();
    let mut cur_y = f32::MIN;
    for g in gs {
        if !cur.is_empty() && (g.y - cur_y).abs() > g.size.min(cur[0].size) * 0.4 {
            lines.push(std::mem::take(&mut cur));
        }
        if cur.is_empty() {
            cur_y = g.y;
        }
        cur.push(g.clone());
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    for l in &mut lines {
        l.sort_by(|a, b| a.x0.total_cmp(&b.x0));
    }
    lines
}

/// The text of one line of glyphs; a space where the gap is wider than a third of an em.
fn line_text(line: &[PGlyph]) -> String {
    let mut s = String::new();
    let mut prev: Option<&PGlyph> = None;
    for g in line {
        if let Some(p) = prev {
            let gap = g.x0 - p.x1;
            if gap > p.size.min(g.size) * 0.3 {
                s.push(' ');
            }
        }
        s.push_str(&g.text);
        prev = Some(g);
    }
    s
}

/// Lines of a cell joined: wrapped CJK text and numbers broken by a wrap are joined
/// without a space.
fn join_cell_lines(lines: &[String]) -> String {
    let mut out = String::new();
    for l in lines {
        let l = l.trim();
        if l.is_empty() {
            continue;
        }
        if let (Some(a), Some(b)) = (out.chars().last(), l.chars().next()) {
            let numeric = |c: char| c.is_ascii_digit() || c == '.' || c == ',';
            let glue = crate::text::is_cjk(a)
                || crate::text::is_cjk(b)
                || (numeric(a) && numeric(b))
                || a == '（'
                || b == '）'
                || a == '('
                || b == ')';
            if !glue {
                out.push(' ');
            }
        }
        out.push_str(l);
    }
    normalize_cell(&out)
}

/// Full-width digits (and the separators of a number) become ASCII when the cell is a
/// number; other text keeps its full-width punctuation (单位：万元).
fn normalize_cell(s: &str) -> String {
    let s = squash_cjk(s);
    let ascii: String = s
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - 0xFF10 + 0x30).unwrap_or(c),
            _ => c,
        })
        .collect();
    let num: String = ascii
        .chars()
        .map(|c| match c {
            '．' => '.',
            '，' => ',',
            '－' | '−' => '-',
            c => c,
        })
        .collect();
    if crate::text::parse_amount(&num).is_some() || num.chars().all(|c| c.is_ascii_digit()) {
        num
    } else {
        ascii
    }
}

/// A text run drawn across a cell border (an amount right-aligned in one cell, the label
/// of the next cell a few points after it, in one text-showing operation) is cut where a
/// vertical ruling lies in the white space between two of its glyphs. A run whose glyphs
/// touch (advances that overflow a cell, a CID font's default width) is never cut: the
/// ruling then crosses a glyph, not a gap.
fn split_runs_at_rulings(
    glyphs: &[&PGlyph],
    xs: &[f32],
    has_v: &dyn Fn(f32, f32) -> bool,
) -> Vec<PGlyph> {
    let mut out: Vec<PGlyph> = glyphs.iter().map(|g| (*g).clone()).collect();
    let mut order: Vec<usize> = (0..out.len()).collect();
    order.sort_by(|&a, &b| {
        out[a]
            .run
            .cmp(&out[b].run)
            .then(out[a].x0.total_cmp(&out[b].x0))
    });
    let mut next_id = out.iter().map(|g| g.run).max().map_or(0, |m| m + 1);
    let mut current: Option<(u32, u32)> = None; // (original run, assigned run)
    let mut prev: Option<usize> = None;
    for &i in &order {
        let orig = out[i].run;
        let assigned = match (current, prev) {
            (Some((o, a)), Some(p)) if o == orig => {
                let (gap_from, gap_to) = (out[p].x1, out[i].x0);
                let cy = out[i].cy();
                let cut = gap_to - gap_from >= 1.0
                    && xs
                        .iter()
                        .any(|&x| x > gap_from - 0.5 && x < gap_to + 0.5 && has_v(x, cy));
                if cut {
                    next_id += 1;
                    next_id - 1
                } else {
                    a
                }
            }
            _ => orig,
        };
        current = Some((orig, assigned));
        out[i].run = assigned;
        prev = Some(i);
    }
    out
}

/// The grid of a ruled table. `extra_xs` adds column boundaries that another part of the
/// same table (continued on the next page) has, so that the parts get the same columns.
fn lattice_grid(l: &Lattice, glyphs: &[&PGlyph], extra_xs: &[f32]) -> Option<Grid> {
    let mut all_y: Vec<f32> = l.hs.iter().map(|s| s.pos).collect();
    all_y.extend([l.bbox[1], l.bbox[3]]);
    let ys = cluster(all_y, 2.0);
    let mut all_x: Vec<f32> = l.vs.iter().map(|s| s.pos).collect();
    all_x.extend(
        extra_xs
            .iter()
            .filter(|&&x| x > l.bbox[0] + 2.0 && x < l.bbox[2] - 2.0),
    );
    let xs = cluster(all_x, 2.0);
    if ys.len() < 2 || xs.len() < 2 {
        return None;
    }
    let (nr, nc) = (ys.len() - 1, xs.len() - 1);
    if nr * nc > 200_000 {
        return None;
    }
    let has_v = |x: f32, y: f32| {
        l.vs.iter()
            .any(|s| (s.pos - x).abs() <= 2.0 && s.from - 1.0 <= y && y <= s.to + 1.0)
    };
    let has_h = |y: f32, x: f32| {
        l.hs.iter()
            .any(|s| (s.pos - y).abs() <= 2.0 && s.from - 1.0 <= x && x <= s.to + 1.0)
    };
    let mut dsu = Dsu::new(nr * nc);
    for r in 0..nr {
        let ym = (ys[r] + ys[r + 1]) / 2.0;
        for c in 0..nc {
            let xm = (xs[c] + xs[c + 1]) / 2.0;
            if c + 1 < nc && !has_v(xs[c + 1], ym) {
                dsu.union(r * nc + c, r * nc + c + 1);
            }
            if r + 1 < nr && !has_h(ys[r + 1], xm) {
                dsu.union(r * nc + c, (r + 1) * nc + c);
            }
        }
    }
    // Each cell's area: the bounding rows/columns of its component.
    let mut area: HashMap<usize, (usize, usize, usize, usize)> = HashMap::new();
    for r in 0..nr {
        for c in 0..nc {
            let root = dsu.find(r * nc + c);
            let e = area.entry(root).or_insert((r, c, r, c));
            e.0 = e.0.min(r);
            e.1 = e.1.min(c);
            e.2 = e.2.max(r);
            e.3 = e.3.max(c);
        }
    }
    let mut texts: HashMap<usize, Vec<&PGlyph>> = HashMap::new();
    let split = split_runs_at_rulings(glyphs, &xs, &has_v);
    let glyphs: Vec<&PGlyph> = split.iter().collect();
    let anchors = run_anchors(glyphs.iter().copied());
    for &g in &glyphs {
        let (cx, cy) = anchors[&g.run];
        let r = ys.partition_point(|&y| y <= cy);
        let c = xs.partition_point(|&x| x <= cx);
        if r == 0 || c == 0 || r > nr || c > nc {
            continue;
        }
        let root = dsu.find((r - 1) * nc + (c - 1));
        texts.entry(root).or_default().push(g);
    }
    let mut rows = vec![vec![String::new(); nc]; nr];
    let mut merges = Vec::new();
    let mut roots: Vec<_> = area.iter().collect();
    roots.sort_by_key(|(_, a)| (a.0, a.1));
    for (root, &(r0, c0, r1, c1)) in roots {
        if let Some(gs) = texts.get(root) {
            let lines: Vec<String> = text_lines(gs).iter().map(|l| line_text(l)).collect();
            rows[r0][c0] = join_cell_lines(&lines);
        }
        if r1 > r0 || c1 > c0 {
            merges.push(Merge {
                row: r0,
                col: c0,
                row_span: r1 - r0 + 1,
                col_span: c1 - c0 + 1,
            });
        }
    }
    let mut grid = Grid { rows, merges };
    // Rows with no text at all (ruled spacer rows) are dropped.
    let mut r = grid.height();
    while r > 0 {
        r -= 1;
        if grid.rows[r].iter().all(|c| c.is_empty())
            && !grid.merges.iter().any(|m| m.row == r && m.row_span > 1)
        {
            grid.remove_row(r);
        }
    }
    if grid.is_blank() {
        return None;
    }
    grid.pad();
    Some(grid)
}

/// A run of glyphs on one line with no wide gap inside it.
#[derive(Debug, Clone)]
struct Chunk {
    x0: f32,
    x1: f32,
    text: String,
}

fn chunks(line: &[PGlyph]) -> Vec<Chunk> {
    let mut out: Vec<Chunk> = Vec::new();
    let mut cur: Vec<PGlyph> = Vec::new();
    for g in line {
        if let Some(p) = cur.last() {
            if g.x0 - p.x1 > p.size.max(g.size) * 1.2 {
                out.push(make_chunk(&cur));
                cur.clear();
            }
        }
        cur.push(g.clone());
    }
    if !cur.is_empty() {
        out.push(make_chunk(&cur));
    }
    out
}

fn make_chunk(gs: &[PGlyph]) -> Chunk {
    Chunk {
        x0: gs.first().map_or(0.0, |g| g.x0),
        x1: gs.last().map_or(0.0, |g| g.x1),
        text: normalize_cell(&line_text(gs)),
    }
}

/// The grid of an unruled table. Columns are the x-ranges the body rows' chunks occupy
/// (rows from `body` on); header lines above may print a heading centred over several
/// columns (功能分类科目 over 科目编码 + 科目名称), which covers the columns between the
/// midpoints to its neighbours on the same line and becomes a merged cell.
fn stream_grid(rows: &[&Vec<Chunk>], body: usize) -> Grid {
    let mut spans: Vec<(f32, f32)> = rows[body..]
        .iter()
        .flat_map(|cs| cs.iter().map(|c| (c.x0, c.x1)))
        .collect();
    spans.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut cols: Vec<(f32, f32)> = Vec::new();
    for (a, b) in spans {
        match cols.last_mut() {
            Some(last) if a <= last.1 + 2.0 => last.1 = last.1.max(b),
            _ => cols.push((a, b)),
        }
    }
    let centre = |(a, b): (f32, f32)| (a + b) / 2.0;
    let nearest = |x: f32| -> usize {
        (0..cols.len())
            .min_by(|&i, &j| {
                (centre(cols[i]) - x)
                    .abs()
                    .total_cmp(&(centre(cols[j]) - x).abs())
            })
            .unwrap_or(0)
    };
    let mut grid_rows: Vec<Vec<String>> = Vec::new();
    let mut merges: Vec<Merge> = Vec::new();
    let put = |row: &mut Vec<String>, k: usize, t: &str| {
        if row[k].is_empty() {
            row[k] = t.to_string();
        } else {
            row[k] = format!("{} {}", row[k], t);
        }
    };
    for (r, cs) in rows.iter().enumerate() {
        let mut row = vec![String::new(); cols.len()];
        if r < body && cs.len() < cols.len() {
            let cx: Vec<f32> = cs.iter().map(|c| (c.x0 + c.x1) / 2.0).collect();
            for (n, c) in cs.iter().enumerate() {
                let left = (n > 0).then(|| (cx[n - 1] + cx[n]) / 2.0);
                let right = (n + 1 < cs.len()).then(|| (cx[n] + cx[n + 1]) / 2.0);
                // The outer side mirrors the inner one; a lone heading covers the columns
                // as near as the nearest one.
                let reach = match (left, right) {
                    (Some(l), Some(r)) => (cx[n] - l).min(r - cx[n]),
                    (Some(l), None) => cx[n] - l,
                    (None, Some(r)) => r - cx[n],
                    (None, None) => (centre(cols[nearest(cx[n])]) - cx[n]).abs() + 1.0,
                };
                let (lo, hi) = (
                    left.unwrap_or(cx[n] - reach),
                    right.unwrap_or(cx[n] + reach),
                );
                let covered: Vec<usize> = (0..cols.len())
                    .filter(|&k| (lo..=hi).contains(&centre(cols[k])))
                    .collect();
                let k = covered.first().copied().unwrap_or_else(|| nearest(cx[n]));
                put(&mut row, k, &c.text);
                if covered.len() > 1 {
                    merges.push(Merge {
                        row: r,
                        col: k,
                        row_span: 1,
                        col_span: covered.len(),
                    });
                }
            }
        } else {
            for c in cs.iter() {
                let k = cols
                    .iter()
                    .position(|&(a, b)| c.x0 >= a - 2.0 && c.x0 <= b + 2.0)
                    .unwrap_or_else(|| nearest((c.x0 + c.x1) / 2.0));
                put(&mut row, k, &c.text);
            }
        }
        grid_rows.push(row);
    }
    let mut g = Grid::new(grid_rows);
    g.merges = merges;
    g
}

/// Unruled tables: runs of consecutive lines with two or more chunks, at least one of them
/// a number, become a grid whose columns are the x-ranges the chunks occupy.
fn stream_tables(lines: &[(f32, Vec<Chunk>)]) -> Vec<(usize, usize, Grid)> {
    let mut out = Vec::new();
    let is_row = |cs: &Vec<Chunk>| {
        cs.len() >= 2 && cs.iter().any(|c| crate::text::looks_like_money(&c.text))
    };
    let mut i = 0;
    while i < lines.len() {
        if !is_row(&lines[i].1) {
            i += 1;
            continue;
        }
        // Extend upward over header lines with 2+ chunks, downward over rows.
        let mut start = i;
        while start > 0 && lines[start - 1].1.len() >= 2 && i - start < 4 {
            start -= 1;
        }
        let mut end = i;
        while end + 1 < lines.len()
            && (is_row(&lines[end + 1].1)
                || (lines[end + 1].1.len() >= 2
                    && end + 2 < lines.len()
                    && is_row(&lines[end + 2].1)))
        {
            end += 1;
        }
        if end - start + 1 >= 2 {
            let rows: Vec<&Vec<Chunk>> = lines[start..=end].iter().map(|l| &l.1).collect();
            out.push((start, end, stream_grid(&rows, i - start)));
        }
        i = end + 1;
    }
    out
}

/// Blocks of one page: tables (lattice first, then stream) and the remaining text lines,
/// ordered top to bottom.
/// A block of a page, with the ruled table and glyphs it came from (to rebuild its grid
/// when a continuation on the next page has more columns).
struct PBlock {
    block: Block,
    lattice: Option<(Lattice, Vec<PGlyph>)>,
}

/// Column boundaries at the bottom row (`bottom`) or top row of a ruled table: the
/// verticals that cross it.
fn edge_xs(l: &Lattice, bottom: bool) -> Vec<f32> {
    let ys = cluster(l.hs.iter().map(|s| s.pos).collect(), 2.0);
    if ys.len() < 2 {
        return lattice_xs(l);
    }
    let y = if bottom {
        (ys[ys.len() - 2] + ys[ys.len() - 1]) / 2.0
    } else {
        (ys[0] + ys[1]) / 2.0
    };
    l.vs.iter()
        .filter(|s| s.from - 1.0 <= y && y <= s.to + 1.0)
        .map(|s| s.pos)
        .collect()
}

fn lattice_xs(l: &Lattice) -> Vec<f32> {
    l.vs.iter().map(|s| s.pos).collect()
}

/// Most column boundaries of the part with fewer columns recur in the other part.
fn columns_agree(a: &[f32], b: &[f32]) -> bool {
    let (a, b) = (cluster(a.to_vec(), 2.0), cluster(b.to_vec(), 2.0));
    let (small, large) = if a.len() <= b.len() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    let hits = small
        .iter()
        .filter(|x| large.iter().any(|y| (*x - y).abs() <= 2.0))
        .count();
    hits * 10 >= small.len() * 8
}

/// A row's text as one comparison key.
fn row_key(r: &[String]) -> String {
    crate::text::key(&r.concat())
}

/// Is the ruled table closed by a horizontal rule along its bottom edge (across most of
/// its width)? A table cut by a page break has verticals running past its last rule.
fn closed_bottom(l: &Lattice) -> bool {
    let w = l.bbox[2] - l.bbox[0];
    l.hs.iter()
        .any(|s| (s.pos - l.bbox[3]).abs() <= 2.0 && s.to - s.from >= 0.9 * w)
}

fn is_furniture(b: &Block) -> bool {
    match b {
        Block::Line { text, .. } => crate::grid::is_page_furniture(text),
        _ => false,
    }
}

/// Ruled tables continued over pages: the last table of a page and the first of the next
/// (only page furniture after / before them) with the same left and right edges are one
/// table. Their parts are re-gridded on the union of their column boundaries and the later
/// parts marked as continuations.
fn join_page_lattices(pages: &mut [Vec<PBlock>]) {
    // Links (page, block) -> (next page, block), grouped into chains of one table.
    let mut groups: Vec<Vec<(usize, usize)>> = Vec::new();
    for j in 0..pages.len().saturating_sub(1) {
        let last = pages[j].iter().rposition(|b| !is_furniture(&b.block));
        let first = pages[j + 1].iter().position(|b| !is_furniture(&b.block));
        let (Some(a), Some(b)) = (last, first) else {
            continue;
        };
        let linked = match (
            &pages[j][a].lattice,
            &pages[j + 1][b].lattice,
            &pages[j + 1][b].block,
        ) {
            (Some((la, _)), Some((lb, _)), Block::Table(next)) => {
                (la.bbox[0] - lb.bbox[0]).abs() < 3.0
                    && (la.bbox[2] - lb.bbox[2]).abs() < 3.0
                    && columns_agree(&edge_xs(la, true), &edge_xs(lb, false))
                    && !crate::grid::starts_with_title(&next.grid)
            }
            _ => false,
        };
        if !linked {
            continue;
        }
        match groups.last_mut() {
            Some(g) if g.last() == Some(&(j, a)) => g.push((j + 1, b)),
            _ => groups.push(vec![(j, a), (j + 1, b)]),
        }
    }
    for group in groups {
        let mut xs: Vec<f32> = Vec::new();
        for &(p, i) in &group {
            if let Some((l, _)) = &pages[p][i].lattice {
                xs.extend(lattice_xs(l));
            }
        }
        for (n, &(p, i)) in group.iter().enumerate() {
            let pb = &mut pages[p][i];
            if let (Some((l, gs)), Block::Table(raw)) = (&pb.lattice, &mut pb.block) {
                let refs: Vec<&PGlyph> = gs.iter().collect();
                if let Some(g) = lattice_grid(l, &refs, &xs) {
                    raw.grid = g;
                }
                raw.continued = n > 0;
            }
        }
        // The header rows of the table's first part (above its first amount): a row that
        // repeats one of them at the top of a later page is a repeated header, not the
        // rest of a cut row.
        let head: Vec<String> = match &pages[group[0].0][group[0].1].block {
            Block::Table(raw) => raw
                .grid
                .rows
                .iter()
                .take_while(|r| !r.iter().any(|c| crate::text::looks_like_money(c)))
                .map(|r| row_key(r))
                .collect(),
            _ => Vec::new(),
        };
        // A row cut by the page break: the next part starts with the rest of its text
        // (no amounts, no code) under columns the previous part's last row fills, and the
        // previous part is not closed by a rule along its bottom.
        for w in group.windows(2) {
            let ((pa, ia), (pb_, ib)) = (w[0], w[1]);
            let open_bottom = pages[pa][ia]
                .lattice
                .as_ref()
                .is_some_and(|(l, _)| !closed_bottom(l));
            if !open_bottom {
                continue;
            }
            let tail = match &mut pages[pb_][ib].block {
                Block::Table(raw) => {
                    let first = raw.grid.rows.first().cloned().unwrap_or_default();
                    let is_rest = first.iter().any(|c| !c.is_empty())
                        && !head.contains(&row_key(&first))
                        && first.iter().all(|c| {
                            c.is_empty()
                                || (!crate::text::looks_like_money(c)
                                    && !c.chars().all(|ch| ch.is_ascii_digit()))
                        });
                    if is_rest {
                        raw.grid.remove_row(0);
                        Some(first)
                    } else {
                        None
                    }
                }
                _ => None,
            };
            let Some(tail) = tail else { continue };
            let mut undo = Some(tail.clone());
            if let Block::Table(raw) = &mut pages[pa][ia].block {
                if let Some(last) = raw.grid.rows.last_mut() {
                    let fits = tail
                        .iter()
                        .enumerate()
                        .all(|(c, t)| t.is_empty() || last.get(c).is_some_and(|x| !x.is_empty()));
                    if fits {
                        for (c, t) in tail.iter().enumerate() {
                            if !t.is_empty() {
                                last[c] = join_cell_lines(&[last[c].clone(), t.clone()]);
                            }
                        }
                        undo = None;
                    }
                }
            }
            if let (Some(row), Block::Table(raw)) = (undo, &mut pages[pb_][ib].block) {
                raw.grid.rows.insert(0, row);
                for m in &mut raw.grid.merges {
                    m.row += 1;
                }
            }
        }
    }
}

fn page_blocks(p: &PageContent) -> Vec<PBlock> {
    let page = Some(p.number);
    let mut items: Vec<(f32, PBlock)> = Vec::new();
    let lattices = find_lattices(p);
    let mut used = vec![false; p.glyphs.len()];
    let anchor = run_anchors(p.glyphs.iter());
    for l in &lattices {
        let inside_idx: Vec<usize> = (0..p.glyphs.len())
            .filter(|&i| {
                let (x, y) = anchor[&p.glyphs[i].run];
                !used[i] && inside(&l.bbox, x, y)
            })
            .collect();
        let gs: Vec<&PGlyph> = inside_idx.iter().map(|&i| &p.glyphs[i]).collect();
        if gs.is_empty() {
            continue;
        }
        let Some(grid) = lattice_grid(l, &gs, &[]) else {
            continue;
        };
        let owned: Vec<PGlyph> = gs.iter().map(|g| (*g).clone()).collect();
        for i in inside_idx {
            used[i] = true;
        }
        items.push((
            l.bbox[1],
            PBlock {
                block: Block::Table(RawTable {
                    grid,
                    page,
                    bbox: Some(l.bbox),
                    ..Default::default()
                }),
                lattice: Some((l.clone(), owned)),
            },
        ));
    }
    let rest: Vec<&PGlyph> = p
        .glyphs
        .iter()
        .enumerate()
        .filter(|(i, _)| !used[*i])
        .map(|(_, g)| g)
        .collect();
    let lines: Vec<(f32, Vec<Chunk>)> = text_lines(&rest)
        .into_iter()
        .map(|l| {
            let top = l.iter().map(|g| g.top()).fold(f32::MAX, f32::min);
            (top, chunks(&l))
        })
        .collect();
    let streams = stream_tables(&lines);
    let mut in_stream = vec![false; lines.len()];
    for (s, e, grid) in streams {
        for f in in_stream.iter_mut().take(e + 1).skip(s) {
            *f = true;
        }
        let x0 = lines[s..=e]
            .iter()
            .flat_map(|l| l.1.iter().map(|c| c.x0))
            .fold(f32::MAX, f32::min);
        let x1 = lines[s..=e]
            .iter()
            .flat_map(|l| l.1.iter().map(|c| c.x1))
            .fold(f32::MIN, f32::max);
        items.push((
            lines[s].0,
            PBlock {
                block: Block::Table(RawTable {
                    grid,
                    page,
                    bbox: Some([x0, lines[s].0, x1, lines[e].0]),
                    ..Default::default()
                }),
                lattice: None,
            },
        ));
    }
    for (k, (top, cs)) in lines.iter().enumerate() {
        if in_stream[k] {
            continue;
        }
        let text: Vec<&str> = cs.iter().map(|c| c.text.as_str()).collect();
        items.push((
            *top,
            PBlock {
                block: Block::Line {
                    text: text.join("  "),
                    page,
                },
                lattice: None,
            },
        ));
    }
    items.sort_by(|a, b| a.0.total_cmp(&b.0));
    items.into_iter().map(|(_, b)| b).collect()
}

/// The page text in reading order, laid out by position (a `pdftotext -layout` substitute):
/// pages separated by form feeds.
pub fn page_text(bytes: &[u8]) -> Result<String, IngestError> {
    let (pages, _) = read_pages(bytes)?;
    let mut out = String::new();
    for (k, p) in pages.iter().enumerate() {
        if k > 0 {
            out.push('\u{c}');
        }
        let gs: Vec<&PGlyph> = p.glyphs.iter().collect();
        let sizes: Vec<f32> = p.glyphs.iter().map(|g| g.size).collect();
        let em = median(&sizes).unwrap_or(10.0).max(1.0);
        let col_w = em / 2.0;
        for line in text_lines(&gs) {
            let mut s = String::new();
            let mut col = 0usize;
            for c in chunks(&line) {
                let want = (c.x0 / col_w).round().max(0.0) as usize;
                if !s.is_empty() {
                    let pad = want.saturating_sub(col).max(2);
                    s.push_str(&" ".repeat(pad));
                    col += pad;
                } else {
                    s.push_str(&" ".repeat(want));
                    col = want;
                }
                s.push_str(&c.text);
                col += c
                    .text
                    .chars()
                    .map(|ch| if ch.is_ascii() { 1 } else { 2 })
                    .sum::<usize>();
            }
            out.push_str(s.trim_end());
            out.push('\n');
        }
    }
    Ok(out)
}

/// The upper median.
pub(crate) fn median(v: &[f32]) -> Option<f32> {
    if v.is_empty() {
        return None;
    }
    let mut s = v.to_vec();
    s.sort_by(|a, b| a.total_cmp(b));
    Some(s[s.len() / 2])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cmap_kinds_and_codes() {
        assert_eq!(code_text_of_cmap("UniGB-UCS2-H"), CodeText::Ucs2);
        assert_eq!(code_text_of_cmap("GBK-EUC-H"), CodeText::Gbk);
        assert_eq!(decode_code(0x90E8, CodeText::Ucs2).as_deref(), Some("部"));
        let (b, _, _) = encoding_rs::GBK.encode("部");
        let code = ((b[0] as u32) << 8) | b[1] as u32;
        assert_eq!(decode_code(code, CodeText::Gbk).as_deref(), Some("部"));
        assert_eq!(decode_code(0x41, CodeText::Gbk).as_deref(), Some("A"));
    }

    #[test]
    fn cells_and_numbers() {
        assert_eq!(normalize_cell("３５０．９２"), "350.92");
        assert_eq!(normalize_cell("单位：万元"), "单位：万元");
        assert_eq!(
            join_cell_lines(&["新乡市政务服务".into(), "和大数据管理局".into()]),
            "新乡市政务服务和大数据管理局"
        );
        assert_eq!(join_cell_lines(&["497.3".into(), "1".into()]), "497.31");
        assert_eq!(page_list(&[1, 2, 3, 7]), "1-3, 7");
    }
}
