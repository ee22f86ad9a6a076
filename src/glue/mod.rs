//! DuckDB glue: one file per SQL function. Nothing here parses bytes or knows a vendor format;
//! it reads arguments, calls into the crate, and writes vectors.

pub mod focus_columns;
pub mod focus_mapping;
pub mod focus_version;
pub mod output;
pub mod params;
pub mod read_vendor;
pub mod scan;
pub mod static_table;
pub mod test_hooks;
pub mod to_focus;

use duckdb::Connection;
use static_table::Static;
use std::error::Error;

/// Registers every SQL function of the extension.
pub fn register_all(con: &Connection) -> Result<(), Box<dyn Error>> {
    con.register_table_function::<Static<focus_version::FocusVersion>>("focus_version")?;
    con.register_table_function::<Static<focus_columns::FocusColumns>>("focus_columns")?;
    con.register_table_function::<read_vendor::ReadVendor<read_vendor::AwsCur>>("read_aws_cur")?;
    con.register_table_function::<read_vendor::ReadVendor<read_vendor::GcpBilling>>("read_gcp_billing")?;
    con.register_table_function::<read_vendor::ReadVendor<read_vendor::OciCost>>("read_oci_cost")?;
    con.register_table_function::<read_vendor::ReadVendor<read_vendor::FocusFiles>>("read_focus")?;
    con.register_table_function::<read_vendor::ReadVendor<read_vendor::AzureCost>>("read_azure_cost")?;
    con.register_table_function::<to_focus::ToFocus>("to_focus")?;
    con.register_table_function::<Static<focus_mapping::FocusMapping>>("focus_mapping")?;
    con.register_table_function::<Static<focus_mapping::FocusSql>>("focus_sql")?;
    if std::env::var_os("FOCUS_ENABLE_TEST_HOOKS").is_some() {
        con.register_table_function::<test_hooks::FocusTestPanic>("focus_test_panic")?;
    }
    Ok(())
}
