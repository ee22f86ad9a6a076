//! The FOCUS → FOCUS mapping: `sql/focus/focus.sql` compiled against the canonical union
//! schema. The version differences are the catalogue's (which columns a version has) plus the
//! few renames the rules spell out. Compiled once per process.

use crate::error::Result;
use crate::formats::focus::schema::{focus_schema, PROVIDERS_CSV};
use crate::formats::provider::{compile_embedded, compiled_once};
use crate::mapping::Mapping;
use std::sync::OnceLock;

pub const MAPPING_SQL: &str = include_str!("../../../sql/focus/focus.sql");

fn build() -> Result<Mapping> {
    compile_embedded(
        "focus",
        MAPPING_SQL,
        &focus_schema()?.schema,
        &[("providers", PROVIDERS_CSV)],
        vec![],
    )
}

pub fn mapping() -> Result<&'static Mapping> {
    static M: OnceLock<std::result::Result<Mapping, String>> = OnceLock::new();
    compiled_once(&M, build)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::focus::{catalog, convert};

    #[test]
    fn every_column_of_every_version_has_a_rule() {
        let m = mapping().unwrap();
        for v in catalog::VERSIONS {
            let cols = convert::output_columns(m, v).unwrap();
            let focus: Vec<_> = cols.iter().filter(|c| !c.name.starts_with("x_")).collect();
            assert_eq!(focus.len(), catalog::columns(v).unwrap().len());
            assert!(focus.iter().all(|c| c.rule.is_some()), "{v}");
        }
        let names: Vec<String> = convert::output_columns(m, "1.4")
            .unwrap()
            .into_iter()
            .map(|c| c.name)
            .collect();
        assert!(!names.iter().any(|n| n == "ProviderName"));
        assert!(names.ends_with(&[
            "x_SourceProvider".into(),
            "x_SourceFocusVersion".into(),
            "x_columns".into()
        ]));
    }
}
