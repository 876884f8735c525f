//! The page device: glyphs (text, position, advance, size) and rulings, decoded fonts,
//! the page turned upright.

use super::IngestError;
use crate::budget;
use crate::text::fold_radicals;
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
    /// Inline up to 24 bytes: a glyph's text is one character or a ligature, and a
    /// page's glyphs are kept while its tables are joined with the next page's.
    pub text: compact_str::CompactString,
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
    /// A space was drawn just before this glyph in its text run (a word break, however
    /// narrow).
    pub space_before: bool,
}

impl PGlyph {
    pub(super) fn cx(&self) -> f32 {
        (self.x0 + self.x1) / 2.0
    }
    pub(super) fn cy(&self) -> f32 {
        self.y - self.size * 0.35
    }
    pub(super) fn top(&self) -> f32 {
        self.y - self.size * 0.85
    }
    /// Just below the baseline (descenders).
    pub(super) fn bottom(&self) -> f32 {
        self.y + self.size * 0.2
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
    /// Glyphs drawn whose text could not be read (no Unicode map, no known CMap).
    pub undecoded: usize,
    /// Quarter turns (clockwise, 0–3) the page was turned so that its text reads left to
    /// right; `width` and `height` are those of the turned page.
    pub turn: u8,
}

impl PageInfo {
    /// A box of the turned page (x0, top, x1, bottom) on the page as displayed (its
    /// /Rotate applied, as a viewer shows it and pdftotext -bbox measures it).
    pub fn displayed(&self, b: [f32; 4]) -> [f32; 4] {
        // The size of the page as displayed.
        let (w, h) = if self.turn % 2 == 1 {
            (self.height, self.width)
        } else {
            (self.width, self.height)
        };
        let back = |x: f32, y: f32| -> (f32, f32) {
            match self.turn {
                1 => (w - y, x),
                2 => (w - x, h - y),
                3 => (y, h - x),
                _ => (x, y),
            }
        };
        let (a, c) = (back(b[0], b[1]), back(b[2], b[3]));
        [a.0.min(c.0), a.1.min(c.1), a.0.max(c.0), a.1.max(c.1)]
    }
}

/// How codes of a CID font without ToUnicode are read.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum CodeText {
    Ucs2,
    Gbk,
    Unknown,
}

pub(super) fn code_text_of_cmap(name: &str) -> CodeText {
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
pub(super) fn page_code_text(fonts: &Dict<'_>) -> CodeText {
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

pub(super) fn decode_code(code: u32, how: CodeText) -> Option<String> {
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
pub(super) struct RawGlyph {
    pub(super) text: compact_str::CompactString,
    pub(super) o: Point,
    pub(super) e: Point,
    pub(super) size: f32,
    pub(super) run: u32,
    pub(super) space_before: bool,
}

pub(super) struct Collector {
    pub(super) page: PageContent,
    pub(super) code_text: CodeText,
    pub(super) raw: Vec<RawGlyph>,
    pub(super) runs: u32,
    /// Bounding boxes of the active clip paths, innermost last (each already intersected
    /// with the one before). Text and rulings outside the clip are not visible: Chromium
    /// draws a table row that moves to the next page clipped away at the page foot.
    pub(super) clips: Vec<Rect>,
    /// Drawing operations received from the interpreter on this page.
    pub(super) ops: usize,
    /// Glyphs kept from the pages before this one.
    pub(super) doc_glyphs: usize,
}

impl Collector {
    /// Count one drawing operation; leave the page when a budget is spent.
    fn tick(&mut self) {
        self.ops += 1;
        if self.ops > budget::PAGE_OPS {
            budget::exceed(format!(
                "page {} draws more than {} operations (Form XObjects drawing each other?)",
                self.page.number,
                budget::PAGE_OPS
            ));
        }
    }

    pub(super) fn visible(&self, p: Point) -> bool {
        self.clips.last().is_none_or(|c| {
            p.x >= c.x0 - 0.5 && p.x <= c.x1 + 0.5 && p.y >= c.y0 - 0.5 && p.y <= c.y1 + 0.5
        })
    }

    /// Clip the rulings added since `from_h` / `from_v` to the current clip box.
    pub(super) fn clip_segs(&mut self, from_h: usize, from_v: usize) {
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
pub(super) fn clip_to(segs: &mut Vec<Seg>, from: usize, along: (f32, f32), across: (f32, f32)) {
    let mut tail = segs.split_off(from);
    tail.retain_mut(|s| {
        s.from = s.from.max(along.0);
        s.to = s.to.min(along.1);
        s.pos >= across.0 - 0.5 && s.pos <= across.1 + 0.5 && s.to - s.from > 2.0
    });
    segs.extend(tail);
}

pub(super) fn seg_from(a: Point, b: Point, out_h: &mut Vec<Seg>, out_v: &mut Vec<Seg>) {
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
    pub(super) fn stroke(&mut self, path: &BezPath, t: Affine) {
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
    pub(super) fn fill(&mut self, path: &BezPath, t: Affine) {
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
        self.tick();
        let (nh, nv) = (self.page.hsegs.len(), self.page.vsegs.len());
        self.draw_path_inner(path, props, draw_mode);
        self.clip_segs(nh, nv);
    }
    fn push_clip_path(&mut self, clip: &ClipPath) {
        self.tick();
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
        self.tick();
        self.glyph_run(run, props);
    }
    fn draw_image(&mut self, _: Image<'a, '_>, props: ImageDrawProps<'a>) {
        self.tick();
        let bb = (props.transform * Rect::new(0.0, 0.0, 1.0, 1.0).to_path(0.1)).bounding_box();
        self.page.image_area += (bb.width() * bb.height()) as f32;
    }
    fn pop_transparency_group(&mut self) {}
}

impl Collector {
    pub(super) fn draw_path_inner(
        &mut self,
        path: &BezPath,
        props: DrawProps<'_>,
        draw_mode: &DrawMode,
    ) {
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

    pub(super) fn glyph_run(&mut self, run: &GlyphRun<'_, '_>, props: DrawProps<'_>) {
        let mut space = false;
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
                    None => {
                        self.page.undecoded += 1;
                        continue;
                    }
                },
            };
            let text = pdf_fold(&text);
            if text.chars().all(|c| c.is_whitespace() || c.is_control()) {
                space |= text.chars().any(|c| c.is_whitespace());
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
                space_before: std::mem::take(&mut space),
            });
            if self.raw.len() > budget::PAGE_GLYPHS {
                budget::exceed(format!(
                    "page {} holds more than {} glyphs",
                    self.page.number,
                    budget::PAGE_GLYPHS
                ));
            }
            if self.doc_glyphs + self.raw.len() > budget::DOC_GLYPHS {
                budget::exceed(format!(
                    "more than {} glyphs by page {}",
                    budget::DOC_GLYPHS,
                    self.page.number
                ));
            }
        }
        self.runs += 1;
    }
}

/// Radicals folded to characters; and 戶 (U+6236) to 户: Noto Sans CJK SC draws both with
/// one glyph, and Chromium's ToUnicode names the traditional one.
pub(super) fn pdf_fold(s: &str) -> compact_str::CompactString {
    // Nearly every glyph has nothing to fold: no radical (U+2E80–U+2FDF), no 戶.
    if !s
        .chars()
        .any(|c| ('\u{2E80}'..='\u{2FDF}').contains(&c) || c == '戶')
    {
        return s.into();
    }
    fold_radicals(s).replace('戶', "户").into()
}

pub(super) fn bf_string(b: hayro_interpret::hayro_cmap::BfString) -> String {
    match b {
        hayro_interpret::hayro_cmap::BfString::Char(c) => c.to_string(),
        hayro_interpret::hayro_cmap::BfString::String(s) => s,
    }
}

/// Open a PDF: an empty user password is tried; other encryption is a clear error.
pub(super) fn open(bytes: &crate::ingest::Bytes<'_>) -> Result<Pdf, IngestError> {
    let data = match bytes {
        crate::ingest::Bytes::Borrowed(b) => b.to_vec(),
        crate::ingest::Bytes::Shared(b) => return open_data(b.clone()),
    };
    open_data(std::sync::Arc::new(data))
}

fn open_data(data: std::sync::Arc<Vec<u8>>) -> Result<Pdf, IngestError> {
    match Pdf::new(data) {
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
/// The page count the document's page tree announces (the root /Pages /Count), 0 when
/// it cannot be read: more than the pages found means pages were lost (a truncated file).
fn announced_pages(pdf: &Pdf) -> usize {
    let xref = pdf.xref();
    xref.get::<Dict<'_>>(xref.root_id())
        .and_then(|catalog| catalog.get::<Dict<'_>>(b"Pages".as_slice()))
        .and_then(|pages| pages.get::<usize>(b"Count".as_slice()))
        .unwrap_or(0)
}

/// What is known of a page once its glyphs and rulings are gone: enough to place boxes
/// on the page as displayed and to say what a damaged or scanned page lost.
#[derive(Debug, Clone, Copy, Default)]
pub struct PageInfo {
    pub number: u32,
    pub width: f32,
    pub height: f32,
    pub image_area: f32,
    pub undecoded: usize,
    pub turn: u8,
    /// Glyphs kept on the page.
    pub glyphs: usize,
}

impl PageContent {
    pub fn info(&self) -> PageInfo {
        PageInfo {
            number: self.number,
            width: self.width,
            height: self.height,
            image_area: self.image_area,
            undecoded: self.undecoded,
            turn: self.turn,
            glyphs: self.glyphs.len(),
        }
    }
}

/// What reading a PDF's pages found besides the pages: those whose content could not be
/// read, and the count its page tree announces.
pub struct Pages {
    pub failed: Vec<u32>,
    pub announced: usize,
}

/// One page's outcome, as a page thread hands it over.
enum PageRead<T> {
    /// The page, and the budget the document had spent by the end of it, if it had.
    Page(PageInfo, T, Option<String>),
    Failed,
    Budget(String),
}

/// Read a PDF's pages on up to `threads` threads. Each page is interpreted into its glyphs
/// and rulings and handed to `each` at once (on the thread that read it), so that only
/// the pages being read hold their glyphs; what `each` makes of the pages goes to `sink`
/// in page order, on the calling thread, as soon as the pages before it are done
/// ([`crate::par::ordered`], 32 pages a thread ahead at most). Each thread has its own
/// interpreter cache (fonts are loaded once per thread); the document's budgets (decoded
/// bytes, glyphs) are shared. `sink` sees the same pages in the same order whatever the
/// number of threads.
pub fn read_pages<T: Send>(
    bytes: &crate::ingest::Bytes<'_>,
    threads: usize,
    each: impl Fn(PageContent) -> T + Sync,
    mut sink: impl FnMut(PageInfo, T),
) -> Result<Pages, IngestError> {
    use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
    let pdf = open(bytes)?;
    let announced = announced_pages(&pdf);
    let pages = pdf.pages();
    if pages.is_empty() {
        return Err(IngestError::Unreadable("PDF has no pages".into()));
    }
    hayro_interpret::hayro_syntax::set_decode_budget(budget::DOC_DECODED);
    let decode = hayro_interpret::hayro_syntax::DecodeBudget::current();
    let doc_glyphs = AtomicUsize::new(0);
    let read_one = page_reader(&pdf, |i, cache| {
        let number = i as u32 + 1;
        // A copy of the page, so that its decoded content goes when it is read.
        let page = pages[i].uncached();
        match read_page(&page, number, cache, &pdf, doc_glyphs.load(Relaxed)) {
            Ok(mut p) => {
                dedup_fake_bold(&mut p.glyphs);
                doc_glyphs.fetch_add(p.glyphs.len(), Relaxed);
                let info = p.info();
                let t = each(p);
                let spent = hayro_interpret::hayro_syntax::decode_budget_spent().then(|| {
                    format!(
                        "streams decode to more than {} MiB by page {number}",
                        budget::DOC_DECODED >> 20
                    )
                });
                PageRead::Page(info, t, spent)
            }
            Err(None) => PageRead::Failed,
            Err(Some(why)) => PageRead::Budget(why),
        }
    });
    let mut out = Pages {
        failed: Vec::new(),
        announced,
    };
    let mut error: Option<String> = None;
    crate::par::ordered(
        pages.len(),
        threads,
        threads * 32,
        || {
            decode.enter();
            InterpreterCache::new()
        },
        |cache, i| read_one(i, cache),
        // One page handed over; false once the document is over budget.
        |i, r| {
            match r {
                PageRead::Page(info, t, spent) => {
                    sink(info, t);
                    error = spent;
                }
                PageRead::Failed => out.failed.push(i as u32 + 1),
                PageRead::Budget(why) => error = Some(why),
            }
            error.is_none()
        },
    );
    match error {
        Some(why) => Err(IngestError::Budget(why)),
        None => Ok(out),
    }
}

/// `f`, its interpreter cache bound to the document `_pdf` (a closure's own signature
/// cannot name that lifetime).
fn page_reader<'a, T, F>(_pdf: &'a Pdf, f: F) -> F
where
    F: Fn(usize, &InterpreterCache<'a>) -> PageRead<T>,
{
    f
}

/// Interpret one page. `Err(None)`: its content could not be read; `Err(Some(why))`: a
/// budget of the document was spent on it.
fn read_page<'a>(
    page: &hayro_interpret::hayro_syntax::page::Page<'a>,
    number: u32,
    cache: &InterpreterCache<'a>,
    pdf: &'a Pdf,
    doc_glyphs: usize,
) -> Result<PageContent, Option<String>> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let (w, h) = page.render_dimensions();
        let run = |code_text: CodeText| {
            let settings = InterpreterSettings::default();
            let mut ctx = Context::new(
                Affine::new(page.initial_transform(true).as_coeffs()),
                Rect::new(0.0, 0.0, w as f64, h as f64),
                cache,
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
                code_text,
                raw: Vec::new(),
                runs: 0,
                clips: Vec::new(),
                ops: 0,
                doc_glyphs,
            };
            interpret_page(page, &mut ctx, &mut dev);
            dev
        };
        // The page's fonts are looked at for a predefined CMap only when a glyph had no
        // Unicode (non-embedded CID fonts): then the page is read again with it. Most
        // pages never need it, and resolving every font dictionary of every page was a
        // good part of the time on Chromium's PDFs.
        let mut dev = run(CodeText::Unknown);
        if dev.page.undecoded > 0 {
            let how = page_code_text(&page.resources().fonts);
            if how != CodeText::Unknown {
                dev = run(how);
            }
        }
        upright(dev)
    }))
    .map_err(|p| budget::exceeded_of(&*p))
}

/// The page turned so that its text reads left to right: the dominant direction of the
/// glyph baselines decides (a page whose content is drawn rotated, or a /Rotate that the
/// content counteracts). Glyphs get their final boxes and run ids.
pub(super) fn upright(dev: Collector) -> PageContent {
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
    page.turn = q as u8;
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
            space_before: g.space_before,
        });
    }
    page.glyphs = glyphs;
    page
}

/// Text drawn twice a fraction of a point apart ("fake bold") is kept once.
pub(super) fn dedup_fake_bold(glyphs: &mut Vec<PGlyph>) {
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
        if drop[idx[w]] {
            // A copy of an earlier glyph: its own copies are that glyph's too (200,000
            // glyphs at one position were quadratic).
            continue;
        }
        let a = &glyphs[idx[w]];
        // Fake bold redraws a glyph a fraction of its own advance away; the next letter
        // of a double `ll` starts a whole advance away.
        let tol = (a.size * 0.25).min((a.x1 - a.x0).max(0.0) * 0.5);
        let same = |k: usize, y: f32| glyphs[k].text == a.text && glyphs[k].y == y;
        let mut j = w + 1;
        // The glyphs after `a` with its text come in groups of one baseline each, sorted
        // by x: in each group within reach, only those within `tol` of `a` are looked at
        // (a line of 200,000 equal glyphs was quadratic).
        while j < idx.len() {
            let b = &glyphs[idx[j]];
            if b.text != a.text || b.y - a.y > a.size * 0.25 {
                break;
            }
            let y = b.y;
            let end = j + idx[j..].partition_point(|&k| same(k, y));
            let from = j + idx[j..end].partition_point(|&k| glyphs[k].x0 <= a.x0 - tol);
            for &k in &idx[from..end] {
                if glyphs[k].x0 - a.x0 >= tol {
                    break;
                }
                if (y - a.y).abs() < a.size * 0.25 {
                    drop[k] = true;
                }
            }
            j = end;
        }
    }
    let mut k = 0;
    glyphs.retain(|_| {
        let keep = !drop[k];
        k += 1;
        keep
    });
}
