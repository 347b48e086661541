"""The package store: immutable published versions under <root>/<name>/<version>/.

A version is written into <root>/.staging/<id>/ and renamed into place in one step, so a reader
never sees a half-written version. The database row is committed after the rename; if that commit
fails the caller calls discard() and the previous version stays the served one.
"""

import os
import shutil
import stat
import uuid
from pathlib import Path


class StoreError(Exception):
    pass


class PackageStore:
    def __init__(self, root):
        self.root = Path(root)

    def new_staging(self) -> Path:
        path = self.root / ".staging" / uuid.uuid4().hex
        path.mkdir(parents=True)
        return path

    def relpath(self, name: str, version: str) -> str:
        return f"{name}/{version}"

    def commit(self, staged: Path, name: str, version: str, known_paths: set[str]) -> str:
        """Move a staged folder into place. A leftover folder no database row knows (a crash between
        rename and commit) is moved aside first; a known one is never overwritten."""
        rel = self.relpath(name, version)
        target = self.root / rel
        if target.exists():
            if rel in known_paths:
                raise StoreError(f"版本 {version} 已存在，已发布的版本不可覆盖")
            orphans = self.root / ".orphans"
            orphans.mkdir(exist_ok=True)
            os.rename(target, orphans / f"{name}-{version}-{uuid.uuid4().hex[:8]}")
        _fsync_tree(staged)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.rename(staged, target)
        _fsync_dir(target.parent)
        _make_read_only(target)
        return rel

    def discard(self, rel: str) -> None:
        target = self.root / rel
        if target.exists():
            _make_writable(target)
            shutil.rmtree(target)

    def cleanup(self, staged: Path) -> None:
        shutil.rmtree(staged, ignore_errors=True)

    def path(self, rel: str, filename: str | None = None) -> Path:
        """Resolve a stored file, refusing anything that would leave the store."""
        base = (self.root / rel).resolve()
        if not base.is_relative_to(self.root.resolve()):
            raise StoreError("非法的存储路径")
        if filename is None:
            return base
        full = (base / filename).resolve()
        if not full.is_relative_to(base):
            raise StoreError("非法的文件路径")
        return full


def _fsync_tree(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            with open(path, "rb") as fh:
                os.fsync(fh.fileno())


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _make_read_only(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            path.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)


def _make_writable(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            path.chmod(stat.S_IRUSR | stat.S_IWUSR)
