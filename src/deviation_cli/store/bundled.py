"""Where the register and templates bundled with the package are: in the wheel, or in the checkout.

A module of its own, with nothing but ``pathlib``, because every command asks it
(is the answer from the bundled register?) before anything else is loaded.
"""

from __future__ import annotations

from pathlib import Path

#: The package folder: ``_bundled/`` inside it in a wheel, the repository two levels up in a checkout.
_PACKAGE = Path(__file__).resolve().parent.parent


def bundled_data_folder() -> Path:
    """The register shipped with the package (or the checkout's ``data/`` in an editable install)."""
    packaged = _PACKAGE / "_bundled" / "data"
    if packaged.is_dir():
        return packaged
    return _PACKAGE.parent.parent / "data"


def bundled_templates_folder() -> Path:
    packaged = _PACKAGE / "_bundled" / "templates"
    if packaged.is_dir():
        return packaged
    return _PACKAGE.parent.parent / "templates"
