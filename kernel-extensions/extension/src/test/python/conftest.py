"""Fixtures for the extension's magic tests: the magics run inside the plm4j kernel, so these tests
need the kernel distribution (PLM4J_DIST, default kernel-extensions/kernel/target/dist/lib). The
kernel module runs them in its `verify`, after it is packaged; the kernelspec is installed into a
temporary JUPYTER_PATH by the project's own installer."""
import os
import pathlib
import shutil
import subprocess
import tempfile

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[5]
DIST = pathlib.Path(os.environ.get("PLM4J_DIST", ROOT / "kernel-extensions/kernel/target/dist/lib")).resolve()
KERNEL_NAME = "plm4j"


@pytest.fixture(scope="session")
def jupyter_path():
    if not (DIST / "plm4j-kernel.jar").exists():
        pytest.fail(f"kernel distribution missing at {DIST}: run `mvn -pl kernel-extensions/kernel -am package` first")
    tmp = pathlib.Path(tempfile.mkdtemp(prefix="plm4j-jupyter-"))
    done = subprocess.run([shutil.which("java"), "-cp", f"{DIST}/*", "org.plm4j.kernel.cli.Main", "kernel", "install",
                           "--jupyter-path", str(tmp), "--name", KERNEL_NAME], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    old = os.environ.get("JUPYTER_PATH")
    os.environ["JUPYTER_PATH"] = str(tmp) + (os.pathsep + old if old else "")
    yield tmp
    if old is None:
        os.environ.pop("JUPYTER_PATH", None)
    else:
        os.environ["JUPYTER_PATH"] = old
    shutil.rmtree(tmp, ignore_errors=True)
