//! Azure Blob Storage and Google Cloud Storage through `object_store`, behind the same blocking
//! [`Store`] interface as S3.
//!
//! Credentials come from each service's own chain as `object_store` reads it from the
//! environment (see `build.rs`). Stores are cached per (URI root, endpoint): building one reads
//! the environment and credential files, and its connection pool and token cache should
//! outlive a query.

mod build;
mod errors;

use crate::error::{Error, Result};
use crate::io::bridge::{self, Registry};
use crate::io::location::{ObjectUri, Scheme};
use crate::io::store::Store;
use bytes::Bytes;
use futures::StreamExt;
use object_store::path::Path as ObjPath;
use object_store::{GetOptions, GetRange, ObjectStore};
use std::future::Future;
use std::io::{ErrorKind, Read};
use std::ops::Range;
use std::sync::Arc;
use std::time::Duration;

/// A request (with its retries) that has not finished by then is abandoned with an error:
/// a server that accepts connections but never answers must not hang the DuckDB session.
const OPERATION_TIMEOUT: Duration = Duration::from_secs(120);
/// A stream that delivers nothing for this long is considered stalled.
const STALL_TIMEOUT: Duration = Duration::from_secs(30);

/// What a query may set for an Azure or Google store: `endpoint` (Azure only).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Settings {
    pub endpoint: Option<String>,
}

/// The settings the latest query gave per store root, and the stores built per root + settings.
static SETTINGS: Registry<String, Settings> = Registry::new();
static STORES: Registry<(String, Settings), Arc<CloudStore>> = Registry::new();

/// Remembers the settings a query gave for a store root (`az://container`); scan units carry
/// only URIs. As with S3 buckets, the latest bind naming a root decides.
pub fn configure(root: &str, s: Settings) {
    SETTINGS.set(root.to_string(), s);
}

/// The store for an `az://`/`abfss://`/`gs://` URI.
pub fn store(o: &ObjectUri) -> Result<Arc<dyn Store>> {
    let s = SETTINGS.get(&o.root.to_string()).unwrap_or_default();
    let c = STORES.get_or_build((o.root.to_string(), s), |(root, s)| {
        // object_store builds its HTTP client inside the runtime (reqwest needs a reactor).
        let _guard = bridge::runtime()?.enter();
        let inner = match o.scheme {
            Scheme::Azure => build::azure(o, s),
            Scheme::Gcs => build::gcs(o, s),
            Scheme::S3 => Err(Error::usage("internal: s3:// is read by the S3 client")),
        }?;
        Ok(Arc::new(CloudStore {
            inner,
            root: root.clone(),
            scheme: o.scheme,
        }))
    })?;
    Ok(c)
}

pub struct CloudStore {
    inner: Arc<dyn ObjectStore>,
    root: String,
    scheme: Scheme,
}

impl CloudStore {
    fn uri(&self, key: &str) -> String {
        format!("{}/{}", self.root, key)
    }

    fn path(&self, key: &str) -> Result<ObjPath> {
        ObjPath::parse(key).map_err(|e| Error::ObjectStore {
            uri: self.uri(key),
            message: format!("not a valid object name ({e})"),
        })
    }

    /// Runs one request on the runtime, bounded by [`OPERATION_TIMEOUT`].
    fn run<T>(&self, what: &str, f: impl Future<Output = object_store::Result<T>>) -> Result<T> {
        let rt = bridge::runtime()?;
        // The timer must be created inside the runtime, hence the async block.
        match rt.block_on(async move { tokio::time::timeout(OPERATION_TIMEOUT, f).await }) {
            Ok(r) => r.map_err(|e| errors::map(self.scheme, &self.root, &self.uri(what), &e)),
            Err(_) => Err(errors::timed_out(self.scheme, &self.uri(what), OPERATION_TIMEOUT)),
        }
    }
}

impl Store for CloudStore {
    fn list(&self, prefix: &str) -> Result<Vec<(String, u64)>> {
        // object_store lists by whole path segments: "a/b/" and "a/b" are the same folder.
        let p = if prefix.trim_matches('/').is_empty() {
            None
        } else {
            Some(self.path(prefix)?)
        };
        let store = self.inner.clone();
        let mut out: Vec<(String, u64)> = self.run(prefix, async move {
            store
                .list(p.as_ref())
                .map(|m| m.map(|m| (m.location.to_string(), m.size)))
                .collect::<Vec<_>>()
                .await
                .into_iter()
                .collect::<object_store::Result<Vec<_>>>()
        })?;
        out.sort();
        Ok(out)
    }

    fn has_prefix(&self, prefix: &str) -> Result<bool> {
        let p = self.path(prefix)?;
        let store = self.inner.clone();
        self.run(prefix, async move {
            match store.list(Some(&p)).next().await {
                Some(Ok(_)) => Ok(true),
                Some(Err(e)) => Err(e),
                None => Ok(false),
            }
        })
    }

    fn head(&self, key: &str) -> Result<Option<u64>> {
        let p = self.path(key)?;
        let store = self.inner.clone();
        self.run(key, async move {
            match store.head(&p).await {
                Ok(m) => Ok(Some(m.size)),
                Err(object_store::Error::NotFound { .. }) => Ok(None),
                Err(e) => Err(e),
            }
        })
    }

    fn get_range(&self, key: &str, range: Range<u64>) -> Result<Bytes> {
        if range.end <= range.start {
            return Ok(Bytes::new());
        }
        let p = self.path(key)?;
        let store = self.inner.clone();
        self.run(key, async move { store.get_range(&p, range).await })
    }

    fn get_ranges(&self, key: &str, ranges: &[Range<u64>]) -> Result<Vec<Bytes>> {
        let p = self.path(key)?;
        let store = self.inner.clone();
        let ranges = ranges.to_vec();
        // object_store coalesces nearby ranges and fetches the rest concurrently.
        self.run(key, async move { store.get_ranges(&p, &ranges).await })
    }

    fn get_tail(&self, key: &str, n: u64) -> Result<(Bytes, u64)> {
        // Azure has no suffix ranges: the size first, then a bounded range (two round trips,
        // once per object).
        let size = self.head(key)?.ok_or_else(|| Error::ObjectStore {
            uri: self.uri(key),
            message: errors::not_found(self.scheme),
        })?;
        let tail = self.get_range(key, size.saturating_sub(n)..size)?;
        Ok((tail, size))
    }

    fn get_all(&self, key: &str) -> Result<Vec<u8>> {
        let p = self.path(key)?;
        let store = self.inner.clone();
        self.run(key, async move { store.get(&p).await?.bytes().await })
            .map(|b| b.to_vec())
    }

    fn stream(&self, key: &str, start: u64) -> Result<Box<dyn Read + Send>> {
        let p = self.path(key)?;
        let store = self.inner.clone();
        let opts = GetOptions {
            range: (start > 0).then_some(GetRange::Offset(start)),
            ..Default::default()
        };
        let got = self.run(key, async move { store.get_opts(&p, opts).await })?;
        let mut body = got.into_stream();
        let (tx, reader) = bridge::channel();
        bridge::runtime()?.spawn(async move {
            loop {
                let item = match tokio::time::timeout(STALL_TIMEOUT, body.next()).await {
                    Ok(Some(Ok(b))) => Ok(b),
                    Ok(None) => return,
                    Ok(Some(Err(e))) => Err(std::io::Error::new(
                        ErrorKind::ConnectionAborted,
                        format!(
                            "the transfer broke off ({}); the server closed the connection or stalled",
                            errors::cause(&e)
                        ),
                    )),
                    Err(_) => Err(std::io::Error::new(
                        ErrorKind::ConnectionAborted,
                        format!(
                            "the transfer stalled (nothing for {} s); check the network or endpoint",
                            STALL_TIMEOUT.as_secs()
                        ),
                    )),
                };
                let failed = item.is_err();
                if tx.send(item).await.is_err() || failed {
                    return; // reader dropped: stop downloading
                }
            }
        });
        Ok(reader)
    }
}
