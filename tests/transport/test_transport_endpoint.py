"""How a spec host name, its login and an OpenSSH client config combine into one endpoint."""

from __future__ import annotations

from pathlib import Path

import paramiko
import pytest

from xclone.base.errors import XcloneError
from xclone.base.remote import Login
from xclone.transport.endpoint import load_ssh_config, resolve

CONFIG = """
Host hmc01.cluster.com
    HostName 127.0.0.1
    Port 2222
    User root
    IdentityFile /keys/id_hmc01
    UserKnownHostsFile /keys/known_hosts /keys/more_hosts
"""


def _config() -> paramiko.SSHConfig:
    return paramiko.SSHConfig.from_text(CONFIG)


def test_the_client_config_maps_the_login_host_onto_the_lab() -> None:
    login = Login(host="hmc01.cluster.com", user="hscroot")
    endpoint = resolve("hmc01", login, _config())
    assert (endpoint.name, endpoint.hostname, endpoint.port, endpoint.user) == (
        "hmc01", "127.0.0.1", 2222, "root"
    )
    assert endpoint.identity_files == ("/keys/id_hmc01",)
    assert endpoint.known_hosts == (Path("/keys/known_hosts"), Path("/keys/more_hosts"))
    assert endpoint.host_key_name == "[127.0.0.1]:2222"


def test_without_a_config_entry_the_login_decides() -> None:
    login = Login(host="xcataixmn", user="root", port=22)
    endpoint = resolve("xcataixmn", login, _config(), key_filename="/keys/mine")
    assert (endpoint.hostname, endpoint.port, endpoint.user) == ("xcataixmn", 22, "root")
    assert endpoint.identity_files == ("/keys/mine",)
    assert endpoint.known_hosts == (Path("~/.ssh/known_hosts").expanduser(),)
    assert endpoint.host_key_name == "xcataixmn"


def test_an_explicit_known_hosts_wins_over_the_config() -> None:
    login = Login(host="hmc01.cluster.com", user="hscroot")
    endpoint = resolve("hmc01", login, _config(), known_hosts=Path("/elsewhere"))
    assert endpoint.known_hosts == (Path("/elsewhere"),)


def test_a_named_config_file_that_is_missing_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(XcloneError, match="does not exist"):
        load_ssh_config(tmp_path / "nope")


def test_a_non_numeric_port_is_a_user_error() -> None:
    config = paramiko.SSHConfig.from_text("Host x\n    Port many\n")
    with pytest.raises(XcloneError, match="Port 'many'"):
        resolve("x", None, config)
