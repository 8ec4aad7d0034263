"""bench/: the harness's entry points answer without running a benchmark (that is not for CI)."""
import subprocess
import sys

from conftest import ROOT

SCENARIOS = ["get_by_id", "list_default", "filter_last_name", "filter_state_in", "filter_created",
             "sort_offset", "cursor_deep", "create", "patch", "mixed", "search", "filter_tag",
             "upsert", "filter_custom", "search_selective", "list_own"]


def test_bench_run_help_names_every_scenario_and_option():
    result = subprocess.run([sys.executable, str(ROOT / "bench" / "run"), "--help"],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    for word in SCENARIOS + ["--rows", "--scenarios", "--quick", "--systems", "--webhook"]:
        assert word in result.stdout


def test_bench_run_rejects_an_unknown_scenario_before_doing_anything():
    result = subprocess.run([sys.executable, str(ROOT / "bench" / "run"), "--scenarios", "nope"],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 2 and "unknown scenario nope" in result.stderr


def test_every_scenario_has_a_request_builder_in_each_api():
    lua = (ROOT / "bench" / "wrk" / "scenario.lua").read_text()
    for scenario in SCENARIOS:
        assert f"{scenario} = function" in lua or f"builders.{scenario} = function" in lua
    for api in ("native", "directus"):
        text = (ROOT / "bench" / "wrk" / f"api_{api}.lua").read_text()
        for fn in ("get_by_id", "list_default", "filter_last_name", "filter_state_in",
                   "filter_created", "sort_offset", "cursor_page", "create", "patch"):
            assert f"function M.{fn}(" in text, (api, fn)
    native = (ROOT / "bench" / "wrk" / "api_native.lua").read_text()
    for fn in ("search", "filter_tag", "upsert", "filter_custom", "list_own"):  # model scenarios
        assert f"function M.{fn}(" in native, fn
