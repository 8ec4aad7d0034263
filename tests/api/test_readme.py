"""The README's curl session works against a fresh server (only the port differs)."""
import json
import re
import signal
import subprocess

from conftest import ROOT, free_port, start_server


def readme_session():
    text = (ROOT / "README.md").read_text()
    section = text.split("## A session with curl", 1)[1].split("## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", section, re.S)
    assert blocks, "the README has no curl session"
    return blocks[0]


def test_readme_curl_session_works(tmp_path):
    (tmp_path / "build").symlink_to(ROOT / "build")
    (tmp_path / "data").mkdir()
    port = free_port()
    proc = start_server(tmp_path / "data" / "contactd.db", port)
    try:
        script = readme_session().replace("127.0.0.1:8080", f"127.0.0.1:{port}")
        result = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=tmp_path,
                                capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        bodies = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
        assert len(bodies) == 6
        contact = bodies[0]["data"]
        assert contact["phones"][0]["e164"] == "+12125550184" and contact["is_primary"] is True
        assert bodies[1]["data"] == [{"id": contact["id"], "first_name": "Sarah",
                                      "email": "schen@meridiancapital.com",
                                      "phones": contact["phones"]}]
        assert [c["id"] for c in bodies[2]["data"]] == [contact["id"]]
        assert bodies[3]["pagination"]["total"] == 1
        assert bodies[4]["data"]["title"] == "Executive Vice President"
        assert bodies[4]["data"]["phones"][0]["e164"] == "+442079460958"
        assert bodies[5]["error"]["code"] == "validation_error"
        assert {d["field"] for d in bodies[5]["error"]["details"]} >= {"email", "phones[0].raw"}
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=20)
