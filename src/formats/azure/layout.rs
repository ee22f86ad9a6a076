//! Cost Management export folders. An export writes each run into its own folder,
//! `{export}/{yyyyMMdd-yyyyMMdd}/{run}/[{guid}/]part_*.csv[.gz]`, with a `manifest.json` that
//! lists the run's blobs. Month-to-date exports re-run daily and every run holds the whole
//! month, so only the newest run of each date range is read (all of them with `all_versions`).
//! A folder without manifests (legacy exports, hand-made folders) reads every CSV file in it.

use super::Dataset;
use crate::error::{Error, Position, Result};
use crate::io::listing::walk;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone)]
pub struct PlannedFile {
    pub path: PathBuf,
    /// The run (manifest `runInfo.runId`, else the run folder name).
    pub run: Option<String>,
    /// The manifest's `exportConfig.type`, when it names a cost dataset.
    pub dataset: Option<Dataset>,
}

fn is_data(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    k.ends_with(".csv") || k.ends_with(".csv.gz") || k.ends_with(".parquet")
}

fn parent(key: &str) -> &str {
    key.rsplit_once('/').map_or("", |(p, _)| p)
}

struct Manifest {
    key: String,
    run: String,
    /// Orders runs of one date range: the submission time, then the run folder name.
    order: (String, String),
    dataset: Option<Dataset>,
    blobs: Vec<String>,
}

fn read_manifest(dir: &Path, key: &str) -> Result<Manifest> {
    let path = dir.join(key);
    let shown = path.display().to_string();
    let bytes = crate::io::open::read_all(&path)?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF".as_slice()).unwrap_or(&bytes);
    let v: serde_json::Value = serde_json::from_slice(bytes)
        .map_err(|e| Error::data(Position::file(&shown), format!("manifest is not valid JSON ({e})")))?;
    let text = |p: &str| v.pointer(p).and_then(|x| x.as_str()).map(str::to_string);
    let folder = parent(key).rsplit('/').next().unwrap_or_default().to_string();
    let blobs = v
        .get("blobs")
        .and_then(|b| b.as_array())
        .ok_or_else(|| Error::data(Position::file(&shown), "manifest has no 'blobs' list"))?
        .iter()
        .map(|b| {
            b.get("blobName")
                .and_then(|n| n.as_str())
                .map(str::to_string)
                .ok_or_else(|| Error::data(Position::file(&shown), "a manifest blob has no 'blobName'"))
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Manifest {
        key: key.to_string(),
        run: text("/runInfo/runId").unwrap_or_else(|| folder.clone()),
        order: (text("/runInfo/submittedTime").unwrap_or_default(), folder),
        dataset: text("/exportConfig/type").as_deref().and_then(Dataset::from_name),
        blobs,
    })
}

/// The files to read under `dir`.
pub fn plan(dir: &Path, all_versions: bool) -> Result<Vec<PlannedFile>> {
    let keys = walk(dir)?;
    let manifests: Vec<&String> = keys
        .iter()
        .filter(|k| {
            k.rsplit('/')
                .next()
                .is_some_and(|n| n.eq_ignore_ascii_case("manifest.json"))
        })
        .collect();
    if manifests.is_empty() {
        return Ok(keys
            .iter()
            .filter(|k| is_data(k))
            .map(|k| PlannedFile {
                path: dir.join(k),
                run: None,
                dataset: None,
            })
            .collect());
    }
    let mut runs = manifests
        .into_iter()
        .map(|k| read_manifest(dir, k))
        .collect::<Result<Vec<_>>>()?;
    // Runs of one export and date range share the folder above the run folder.
    runs.sort_by(|a, b| (parent(parent(&a.key)), &a.order).cmp(&(parent(parent(&b.key)), &b.order)));
    let mut out = Vec::new();
    for (i, m) in runs.iter().enumerate() {
        let newest = runs
            .get(i + 1)
            .is_none_or(|n| parent(parent(&n.key)) != parent(parent(&m.key)));
        if !all_versions && !newest {
            continue;
        }
        let run_dir = parent(&m.key);
        for blob in &m.blobs {
            // Blob names are container paths; the file is the key under the run folder that
            // the blob name ends with.
            let under_run = |k: &str| run_dir.is_empty() || k.starts_with(&format!("{run_dir}/"));
            let found = keys.iter().find(|k| {
                under_run(k)
                    && (blob == *k || blob.ends_with(&format!("/{k}")) || {
                        let rel = k[run_dir.len()..].trim_start_matches('/');
                        !rel.is_empty() && blob.ends_with(&format!("/{rel}"))
                    })
            });
            let Some(k) = found else {
                return Err(Error::data(
                    Position::file(dir.join(&m.key).display().to_string()),
                    format!("manifest lists '{blob}', which is not in the folder; is the download incomplete?"),
                ));
            };
            out.push(PlannedFile {
                path: dir.join(k),
                run: Some(m.run.clone()),
                dataset: m.dataset,
            });
        }
    }
    Ok(out)
}
