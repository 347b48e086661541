"""Signed publications (art. 47): the portal's signing key, signing at publish, and verification of a
downloaded file (package zip, single resource file, or datapackage.json) for the CLI and the web."""

import hashlib
import io
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from packages import signing

from ..errors import NotFound
from ..extensions import db
from ..models import Dataset, DatasetVersion, Resource
from . import audit
from .store import package_store

NOT_MATCHING = "文件内容与任何已签名的发布件都不一致（可能已被修改）"


def signing_key():
    """The Ed25519 private key of this instance, loaded (or created) once per app."""
    path = current_app.config["SIGNING_KEY"]
    cached = current_app.extensions.get("portal_signing_key")
    if cached is None or cached[0] != path:
        cached = (path, signing.load_or_create_key(path))
        current_app.extensions["portal_signing_key"] = cached
    return cached[1]


def public_key_pem() -> str:
    return signing.public_key_pem(signing_key())


def sign_stored(rel: str) -> str:
    """Signature over the exact bytes of <store>/<rel>/datapackage.json."""
    return signing.sign(signing_key(), _descriptor_bytes(rel))


def _descriptor_bytes(rel: str) -> bytes:
    return package_store().path(rel, signing.DESCRIPTOR).read_bytes()


def backfill(actor) -> tuple[int, list[str]]:
    """Sign every published version that has no signature yet (published before signing existed).
    A version whose stored descriptor no longer has its recorded hash is not signed but reported."""
    signed, refused = 0, []
    for version in db.session.scalars(select(DatasetVersion).where(DatasetVersion.signature.is_(None))
                                      .order_by(DatasetVersion.id)):
        label = f"{version.dataset.name} {version.version}"
        try:
            data = _descriptor_bytes(version.path)
        except OSError:
            refused.append(f"{label}：找不到已存储的 datapackage.json")
            continue
        if hashlib.sha256(data).hexdigest() != version.descriptor_hash:
            refused.append(f"{label}：已存储的 datapackage.json 与发布时的校验值不一致，未补签")
            continue
        version.signature = signing.sign(signing_key(), data)
        signed += 1
    if signed:
        audit.record(actor, "signature.backfill", "dataset_version", "*", {"signed": signed})
    db.session.commit()
    return signed, refused


def current_signature(actor, name: str) -> str:
    """The signature of the current version of a listed dataset (for /datasets/<name>/datapackage.json.sig)."""
    dataset = db.session.scalar(select(Dataset).where(Dataset.name == name))
    if dataset is None or dataset.current_version is None or not dataset.current_version.signature:
        raise NotFound(f"数据集「{name}」不存在或尚无签名")
    return dataset.current_version.signature


# --- verification -----------------------------------------------------------------------------------

@dataclass
class Match:
    """A published version that the checked file belongs to."""
    dataset: str
    title: str
    version: str
    published_at: datetime
    current: bool
    current_version: str | None
    resource: str | None = None

    @property
    def published_date(self) -> str:
        return (self.published_at + timedelta(hours=8)).strftime("%Y-%m-%d")  # stored in UTC; shown in Beijing time


@dataclass
class Verification:
    status: str  # "authentic", "not-authentic", "unreadable"
    kind: str  # "package", "resource", "descriptor", "unknown"
    filename: str
    messages: list[str] = field(default_factory=list)
    matches: list[Match] = field(default_factory=list)
    resources: list[signing.ResourceCheck] = field(default_factory=list)
    sha256: str | None = None

    @property
    def authentic(self) -> bool:
        return self.status == "authentic"

    @property
    def headline(self) -> str:
        return {"authentic": "验证通过：该文件是本平台签名发布的原件",
                "not-authentic": "验证未通过：不能确认该文件是本平台签名发布的原件",
                "unreadable": "无法读取该文件"}[self.status]


def verify_file(path_or_stream, filename: str, expected_dataset: str | None = None,
                expected_version: str | None = None, signature: str | bytes | None = None) -> Verification:
    """Say whether a file is an authentic signed publication of this portal, and of which version.
    `path_or_stream` is a path, bytes or a binary file; `signature` optionally the separate
    datapackage.json.sig for a descriptor. Bad input comes back as a Verification, never raised."""
    with _spooled(path_or_stream) as (fh, size, digest):
        if fh is None:
            return Verification("unreadable", "unknown", filename, ["文件不存在或无法读取"])
        if size == 0:
            return Verification("unreadable", "unknown", filename, ["文件为空"])
        if _is_package_zip(fh):
            result = _verify_package(fh, filename)
        else:
            fh.seek(0)
            result = _verify_resource(digest, size, filename)
            if result is None and filename.lower().endswith(".zip"):
                result = _verify_package(fh, filename)
            elif result is None:
                result = _verify_descriptor(fh.read(signing.MAX_DESCRIPTOR_BYTES + 1), digest, filename, signature)
    result.sha256 = digest
    if result.authentic:
        _apply_expectation(result, expected_dataset, expected_version)
    return result


class _spooled:
    """Open the input as a seekable binary file and hash it in one pass."""

    def __init__(self, source):
        self.source, self.fh, self.own = source, None, False

    def __enter__(self):
        source = self.source
        try:
            if isinstance(source, str | Path):
                self.fh, self.own = open(source, "rb"), True  # closed in __exit__
            elif isinstance(source, bytes | bytearray):
                self.fh = io.BytesIO(source)
            elif source.seekable():
                self.fh = source
                self.fh.seek(0)
            else:
                self.fh, self.own = tempfile.TemporaryFile(), True
                shutil.copyfileobj(source, self.fh, signing.CHUNK)
                self.fh.seek(0)
            digest, size = hashlib.sha256(), 0
            while chunk := self.fh.read(signing.CHUNK):
                digest.update(chunk)
                size += len(chunk)
            self.fh.seek(0)
        except (OSError, ValueError):
            return None, 0, None
        return self.fh, size, digest.hexdigest()

    def __exit__(self, *exc):
        if self.own and self.fh is not None:
            self.fh.close()


def _is_package_zip(fh) -> bool:
    head = fh.read(4)
    fh.seek(0)
    if head != b"PK\x03\x04":
        return False
    try:
        with zipfile.ZipFile(fh) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        fh.seek(0)
    return any(n.rsplit("/", 1)[-1] == signing.DESCRIPTOR for n in names)


def _verify_package(fh, filename: str) -> Verification:
    limit = current_app.config.get("VERIFY_MAX_BYTES", 8 << 30)
    check = signing.check_package_zip(fh, signing_key().public_key(), limit)
    result = Verification("not-authentic", "package", filename, resources=check.resources)
    if not check.readable:
        result.status = "unreadable"
        result.messages = check.problems
        return result
    result.messages = list(check.problems)
    result.messages += [f"资源「{r.name}」：{r.message}" for r in check.resources if not r.ok]
    if not check.signature_valid:
        return result
    version = _find_version(check.name, check.version)
    if version is None or version.descriptor_hash != check.descriptor_sha256:
        result.messages.append(f"签名有效，但本平台没有登记数据集「{check.name}」的版本 {check.version}")
        return result
    result.matches = [_match(version)]
    if check.valid:
        result.status = "authentic"
        result.messages = [_describe(result.matches[0], "数据包")] + check.notes
    return result


def _verify_resource(digest: str, size: int, filename: str) -> Verification | None:
    rows = db.session.scalars(select(Resource).where(Resource.hash == digest).order_by(Resource.version_id)).all()
    if not rows:
        return None
    result = Verification("not-authentic", "resource", filename)
    public = signing_key().public_key()
    for row in rows:
        version = row.version
        descriptor_bytes = _stored_bytes(version)
        descriptor = signing.parse_descriptor(descriptor_bytes or b"")
        listed = [r for r in signing.listed_resources(descriptor or {}, digest) if r.get("bytes") == size]
        if not version.signature:
            result.messages.append(f"{version.dataset.name} {version.version} 尚未签名（请管理员运行 portal init 补签）")
        elif descriptor_bytes is None or not signing.verify(public, descriptor_bytes, version.signature) or not listed:
            result.messages.append(f"{version.dataset.name} {version.version} 的签名描述校验失败")
        else:
            result.matches.append(_match(version, row.name))
    if result.matches:
        result.status = "authentic"
        result.messages = [_describe(m, f"资源「{m.resource}」") for m in result.matches]
    return result


def _verify_descriptor(data: bytes, digest: str, filename: str, signature) -> Verification:
    descriptor = signing.parse_descriptor(data) if len(data) <= signing.MAX_DESCRIPTOR_BYTES else None
    if descriptor is None:
        return Verification("not-authentic", "unknown", filename, [NOT_MATCHING])
    result = Verification("not-authentic", "descriptor", filename)
    version = _find_version(descriptor.get("name"), descriptor.get("version"))
    if signature is not None:
        signature = signature.decode("ascii", "replace") if isinstance(signature, bytes) else signature
        if not signing.verify(signing_key().public_key(), data, signature):
            result.messages.append("签名与数据包描述不符：datapackage.json 被修改过，或签名不是本平台签发的")
            return result
    elif version is None or not version.signature or not signing.verify(signing_key().public_key(), data,
                                                                          version.signature):
        result.messages.append(NOT_MATCHING)
        return result
    if version is None or version.descriptor_hash != digest:
        result.messages.append(f"签名有效，但本平台没有登记数据集「{descriptor.get('name')}」的版本 "
                               f"{descriptor.get('version')}")
        return result
    result.status = "authentic"
    result.matches = [_match(version)]
    result.messages = [_describe(result.matches[0], "数据包描述")]
    return result


def _apply_expectation(result: Verification, dataset: str | None, version: str | None) -> None:
    dataset, version = (dataset or "").strip() or None, (version or "").strip() or None
    if not dataset and not version:
        return
    wanted = [m for m in result.matches if (not dataset or m.dataset == dataset) and (not version or m.version == version)]
    if wanted:
        result.matches = wanted
        result.messages = [_describe(m, f"资源「{m.resource}」" if m.resource else "数据包") for m in wanted]
        return
    belongs = result.matches[0]
    result.status = "not-authentic"
    if dataset and all(m.dataset != dataset for m in result.matches):
        result.messages = [f"该文件属于数据集「{belongs.dataset}」，不是所指定的数据集「{dataset}」"]
    else:
        found = "、".join(m.version for m in result.matches if not dataset or m.dataset == dataset)
        result.messages = [f"该文件属于版本 {found}，不是所指定的版本 {version}"]


def _find_version(name, version) -> DatasetVersion | None:
    if not isinstance(name, str) or not isinstance(version, str):
        return None
    return db.session.scalar(select(DatasetVersion).join(Dataset, DatasetVersion.dataset_id == Dataset.id)
                             .where(Dataset.name == name, DatasetVersion.version == version))


def _stored_bytes(version: DatasetVersion) -> bytes | None:
    try:
        return _descriptor_bytes(version.path)
    except OSError:
        return None


def _match(version: DatasetVersion, resource: str | None = None) -> Match:
    dataset = version.dataset
    current = dataset.current_version
    return Match(dataset.name, dataset.title, version.version, version.published_at,
                 current is not None and current.id == version.id, current.version if current else None, resource)


def _describe(match: Match, what: str) -> str:
    text = (f"{what}属于「{match.title}」（{match.dataset}）版本 {match.version}，"
            f"发布于 {match.published_date}，签名有效")
    if match.current:
        return text + "；这是当前版本"
    if match.current_version:
        return text + f"；该版本不是当前版本（当前版本为 {match.current_version}）"
    return text + "；该数据集已下架"
