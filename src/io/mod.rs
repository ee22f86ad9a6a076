//! Byte sources: finding files (paths, globs, directories) and opening them with whatever
//! compression they carry. Knows nothing about vendors.

pub mod listing;
pub mod open;
