"""Binder (repo2docker) builds the environment from binder/apt.txt and binder/postBuild, as a fresh user:
no ~/.m2, no kernelspec, no caches. This test does the same on a copy of the repository with an empty
HOME and an empty Maven repository (everything comes from Maven Central, as on mybinder.org), then
executes the quickstart with small parameters on the kernel that postBuild installed, through a real
Jupyter client (nbclient), as JupyterLab would run it.

Java reads its home from the account, not from $HOME; on Binder both are /home/jovyan, so here
JAVA_TOOL_OPTIONS gives every JVM (Maven, the installer, the kernel) the same empty home as Jupyter."""
import os
import pathlib
import re
import shutil
import subprocess
import time

import jupyter_client
import nbformat
import pytest
from nbclient import NotebookClient

from conftest import KERNEL_NAME, ROOT

# papermill-style: a cell tagged injected-parameters right after the parameters cell
SMALL_RUN = {"steps": 20, "vocabSize": 1000, "sequenceLength": 32, "batchSize": 16}
POSTBUILD_TIMEOUT_SECONDS = 1200
NOTEBOOK_TIMEOUT_SECONDS = 300
# what Binder does not have: the developer's Jupyter and Maven set-up
CLEARED = ("JUPYTER_PATH", "JUPYTER_DATA_DIR", "JUPYTER_CONFIG_DIR", "JUPYTER_RUNTIME_DIR", "XDG_DATA_HOME",
           "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "MAVEN_OPTS", "MAVEN_ARGS", "PLM4J_CACHE", "PLM4J_TEST_JUPYTER_PATH")


def repository_copy(dest):
    """The files repo2docker sees: tracked and untracked-but-not-ignored files, no build output."""
    listed = subprocess.run(["git", "-C", str(ROOT), "ls-files", "-z", "-co", "--exclude-standard"],
                            capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        src = ROOT / name
        if src.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)
    return dest


def inject_parameters(nb, values):
    index = next(i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", []))
    source = "\n".join(f"{k} = {v};" for k, v in values.items())
    cell = nbformat.v4.new_code_cell(source, metadata={"tags": ["injected-parameters"]})
    nb.cells.insert(index + 1, cell)


@pytest.fixture(scope="module")
def binder_user(tmp_path_factory):
    """A copy of the repository after binder/postBuild ran in it as a fresh user; yields (repo, home, env)."""
    base = tmp_path_factory.mktemp("binder")
    repo = repository_copy(base / "repo")
    home = base / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in CLEARED}
    env.update(HOME=str(home), JAVA_TOOL_OPTIONS=f"-Duser.home={home}")
    start = time.monotonic()
    done = subprocess.run(["bash", "binder/postBuild"], cwd=repo, env=env, capture_output=True, text=True,
                          timeout=POSTBUILD_TIMEOUT_SECONDS)
    print(f"binder/postBuild with an empty HOME and Maven repository: {time.monotonic() - start:.0f} s")
    assert done.returncode == 0, "binder/postBuild failed:\n" + done.stdout[-3000:] + done.stderr[-3000:]
    yield repo, home, env
    shutil.rmtree(base, ignore_errors=True)  # about 1 GB: the Maven repository and DJL's libtorch


def test_postbuild_downloads_its_maven_dependencies_into_the_fresh_home(binder_user):
    _, home, _ = binder_user
    downloaded = home / ".m2" / "repository" / "ai" / "djl" / "pytorch" / "pytorch-native-cpu"
    assert any(downloaded.rglob("*.jar")), f"postBuild did not resolve libtorch into {downloaded}"


def test_postbuild_installs_the_kernel_where_jupyter_looks_for_the_binder_user(binder_user, monkeypatch):
    repo, home, env = binder_user
    for k in CLEARED:
        monkeypatch.delenv(k, raising=False)
    monkeypatch.setenv("HOME", str(home))
    spec = jupyter_client.kernelspec.KernelSpecManager().get_kernel_spec(KERNEL_NAME)
    assert pathlib.Path(spec.resource_dir).resolve().is_relative_to(home.resolve()), spec.resource_dir
    classpath = spec.argv[spec.argv.index("-cp") + 1]
    assert classpath.startswith(str(repo)), f"the kernel runs {classpath}, not the jars postBuild built"
    assert spec.display_name == "Java (plm4j)"


def test_quickstart_runs_on_the_kernel_postbuild_installed(binder_user, monkeypatch):
    repo, home, env = binder_user
    for k in CLEARED:
        monkeypatch.delenv(k, raising=False)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("JAVA_TOOL_OPTIONS", env["JAVA_TOOL_OPTIONS"])
    notebooks = repo / "notebooks"
    nb = nbformat.read(notebooks / "00-quickstart.ipynb", as_version=4)
    inject_parameters(nb, SMALL_RUN)
    start = time.monotonic()
    NotebookClient(nb, kernel_name=KERNEL_NAME, timeout=NOTEBOOK_TIMEOUT_SECONDS,
                   resources={"metadata": {"path": str(notebooks)}}).execute()
    print(f"quickstart (small parameters) on the Binder-installed kernel: {time.monotonic() - start:.0f} s")
    outputs = [o for c in nb.cells for o in c.get("outputs", [])]
    errors = [o for o in outputs if o["output_type"] == "error"]
    assert not errors, errors
    text = "".join(o.get("text", "") for o in outputs)
    before, after = (float(re.search(rf"perplexity {w} training: ([0-9.]+)", text).group(1)) for w in ("before", "after"))
    assert after < before, (before, after)
    assert any("image/png" in o.get("data", {}) for o in outputs), "no chart (image/png) output"
