"""What the PyTorch references run on, printed beside their timings."""
import torch


def blas():
    """BLAS_INFO from torch's build settings (Debian's torch: generic, i.e. the system BLAS) and oneDNN."""
    cfg = torch.__config__.show()
    info = cfg.split("BLAS_INFO=")[1].split(",")[0] if "BLAS_INFO=" in cfg else "?"
    return "BLAS " + info + (", oneDNN" if "USE_MKLDNN=ON" in cfg else "")
