"""The nginx configuration `parkstad deploy` writes, checked by nginx itself; and what the command refuses."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from deploy.cluster import Cluster, nginx_binary, render_nginx
from parkstad.errors import DeployError, SettingsError
from parkstad.settings import Settings
from tests.deploy import NEEDS_NGINX


@NEEDS_NGINX
def test_written_config_is_accepted_by_nginx_and_names_every_process(tmp_path: Path):
    conf = tmp_path / "nginx.conf"
    text = render_nginx(tmp_path, "127.0.0.1:18080", [17861, 17862, 17863], 65_536)
    conf.write_text(text)
    (tmp_path / "tmp").mkdir()
    check = subprocess.run([nginx_binary(), "-t", "-p", str(tmp_path), "-c", str(conf), "-e",
                            str(tmp_path / "error.log")], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    assert [f"127.0.0.1:{p}" in text for p in (17861, 17862, 17863)] == [True] * 3
    assert "client_max_body_size 1048576;" in text
    assert "/var/" not in text and "/etc/" not in text  # everything it writes is in the run folder


def test_a_placeholder_without_a_value_is_refused(tmp_path: Path):
    with pytest.raises(DeployError, match="@@WORKERS@@"):
        render_nginx(tmp_path, "127.0.0.1:1", [2], 1024, template="worker_processes @@WORKERS@@;")


def test_a_public_address_needs_a_login(tmp_path: Path):
    with pytest.raises(SettingsError, match="PARKSTAD_AUTH"):
        Cluster(Settings(host="0.0.0.0"), 2, tmp_path / "run", tmp_path / "chroma")
    Cluster(Settings(host="0.0.0.0", auth="user:secret"), 2, tmp_path / "run", tmp_path / "chroma")
    with pytest.raises(SettingsError, match="--processes"):
        Cluster(Settings(), 0, tmp_path / "run", tmp_path / "chroma")


@NEEDS_NGINX
def test_a_taken_port_is_named_before_anything_starts(tmp_path: Path):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        cluster = Cluster(Settings(port=port), 2, tmp_path / "run", tmp_path / "chroma")
        with pytest.raises(DeployError, match=f"port {port} is taken: set PARKSTAD_PORT"):
            cluster.start()
    assert cluster.children == [] and not (tmp_path / "chroma").exists()
