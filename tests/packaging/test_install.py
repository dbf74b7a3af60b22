"""A non-editable install carries its register and templates and works from any folder."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

from support.paths import ROOT


def test_wheel_bundles_the_register_and_validates_it_from_another_folder(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(wheels), str(ROOT)],
        check=True,
        capture_output=True,
        text=True,
    )
    (wheel,) = wheels.glob("deviation_cli-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "deviation_cli/_bundled/data/tasks.yaml" in names
    assert "deviation_cli/_bundled/data/units.yaml" in names
    assert "deviation_cli/_bundled/data/source/policy.txt" in names

    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
        text=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "DEVIATION_DATA"}
    env["PYTHONPATH"] = str(target)
    for args, expected_out in (
        (["validate"], ""),
        (["due", "--before", "2023-07-31", "--format", "json"], '"id": 22'),
    ):
        run = subprocess.run(
            [sys.executable, "-m", "deviation_cli", *args],
            cwd=elsewhere,
            env=env,
            capture_output=True,
            text=True,
            encoding="utf-8",
        )
        assert run.returncode == 0, run.stderr
        assert expected_out in run.stdout
    validate = subprocess.run(
        [sys.executable, "-m", "deviation_cli", "validate"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    bundled = Path(target) / "deviation_cli" / "_bundled" / "data"
    assert validate.stderr.strip() == f"{bundled}: 登记册有效(23 项任务)"
