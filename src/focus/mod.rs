//! The FOCUS model: which columns each specification version has and what they hold.
pub mod catalog;
pub mod convert;
