"""Runs a script of tests/clients (an official API client driven by node) and reads its steps.

Not a test module: helpers shared by the tests that drive the compat surfaces with their
official clients. A script prints one JSON object: each step's {result, requests} or
{error, requests}.
"""
import json
import shutil
import subprocess
from pathlib import Path

CLIENTS = Path(__file__).resolve().parents[1] / "clients"


def run_script(name, packages, *args):
    """The steps the script `name` recorded, run with `args`; fails naming what is missing (node,
    one of `packages`) or what the script wrote on stderr."""
    node = shutil.which("node")
    assert node, "node is not on PATH: run scripts/install-deps"
    for package in packages:
        assert (CLIENTS / "node_modules" / package / "package.json").is_file(), \
            f"tests/clients/node_modules has no {package}: run scripts/install-deps"
    out = subprocess.run([node, str(CLIENTS / name), *map(str, args)],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, f"{name} failed:\n{out.stderr}"
    return json.loads(out.stdout)


def result(run, step):
    """The step's result; fails naming the step when the server answered an error."""
    got = run.steps[step]
    assert "error" not in got, (step, got)
    return got["result"]


def error(run, step):
    got = run.steps[step]
    assert "result" not in got, (step, got)
    return got["error"]
