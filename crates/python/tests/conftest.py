"""Shared paths for the Python tests (set by `make test-python`)."""

import os
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[3]


@pytest.fixture(scope="session")
def root() -> pathlib.Path:
    return ROOT


@pytest.fixture(scope="session")
def samples() -> pathlib.Path:
    return ROOT / "samples" / "dumps"


@pytest.fixture(scope="session")
def scour_bin() -> str:
    path = os.environ.get("SCOUR_BIN", str(ROOT / "target" / "debug" / "scour"))
    if not os.path.exists(path):
        pytest.fail(f"the scour binary {path} is missing: run `cargo build` (make test does)")
    return path


@pytest.fixture(scope="session")
def shared() -> pathlib.Path:
    return pathlib.Path(os.environ.get("SHARED", ROOT.parent / "shared"))
