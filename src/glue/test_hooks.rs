//! Functions that exist only for the test suite (registered when the environment variable
//! `FOCUS_ENABLE_TEST_HOOKS` is set at LOAD time). They prove the error policy: a panic in any
//! callback stage becomes a SQL error and the connection stays usable.

use crate::glue::params;
use duckdb::core::{DataChunkHandle, LogicalTypeHandle, LogicalTypeId};
use duckdb::vtab::{BindInfo, InitInfo, TableFunctionInfo, VTab};
use std::error::Error;

/// `focus_test_panic(stage)`: panics in `stage` ('bind', 'init' or 'scan').
pub struct FocusTestPanic;

pub struct Stage(String);

impl VTab for FocusTestPanic {
    type BindData = Stage;
    type InitData = ();

    fn bind(bind: &BindInfo) -> Result<Stage, Box<dyn Error>> {
        let stage = params::positional_strs(bind, 0).into_iter().next().unwrap_or_default();
        bind.add_result_column("x", LogicalTypeId::Bigint.into());
        if stage == "bind" {
            panic!("forced panic in bind");
        }
        Ok(Stage(stage))
    }

    fn init(info: &InitInfo) -> Result<(), Box<dyn Error>> {
        let stage = unsafe { &*info.get_bind_data::<Stage>() };
        if stage.0 == "init" {
            panic!("forced panic in init");
        }
        Ok(())
    }

    fn func(info: &TableFunctionInfo<Self>, out: &mut DataChunkHandle) -> Result<(), Box<dyn Error>> {
        if info.get_bind_data().0 == "scan" {
            panic!("forced panic in scan");
        }
        out.set_len(0);
        Ok(())
    }

    fn parameters() -> Option<Vec<LogicalTypeHandle>> {
        Some(vec![LogicalTypeId::Varchar.into()])
    }
}
