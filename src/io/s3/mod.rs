//! Amazon S3 (and S3-compatible stores) with `aws-sdk-s3`: listing, ranged reads, streaming.
//!
//! Every call blocks the calling DuckDB thread on the shared runtime ([`crate::io::bridge`]).
//! Errors name the object (`s3://bucket/key`) and never carry credentials.

pub mod client;
mod errors;

pub use client::{configure, Settings};

use crate::error::{Error, Result};
use crate::io::bridge;
use bytes::Bytes;
use std::io::Read;
use std::ops::Range;
use std::sync::Arc;

/// Concurrent range requests per `get_ranges` call.
const IN_FLIGHT: usize = 8;

/// One bucket as a [`crate::io::store::Store`]; its client comes from the settings the query
/// gave for the bucket ([`configure`]).
pub struct Bucket {
    bucket: String,
}

impl Bucket {
    pub fn new(bucket: &str) -> Bucket {
        Bucket {
            bucket: bucket.to_string(),
        }
    }
}

impl crate::io::store::Store for Bucket {
    fn list(&self, prefix: &str) -> Result<Vec<(String, u64)>> {
        list(&self.bucket, prefix)
    }
    fn has_prefix(&self, prefix: &str) -> Result<bool> {
        has_prefix(&self.bucket, prefix)
    }
    fn head(&self, key: &str) -> Result<Option<u64>> {
        head(&self.bucket, key)
    }
    fn get_range(&self, key: &str, range: Range<u64>) -> Result<Bytes> {
        get_range(&self.bucket, key, range.start, range.end)
    }
    fn get_ranges(&self, key: &str, ranges: &[Range<u64>]) -> Result<Vec<Bytes>> {
        get_ranges(&self.bucket, key, ranges)
    }
    fn get_tail(&self, key: &str, n: u64) -> Result<(Bytes, u64)> {
        get_tail(&self.bucket, key, n)
    }
    fn get_all(&self, key: &str) -> Result<Vec<u8>> {
        get_all(&self.bucket, key)
    }
    fn stream(&self, key: &str, start: u64) -> Result<Box<dyn Read + Send>> {
        stream(&self.bucket, key, start)
    }
}

pub(crate) fn client_attempts() -> u32 {
    client::MAX_ATTEMPTS
}

pub fn uri(bucket: &str, key: &str) -> String {
    format!("s3://{bucket}/{key}")
}

/// Every key under `prefix` with its size, sorted (ListObjectsV2, all pages).
pub fn list(bucket: &str, prefix: &str) -> Result<Vec<(String, u64)>> {
    let c = client::client(bucket)?;
    let rt = bridge::runtime()?;
    let shown = uri(bucket, prefix);
    rt.block_on(async {
        let mut pages =
            c.s3.list_objects_v2()
                .bucket(bucket)
                .prefix(prefix)
                .into_paginator()
                .send();
        let mut out = Vec::new();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| errors::map(&shown, bucket, &c, e))?;
            for o in page.contents() {
                if let Some(k) = o.key() {
                    out.push((k.to_string(), o.size().unwrap_or(0).max(0) as u64));
                }
            }
        }
        out.sort();
        Ok(out)
    })
}

/// Whether any key starts with `prefix` (one page of at most one key).
pub fn has_prefix(bucket: &str, prefix: &str) -> Result<bool> {
    let c = client::client(bucket)?;
    let shown = uri(bucket, prefix);
    bridge::runtime()?.block_on(async {
        let page =
            c.s3.list_objects_v2()
                .bucket(bucket)
                .prefix(prefix)
                .max_keys(1)
                .send()
                .await
                .map_err(|e| errors::map(&shown, bucket, &c, e))?;
        Ok(!page.contents().is_empty())
    })
}

/// Whether `key` is an object (its size), `None` when there is no such object.
pub fn head(bucket: &str, key: &str) -> Result<Option<u64>> {
    let c = client::client(bucket)?;
    let rt = bridge::runtime()?;
    rt.block_on(async {
        match c.s3.head_object().bucket(bucket).key(key).send().await {
            Ok(o) => Ok(Some(o.content_length().unwrap_or(0).max(0) as u64)),
            Err(e) if e.raw_response().is_some_and(|r| r.status().as_u16() == 404) => Ok(None),
            Err(e) => Err(errors::map(&uri(bucket, key), bucket, &c, e)),
        }
    })
}

/// Bytes `start..end` of an object (fewer at its end). A start past the end reads nothing.
pub async fn get_range_async(c: &client::Client, bucket: &str, key: &str, start: u64, end: u64) -> Result<Bytes> {
    if end <= start {
        return Ok(Bytes::new());
    }
    let shown = uri(bucket, key);
    let r =
        c.s3.get_object()
            .bucket(bucket)
            .key(key)
            .range(format!("bytes={start}-{}", end - 1))
            .send()
            .await;
    let o = match r {
        Ok(o) => o,
        // 416: the range starts at or past the end (an empty object has no byte 0).
        Err(e) if e.raw_response().is_some_and(|r| r.status().as_u16() == 416) => return Ok(Bytes::new()),
        Err(e) => return Err(errors::map(&shown, bucket, c, e)),
    };
    let full = o.content_range().is_none();
    let body = o.body.collect().await.map_err(|e| body_error(&shown, &e))?.into_bytes();
    // A server that ignores Range sends the whole object: cut the part asked for.
    if full {
        let s = (start as usize).min(body.len());
        let e = (end as usize).min(body.len());
        return Ok(body.slice(s..e));
    }
    Ok(body)
}

pub fn get_range(bucket: &str, key: &str, start: u64, end: u64) -> Result<Bytes> {
    let c = client::client(bucket)?;
    bridge::runtime()?.block_on(get_range_async(&c, bucket, key, start, end))
}

/// Several ranges of one object, at most [`IN_FLIGHT`] requests at a time.
pub fn get_ranges(bucket: &str, key: &str, ranges: &[Range<u64>]) -> Result<Vec<Bytes>> {
    let c = client::client(bucket)?;
    bridge::runtime()?.block_on(async {
        let sem = Arc::new(tokio::sync::Semaphore::new(IN_FLIGHT));
        let mut tasks = Vec::new();
        for r in ranges.iter().cloned() {
            let (c, sem, bucket, key) = (c.clone(), sem.clone(), bucket.to_string(), key.to_string());
            tasks.push(tokio::spawn(async move {
                let _permit = sem.acquire_owned().await;
                get_range_async(&c, &bucket, &key, r.start, r.end).await
            }));
        }
        let mut out = Vec::new();
        for t in tasks {
            match t.await {
                Ok(r) => out.push(r?),
                Err(e) => {
                    return Err(Error::ObjectStore {
                        uri: uri(bucket, key),
                        message: format!("a range request failed ({e})"),
                    })
                }
            }
        }
        Ok(out)
    })
}

/// The last `n` bytes of an object and its total size, in one request (a suffix range).
pub fn get_tail(bucket: &str, key: &str, n: u64) -> Result<(Bytes, u64)> {
    let c = client::client(bucket)?;
    let shown = uri(bucket, key);
    bridge::runtime()?.block_on(async {
        let r =
            c.s3.get_object()
                .bucket(bucket)
                .key(key)
                .range(format!("bytes=-{n}"))
                .send()
                .await;
        let o = match r {
            Ok(o) => o,
            Err(e) if e.raw_response().is_some_and(|r| r.status().as_u16() == 416) => return Ok((Bytes::new(), 0)),
            Err(e) => return Err(errors::map(&shown, bucket, &c, e)),
        };
        // `bytes a-b/total`; without it the server sent the whole object.
        let total = o
            .content_range()
            .and_then(|r| r.rsplit('/').next())
            .and_then(|t| t.parse::<u64>().ok());
        let body = o.body.collect().await.map_err(|e| body_error(&shown, &e))?.into_bytes();
        match total {
            Some(t) => Ok((body, t)),
            None => {
                let t = body.len() as u64;
                let s = body.len().saturating_sub(n as usize);
                Ok((body.slice(s..), t))
            }
        }
    })
}

/// A whole (small) object: manifests.
pub fn get_all(bucket: &str, key: &str) -> Result<Vec<u8>> {
    let c = client::client(bucket)?;
    let shown = uri(bucket, key);
    bridge::runtime()?.block_on(async {
        let o =
            c.s3.get_object()
                .bucket(bucket)
                .key(key)
                .send()
                .await
                .map_err(|e| errors::map(&shown, bucket, &c, e))?;
        Ok(o.body.collect().await.map_err(|e| body_error(&shown, &e))?.to_vec())
    })
}

fn body_error(shown: &str, e: &dyn std::error::Error) -> Error {
    Error::ObjectStore {
        uri: shown.to_string(),
        message: format!("the transfer broke off ({e}); the server closed the connection or stalled"),
    }
}

/// An object from byte `start` on as a `Read`. A task on the runtime downloads ahead while the
/// DuckDB thread decodes; dropping the reader (query finished or interrupted) stops the task
/// and the transfer at the next chunk.
pub fn stream(bucket: &str, key: &str, start: u64) -> Result<Box<dyn Read + Send>> {
    let c = client::client(bucket)?;
    let rt = bridge::runtime()?;
    let shown = uri(bucket, key);
    let mut req = c.s3.get_object().bucket(bucket).key(key);
    if start > 0 {
        req = req.range(format!("bytes={start}-"));
    }
    let o = rt
        .block_on(req.send())
        .map_err(|e| errors::map(&shown, bucket, &c, e))?;
    let mut body = o.body;
    let (tx, reader) = bridge::channel();
    rt.spawn(async move {
        loop {
            let item = match body.try_next().await {
                Ok(Some(b)) => Ok(b),
                Ok(None) => return,
                Err(e) => Err(std::io::Error::new(
                    std::io::ErrorKind::ConnectionAborted,
                    format!("the transfer broke off ({e}); the server closed the connection or stalled"),
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
