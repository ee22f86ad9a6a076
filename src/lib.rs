//! `focus`: a DuckDB extension that turns cloud billing exports into FinOps FOCUS.
//!
//! Layout: `glue` talks to DuckDB (one file per SQL function), `focus` knows the specification,
//! `columnar` is the batch format between readers and the mapping.

pub mod columnar;
pub mod error;
pub mod focus;
pub mod formats;
pub mod glue;
pub mod io;
pub mod mapping;

use duckdb::{duckdb_entrypoint_c_api, Connection};
use std::error::Error;

/// Called by DuckDB at `LOAD focus`. Registers table functions only: no SQL runs, so loading
/// writes nothing into the user's database and works on read-only databases.
#[duckdb_entrypoint_c_api(ext_name = "focus", min_duckdb_version = "v1.5.6")]
pub fn extension_entrypoint(con: Connection) -> Result<(), Box<dyn Error>> {
    glue::register_all(&con)
}
