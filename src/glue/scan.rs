//! The parallel scan behind every reader function: a queue of work units (files, row groups)
//! and a pool of open readers. Any DuckDB thread takes a reader, pulls one batch, and puts it
//! back, so threads share files fairly and at most one batch per thread is in memory.

use crate::columnar::Batch;
use crate::error::Result;
use crate::formats::reader::BatchReader;
use std::collections::VecDeque;
use std::sync::Mutex;

pub const BATCH_ROWS: usize = 2048;

/// An open reader plus what the glue needs to know about where its rows come from.
pub struct Active<M> {
    pub reader: Box<dyn BatchReader>,
    pub meta: M,
}

pub struct ScanPool<U, M> {
    units: Mutex<VecDeque<U>>,
    open: Mutex<Vec<Active<M>>>,
}

impl<U, M> ScanPool<U, M> {
    pub fn new(units: Vec<U>) -> Self {
        ScanPool {
            units: Mutex::new(units.into()),
            open: Mutex::new(Vec::new()),
        }
    }

    /// The next non-empty batch from any unit, or `None` when everything is read.
    /// `open_unit` turns a unit into a reader (done outside the locks: it does I/O).
    pub fn next(&self, open_unit: impl Fn(U) -> Result<Active<M>>) -> Result<Option<(Batch, M)>>
    where
        M: Clone,
    {
        loop {
            let taken = self.open.lock().map_err(|_| poisoned())?.pop();
            let mut active = match taken {
                Some(a) => a,
                None => {
                    let unit = self.units.lock().map_err(|_| poisoned())?.pop_front();
                    match unit {
                        Some(u) => open_unit(u)?,
                        None => return Ok(None),
                    }
                }
            };
            match active.reader.next_batch(BATCH_ROWS)? {
                Some(batch) => {
                    let meta = active.meta.clone();
                    self.open.lock().map_err(|_| poisoned())?.push(active);
                    return Ok(Some((batch, meta)));
                }
                None => continue, // this unit is done; its reader is dropped here
            }
        }
    }
}

fn poisoned() -> crate::error::Error {
    crate::error::Error::usage("an earlier error stopped this scan; run the query again")
}
