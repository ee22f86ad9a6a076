#!/usr/bin/env python3
"""Turn the cdylib into a loadable DuckDB extension by appending DuckDB's 512-byte metadata footer.

Layout, as DuckDB reads it (ExtensionHelper::ParseExtensionMetaData): the last 512 bytes of the
file are eight 32-byte NUL-padded fields followed by a 256-byte signature.

    bytes   0..96   three unused fields
    bytes  96..128  ABI type        C_STRUCT: the C API v1 struct; the version below is a minimum
    bytes 128..160  extension version (shown by duckdb_extensions())
    bytes 160..192  C API version   vMAJOR.MINOR.PATCH, must be <= the host's
    bytes 192..224  platform        must equal the host's PRAGMA platform
    bytes 224..256  magic           "4"
    bytes 256..512  signature       zeros: unsigned (hosts need allow_unsigned_extensions)
"""
import argparse
import shutil
import sys

FIELD = 32


def field(text: str) -> bytes:
    raw = text.encode("ascii")
    if len(raw) > FIELD:
        sys.exit(f"append_footer: '{text}' is longer than {FIELD} bytes")
    return raw.ljust(FIELD, b"\0")


def footer(abi: str, ext_version: str, capi_version: str, platform: str) -> bytes:
    fields = [field(""), field(""), field(""), field(abi), field(ext_version),
              field(capi_version), field(platform), field("4")]
    out = b"".join(fields) + b"\0" * 256
    assert len(out) == 512
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("library", help="the built shared library (target/release/libfocus.so)")
    p.add_argument("output", help="where to write NAME.duckdb_extension")
    p.add_argument("--extension-version", required=True)
    p.add_argument("--capi-version", required=True, help="e.g. v1.5.6")
    p.add_argument("--platform", default="linux_amd64")
    p.add_argument("--abi", default="C_STRUCT", choices=["C_STRUCT", "C_STRUCT_UNSTABLE", "CPP"])
    a = p.parse_args()
    if not a.output.endswith(".duckdb_extension"):
        sys.exit("append_footer: DuckDB only loads files named NAME.duckdb_extension")
    shutil.copyfile(a.library, a.output)
    with open(a.output, "ab") as f:
        f.write(footer(a.abi, a.extension_version, a.capi_version, a.platform))


if __name__ == "__main__":
    main()
