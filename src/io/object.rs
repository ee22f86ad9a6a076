//! One object (any store) read by byte ranges, for formats that seek: Parquet (footer, then the column
//! chunks of a row group) and zip (central directory at the end). Nothing buffers the whole
//! object: ranges are fetched on demand or prefetched concurrently, and a bounded cache keeps
//! the segments a reader is still working through.

use crate::error::Result;
use crate::io::location::ObjectUri;
use crate::io::store::{store_for, Store};
use bytes::Bytes;
use std::io::{Read, Seek, SeekFrom};
use std::ops::Range;
use std::sync::{Arc, Mutex};

/// The first request reads this much of the end: a Parquet footer in one round trip.
const TAIL: u64 = 64 * 1024;
/// A cache miss outside any known column chunk reads at least this much (sequential readers).
const MIN_FETCH: u64 = 1 << 20;
/// Cached bytes per object before the oldest segments are dropped.
const CACHE_LIMIT: usize = 256 << 20;
pub struct RemoteObject {
    store: Arc<dyn Store>,
    key: String,
    pub uri: String,
    size: u64,
    /// (offset, bytes), oldest first.
    cache: Mutex<Vec<(u64, Bytes)>>,
    /// Byte ranges worth fetching whole on a miss (Parquet column chunks).
    chunks: Mutex<Vec<Range<u64>>>,
}

impl RemoteObject {
    /// Reads the object's tail (which also tells its size).
    pub fn open(o: &ObjectUri) -> Result<RemoteObject> {
        let store = store_for(o)?;
        let (tail, size) = store.get_tail(o.key, TAIL)?;
        let o = RemoteObject {
            store,
            key: o.key.to_string(),
            uri: o.uri_of(o.key),
            size,
            cache: Mutex::new(Vec::new()),
            chunks: Mutex::new(Vec::new()),
        };
        o.insert(size.saturating_sub(tail.len() as u64), tail);
        Ok(o)
    }

    pub fn len(&self) -> u64 {
        self.size
    }

    pub fn is_empty(&self) -> bool {
        self.size == 0
    }

    fn lookup(&self, start: u64, len: u64) -> Option<Bytes> {
        let cache = self.cache.lock().ok()?;
        cache.iter().rev().find_map(|(off, b)| {
            (start >= *off && start + len <= off + b.len() as u64)
                .then(|| b.slice((start - off) as usize..(start - off + len) as usize))
        })
    }

    fn insert(&self, offset: u64, bytes: Bytes) {
        if bytes.is_empty() {
            return;
        }
        if let Ok(mut cache) = self.cache.lock() {
            cache.push((offset, bytes));
            let mut total: usize = cache.iter().map(|(_, b)| b.len()).sum();
            while total > CACHE_LIMIT && cache.len() > 1 {
                total -= cache.remove(0).1.len();
            }
        }
    }

    /// Column chunk ranges: a miss inside one fetches the whole chunk once, not page by page.
    pub fn set_chunks(&self, ranges: Vec<Range<u64>>) {
        if let Ok(mut c) = self.chunks.lock() {
            *c = ranges;
        }
    }

    /// `len` bytes at `start` (fewer at the end of the object).
    pub fn read_range(&self, start: u64, len: u64) -> Result<Bytes> {
        let len = len.min(self.size.saturating_sub(start));
        if len == 0 {
            return Ok(Bytes::new());
        }
        if let Some(b) = self.lookup(start, len) {
            return Ok(b);
        }
        let chunk = self
            .chunks
            .lock()
            .ok()
            .and_then(|c| c.iter().find(|r| r.contains(&start) && start + len <= r.end).cloned());
        let fetch = chunk.unwrap_or(start..(start + len.max(MIN_FETCH)).min(self.size));
        let b = self.store.get_range(&self.key, fetch.clone())?;
        self.insert(fetch.start, b.clone());
        let s = (start - fetch.start) as usize;
        Ok(b.slice(s.min(b.len())..(s + len as usize).min(b.len())))
    }

    /// Fetches `ranges` concurrently into the cache (a row group's projected column chunks).
    pub fn prefetch(&self, ranges: Vec<Range<u64>>) -> Result<()> {
        let ranges: Vec<Range<u64>> = ranges
            .into_iter()
            .filter(|r| r.start < r.end && self.lookup(r.start, r.end - r.start).is_none())
            .collect();
        if ranges.is_empty() {
            return Ok(());
        }
        let got = self.store.get_ranges(&self.key, &ranges)?;
        let got: Vec<(u64, Bytes)> = ranges.iter().map(|r| r.start).zip(got).collect();
        for (off, b) in got {
            self.insert(off, b);
        }
        Ok(())
    }
}

/// `Read + Seek` over an object, for readers that need to seek (zip).
pub struct ObjectCursor {
    obj: Arc<RemoteObject>,
    pos: u64,
}

impl ObjectCursor {
    pub fn new(obj: Arc<RemoteObject>, pos: u64) -> Self {
        ObjectCursor { obj, pos }
    }
}

impl Read for ObjectCursor {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let b = self
            .obj
            .read_range(self.pos, buf.len() as u64)
            .map_err(|e| std::io::Error::other(e.to_string()))?;
        buf[..b.len()].copy_from_slice(&b);
        self.pos += b.len() as u64;
        Ok(b.len())
    }
}

impl Seek for ObjectCursor {
    fn seek(&mut self, to: SeekFrom) -> std::io::Result<u64> {
        let target = match to {
            SeekFrom::Start(p) => Some(p),
            SeekFrom::End(d) => self.obj.len().checked_add_signed(d),
            SeekFrom::Current(d) => self.pos.checked_add_signed(d),
        };
        self.pos = target.ok_or_else(|| std::io::Error::other(format!("{}: seek before the start", self.obj.uri)))?;
        Ok(self.pos)
    }
}
