//! Turning what the user typed (files, globs, directories, lists of those) into files.

use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

/// One input file, with a stable display name used in errors and the `filename` column.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct InputFile {
    pub path: PathBuf,
}

impl InputFile {
    pub fn display(&self) -> String {
        self.path.to_string_lossy().into_owned()
    }
}

/// What one user-supplied path turned out to be.
#[derive(Debug)]
pub enum Expanded {
    Files(Vec<PathBuf>),
    /// A directory: the caller decides how to read it (manifest-aware readers look inside).
    Directory(PathBuf),
}

fn is_glob(s: &str) -> bool {
    s.contains(['*', '?', '['])
}

/// Expands one path: a file, a glob (`**` recursive), or a directory.
pub fn expand(pattern: &str) -> Result<Expanded> {
    if let Some(rest) = pattern.strip_prefix("s3://") {
        return Err(Error::usage(format!(
            "'s3://{rest}': S3 paths are not supported by this build yet; copy the files locally (aws s3 sync) and pass the local folder"
        )));
    }
    if is_glob(pattern) {
        let entries = glob::glob(pattern).map_err(|e| Error::usage(format!("invalid glob '{pattern}': {e}")))?;
        let mut files = Vec::new();
        for e in entries {
            let p = e.map_err(|e| Error::io(e.path(), "cannot read", std::io::Error::other(e.to_string())))?;
            if p.is_file() {
                files.push(p);
            }
        }
        files.sort();
        if files.is_empty() {
            return Err(Error::NoFiles {
                pattern: pattern.to_string(),
                hint: String::new(),
            });
        }
        return Ok(Expanded::Files(files));
    }
    let p = Path::new(pattern);
    match std::fs::metadata(p) {
        Ok(m) if m.is_dir() => Ok(Expanded::Directory(p.to_path_buf())),
        Ok(_) => Ok(Expanded::Files(vec![p.to_path_buf()])),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(Error::NoFiles {
            pattern: pattern.to_string(),
            hint: " (no such file or directory; check the path, or use a glob such as 'dir/*.csv.gz')".into(),
        }),
        Err(e) => Err(Error::io(p, "cannot access", e)),
    }
}

/// Every file below `dir`, as paths relative to `dir` with '/' separators, sorted.
pub fn walk(dir: &Path) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let rd = std::fs::read_dir(&d).map_err(|e| Error::io(&d, "cannot list", e))?;
        for entry in rd {
            let entry = entry.map_err(|e| Error::io(&d, "cannot list", e))?;
            let path = entry.path();
            let ft = entry.file_type().map_err(|e| Error::io(&path, "cannot stat", e))?;
            if ft.is_dir() {
                stack.push(path);
            } else if let Ok(rel) = path.strip_prefix(dir) {
                let rel: Vec<String> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                out.push(rel.join("/"));
            }
        }
    }
    out.sort();
    Ok(out)
}

/// The first data file the paths name (for format detection): a file itself, the first match
/// of a glob, or the first data file below a folder in sorted order.
pub fn first_data_file(paths: &[String]) -> Result<PathBuf> {
    for p in paths {
        match expand(p)? {
            Expanded::Files(files) => {
                if let Some(f) = files.into_iter().next() {
                    return Ok(f);
                }
            }
            Expanded::Directory(dir) => {
                let data = |k: &String| {
                    let n = k.to_ascii_lowercase();
                    [".csv", ".gz", ".zip", ".parquet", ".json", ".jsonl", ".ndjson"]
                        .iter()
                        .any(|e| n.ends_with(e))
                        && !n.ends_with("manifest.json")
                        && !n.contains("cost_and_usage_data_status")
                };
                if let Some(k) = walk(&dir)?.into_iter().find(data) {
                    return Ok(dir.join(k));
                }
            }
        }
    }
    Err(Error::NoFiles {
        pattern: paths.join(", "),
        hint: " (no data files found to detect the provider from)".into(),
    })
}
