"""Background tasks for data protection. Thin wrappers around services,
defined beside them (sar.py)."""

from .sar import sar_build_task, sar_generate_task

__all__ = ["sar_build_task", "sar_generate_task"]
