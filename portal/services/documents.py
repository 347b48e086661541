"""Supporting documents of applications and cases (objections, error reports, data requests): PDF or
images, checked by content, size and count, stored in the instance folder (never under a public
route); served only to who may see what they belong to."""

import hashlib
import os
import re
import tempfile
from pathlib import Path

from flask import current_app

from ..errors import NotFound, ValidationError
from ..extensions import db
from ..models import Application, ApplicationDocument, CaseDocument

MAX_FILES = 5
MAX_BYTES = 10 * 1024 * 1024
KINDS = {b"%PDF-": ("application/pdf", ".pdf"), b"\x89PNG\r\n\x1a\n": ("image/png", ".png"),
         b"\xff\xd8\xff": ("image/jpeg", ".jpg")}


def _folder(owner) -> Path:
    root = Path(current_app.config["APPLICATION_FOLDER"])
    folder = root / str(owner.id) if isinstance(owner, Application) else root / "cases" / str(owner.id)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _kind(head: bytes) -> tuple[str, str] | None:
    return next((kind for magic, kind in KINDS.items() if head.startswith(magic)), None)


def check(files) -> list[tuple[str, bytes, str, str]]:
    """(name, content, mediatype, extension) of every non-empty upload, or a ValidationError naming each
    problem. `files` are werkzeug FileStorage objects or (filename, bytes) pairs."""
    checked, problems = [], []
    for item in files or ():
        name, content = (item if isinstance(item, tuple) else (item.filename or "", item.read(MAX_BYTES + 1)))
        if not name and not content:
            continue
        name = re.sub(r"[\x00-\x1f/\\]", "_", Path(name).name)[:150] or "附件"
        kind = _kind(content[:8])
        if len(content) > MAX_BYTES:
            problems.append(f"「{name}」超过 {MAX_BYTES // 1024 // 1024} MB")
        elif not content:
            problems.append(f"「{name}」是空文件")
        elif kind is None:
            problems.append(f"「{name}」不是 PDF、PNG 或 JPEG 文件")
        else:
            checked.append((name, content, *kind))
    if len(checked) > MAX_FILES:
        problems.append(f"证明材料最多 {MAX_FILES} 个")
    if problems:
        raise ValidationError("；".join(problems), details=problems)
    return checked


def _model(owner):
    return (ApplicationDocument, "application_id") if isinstance(owner, Application) else (CaseDocument, "case_id")


def save_documents(owner, files) -> int:
    """Store the checked files of an application or a case (rows added to the caller's transaction)."""
    checked = check(files)
    model, key = _model(owner)
    for name, content, mediatype, extension in checked:
        digest = hashlib.sha256(content).hexdigest()
        stored = f"{digest[:16]}{extension}"
        target = _folder(owner) / stored
        if not target.exists():
            fd, tmp = tempfile.mkstemp(dir=target.parent)
            with os.fdopen(fd, "wb") as out:
                out.write(content)
            os.replace(tmp, target)
        db.session.add(model(**{key: owner.id}, filename=name, stored_as=stored, mediatype=mediatype,
                             bytes=len(content), sha256=digest))
    return len(checked)


def document(owner, document_id: int) -> tuple[Path, str, str]:
    """(path, mediatype, filename) of one of the documents of an application or a case."""
    model, key = _model(owner)
    doc = db.session.get(model, document_id)
    if doc is None or getattr(doc, key) != owner.id:
        raise NotFound("材料不存在")
    return _folder(owner) / doc.stored_as, doc.mediatype, doc.filename
