"""The wheel `make test` built installs into a fresh venv and imports there
(no pyarrow needed for the dict API)."""

import os
import pathlib
import subprocess
import sys

import pytest


def test_wheel_installs_into_a_fresh_venv(tmp_path):
    wheels = sorted(pathlib.Path(os.environ.get("WHEEL_DIR", "target/wheels/dev")).glob("scour_text-*.whl"))
    if not wheels:
        pytest.fail("no scour_text wheel: `make test-python` builds one with maturin")
    wheel = wheels[-1]
    assert "abi3" in wheel.name, "one wheel for every Python 3.9+"
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    py = venv / "bin" / "python"
    subprocess.run([str(py), "-m", "pip", "install", "-q", "--no-index", "--no-deps", str(wheel)], check=True)
    code = (
        "import scour_text, json;"
        "r = scour_text.clean('---\\ntitle: 标题\\n---\\n\\n' .encode() + '国家互联网应急中心发布通报，提醒用户及时更新补丁。'.encode(), 'a.md');"
        "print(json.dumps([r[0]['title'], len(scour_text.minhash(r[0]['text']))], ensure_ascii=False))"
    )
    out = subprocess.run([str(py), "-c", code], check=True, capture_output=True, text=True, cwd=tmp_path).stdout
    assert out.strip() == '["标题", 128]'
    stubs = subprocess.run(
        [str(py), "-c", "import scour_text, pathlib; print(pathlib.Path(scour_text.__file__).with_suffix('.pyi').exists())"],
        check=True, capture_output=True, text=True, cwd=tmp_path,
    ).stdout
    assert stubs.strip() == "True", "type stubs ship in the wheel"
