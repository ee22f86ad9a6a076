//! Where an input lives: a local path or an object in a bucket or container.
//!
//! Inputs travel through discovery and scan units as `PathBuf`s whose text may be an object
//! URI (`s3://bucket/key`, `az://container/key`, `gs://bucket/key`): joining a key onto a folder
//! URI and displaying it work unchanged, so vendor modules stay location-agnostic. Only the I/O
//! layer (`listing`, `open`, `store`) parses the text back into a [`Location`] and decides where
//! the bytes come from.

use crate::error::{Error, Result};
use std::path::Path;

/// Which service an object URI names; each is one client implementation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scheme {
    S3,
    Azure,
    Gcs,
}

impl Scheme {
    pub fn service(self) -> &'static str {
        match self {
            Scheme::S3 => "S3",
            Scheme::Azure => "Azure Blob Storage",
            Scheme::Gcs => "Google Cloud Storage",
        }
    }
}

/// An object URI taken apart. `root` is the URI up to the key (`s3://bucket`,
/// `abfss://container@account.dfs.core.windows.net`): it identifies the store, and
/// `{root}/{key}` is the object's URI again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectUri<'a> {
    pub scheme: Scheme,
    pub root: &'a str,
    /// The bucket (S3, GCS) or container (Azure).
    pub bucket: &'a str,
    /// The Azure storage account when the URI names it (else the environment's).
    pub account: Option<&'a str>,
    /// May be empty (the whole bucket) or end with '/' (a folder).
    pub key: &'a str,
}

impl ObjectUri<'_> {
    pub fn uri_of(&self, key: &str) -> String {
        format!("{}/{}", self.root, key)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location<'a> {
    Local(&'a Path),
    Object(ObjectUri<'a>),
}

/// URI prefixes and the service each names. Azure has several spellings in use: `az://` and
/// `azure://` (DuckDB's azure extension), `abfs[s]://` (Data Lake Storage Gen2, Spark, Fabric).
const SCHEMES: &[(&str, Scheme)] = &[
    ("s3://", Scheme::S3),
    ("gs://", Scheme::Gcs),
    ("gcs://", Scheme::Gcs),
    ("az://", Scheme::Azure),
    ("azure://", Scheme::Azure),
    ("abfss://", Scheme::Azure),
    ("abfs://", Scheme::Azure),
];

/// Schemes we recognise but do not read: a clear error beats "no such file".
const UNSUPPORTED: &[&str] = &["https://", "http://", "r2://", "hf://"];

/// Host suffixes of Azure storage accounts: `<account>.<suffix>`.
const AZURE_HOSTS: &[&str] = &[
    ".blob.core.windows.net",
    ".dfs.core.windows.net",
    ".blob.fabric.microsoft.com",
    ".dfs.fabric.microsoft.com",
];

impl<'a> Location<'a> {
    pub fn of(path: &'a Path) -> Result<Location<'a>> {
        let Some(text) = path.to_str() else {
            return Ok(Location::Local(path));
        };
        if let Some((prefix, scheme)) = SCHEMES.iter().find(|(p, _)| text.starts_with(p)) {
            return parse_object(text, prefix.len(), *scheme).map(Location::Object);
        }
        if let Some(scheme) = UNSUPPORTED.iter().find(|s| text.starts_with(**s)) {
            return Err(Error::usage(format!(
                "'{text}': {scheme} URIs are not supported (local paths, s3://, az://, abfss:// and gs:// are); copy the files locally or to a bucket"
            )));
        }
        Ok(Location::Local(path))
    }

    pub fn is_remote(path: &Path) -> bool {
        path.to_str()
            .is_some_and(|t| SCHEMES.iter().any(|(p, _)| t.starts_with(p)))
    }
}

fn parse_object(text: &str, scheme_len: usize, scheme: Scheme) -> Result<ObjectUri<'_>> {
    let rest = &text[scheme_len..];
    let (first, after) = rest.split_once('/').unwrap_or((rest, ""));
    let example = match scheme {
        Scheme::S3 => "s3://my-bucket/cur/",
        Scheme::Gcs => "gs://my-bucket/billing/",
        Scheme::Azure => "az://my-container/exports/ or abfss://my-container@myaccount.dfs.core.windows.net/exports/",
    };
    let missing = || Error::usage(format!("'{text}': the URI needs a bucket or container, e.g. {example}"));
    if first.is_empty() {
        return Err(missing());
    }
    let mut uri = ObjectUri {
        scheme,
        root: &text[..scheme_len + first.len()],
        bucket: first,
        account: None,
        key: after,
    };
    if scheme == Scheme::Azure {
        if let Some((container, host)) = first.split_once('@') {
            // abfss://container@account.dfs.core.windows.net/key
            uri.bucket = container;
            uri.account = Some(azure_account(host));
        } else if let Some(suffix) = AZURE_HOSTS.iter().find(|h| first.ends_with(**h)) {
            // az://account.blob.core.windows.net/container/key
            let (container, key) = after.split_once('/').unwrap_or((after, ""));
            if container.is_empty() {
                return Err(missing());
            }
            uri.account = Some(&first[..first.len() - suffix.len()]);
            uri.bucket = container;
            uri.root = &text[..scheme_len + first.len() + 1 + container.len()];
            uri.key = key;
        }
        if uri.bucket.is_empty() {
            return Err(missing());
        }
    }
    Ok(uri)
}

/// `account.dfs.core.windows.net` → `account`; a bare name stays itself.
fn azure_account(host: &str) -> &str {
    AZURE_HOSTS
        .iter()
        .find_map(|h| host.strip_suffix(h))
        .unwrap_or_else(|| host.split('.').next().unwrap_or(host))
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

    fn obj(text: &str) -> ObjectUri<'_> {
        match Location::of(Path::new(text)).unwrap() {
            Location::Object(o) => o,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn parses_s3_uris() {
        let o = obj("s3://b/cur/r/");
        assert_eq!(
            (o.scheme, o.root, o.bucket, o.key),
            (Scheme::S3, "s3://b", "b", "cur/r/")
        );
        assert_eq!(obj("s3://b").key, "");
        assert!(Location::of(Path::new("s3:///k")).is_err());
        assert!(matches!(
            Location::of(Path::new("data/x.csv")).unwrap(),
            Location::Local(_)
        ));
    }

    #[test]
    fn parses_azure_spellings() {
        let o = obj("az://billing/exports/run/");
        assert_eq!(
            (o.scheme, o.bucket, o.account, o.key),
            (Scheme::Azure, "billing", None, "exports/run/")
        );
        let o = obj("abfss://billing@acme.dfs.core.windows.net/exports/x.csv");
        assert_eq!((o.bucket, o.account, o.key), ("billing", Some("acme"), "exports/x.csv"));
        assert_eq!(o.root, "abfss://billing@acme.dfs.core.windows.net");
        assert_eq!(
            o.uri_of(o.key),
            "abfss://billing@acme.dfs.core.windows.net/exports/x.csv"
        );
        let o = obj("az://acme.blob.core.windows.net/billing/a/b.parquet");
        assert_eq!((o.bucket, o.account, o.key), ("billing", Some("acme"), "a/b.parquet"));
        assert_eq!(o.root, "az://acme.blob.core.windows.net/billing");
        assert!(Location::of(Path::new("az://acme.blob.core.windows.net/")).is_err());
        assert!(Location::of(Path::new("abfss://@acme.dfs.core.windows.net/x")).is_err());
    }

    #[test]
    fn parses_gcs_uris() {
        let o = obj("gs://bk/billing/x.parquet");
        assert_eq!(
            (o.scheme, o.root, o.bucket, o.key),
            (Scheme::Gcs, "gs://bk", "bk", "billing/x.parquet")
        );
        assert_eq!(obj("gcs://bk/").bucket, "bk");
    }

    #[test]
    fn other_schemes_say_not_supported() {
        let e = Location::of(Path::new("https://x/y.csv")).unwrap_err().to_string();
        assert!(e.contains("not supported"), "{e}");
        assert!(Location::is_remote(Path::new("gs://b/x")));
        assert!(!Location::is_remote(Path::new("./gs/x")));
    }

    #[test]
    fn folder_parts() {
        assert_eq!(folder_name("s3://b/x/report/"), "report");
        assert_eq!(folder_parent("s3://b/x/report/"), "s3://b/x");
        assert_eq!(
            std::path::PathBuf::from("az://c/x/")
                .join("r/a.csv")
                .display()
                .to_string(),
            "az://c/x/r/a.csv"
        );
    }
}
