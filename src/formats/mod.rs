//! Vendor file formats. Each vendor module turns bytes into canonical [`crate::columnar::Batch`]es.
pub mod aws;
pub mod azure;
pub mod csv_reader;
pub mod focus;
pub mod gcp;
pub mod oci;
pub mod parquet_reader;
pub mod peek;
pub mod provider;
pub mod reader;
pub mod scan;
pub mod values;
pub mod view;
