//! Turning what the user typed (files, globs, directories, lists of those) into files.

use crate::error::{Error, Result};
use crate::io::location::{Location, ObjectUri, Scheme};
use crate::io::store::store_for;
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
    if let Location::Object(o) = Location::of(Path::new(pattern))? {
        return expand_remote(pattern, &o);
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

/// An object URI: a glob over keys, a folder (trailing '/', or a prefix that is no object),
/// or one object.
fn expand_remote(pattern: &str, o: &ObjectUri) -> Result<Expanded> {
    let store = store_for(o)?;
    let key = o.key;
    if is_glob(key) {
        // List from the literal part before the first wildcard, then match whole keys;
        // '*' stays within one folder level, '**' crosses them (as on disk).
        let prefix = glob_list_prefix(key);
        let pat = glob::Pattern::new(key).map_err(|e| Error::usage(format!("invalid glob '{pattern}': {e}")))?;
        let opts = glob::MatchOptions {
            case_sensitive: true,
            require_literal_separator: true,
            require_literal_leading_dot: false,
        };
        let files: Vec<PathBuf> = store
            .list(prefix)?
            .into_iter()
            .filter(|(k, _)| !k.ends_with('/') && pat.matches_with(k, opts))
            .map(|(k, _)| PathBuf::from(o.uri_of(&k)))
            .collect();
        if files.is_empty() {
            return Err(Error::NoFiles {
                pattern: pattern.to_string(),
                hint: " (no object keys match)".into(),
            });
        }
        return Ok(Expanded::Files(files));
    }
    if key.is_empty() || key.ends_with('/') {
        return Ok(Expanded::Directory(PathBuf::from(pattern)));
    }
    if store.head(key)?.is_some() {
        return Ok(Expanded::Files(vec![PathBuf::from(pattern)]));
    }
    if store.has_prefix(&format!("{key}/"))? {
        return Ok(Expanded::Directory(PathBuf::from(format!("{pattern}/"))));
    }
    Err(Error::NoFiles {
        pattern: pattern.to_string(),
        hint: format!(
            " (no such object or folder in the {})",
            if o.scheme == Scheme::Azure {
                "container"
            } else {
                "bucket"
            }
        ),
    })
}

/// The folder a glob's matches all live under: the literal part up to its last '/'.
fn glob_list_prefix(key: &str) -> &str {
    let literal = &key[..key.find(['*', '?', '[']).unwrap_or(key.len())];
    &literal[..literal.rfind('/').map(|i| i + 1).unwrap_or(0)]
}

/// Every file the paths name: files and glob matches as given, folders walked for the files
/// `is_data` accepts (by key relative to the folder). A folder with none is an error that says
/// which `kinds` of files were looked for.
pub fn data_files(paths: &[String], is_data: impl Fn(&str) -> bool, kinds: &str) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for p in paths {
        match expand(p)? {
            Expanded::Files(f) => files.extend(f),
            Expanded::Directory(dir) => {
                let found: Vec<PathBuf> = walk(&dir)?
                    .into_iter()
                    .filter(|k| is_data(k))
                    .map(|k| dir.join(k))
                    .collect();
                if found.is_empty() {
                    return Err(Error::NoFiles {
                        pattern: p.clone(),
                        hint: format!(" (the folder holds no {kinds} files)"),
                    });
                }
                files.extend(found);
            }
        }
    }
    Ok(files)
}

/// Every file below `dir`, as paths relative to `dir` with '/' separators, sorted.
pub fn walk(dir: &Path) -> Result<Vec<String>> {
    if let Location::Object(o) = Location::of(dir)? {
        return walk_remote(&o);
    }
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

fn walk_remote(o: &ObjectUri) -> Result<Vec<String>> {
    let key = o.key;
    let prefix = if key.is_empty() || key.ends_with('/') {
        key.to_string()
    } else {
        format!("{key}/")
    };
    Ok(store_for(o)?
        .list(&prefix)?
        .into_iter()
        .filter_map(|(k, _)| k.strip_prefix(&prefix).map(str::to_string))
        // Zero-byte "folder" markers that consoles create.
        .filter(|k| !k.is_empty() && !k.ends_with('/'))
        .collect())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob_lists_from_its_literal_folder() {
        assert_eq!(glob_list_prefix("cur/year=2018/*/x.parquet"), "cur/year=2018/");
        assert_eq!(glob_list_prefix("cur/r-*.csv.gz"), "cur/");
        assert_eq!(glob_list_prefix("*.csv"), "");
        assert_eq!(glob_list_prefix("a/**/b/*.parquet"), "a/");
    }
}
