"""Fixtures for the end-to-end suite: the gostream kernel driven by the real
Jupyter client stack (jupyter_client, nbclient).

The session builds bin/gostream once (or uses $GOSTREAM_BIN), installs its
kernelspec with `gostream install --user` into a temporary JUPYTER_DATA_DIR,
and every kernel is started by name through KernelManager, exactly as a
front end does.
"""

import os
import pathlib
import subprocess

import pytest

from jupyter_client.manager import KernelManager

import kernelio

REPO = pathlib.Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def gostream_bin():
    """Path of the gostream binary under test."""
    given = os.environ.get("GOSTREAM_BIN")
    if given:
        return pathlib.Path(given).resolve()
    out = REPO / "bin" / "gostream"
    subprocess.run(["go", "build", "-o", str(out), "."], cwd=REPO, check=True)
    return out


@pytest.fixture(scope="session", autouse=True)
def jupyter_env(tmp_path_factory, gostream_bin):
    """Private Jupyter data and runtime directories holding the gostream spec."""
    data = tmp_path_factory.mktemp("jupyter-data")
    runtime = tmp_path_factory.mktemp("jupyter-runtime")
    saved = {k: os.environ.get(k) for k in ("JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR")}
    os.environ["JUPYTER_DATA_DIR"] = str(data)
    os.environ["JUPYTER_RUNTIME_DIR"] = str(runtime)
    subprocess.run([str(gostream_bin), "install", "--user"], check=True,
                   stdout=subprocess.DEVNULL)
    yield data
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


@pytest.fixture
def km():
    """A started gostream kernel; shut down (killed if needed) afterwards."""
    manager = KernelManager(kernel_name="gostream")
    manager.start_kernel()
    yield manager
    if manager.has_kernel:
        try:
            manager.shutdown_kernel(now=False)
        except Exception:
            manager.shutdown_kernel(now=True)


@pytest.fixture
def kc(km):
    """A BlockingKernelClient connected to km and ready."""
    client = km.client()
    client.start_channels()
    client.wait_for_ready(timeout=kernelio.STARTUP_TIMEOUT)
    yield client
    client.stop_channels()
