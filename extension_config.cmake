# Read by DuckDB's CMake-based extension tooling (extension-ci-tools, the community-extensions
# pipeline) for the extension's name and where its SQL tests live. Our own build does not use
# CMake: `make release` runs cargo and appends the metadata footer (tools/append_footer.py),
# and `make test` runs test/sql with our runner (test/run_slt.py). Not exercised here: that
# tooling installs from GitHub, which this build environment cannot reach.
duckdb_extension_load(focus
    DONT_LINK
    SOURCE_DIR ${CMAKE_CURRENT_LIST_DIR}
    LOAD_TESTS
)
