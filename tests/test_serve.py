"""`portal serve` runs gunicorn with several workers on the same application."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_runs_gunicorn_workers(runner, people, write_package, config, tmp_path):
    assert runner("publish", write_package()).exit_code == 0
    port = _free_port()
    env = dict(os.environ, PORTAL_INSTANCE_PATH=str(tmp_path / "instance"), PORTAL_SECRET_KEY="test-secret",
               PORTAL_PSEUDONYM_KEY="test-pseudonym-key",
               PORTAL_DATABASE_URL=config["DATABASE_URL"], PORTAL_PACKAGE_STORE=config["PACKAGE_STORE"],
               PORTAL_UPLOAD_FOLDER=config["UPLOAD_FOLDER"])
    portal = Path(sys.executable).with_name("portal")
    server = subprocess.Popen([str(portal), "serve", "--port", str(port), "--workers", "2"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        body = None
        for _ in range(60):
            try:
                body = urllib.request.urlopen(f"http://127.0.0.1:{port}/datasets/nanyang-test-pharmacies",
                                              timeout=2).read().decode()
                break
            except OSError:
                time.sleep(0.25)
        assert body is not None and "南阳市药品零售企业名录（测试）" in body
    finally:
        server.terminate()
        output = server.communicate(timeout=20)[0]
    assert output.count("Booting worker") == 2
