//! Where an input lives: a local path or an object in a bucket.
//!
//! Inputs travel through discovery and scan units as `PathBuf`s whose text may be an object
//! URI (`s3://bucket/key`): joining a key onto a folder URI and displaying it work unchanged,
//! so vendor modules stay location-agnostic. Only the I/O layer (`listing`, `open`) parses the
//! text back into a [`Location`] and decides where the bytes come from.

use crate::error::{Error, Result};
use std::path::Path;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location<'a> {
    Local(&'a Path),
    /// `s3://bucket/key`; `key` may be empty (the whole bucket) or end with '/' (a folder).
    S3 {
        bucket: &'a str,
        key: &'a str,
    },
}

/// Object-store schemes we recognise but cannot read yet: a clear error beats "no such file".
const UNSUPPORTED: &[&str] = &[
    "az://", "abfs://", "abfss://", "gs://", "gcs://", "https://", "http://", "r2://",
];

impl<'a> Location<'a> {
    pub fn of(path: &'a Path) -> Result<Location<'a>> {
        let Some(text) = path.to_str() else {
            return Ok(Location::Local(path));
        };
        if let Some(rest) = text.strip_prefix("s3://") {
            let (bucket, key) = rest.split_once('/').unwrap_or((rest, ""));
            if bucket.is_empty() {
                return Err(Error::usage(format!(
                    "'{text}': an S3 URI needs a bucket, e.g. s3://my-bucket/cur/"
                )));
            }
            return Ok(Location::S3 { bucket, key });
        }
        if let Some(scheme) = UNSUPPORTED.iter().find(|s| text.starts_with(**s)) {
            return Err(Error::usage(format!(
                "'{text}': {scheme} URIs are not supported by this build yet (only local paths and s3://); copy the files locally or to S3"
            )));
        }
        Ok(Location::Local(path))
    }

    pub fn is_remote(path: &Path) -> bool {
        path.to_str().is_some_and(|t| t.starts_with("s3://"))
    }
}

/// The last path segment of a folder (`s3://b/x/report/` → `report`).
pub fn folder_name(uri: &str) -> &str {
    uri.trim_end_matches('/').rsplit('/').next().unwrap_or("")
}

/// A folder's parent as the user would write it (`s3://b/x/report/` → `s3://b/x`).
pub fn folder_parent(uri: &str) -> &str {
    let t = uri.trim_end_matches('/');
    t.rsplit_once('/').map(|(p, _)| p).unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_s3_uris() {
        let p = Path::new("s3://b/cur/r/");
        assert_eq!(
            Location::of(p).unwrap(),
            Location::S3 {
                bucket: "b",
                key: "cur/r/"
            }
        );
        assert_eq!(
            Location::of(Path::new("s3://b")).unwrap(),
            Location::S3 { bucket: "b", key: "" }
        );
        assert!(Location::of(Path::new("s3:///k")).is_err());
        assert!(matches!(
            Location::of(Path::new("data/x.csv")).unwrap(),
            Location::Local(_)
        ));
    }

    #[test]
    fn other_schemes_say_not_supported() {
        let e = Location::of(Path::new("gs://b/x.parquet")).unwrap_err().to_string();
        assert!(e.contains("not supported by this build yet"), "{e}");
        assert!(Location::of(Path::new("abfss://c@a.dfs.core.windows.net/x")).is_err());
    }

    #[test]
    fn folder_parts() {
        assert_eq!(folder_name("s3://b/x/report/"), "report");
        assert_eq!(folder_parent("s3://b/x/report/"), "s3://b/x");
        assert_eq!(PathBufJoin::join("s3://b/x/", "r/a.csv"), "s3://b/x/r/a.csv");
    }

    struct PathBufJoin;
    impl PathBufJoin {
        fn join(dir: &str, k: &str) -> String {
            std::path::PathBuf::from(dir).join(k).display().to_string()
        }
    }
}
