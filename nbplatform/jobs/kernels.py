"""Check that a notebook's kernel exists where its job will run."""

from __future__ import annotations

import nbformat
from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

from .errors import PromoteError


def notebook_kernel(nb: nbformat.NotebookNode) -> str:
    """Return the kernel name the notebook requests, ``python3`` if it names none."""
    return nb.metadata.get("kernelspec", {}).get("name") or "python3"


def check_local_kernel(name: str) -> None:
    """Raise PromoteError unless a kernelspec called ``name`` is installed for this Python."""
    manager = KernelSpecManager()
    try:
        manager.get_kernel_spec(name)
    except NoSuchKernel:
        available = ", ".join(sorted(manager.find_kernel_specs())) or "(none)"
        raise PromoteError(
            f"Kernel {name!r} is not installed where jobs run. Installed kernels: {available}. "
            "Fix: switch the notebook to one of them (Kernel > Change Kernel) or install the kernel.",
            reason="kernel-missing",
            details={"kernel": name, "available": available},
        ) from None
