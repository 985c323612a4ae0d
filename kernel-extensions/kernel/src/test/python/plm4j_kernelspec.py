"""Installs the plm4j kernelspec into a temporary Jupyter path with the real CLI (once per test session).

PLM4J_DIST points at kernel-extensions/kernel/target/dist/lib (Maven sets it); JUPYTER_PATH is set so that
jupyter_client finds the kernel under the name ``plm4j``.
"""
import atexit
import os
import shutil
import subprocess
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
DIST = os.path.abspath(os.environ.get("PLM4J_DIST", os.path.join(HERE, "..", "..", "..", "target", "dist", "lib")))
KERNEL_NAME = "plm4j"


def install():
    if os.environ.get("PLM4J_TEST_JUPYTER_PATH"):
        return os.environ["PLM4J_TEST_JUPYTER_PATH"]
    if not os.path.exists(os.path.join(DIST, "plm4j-kernel.jar")):
        raise RuntimeError(f"no kernel jar in {DIST}; run `mvn -pl kernel-extensions/kernel package` first or set PLM4J_DIST")
    tmp = tempfile.mkdtemp(prefix="plm4j-jupyter-")
    atexit.register(shutil.rmtree, tmp, True)
    subprocess.run(["java", "-cp", os.path.join(DIST, "*"), "org.plm4j.kernel.cli.Main", "kernel", "install",
                    "--jupyter-path", tmp, "--name", KERNEL_NAME], check=True, stdout=subprocess.DEVNULL)
    os.environ["JUPYTER_PATH"] = tmp
    os.environ["PLM4J_TEST_JUPYTER_PATH"] = tmp
    return tmp


install()
