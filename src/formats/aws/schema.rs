//! The canonical AWS CUR schema (CUR 2.0 names, from `sql/aws/cur_columns.csv`) and how the
//! columns of each CUR flavour land in it.

use crate::columnar::ColType;
use crate::error::{Error, Result};
use crate::formats::reader::{Schema, Target};
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

const COLUMNS_CSV: &str = include_str!("../../../sql/aws/cur_columns.csv");

/// Columns no CUR flavour has but the canonical schema keeps: anything a file carries that this
/// build does not know (AWS adds columns every year) lands here by its original header, so no
/// value is dropped.
pub const OTHER_COLUMNS: &str = "other_columns";

pub struct CurSchema {
    pub schema: Arc<Schema>,
    by_cur1_header: HashMap<String, usize>,
    by_name: HashMap<String, usize>,
    product: usize,
    resource_tags: usize,
    cost_category: usize,
    discount: usize,
    other: usize,
}

fn build() -> Result<CurSchema> {
    let bad = |m: String| Error::Mapping {
        mapping: "sql/aws/cur_columns.csv".into(),
        message: m,
    };
    let mut rdr = csv::Reader::from_reader(COLUMNS_CSV.as_bytes());
    let mut names = Vec::new();
    let mut types = Vec::new();
    let mut by_cur1_header = HashMap::new();
    for (i, rec) in rdr.records().enumerate() {
        let rec = rec.map_err(|e| bad(e.to_string()))?;
        let name = rec.get(0).unwrap_or_default().to_string();
        let ty = ColType::from_catalogue(rec.get(1).unwrap_or_default())
            .ok_or_else(|| bad(format!("row {}: unknown type", i + 2)))?;
        if let Some(h) = rec.get(2).filter(|h| !h.is_empty()) {
            by_cur1_header.insert(h.to_ascii_lowercase(), names.len());
        }
        names.push(name);
        types.push(ty);
    }
    names.push(OTHER_COLUMNS.to_string());
    types.push(ColType::MapVarchar);
    let by_name: HashMap<String, usize> = names.iter().enumerate().map(|(i, n)| (n.clone(), i)).collect();
    let idx = |n: &str| {
        by_name
            .get(n)
            .copied()
            .ok_or_else(|| bad(format!("missing column {n}")))
    };
    Ok(CurSchema {
        product: idx("product")?,
        resource_tags: idx("resource_tags")?,
        cost_category: idx("cost_category")?,
        discount: idx("discount")?,
        other: idx(OTHER_COLUMNS)?,
        schema: Arc::new(Schema::new(names, types)),
        by_cur1_header,
        by_name,
    })
}

/// The schema, built once from the embedded catalogue (checked by unit tests).
pub fn cur_schema() -> Result<&'static CurSchema> {
    static S: OnceLock<std::result::Result<CurSchema, String>> = OnceLock::new();
    S.get_or_init(|| build().map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| Error::usage(e.clone()))
}

/// AWS's rule for Athena / CUR 2.0 names: `_` before every capital, lower-cased
/// (`ReservationARN` → `reservation_a_r_n`).
pub fn snake(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 8);
    for c in name.chars() {
        if c.is_ascii_uppercase() {
            if !out.is_empty() {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

fn category_prefix(category: &str) -> String {
    snake(category)
}

impl CurSchema {
    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.by_name.get(name).copied()
    }

    /// Where a CUR 1.0 CSV header (`lineItem/UnblendedCost`, `resourceTags/user:Cost Center`) goes.
    pub fn resolve_cur1_header(&self, header: &str) -> Target {
        if let Some(c) = self.by_cur1_header.get(&header.to_ascii_lowercase()) {
            return Target::Column(*c);
        }
        let Some((category, name)) = header.split_once('/') else {
            return self.other(header);
        };
        let snake_name = format!("{}_{}", category_prefix(category), snake(name));
        if let Some(c) = self.by_name.get(&snake_name) {
            if !matches!(self.schema.types[*c], ColType::MapVarchar | ColType::MapDecimal) {
                return Target::Column(*c);
            }
        }
        match category {
            // Product attribute keys take the CUR 2.0 spelling so both flavours meet.
            "product" => Target::MapEntry {
                map: self.product,
                key: snake(name),
            },
            // Tags and cost categories keep their keys exactly as the user entered them.
            "resourceTags" => Target::MapEntry {
                map: self.resource_tags,
                key: name.to_string(),
            },
            "costCategory" => Target::MapEntry {
                map: self.cost_category,
                key: name.to_string(),
            },
            "discount" => Target::MapEntry {
                map: self.discount,
                key: snake(name),
            },
            _ => self.other(header),
        }
    }

    /// Where a snake_case column (Athena Parquet, CUR 2.0 Parquet or CSV) goes.
    pub fn resolve_snake(&self, column: &str) -> Target {
        if let Some(c) = self.by_name.get(column) {
            return Target::Column(*c);
        }
        // Hive partition columns repeat the folder names (year=2018/month=10).
        if column == "year" || column == "month" {
            return Target::Ignore;
        }
        let prefixed = [
            ("product_", self.product),
            ("resource_tags_", self.resource_tags),
            ("cost_category_", self.cost_category),
            ("discount_", self.discount),
        ];
        for (prefix, map) in prefixed {
            if let Some(key) = column.strip_prefix(prefix) {
                return Target::MapEntry {
                    map,
                    key: key.to_string(),
                };
            }
        }
        self.other(column)
    }

    /// A file that has a map column itself (CUR 2.0 `product`) and also flat columns with its
    /// prefix (`product_future_attr`): the flat ones are not entries of that map, so they are
    /// kept in `other_columns` under their own name rather than lost.
    pub fn route_flat_map_columns(&self, names: &[String], mut targets: Vec<Target>) -> Vec<Target> {
        let whole: Vec<usize> = targets
            .iter()
            .filter_map(|t| if let Target::Column(c) = t { Some(*c) } else { None })
            .collect();
        for (t, name) in targets.iter_mut().zip(names) {
            if let Target::MapEntry { map, .. } = t {
                if whole.contains(map) {
                    *t = self.other(name);
                }
            }
        }
        targets
    }

    fn other(&self, column: &str) -> Target {
        Target::MapEntry {
            map: self.other,
            key: column.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_loads() {
        let s = cur_schema().unwrap();
        assert!(s.schema.names.len() > 120);
        assert_eq!(
            s.schema.types[s.index_of("line_item_unblended_cost").unwrap()],
            ColType::Decimal
        );
        assert_eq!(s.schema.types[s.index_of("product").unwrap()], ColType::MapVarchar);
    }

    #[test]
    fn cur1_headers_meet_cur2_names() {
        let s = cur_schema().unwrap();
        let col = |n: &str| Target::Column(s.index_of(n).unwrap());
        assert_eq!(
            s.resolve_cur1_header("lineItem/UnblendedCost"),
            col("line_item_unblended_cost")
        );
        assert_eq!(
            s.resolve_cur1_header("reservation/ReservationARN"),
            col("reservation_reservation_a_r_n")
        );
        assert_eq!(
            s.resolve_cur1_header("product/productFamily"),
            col("product_product_family")
        );
        assert_eq!(s.resolve_cur1_header("PRODUCT/SKU"), col("product_sku"));
        assert_eq!(
            s.resolve_cur1_header("product/ProductName"),
            Target::MapEntry {
                map: s.product,
                key: "product_name".into()
            }
        );
        assert_eq!(
            s.resolve_cur1_header("resourceTags/user:Cost Center"),
            Target::MapEntry {
                map: s.resource_tags,
                key: "user:Cost Center".into()
            }
        );
        assert_eq!(
            s.resolve_cur1_header("costCategory/Charge type"),
            Target::MapEntry {
                map: s.cost_category,
                key: "Charge type".into()
            }
        );
        assert_eq!(
            s.resolve_cur1_header("newThing/Foo"),
            Target::MapEntry {
                map: s.other,
                key: "newThing/Foo".into()
            }
        );
    }

    #[test]
    fn athena_columns_resolve() {
        let s = cur_schema().unwrap();
        assert_eq!(
            s.resolve_snake("line_item_usage_amount"),
            Target::Column(s.index_of("line_item_usage_amount").unwrap())
        );
        assert_eq!(
            s.resolve_snake("product_instance_type_family"),
            Target::MapEntry {
                map: s.product,
                key: "instance_type_family".into()
            }
        );
        assert_eq!(
            s.resolve_snake("resource_tags_user_name"),
            Target::MapEntry {
                map: s.resource_tags,
                key: "user_name".into()
            }
        );
        assert_eq!(s.resolve_snake("year"), Target::Ignore);
        assert_eq!(snake("ReservationARN"), "reservation_a_r_n");
        assert_eq!(snake("lineItem"), "line_item");
    }
}
