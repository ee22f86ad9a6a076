//! One blocking interface over the object stores, so listing, manifests, Parquet and zip
//! readers work the same on every service. Each implementation blocks the calling DuckDB
//! thread on the shared runtime ([`crate::io::bridge`]) and names the object in its errors.

use crate::error::{Error, Result};
use crate::io::location::{ObjectUri, Scheme};
use bytes::Bytes;
use std::io::Read;
use std::ops::Range;
use std::sync::Arc;

pub trait Store: Send + Sync {
    /// Every key under `prefix` (a folder: empty or ending in '/') with its size, sorted.
    fn list(&self, prefix: &str) -> Result<Vec<(String, u64)>>;
    /// Whether any key lies under the folder `prefix` (ends in '/').
    fn has_prefix(&self, prefix: &str) -> Result<bool>;
    /// The object's size, `None` when there is no such object.
    fn head(&self, key: &str) -> Result<Option<u64>>;
    /// Bytes `range` of an object (fewer at its end).
    fn get_range(&self, key: &str, range: Range<u64>) -> Result<Bytes>;
    /// Several ranges at once, concurrently; results in the order asked.
    fn get_ranges(&self, key: &str, ranges: &[Range<u64>]) -> Result<Vec<Bytes>>;
    /// The last `n` bytes and the object's total size.
    fn get_tail(&self, key: &str, n: u64) -> Result<(Bytes, u64)>;
    /// A whole (small) object: manifests.
    fn get_all(&self, key: &str) -> Result<Vec<u8>>;
    /// The object from byte `start` on, downloaded ahead of the reader; dropping the reader
    /// stops the transfer.
    fn stream(&self, key: &str, start: u64) -> Result<Box<dyn Read + Send>>;
}

/// The store an object URI names, with the settings the query gave for it.
pub fn store_for(o: &ObjectUri) -> Result<Arc<dyn Store>> {
    match o.scheme {
        #[cfg(feature = "s3")]
        Scheme::S3 => Ok(Arc::new(crate::io::s3::Bucket::new(o.bucket))),
        #[cfg(feature = "cloud")]
        Scheme::Azure | Scheme::Gcs => crate::io::cloud::store(o),
        #[allow(unreachable_patterns)]
        other => Err(not_built(&o.uri_of(o.key), other)),
    }
}

/// The error for a scheme this build was compiled without.
pub fn not_built(what: &str, scheme: Scheme) -> Error {
    let feature = match scheme {
        Scheme::S3 => "s3",
        Scheme::Azure | Scheme::Gcs => "cloud",
    };
    Error::usage(format!(
        "'{what}': this build of focus was compiled without {} support (cargo feature \"{feature}\")",
        scheme.service()
    ))
}
