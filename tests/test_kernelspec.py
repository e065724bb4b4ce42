"""`gostream install` as Jupyter sees it."""

import json
import os
import subprocess

from jupyter_client.kernelspec import KernelSpecManager


def test_spec_is_found(gostream_bin, jupyter_env):
    spec = KernelSpecManager().get_kernel_spec("gostream")
    assert spec.argv == [str(gostream_bin.resolve()), "kernel", "{connection_file}"]
    assert spec.display_name == "Go (gostream)"
    assert spec.language == "go"
    assert spec.interrupt_mode == "message"
    assert spec.metadata == {"debugger": False}
    assert spec.resource_dir == str(jupyter_env / "kernels" / "gostream")
    for logo in ("logo-32x32.png", "logo-64x64.png", "logo-svg.svg"):
        assert os.path.getsize(os.path.join(spec.resource_dir, logo)) > 0


def test_kernelspec_list_cli(gostream_bin):
    out = subprocess.run(["/usr/bin/python3", "-m", "jupyter_client.kernelspecapp", "list", "--json"],
                         check=True, capture_output=True, text=True).stdout
    specs = json.loads(out)["kernelspecs"]
    assert specs["gostream"]["spec"]["argv"][0] == str(gostream_bin.resolve())


def test_prefix_install(gostream_bin, tmp_path):
    subprocess.run([str(gostream_bin), "install", "--prefix", str(tmp_path), "--name", "gs-prefix"],
                   check=True, capture_output=True)
    ksm = KernelSpecManager(kernel_dirs=[str(tmp_path / "share" / "jupyter" / "kernels")])
    assert ksm.get_kernel_spec("gs-prefix").language == "go"
