//! Opening an input as a byte stream. Compression is recognised by magic bytes, not by the
//! file name, because exports get renamed (`.csv.gz` downloaded as `.csv`, zips named `.gz`).

use crate::error::{Error, Result};
use crate::io::location::Location;
use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Container {
    Plain,
    Gzip,
    Zip,
    Parquet,
}

/// Looks at the first bytes of a file or object.
pub fn sniff(path: &Path) -> Result<Container> {
    let mut head = [0u8; 4];
    let n = match Location::of(path)? {
        Location::Local(_) => {
            let mut f = File::open(path).map_err(|e| Error::io(path, "cannot open", e))?;
            read_up_to(&mut f, &mut head).map_err(|e| Error::io(path, "cannot read", e))?
        }
        Location::Object(o) => {
            let b = remote::range(&o, 0, 4)?;
            head[..b.len()].copy_from_slice(&b);
            b.len()
        }
    };
    Ok(match &head[..n] {
        [0x1f, 0x8b, ..] => Container::Gzip,
        [b'P', b'K', 3, 4] => Container::Zip,
        b"PAR1" => Container::Parquet,
        _ => Container::Plain,
    })
}

fn read_up_to(r: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

/// A whole file or object in memory (manifests: small JSON).
pub fn read_all(path: &Path) -> Result<Vec<u8>> {
    match Location::of(path)? {
        Location::Local(p) => std::fs::read(p).map_err(|e| Error::io(p, "cannot read", e)),
        Location::Object(o) => remote::all(&o),
    }
}

/// A decompressed text stream of a file or object (plain, gzip, or the first member of a zip).
pub fn open_text(path: &Path) -> Result<Box<dyn Read + Send>> {
    if let Location::Object(o) = Location::of(path)? {
        return remote::open_text(path, &o);
    }
    let container = sniff(path)?;
    let mut f = File::open(path).map_err(|e| Error::io(path, "cannot open", e))?;
    Ok(match container {
        Container::Plain => Box::new(BufReader::with_capacity(1 << 20, f)),
        // MultiGzDecoder: AWS writes some gzip files as several concatenated members.
        Container::Gzip => Box::new(flate2::read::MultiGzDecoder::new(BufReader::with_capacity(1 << 20, f))),
        Container::Zip => {
            let (start, method, size) = zip_first_member(&mut f, path)?;
            f.seek(SeekFrom::Start(start))
                .map_err(|e| Error::io(path, "cannot read", e))?;
            decode_member(BufReader::with_capacity(1 << 20, f).take(size), method, path)?
        }
        Container::Parquet => {
            return Err(Error::usage(format!("{}: is a Parquet file, not text", path.display())));
        }
    })
}

/// Where the first member of a zip archive starts, how it is compressed and its compressed size
/// (AWS CUR zips hold exactly one CSV). Reads only the central directory at the end.
fn zip_first_member<R: Read + Seek>(r: R, path: &Path) -> Result<(u64, zip::CompressionMethod, u64)> {
    let pos = || crate::error::Position::file(path.display().to_string());
    let mut archive =
        zip::ZipArchive::new(r).map_err(|e| Error::data(pos(), format!("not a readable zip archive ({e})")))?;
    if archive.is_empty() {
        return Err(Error::data(pos(), "the zip archive is empty"));
    }
    let member = archive
        .by_index_raw(0)
        .map_err(|e| Error::data(pos(), format!("cannot read the zip member ({e})")))?;
    Ok((member.data_start(), member.compression(), member.compressed_size()))
}

/// The member's raw bytes, decompressed: owned by the stream, so no archive borrow outlives it.
fn decode_member(
    raw: impl Read + Send + 'static,
    method: zip::CompressionMethod,
    path: &Path,
) -> Result<Box<dyn Read + Send>> {
    Ok(match method {
        zip::CompressionMethod::Stored => Box::new(raw),
        zip::CompressionMethod::Deflated => Box::new(flate2::read::DeflateDecoder::new(raw)),
        other => {
            return Err(Error::data(
                crate::error::Position::file(path.display().to_string()),
                format!("zip compression {other:?} is not supported; use deflate or gzip"),
            ))
        }
    })
}

/// Parquet bytes from a local file or an object (ranged reads); parquet's `ChunkReader`.
pub enum ParquetSource {
    File(File),
    #[cfg(any(feature = "s3", feature = "cloud"))]
    Remote(std::sync::Arc<crate::io::object::RemoteObject>),
}

impl ParquetSource {
    pub fn open(path: &Path) -> Result<ParquetSource> {
        match Location::of(path)? {
            Location::Local(p) => Ok(ParquetSource::File(
                File::open(p).map_err(|e| Error::io(p, "cannot open", e))?,
            )),
            Location::Object(o) => remote::parquet(&o),
        }
    }

    /// Fetches these byte ranges ahead, concurrently (a no-op on local files).
    #[cfg_attr(not(any(feature = "s3", feature = "cloud")), allow(unused_variables))]
    pub fn prefetch(&self, ranges: Vec<std::ops::Range<u64>>) -> Result<()> {
        match self {
            ParquetSource::File(_) => Ok(()),
            #[cfg(any(feature = "s3", feature = "cloud"))]
            ParquetSource::Remote(o) => o.prefetch(ranges),
        }
    }

    /// Byte ranges a miss should fetch whole (column chunks), so pages are not fetched one by one.
    #[cfg_attr(not(any(feature = "s3", feature = "cloud")), allow(unused_variables))]
    pub fn set_chunks(&self, ranges: Vec<std::ops::Range<u64>>) {
        match self {
            ParquetSource::File(_) => {}
            #[cfg(any(feature = "s3", feature = "cloud"))]
            ParquetSource::Remote(o) => o.set_chunks(ranges),
        }
    }
}

impl parquet::file::reader::Length for ParquetSource {
    fn len(&self) -> u64 {
        match self {
            ParquetSource::File(f) => parquet::file::reader::Length::len(f),
            #[cfg(any(feature = "s3", feature = "cloud"))]
            ParquetSource::Remote(o) => o.len(),
        }
    }
}

impl parquet::file::reader::ChunkReader for ParquetSource {
    type T = Box<dyn Read + Send>;

    fn get_read(&self, start: u64) -> parquet::errors::Result<Self::T> {
        match self {
            ParquetSource::File(f) => Ok(Box::new(f.get_read(start)?)),
            #[cfg(any(feature = "s3", feature = "cloud"))]
            ParquetSource::Remote(o) => Ok(Box::new(crate::io::object::ObjectCursor::new(o.clone(), start))),
        }
    }

    fn get_bytes(&self, start: u64, length: usize) -> parquet::errors::Result<bytes::Bytes> {
        match self {
            ParquetSource::File(f) => f.get_bytes(start, length),
            #[cfg(any(feature = "s3", feature = "cloud"))]
            ParquetSource::Remote(o) => o
                .read_range(start, length as u64)
                .map_err(|e| parquet::errors::ParquetError::External(Box::new(e))),
        }
    }
}

/// Object-store access, or a clear error when the build has none.
#[cfg(any(feature = "s3", feature = "cloud"))]
mod remote {
    use super::*;
    use crate::io::location::ObjectUri;
    use crate::io::object::{ObjectCursor, RemoteObject};
    use crate::io::store::store_for;
    use std::sync::Arc;

    pub fn range(o: &ObjectUri, start: u64, end: u64) -> Result<bytes::Bytes> {
        store_for(o)?.get_range(o.key, start..end)
    }

    pub fn all(o: &ObjectUri) -> Result<Vec<u8>> {
        store_for(o)?.get_all(o.key)
    }

    pub fn parquet(o: &ObjectUri) -> Result<ParquetSource> {
        Ok(ParquetSource::Remote(Arc::new(RemoteObject::open(o)?)))
    }

    pub fn open_text(path: &Path, o: &ObjectUri) -> Result<Box<dyn Read + Send>> {
        const BUF: usize = 1 << 20;
        let store = store_for(o)?;
        Ok(match sniff(path)? {
            Container::Plain => Box::new(BufReader::with_capacity(BUF, store.stream(o.key, 0)?)),
            Container::Gzip => Box::new(flate2::read::MultiGzDecoder::new(BufReader::with_capacity(
                BUF,
                store.stream(o.key, 0)?,
            ))),
            Container::Zip => {
                // The central directory by ranged reads, then the member as one stream.
                let obj = Arc::new(RemoteObject::open(o)?);
                let (start, method, size) = zip_first_member(ObjectCursor::new(obj, 0), path)?;
                let raw = BufReader::with_capacity(BUF, store.stream(o.key, start)?).take(size);
                decode_member(raw, method, path)?
            }
            Container::Parquet => {
                return Err(Error::usage(format!("{}: is a Parquet file, not text", path.display())));
            }
        })
    }
}

#[cfg(not(any(feature = "s3", feature = "cloud")))]
mod remote {
    use super::*;
    use crate::io::location::ObjectUri;
    use crate::io::store::not_built;

    pub fn range(o: &ObjectUri, _: u64, _: u64) -> Result<Vec<u8>> {
        Err(not_built(&o.uri_of(o.key), o.scheme))
    }
    pub fn all(o: &ObjectUri) -> Result<Vec<u8>> {
        Err(not_built(&o.uri_of(o.key), o.scheme))
    }
    pub fn parquet(o: &ObjectUri) -> Result<ParquetSource> {
        Err(not_built(&o.uri_of(o.key), o.scheme))
    }
    pub fn open_text(_: &Path, o: &ObjectUri) -> Result<Box<dyn Read + Send>> {
        Err(not_built(&o.uri_of(o.key), o.scheme))
    }
}
