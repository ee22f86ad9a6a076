//! A nested view over a provider's flat canonical columns: how `read_<vendor>` presents them as
//! STRUCT and LIST(STRUCT) columns when the vendor's own schema is nested (BigQuery's billing
//! export). The flat columns stay the canonical batch the readers fill and the mapping reads;
//! the view is data (built from a column catalogue) that the DuckDB output layer follows.
//!
//! Arrays of records travel inside the batch as canonical JSON text (see [`records_json`]): the
//! batch has no list-of-struct column type, and the text doubles as the mapping's JSON value
//! (`x_Credits`). [`decode_records`] turns it back into typed columns for the output layer.

use crate::columnar::{ColType, Column, StrCol};
use crate::formats::values::parse_decimal;
use crate::mapping::decimal;
use serde_json::Value;

/// One output column (or field of one) of a view.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// A canonical column as it is.
    Column { index: usize, ty: ColType },
    /// A STRUCT of named fields; NULL on rows where every field is NULL (the flattened CSV form
    /// cannot tell a NULL record from a record of NULLs, so every form follows this rule).
    Struct(Vec<(String, Node)>),
    /// LIST(STRUCT(fields)), held in canonical column `index` as [`records_json`] text.
    Records {
        index: usize,
        fields: Vec<(String, ColType)>,
    },
}

impl Node {
    /// The canonical columns this node reads.
    pub fn inputs(&self, out: &mut Vec<usize>) {
        match self {
            Node::Column { index, .. } | Node::Records { index, .. } => out.push(*index),
            Node::Struct(fields) => fields.iter().for_each(|(_, n)| n.inputs(out)),
        }
    }

    /// The DuckDB type, as SQL text.
    pub fn sql_type(&self) -> String {
        match self {
            Node::Column { ty, .. } => ty.sql_name().to_string(),
            Node::Struct(fields) => {
                let f: Vec<String> = fields.iter().map(|(n, t)| format!("{n} {}", t.sql_type())).collect();
                format!("STRUCT({})", f.join(", "))
            }
            Node::Records { fields, .. } => {
                let f: Vec<String> = fields.iter().map(|(n, t)| format!("{n} {}", t.sql_name())).collect();
                format!("STRUCT({})[]", f.join(", "))
            }
        }
    }
}

/// The top-level columns of a view, in output order.
#[derive(Debug, Clone, PartialEq)]
pub struct View {
    pub columns: Vec<(String, Node)>,
}

/// The JSON text DuckDB's `CAST(to_json(x) AS VARCHAR)` gives for the LIST(STRUCT(fields))
/// holding `v` (an array of objects): fields in `fields` order, absent ones null, decimals with
/// all 18 fractional digits. Keeping the two texts equal lets `focus_sql` rebuild the JSON from
/// the nested column and match `to_focus` byte for byte.
pub fn records_json(v: &Value, fields: &[(String, ColType)]) -> Result<String, String> {
    let items = v.as_array().ok_or("not a list of records")?;
    let mut out = String::from("[");
    for (i, item) in items.iter().enumerate() {
        let o = item.as_object().ok_or("an item of the list is not a record")?;
        out.push_str(if i == 0 { "{" } else { ",{" });
        for (j, (name, ty)) in fields.iter().enumerate() {
            if j > 0 {
                out.push(',');
            }
            out.push_str(&Value::String(name.clone()).to_string());
            out.push(':');
            let value = o.get(name).filter(|x| !x.is_null());
            match (value, ty) {
                (None, _) => out.push_str("null"),
                (Some(x), ColType::Decimal) => {
                    let t = scalar_text(x);
                    let d = parse_decimal(&t).ok_or_else(|| format!("{name} '{t}' is not a number"))?;
                    decimal::format(d, &mut out);
                }
                (Some(x), ColType::Boolean) => {
                    let b = match x {
                        Value::Bool(b) => *b,
                        other => match scalar_text(other).to_ascii_lowercase().as_str() {
                            "true" => true,
                            "false" => false,
                            t => return Err(format!("{name} '{t}' is not true or false")),
                        },
                    };
                    out.push_str(if b { "true" } else { "false" });
                }
                (Some(x), _) => out.push_str(&Value::String(scalar_text(x)).to_string()),
            }
        }
        out.push('}');
    }
    out.push(']');
    Ok(out)
}

fn scalar_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// [`records_json`] texts back as a list-of-struct: per row the range of its items (None for a
/// NULL list), and one column per field over all items.
pub struct Records {
    pub bounds: Vec<Option<(usize, usize)>>,
    pub fields: Vec<Column>,
}

pub fn decode_records(
    text: &StrCol,
    rows: std::ops::Range<usize>,
    fields: &[(String, ColType)],
) -> Result<Records, String> {
    let mut cols: Vec<Column> = fields.iter().map(|(_, t)| Column::new(*t, 0)).collect();
    let mut bounds = Vec::with_capacity(rows.len());
    let mut n = 0;
    for r in rows {
        let Some(t) = text.get(r) else {
            bounds.push(None);
            continue;
        };
        let v: Value = serde_json::from_str(t).map_err(|e| format!("not JSON ({e})"))?;
        let items = v.as_array().ok_or("not a JSON array")?;
        let start = n;
        for item in items {
            for ((name, _), col) in fields.iter().zip(cols.iter_mut()) {
                push_value(col, item.get(name).filter(|x| !x.is_null())).map_err(|m| format!("{name}: {m}"))?;
            }
            n += 1;
        }
        bounds.push(Some((start, n)));
    }
    Ok(Records { bounds, fields: cols })
}

fn push_value(col: &mut Column, v: Option<&Value>) -> Result<(), String> {
    let Some(v) = v else {
        col.push_null();
        return Ok(());
    };
    match col {
        Column::Str(s) => s.push(Some(&scalar_text(v))),
        Column::Dec(d) => {
            let t = scalar_text(v);
            d.push(Some(parse_decimal(&t).ok_or_else(|| format!("'{t}' is not a number"))?));
        }
        Column::Bool(b) => b.push(Some(v.as_bool().ok_or("not a boolean")?)),
        other => return Err(format!("{} fields are not supported", other.col_type().sql_name())),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn credit_fields() -> Vec<(String, ColType)> {
        [
            ("name", ColType::Varchar),
            ("amount", ColType::Decimal),
            ("inherited", ColType::Boolean),
        ]
        .iter()
        .map(|(n, t)| (n.to_string(), *t))
        .collect()
    }

    #[test]
    fn records_json_is_duckdb_to_json_text() {
        let v: Value =
            serde_json::from_str(r#"[{"amount": -5e-06, "name": "a\"b", "extra": 1}, {"inherited": "True"}]"#).unwrap();
        let t = records_json(&v, &credit_fields()).unwrap();
        assert_eq!(
            t,
            r#"[{"name":"a\"b","amount":-0.000005000000000000,"inherited":null},{"name":null,"amount":null,"inherited":true}]"#
        );
        assert_eq!(records_json(&Value::Array(vec![]), &credit_fields()).unwrap(), "[]");
        assert!(records_json(&serde_json::json!([{"amount": "x"}]), &credit_fields()).is_err());
        assert!(records_json(&serde_json::json!({"amount": 1}), &credit_fields()).is_err());
    }

    #[test]
    fn decode_round_trips() {
        let v: Value = serde_json::from_str(r#"[{"name": "x", "amount": 1.5, "inherited": false}]"#).unwrap();
        let mut s = StrCol::default();
        s.push(Some(&records_json(&v, &credit_fields()).unwrap()));
        s.push(None);
        s.push(Some("[]"));
        let r = decode_records(&s, 0..3, &credit_fields()).unwrap();
        assert_eq!(r.bounds, vec![Some((0, 1)), None, Some((1, 1))]);
        assert!(matches!(&r.fields[1], Column::Dec(d) if d[0] == Some(1_500_000_000_000_000_000)));
        assert!(matches!(&r.fields[2], Column::Bool(b) if b[0] == Some(false)));
    }
}
