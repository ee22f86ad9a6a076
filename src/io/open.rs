//! Opening an input as a byte stream. Compression is recognised by magic bytes, not by the
//! file name, because exports get renamed (`.csv.gz` downloaded as `.csv`, zips named `.gz`).

use crate::error::{Error, Result};
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

/// Looks at the first bytes of a local file.
pub fn sniff(path: &Path) -> Result<Container> {
    let mut f = File::open(path).map_err(|e| Error::io(path, "cannot open", e))?;
    let mut head = [0u8; 4];
    let n = read_up_to(&mut f, &mut head).map_err(|e| Error::io(path, "cannot read", e))?;
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

/// A decompressed text stream of a local file (plain, gzip, or the first member of a zip).
pub fn open_text(path: &Path) -> Result<Box<dyn Read + Send>> {
    let container = sniff(path)?;
    let mut f = File::open(path).map_err(|e| Error::io(path, "cannot open", e))?;
    Ok(match container {
        Container::Plain => Box::new(BufReader::with_capacity(1 << 20, f)),
        // MultiGzDecoder: AWS writes some gzip files as several concatenated members.
        Container::Gzip => Box::new(flate2::read::MultiGzDecoder::new(BufReader::with_capacity(1 << 20, f))),
        Container::Zip => {
            f.seek(SeekFrom::Start(0))
                .map_err(|e| Error::io(path, "cannot read", e))?;
            let archive = zip::ZipArchive::new(f).map_err(|e| {
                Error::data(
                    crate::error::Position::file(path.display().to_string()),
                    format!("not a readable zip archive ({e})"),
                )
            })?;
            Box::new(ZipFirstMember::new(archive, path)?)
        }
        Container::Parquet => {
            return Err(Error::usage(format!("{}: is a Parquet file, not text", path.display())));
        }
    })
}

/// Streams the first file of a zip archive (AWS CUR zips hold exactly one CSV).
struct ZipFirstMember {
    // The archive must outlive the member reader; zip's API borrows it, so keep the decompressed
    // stream owned by reading it through a self-contained decoder.
    inner: Box<dyn Read + Send>,
}

impl ZipFirstMember {
    fn new(mut archive: zip::ZipArchive<File>, path: &Path) -> Result<Self> {
        let pos = || crate::error::Position::file(path.display().to_string());
        if archive.is_empty() {
            return Err(Error::data(pos(), "the zip archive is empty"));
        }
        let (start, method, size) = {
            let member = archive
                .by_index_raw(0)
                .map_err(|e| Error::data(pos(), format!("cannot read the zip member ({e})")))?;
            (member.data_start(), member.compression(), member.compressed_size())
        };
        let mut f = archive.into_inner();
        f.seek(SeekFrom::Start(start))
            .map_err(|e| Error::io(path, "cannot read", e))?;
        let raw = BufReader::with_capacity(1 << 20, f).take(size);
        let inner: Box<dyn Read + Send> = match method {
            zip::CompressionMethod::Stored => Box::new(raw),
            zip::CompressionMethod::Deflated => Box::new(flate2::read::DeflateDecoder::new(raw)),
            other => {
                return Err(Error::data(
                    pos(),
                    format!("zip compression {other:?} is not supported; use deflate or gzip"),
                ))
            }
        };
        Ok(ZipFirstMember { inner })
    }
}

impl Read for ZipFirstMember {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.inner.read(buf)
    }
}
