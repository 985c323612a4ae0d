"""Shared fixtures for the notebook tests: the plm4j kernelspec installed into a temporary
JUPYTER_PATH by the project's own installer, so the tests use exactly what users install."""
import os
import pathlib
import shutil
import subprocess
import tempfile

import pytest

ROOT = pathlib.Path(os.environ.get("PLM4J_ROOT", pathlib.Path(__file__).resolve().parents[4])).resolve()
DIST = pathlib.Path(os.environ.get("PLM4J_DIST", ROOT / "kernel-extensions/kernel/target/dist/lib")).resolve()
NOTEBOOKS = ROOT / "notebooks"
KERNEL_NAME = "plm4j"


def java_cli(*args, **kwargs):
    """Runs org.plm4j.kernel.cli.Main with the built distribution."""
    java = shutil.which("java")
    return subprocess.run([java, "-cp", f"{DIST}/*", "org.plm4j.kernel.cli.Main", *args], **kwargs)


@pytest.fixture(scope="session")
def jupyter_path():
    if not (DIST / "plm4j-kernel.jar").exists():
        pytest.fail(f"kernel distribution missing at {DIST}: run `mvn package` first")
    tmp = pathlib.Path(tempfile.mkdtemp(prefix="plm4j-jupyter-"))
    done = java_cli("kernel", "install", "--jupyter-path", str(tmp), "--name", KERNEL_NAME,
                    capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    old = os.environ.get("JUPYTER_PATH")
    os.environ["JUPYTER_PATH"] = str(tmp) + (os.pathsep + old if old else "")
    yield tmp
    if old is None:
        os.environ.pop("JUPYTER_PATH", None)
    else:
        os.environ["JUPYTER_PATH"] = old
    shutil.rmtree(tmp, ignore_errors=True)
