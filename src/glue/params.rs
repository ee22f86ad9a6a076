//! Reading named and positional parameters with the conventions every function shares.

use duckdb::vtab::BindInfo;

/// A named VARCHAR parameter; `None` when absent or NULL.
pub fn named_str(bind: &BindInfo, name: &str) -> Option<String> {
    bind.get_named_parameter(name)
        .filter(|v| !v.is_null())
        .map(|v| v.to_string())
}

/// A named BOOLEAN parameter with a default.
pub fn named_bool(bind: &BindInfo, name: &str, default: bool) -> bool {
    bind.get_named_parameter(name)
        .filter(|v| !v.is_null())
        .map(|v| v.to_bool())
        .unwrap_or(default)
}

/// Positional parameter `idx` as strings: a VARCHAR gives one, a LIST of VARCHAR gives each.
pub fn positional_strs(bind: &BindInfo, idx: u64) -> Vec<String> {
    if bind.get_parameter_count() <= idx {
        return vec![];
    }
    let v = bind.get_parameter(idx);
    if v.is_null() {
        return vec![];
    }
    match v.to_list() {
        Some(items) => items.iter().filter(|i| !i.is_null()).map(|i| i.to_string()).collect(),
        None => vec![v.to_string()],
    }
}
