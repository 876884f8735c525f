//! Results from decoding filtered data streams.

mod ascii_85;
pub(crate) mod ascii_hex;
#[cfg(feature = "images")]
mod ccitt;
#[cfg(feature = "images")]
mod dct;
#[cfg(feature = "images")]
mod jbig2;
#[cfg(feature = "images")]
mod jpx;
mod lzw_flate;
mod png;
mod run_length;

use crate::object::Dict;
use crate::object::Name;
use crate::object::dict::keys::*;
use crate::object::stream::{DecodeFailure, FilterResult, ImageDecodeParams};
use core::ops::Deref;

/// A data filter.
#[derive(Debug, Copy, Clone, PartialEq, Eq)]
pub enum Filter {
    /// ASCII hexadecimal encoding.
    AsciiHexDecode,
    /// ASCII base-85 encoding.
    Ascii85Decode,
    /// Lempel-Ziv-Welch (LZW) compression.
    LzwDecode,
    /// DEFLATE compression (zlib/gzip).
    FlateDecode,
    /// Run-length encoding compression.
    RunLengthDecode,
    /// CCITT Group 3 or Group 4 fax compression.
    CcittFaxDecode,
    /// JBIG2 compression for bi-level images.
    Jbig2Decode,
    /// JPEG (DCT) compression.
    DctDecode,
    /// JPEG 2000 compression.
    JpxDecode,
    /// Encryption filter.
    Crypt,
}

impl Filter {
    pub(crate) fn from_name(name: Name<'_>) -> Option<Self> {
        match name.deref() {
            ASCII_HEX_DECODE | ASCII_HEX_DECODE_ABBREVIATION => Some(Self::AsciiHexDecode),
            ASCII85_DECODE | ASCII85_DECODE_ABBREVIATION => Some(Self::Ascii85Decode),
            LZW_DECODE | LZW_DECODE_ABBREVIATION => Some(Self::LzwDecode),
            FLATE_DECODE | FLATE_DECODE_ABBREVIATION => Some(Self::FlateDecode),
            RUN_LENGTH_DECODE | RUN_LENGTH_DECODE_ABBREVIATION => Some(Self::RunLengthDecode),
            CCITTFAX_DECODE | CCITTFAX_DECODE_ABBREVIATION => Some(Self::CcittFaxDecode),
            JBIG2_DECODE => Some(Self::Jbig2Decode),
            DCT_DECODE | DCT_DECODE_ABBREVIATION => Some(Self::DctDecode),
            JPX_DECODE => Some(Self::JpxDecode),
            CRYPT => Some(Self::Crypt),
            _ => None,
        }
    }

    /// budgetgrid patch: every decode is charged to the thread's document budget
    /// ([`set_decode_budget`]); once it is spent, decoding fails.
    pub(crate) fn apply(
        &self,
        data: &[u8],
        params: &Dict<'_>,
        image_params: &ImageDecodeParams,
    ) -> Result<FilterResult<'static>, DecodeFailure> {
        if budget::spent() {
            return Err(DecodeFailure::StreamDecode);
        }
        let r = self.apply_inner(data, params, image_params)?;
        if !budget::charge(r.data.len()) {
            return Err(DecodeFailure::StreamDecode);
        }
        Ok(r)
    }

    fn apply_inner(
        &self,
        data: &[u8],
        params: &Dict<'_>,
        #[cfg_attr(not(feature = "images"), allow(unused))] image_params: &ImageDecodeParams,
    ) -> Result<FilterResult<'static>, DecodeFailure> {
        match self {
            Self::AsciiHexDecode => ascii_hex::decode(data)
                .map(FilterResult::from_data)
                .ok_or(DecodeFailure::StreamDecode),
            Self::Ascii85Decode => ascii_85::decode(data)
                .map(FilterResult::from_data)
                .ok_or(DecodeFailure::StreamDecode),
            Self::RunLengthDecode => run_length::decode(data)
                .map(FilterResult::from_data)
                .ok_or(DecodeFailure::StreamDecode),
            Self::LzwDecode => lzw_flate::lzw::decode(data, params)
                .map(FilterResult::from_data)
                .ok_or(DecodeFailure::StreamDecode),
            Self::FlateDecode => lzw_flate::flate::decode(data, params)
                .map(FilterResult::from_data)
                .ok_or(DecodeFailure::StreamDecode),
            #[cfg(feature = "images")]
            Self::DctDecode => {
                dct::decode(data, params, image_params).ok_or(DecodeFailure::ImageDecode)
            }
            #[cfg(feature = "images")]
            Self::CcittFaxDecode => {
                ccitt::decode(data, params, image_params).ok_or(DecodeFailure::ImageDecode)
            }
            #[cfg(feature = "images")]
            Self::Jbig2Decode => {
                jbig2::decode(data, params, image_params).ok_or(DecodeFailure::ImageDecode)
            }
            #[cfg(feature = "images")]
            Self::JpxDecode => jpx::decode(data, image_params).ok_or(DecodeFailure::ImageDecode),
            #[cfg(not(feature = "images"))]
            Self::DctDecode | Self::CcittFaxDecode | Self::Jbig2Decode | Self::JpxDecode => {
                Err(DecodeFailure::ImageDecode)
            }
            _ => Err(DecodeFailure::StreamDecode),
        }
    }
}

/// budgetgrid patch: a budget of decoded bytes for the document read on this thread,
/// shared with the threads that read its other pages.
#[cfg(feature = "std")]
mod budget {
    use core::cell::RefCell;
    use core::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    /// Bytes decoded so far and the limit (never 0).
    #[derive(Debug)]
    pub(crate) struct Shared {
        used: AtomicUsize,
        limit: usize,
    }

    std::thread_local! {
        static DECODED: RefCell<Option<Arc<Shared>>> = const { RefCell::new(None) };
    }

    pub(crate) fn spent() -> bool {
        DECODED.with(|d| {
            d.borrow()
                .as_ref()
                .is_some_and(|s| s.used.load(Ordering::Relaxed) > s.limit)
        })
    }

    pub(crate) fn charge(n: usize) -> bool {
        DECODED.with(|d| match d.borrow().as_ref() {
            None => true,
            Some(s) => {
                let used = s.used.fetch_add(n, Ordering::Relaxed).saturating_add(n);
                used <= s.limit
            }
        })
    }

    pub(crate) fn set(limit: usize) {
        let shared = (limit > 0).then(|| {
            Arc::new(Shared {
                used: AtomicUsize::new(0),
                limit,
            })
        });
        enter(shared);
    }

    pub(crate) fn current() -> Option<Arc<Shared>> {
        DECODED.with(|d| d.borrow().clone())
    }

    pub(crate) fn enter(shared: Option<Arc<Shared>>) {
        DECODED.with(|d| *d.borrow_mut() = shared);
    }
}

#[cfg(not(feature = "std"))]
mod budget {
    #[derive(Debug)]
    pub(crate) struct Shared;
    pub(crate) fn spent() -> bool {
        false
    }
    pub(crate) fn charge(_: usize) -> bool {
        true
    }
    pub(crate) fn set(_: usize) {}
    pub(crate) fn current() -> Option<alloc::sync::Arc<Shared>> {
        None
    }
    pub(crate) fn enter(_: Option<alloc::sync::Arc<Shared>>) {}
}

/// budgetgrid patch: start a document with a budget of `limit` decoded bytes for all its
/// streams on this thread (0: none). Decoding fails once the budget is spent.
pub fn set_decode_budget(limit: usize) {
    budget::set(limit);
}

/// budgetgrid patch: has the document spent its decode budget?
pub fn decode_budget_spent() -> bool {
    budget::spent()
}

/// budgetgrid patch: the decode budget of the document read on this thread, to be shared
/// with the threads that read its other pages ([`DecodeBudget::enter`]).
#[derive(Debug, Clone)]
pub struct DecodeBudget(Option<alloc::sync::Arc<budget::Shared>>);

impl DecodeBudget {
    /// The budget this thread charges now.
    pub fn current() -> Self {
        Self(budget::current())
    }

    /// Charge this thread's decoding to the budget from now on.
    pub fn enter(&self) {
        budget::enter(self.0.clone());
    }
}
