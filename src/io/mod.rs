//! Byte sources: finding files (paths, globs, directories) and opening them with whatever
//! compression they carry. Knows nothing about vendors.

#[cfg(any(feature = "s3", feature = "cloud"))]
pub mod bridge;
#[cfg(feature = "cloud")]
pub mod cloud;
pub mod listing;
pub mod location;
#[cfg(any(feature = "s3", feature = "cloud"))]
pub mod object;
pub mod open;
#[cfg(feature = "s3")]
pub mod s3;
pub mod store;

use crate::error::Result;

/// Objects whose headers or footers bind reads at the same time (listing-sized work; the scan
/// itself is parallelised by DuckDB's threads).
const BIND_IN_FLIGHT: usize = 8;

/// `f` over `items`, results in order; the first error in order wins. Runs on a few scoped
/// threads when `remote` (each item is then a round trip), else inline.
pub fn parallel_map<T, R, F>(items: &[T], remote: bool, f: F) -> Result<Vec<R>>
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> Result<R> + Sync,
{
    if !remote || items.len() < 2 {
        return items.iter().map(&f).collect();
    }
    let per = items.len().div_ceil(BIND_IN_FLIGHT);
    let parts: Vec<Vec<Result<R>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(per)
            .map(|chunk| scope.spawn(|| chunk.iter().map(&f).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| vec![Err(crate::error::Error::usage("a discovery thread panicked"))])
            })
            .collect()
    });
    parts.into_iter().flatten().collect()
}
