//! Which files of a CUR delivery folder form the current version of each billing period.
//!
//! AWS restates a month by writing a complete new copy: CUR 1.0 into a new assembly folder
//! (`<report>/<yyyymmdd-yyyymmdd>/<assemblyId>/...`, with the period's top-level
//! `<report>-Manifest.json` naming the current one), CUR 2.0 (Data Exports) under
//! `data/BILLING_PERIOD=YYYY-MM/` with `metadata/BILLING_PERIOD=YYYY-MM/<export>-Manifest.json`
//! listing the files. Globbing everything would count restated months twice, so the manifests
//! decide. This module works on a listing of relative keys, so local folders and buckets share it.

use crate::error::{Error, Position, Result};
use serde::Deserialize;
use std::collections::BTreeSet;

/// A file to read, relative to the folder the user named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedFile {
    pub key: String,
    /// CUR 1.0 assembly id or CUR 2.0 execution id, when a manifest or folder names one.
    pub assembly: Option<String>,
    /// `YYYY-MM` of the billing period, when the layout tells it.
    pub billing_period: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Cur1Manifest {
    assembly_id: Option<String>,
    #[serde(default)]
    report_keys: Vec<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Cur2Manifest {
    execution_id: Option<String>,
    #[serde(default)]
    data_files: Vec<String>,
}

pub fn is_data_file(key: &str) -> bool {
    let name = key.rsplit('/').next().unwrap_or(key).to_ascii_lowercase();
    let data = [".csv", ".csv.gz", ".csv.zip", ".gz", ".zip", ".parquet"]
        .iter()
        .any(|e| name.ends_with(e));
    data && !key.split('/').any(|seg| seg == "cost_and_usage_data_status") && !name.starts_with('.')
}

/// `20180801-20180901` → `2018-08`.
fn cur1_period(segment: &str) -> Option<String> {
    let b = segment.as_bytes();
    (b.len() == 17 && b[8] == b'-' && b.iter().enumerate().all(|(i, c)| i == 8 || c.is_ascii_digit()))
        .then(|| format!("{}-{}", &segment[0..4], &segment[4..6]))
}

/// `BILLING_PERIOD=2024-01` → `2024-01`.
fn cur2_period(segment: &str) -> Option<String> {
    segment
        .strip_prefix("BILLING_PERIOD=")
        .filter(|p| p.len() == 7)
        .map(str::to_string)
}

/// Athena layout `year=2018/month=10` → `2018-10`.
fn hive_period(key: &str) -> Option<String> {
    let mut year = None;
    let mut month = None;
    for seg in key.split('/') {
        if let Some(y) = seg.strip_prefix("year=") {
            year = y.parse::<u32>().ok();
        } else if let Some(m) = seg.strip_prefix("month=") {
            month = m.parse::<u32>().ok();
        }
    }
    Some(format!("{:04}-{:02}", year?, month?))
}

/// `s3://bucket/prefix/export/data/BILLING_PERIOD=.../file` → `data/BILLING_PERIOD=.../file`.
fn data_suffix(uri: &str) -> &str {
    uri.find("/data/").map(|p| &uri[p + 1..]).unwrap_or(uri)
}

fn parent(key: &str) -> &str {
    key.rsplit_once('/').map(|(p, _)| p).unwrap_or("")
}

fn join(dir: &str, rest: &str) -> String {
    if dir.is_empty() {
        rest.to_string()
    } else {
        format!("{dir}/{rest}")
    }
}

/// Plans the reads of a delivery folder. `read` fetches a manifest's bytes by key; `folder` is
/// how the folder is shown in errors (keys are relative to it).
pub fn plan(
    listing: &[String],
    read: &dyn Fn(&str) -> Result<Vec<u8>>,
    all_versions: bool,
    folder: &str,
) -> Result<Vec<PlannedFile>> {
    let shown = |key: &str| Position::file(join(folder, key));
    let keys: BTreeSet<&str> = listing.iter().map(String::as_str).collect();
    let mut out = Vec::new();
    let mut covered: Vec<String> = Vec::new(); // folder prefixes the manifests decide

    // CUR 1.0: a manifest directly inside a billing-period folder.
    for key in listing.iter().filter(|k| k.ends_with("-Manifest.json")) {
        let dir = parent(key);
        let period_seg = dir.rsplit('/').next().unwrap_or(dir);
        let Some(period) = cur1_period(period_seg) else {
            continue;
        };
        covered.push(format!("{dir}/"));
        let bytes = read(key)?;
        let m: Cur1Manifest =
            serde_json::from_slice(&bytes).map_err(|e| Error::data(shown(key), format!("not a CUR manifest ({e})")))?;
        if all_versions {
            for k in listing
                .iter()
                .filter(|k| k.starts_with(&format!("{dir}/")) && is_data_file(k))
            {
                let rest = &k[dir.len() + 1..];
                let assembly = rest
                    .split_once('/')
                    .map(|(a, _)| a.to_string())
                    .or_else(|| m.assembly_id.clone());
                out.push(PlannedFile {
                    key: k.clone(),
                    assembly,
                    billing_period: Some(period.clone()),
                });
            }
            continue;
        }
        for rk in &m.report_keys {
            // Report keys are bucket keys (`prefix/report/20180801-20180901/<assembly>/file`); the
            // part after the period folder is the same wherever the folder was copied to.
            let marker = format!("/{period_seg}/");
            let rest = rk
                .find(&marker)
                .map(|p| &rk[p + marker.len()..])
                .unwrap_or_else(|| rk.rsplit('/').next().unwrap_or(rk));
            let local = join(dir, rest);
            if !keys.contains(local.as_str()) {
                return Err(Error::data(
                    shown(key),
                    format!("the manifest names '{rk}', which is not in the folder (expected at '{}'); the delivery is incomplete or still being written", join(folder, &local)),
                ));
            }
            out.push(PlannedFile {
                key: local,
                assembly: m.assembly_id.clone(),
                billing_period: Some(period.clone()),
            });
        }
    }

    // CUR 2.0 / Data Exports: metadata/BILLING_PERIOD=YYYY-MM/<export>-Manifest.json.
    let mut cur2: Vec<(&String, String, String)> = Vec::new(); // (manifest, export root, period)
    for key in listing.iter().filter(|k| k.ends_with("-Manifest.json")) {
        let segs: Vec<&str> = key.split('/').collect();
        let Some(mi) = segs.iter().position(|s| *s == "metadata") else {
            continue;
        };
        let Some(period) = segs.get(mi + 1).and_then(|s| cur2_period(s)) else {
            continue;
        };
        cur2.push((key, segs[..mi].join("/"), period));
    }
    // With "create new version" several manifests can exist for one period: the one directly in
    // the period folder is the current one; otherwise the last by name (they carry timestamps).
    cur2.sort();
    let mut chosen: Vec<(&String, String, String)> = Vec::new();
    for (k, root, period) in cur2 {
        let direct = parent(k).ends_with(&format!("BILLING_PERIOD={period}"));
        match chosen.iter_mut().find(|c| c.1 == root && c.2 == period) {
            Some(c) => {
                let c_direct = parent(c.0).ends_with(&format!("BILLING_PERIOD={period}"));
                if (direct && !c_direct) || (direct == c_direct && k > c.0) {
                    c.0 = k;
                }
            }
            None => chosen.push((k, root, period)),
        }
    }
    for (key, root, period) in chosen {
        covered.push(join(&root, &format!("data/BILLING_PERIOD={period}/")));
        covered.push(join(&root, "metadata/"));
        let bytes = read(key)?;
        let m: Cur2Manifest = serde_json::from_slice(&bytes)
            .map_err(|e| Error::data(shown(key), format!("not a Data Exports manifest ({e})")))?;
        if all_versions {
            // Files of the current execution carry its id; older ones their sub-folder, if any.
            let listed: Vec<String> = m.data_files.iter().map(|df| join(&root, data_suffix(df))).collect();
            let prefix = join(&root, &format!("data/BILLING_PERIOD={period}/"));
            for k in listing.iter().filter(|k| k.starts_with(&prefix) && is_data_file(k)) {
                let assembly = if listed.contains(k) {
                    m.execution_id.clone()
                } else {
                    k[prefix.len()..].split_once('/').map(|(a, _)| a.to_string())
                };
                out.push(PlannedFile {
                    key: k.clone(),
                    assembly,
                    billing_period: Some(period.clone()),
                });
            }
            continue;
        }
        for df in &m.data_files {
            let local = join(&root, data_suffix(df));
            if !keys.contains(local.as_str()) {
                return Err(Error::data(
                    shown(key),
                    format!("the manifest names '{df}', which is not in the folder (expected at '{}'); the delivery is incomplete or still being written", join(folder, &local)),
                ));
            }
            out.push(PlannedFile {
                key: local,
                assembly: m.execution_id.clone(),
                billing_period: Some(period.clone()),
            });
        }
    }

    // Everything else: plain folders of data files (Athena year=/month= layout included).
    for k in listing
        .iter()
        .filter(|k| is_data_file(k) && !covered.iter().any(|c| k.starts_with(c.as_str())))
    {
        out.push(PlannedFile {
            key: k.clone(),
            assembly: None,
            billing_period: hive_period(k),
        });
    }
    out.sort_by(|a, b| a.key.cmp(&b.key));
    out.dedup_by(|a, b| a.key == b.key);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn run(files: &[(&str, &str)], all: bool) -> Result<Vec<PlannedFile>> {
        let listing: Vec<String> = files.iter().map(|(k, _)| k.to_string()).collect();
        let content: HashMap<String, String> = files.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        plan(
            &listing,
            &|k| Ok(content.get(k).cloned().unwrap_or_default().into_bytes()),
            all,
            "",
        )
    }

    const RESTATED: &[(&str, &str)] = &[
        (
            "r/20240101-20240201/r-Manifest.json",
            r#"{"assemblyId":"B","reportKeys":["pfx/r/20240101-20240201/B/r-1.csv.gz","pfx/r/20240101-20240201/B/r-2.csv.gz"]}"#,
        ),
        ("r/20240101-20240201/A/r-1.csv.gz", ""),
        (
            "r/20240101-20240201/A/r-Manifest.json",
            r#"{"assemblyId":"A","reportKeys":[]}"#,
        ),
        ("r/20240101-20240201/B/r-1.csv.gz", ""),
        ("r/20240101-20240201/B/r-2.csv.gz", ""),
        ("r/20240101-20240201/B/r-Manifest.json", r#"{"assemblyId":"B"}"#),
    ];

    #[test]
    fn cur1_reads_only_the_current_assembly() {
        let p = run(RESTATED, false).unwrap();
        let keys: Vec<&str> = p.iter().map(|f| f.key.as_str()).collect();
        assert_eq!(
            keys,
            ["r/20240101-20240201/B/r-1.csv.gz", "r/20240101-20240201/B/r-2.csv.gz"]
        );
        assert!(p
            .iter()
            .all(|f| f.assembly.as_deref() == Some("B") && f.billing_period.as_deref() == Some("2024-01")));
    }

    #[test]
    fn all_versions_reads_every_assembly_and_names_it() {
        let p = run(RESTATED, true).unwrap();
        let got: Vec<(&str, &str)> = p
            .iter()
            .map(|f| (f.key.as_str(), f.assembly.as_deref().unwrap_or("")))
            .collect();
        assert_eq!(got.len(), 3);
        assert_eq!(got[0], ("r/20240101-20240201/A/r-1.csv.gz", "A"));
    }

    #[test]
    fn missing_report_key_is_an_error_naming_it() {
        let files = [(
            "r/20240101-20240201/r-Manifest.json",
            r#"{"assemblyId":"B","reportKeys":["r/20240101-20240201/B/gone.csv.gz"]}"#,
        )];
        let err = run(&files, false).unwrap_err().to_string();
        assert!(err.contains("gone.csv.gz") && err.contains("r-Manifest.json"), "{err}");
    }

    #[test]
    fn cur2_manifest_lists_the_data_files() {
        let files = [
            (
                "e/metadata/BILLING_PERIOD=2024-02/e-Manifest.json",
                r#"{"executionId":"x2","dataFiles":["s3://b/p/e/data/BILLING_PERIOD=2024-02/e-00001.snappy.parquet"]}"#,
            ),
            ("e/data/BILLING_PERIOD=2024-02/e-00001.snappy.parquet", ""),
            ("e/data/BILLING_PERIOD=2024-02/old-00001.snappy.parquet", ""),
        ];
        let p = run(&files, false).unwrap();
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].key, "e/data/BILLING_PERIOD=2024-02/e-00001.snappy.parquet");
        assert_eq!(p[0].assembly.as_deref(), Some("x2"));
    }

    #[test]
    fn plain_and_athena_folders_read_everything() {
        let files = [
            ("cur/year=2018/month=10/a.snappy.parquet", ""),
            ("cur/year=2018/month=11/b.snappy.parquet", ""),
            ("cost_and_usage_data_status/cost_and_usage_data_status.parquet", ""),
            ("cur/r-create-table.sql", ""),
        ];
        let p = run(&files, false).unwrap();
        assert_eq!(p.len(), 2);
        assert_eq!(p[1].billing_period.as_deref(), Some("2018-11"));
    }
}
