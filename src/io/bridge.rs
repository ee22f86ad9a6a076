//! The one tokio runtime the object-store clients run on, and the bridge from their async
//! byte streams to the blocking `Read` the decoders want.
//!
//! DuckDB calls us on its own threads; they block on this runtime. A stream's download runs as
//! a task that stays a bounded number of chunks ahead of the reader.

use crate::error::{Error, Result};
use bytes::Bytes;
use std::collections::HashMap;
use std::hash::Hash;
use std::io::Read;
use std::sync::{Mutex, OnceLock};

/// Chunks in flight per stream: downloading runs ahead of decoding by at most this many.
pub const STREAM_AHEAD: usize = 8;

pub fn runtime() -> Result<&'static tokio::runtime::Runtime> {
    static RT: OnceLock<std::result::Result<tokio::runtime::Runtime, String>> = OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("focus-io")
            .enable_all()
            .build()
            .map_err(|e| e.to_string())
    })
    .as_ref()
    .map_err(|e| Error::usage(format!("cannot start the object-store I/O runtime: {e}")))
}

pub type ChunkSender = tokio::sync::mpsc::Sender<std::io::Result<Bytes>>;

/// A reader fed by a download task, and the sender that task writes chunks to. The task should
/// stop when `send` fails: the reader was dropped (query finished or interrupted). A transfer
/// that breaks off is sent as an `ErrorKind::ConnectionAborted` error, so decoders can tell it
/// from a damaged file; its message need not name the object, the decoder's error does.
pub fn channel() -> (ChunkSender, Box<dyn Read + Send>) {
    let (tx, rx) = tokio::sync::mpsc::channel(STREAM_AHEAD);
    (
        tx,
        Box::new(ChannelReader {
            rx,
            current: Bytes::new(),
        }),
    )
}

struct ChannelReader {
    rx: tokio::sync::mpsc::Receiver<std::io::Result<Bytes>>,
    current: Bytes,
}

impl Read for ChannelReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.current.is_empty() {
            match self.rx.blocking_recv() {
                Some(Ok(b)) => self.current = b,
                Some(Err(e)) => return Err(e),
                None => return Ok(0),
            }
        }
        let n = buf.len().min(self.current.len());
        buf[..n].copy_from_slice(&self.current[..n]);
        bytes::Buf::advance(&mut self.current, n);
        Ok(n)
    }
}

/// Process-wide values by key: the settings a query gave per bucket, and the clients built
/// for each settings (their connection pools and credential caches outlive a query). A
/// poisoned lock reads as empty and writes are skipped: a lost entry only means rebuilding.
pub struct Registry<K, V>(OnceLock<Mutex<HashMap<K, V>>>);

impl<K: Eq + Hash, V: Clone> Default for Registry<K, V> {
    fn default() -> Self {
        Self::new()
    }
}

impl<K: Eq + Hash, V: Clone> Registry<K, V> {
    pub const fn new() -> Self {
        Registry(OnceLock::new())
    }

    fn map(&self) -> &Mutex<HashMap<K, V>> {
        self.0.get_or_init(|| Mutex::new(HashMap::new()))
    }

    pub fn set(&self, k: K, v: V) {
        if let Ok(mut m) = self.map().lock() {
            m.insert(k, v);
        }
    }

    pub fn get(&self, k: &K) -> Option<V> {
        self.map().lock().ok().and_then(|m| m.get(k).cloned())
    }

    /// The value for `k`, built by `build` the first time (outside the lock: building a client
    /// may do I/O; two threads racing both build, the later insert wins).
    pub fn get_or_build(&self, k: K, build: impl FnOnce(&K) -> Result<V>) -> Result<V> {
        if let Some(v) = self.get(&k) {
            return Ok(v);
        }
        let v = build(&k)?;
        self.set(k, v.clone());
        Ok(v)
    }
}
