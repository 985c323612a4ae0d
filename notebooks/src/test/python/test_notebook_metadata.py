"""Every committed notebook stores exactly the kernelspec and language_info that the installed kernel
reports. Notebook 6 and JupyterLab copy both into the notebook's metadata when the kernel starts and
mark the notebook dirty ("unsaved changes") when they differ: autosave would then rewrite a committed
notebook just by opening it."""
import json

import jupyter_client
import pytest

from conftest import KERNEL_NAME, NOTEBOOKS

NOTEBOOK_FILES = sorted(NOTEBOOKS.glob("*.ipynb"))


@pytest.fixture(scope="module")
def kernel_reports(jupyter_path):
    """The kernelspec as the frontend stores it, and the kernel_info_reply's language_info."""
    spec = jupyter_client.kernelspec.KernelSpecManager().get_kernel_spec(KERNEL_NAME)
    km, kc = jupyter_client.manager.start_new_kernel(kernel_name=KERNEL_NAME, startup_timeout=120)
    try:
        reply = kc.kernel_info(reply=True, timeout=60)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    kernelspec = {"name": KERNEL_NAME, "display_name": spec.display_name, "language": spec.language}
    return kernelspec, reply["content"]["language_info"]


@pytest.mark.parametrize("path", NOTEBOOK_FILES, ids=[p.name for p in NOTEBOOK_FILES])
def test_notebook_metadata_equals_what_the_kernel_reports(path, kernel_reports):
    kernelspec, language_info = kernel_reports
    metadata = json.loads(path.read_text())["metadata"]
    expected = json.dumps({"kernelspec": kernelspec, "language_info": language_info}, indent=1, sort_keys=True)
    assert metadata.get("kernelspec") == kernelspec, \
        f"{path.name}: kernelspec differs from the installed kernel's; it should carry\n{expected}"
    assert metadata.get("language_info") == language_info, \
        f"{path.name}: language_info differs from the kernel_info_reply's; it should carry\n{expected}"
