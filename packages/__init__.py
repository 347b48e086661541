"""Data packages: the only code that imports frictionless. Build, validate and store published versions."""

from .pipeline import Limits, Prepared, prepare
from .report import Problem, Report
from .store import PackageStore, StoreError

__all__ = ["Limits", "Prepared", "prepare", "Problem", "Report", "PackageStore", "StoreError"]
