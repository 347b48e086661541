"""Electronic signatures of published versions (art. 47): Ed25519 over the exact bytes of datapackage.json.

Pure: no Flask, no database. The descriptor lists every resource with its sha256 and byte count, so
one signature over the descriptor covers the whole version. check_package_zip() reads a downloaded
package zip in memory (nothing is extracted to disk) and returns a report; it never raises for a bad file.
"""

import base64
import binascii
import hashlib
import io
import json
import os
import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

DESCRIPTOR = "datapackage.json"
SIGNATURE = DESCRIPTOR + ".sig"
MAX_DESCRIPTOR_BYTES = 16 * 1024 * 1024
MAX_SIGNATURE_BYTES = 4096
MAX_MEMBERS = 1000
CHUNK = 1 << 20


# --- keys -------------------------------------------------------------------------------------------

def load_or_create_key(path) -> Ed25519PrivateKey:
    """Load the PEM private key at `path`, creating it (mode 0600) if missing. Creation is atomic:
    the key is written to a temporary file and hard-linked into place, so two processes starting at
    once end up with the same key and a reader never sees a half-written file."""
    path = Path(path)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
        tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(pem)
                out.flush()
                os.fsync(out.fileno())
            try:
                os.link(tmp, path)
            except FileExistsError:
                pass  # another process won the race: use its key
        finally:
            tmp.unlink(missing_ok=True)
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path} 不是 Ed25519 私钥")
    return key


def public_key_pem(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def load_public_key(pem: str | bytes) -> Ed25519PublicKey:
    key = serialization.load_pem_public_key(pem.encode() if isinstance(pem, str) else pem)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("不是 Ed25519 公钥")
    return key


def _public(key) -> Ed25519PublicKey:
    return key.public_key() if isinstance(key, Ed25519PrivateKey) else key


# --- sign and verify --------------------------------------------------------------------------------

def sign(private_key: Ed25519PrivateKey, data: bytes) -> str:
    return base64.b64encode(private_key.sign(data)).decode("ascii")


def verify(public_key, data: bytes, signature_b64: str | bytes | None) -> bool:
    if not signature_b64:
        return False
    try:
        raw = base64.b64decode(signature_b64.strip(), validate=True)
        _public(public_key).verify(raw, data)
        return True
    except (InvalidSignature, binascii.Error, ValueError, TypeError):
        return False


def hex_digest(value) -> str:
    """The hex part of a descriptor hash: "sha256:abc…" or bare "abc…" (Frictionless v2 allows both)."""
    text = str(value or "").strip().lower()
    algorithm, _, digest = text.rpartition(":")
    return digest if algorithm in ("", "sha256") else ""


def parse_descriptor(data: bytes) -> dict | None:
    try:
        descriptor = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        return None
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        return None
    return descriptor


def listed_resources(descriptor: dict, sha256_hex: str) -> list[dict]:
    """The descriptor's resources whose hash is this sha256."""
    return [r for r in descriptor.get("resources", []) if isinstance(r, dict) and hex_digest(r.get("hash")) == sha256_hex]


# --- downloaded package zips ------------------------------------------------------------------------

@dataclass
class ResourceCheck:
    name: str
    path: str
    ok: bool
    message: str = ""


@dataclass
class PackageCheck:
    readable: bool = True  # False: not a zip, damaged, or over the limits
    signature_valid: bool = False
    name: str | None = None
    version: str | None = None
    descriptor_sha256: str | None = None
    resources: list[ResourceCheck] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return (self.readable and self.signature_valid and not self.problems
                and all(r.ok for r in self.resources))


def check_package_zip(source, public_key, max_bytes: int = 8 << 30) -> PackageCheck:
    """Check a downloaded package zip: the signature over datapackage.json, then each listed resource.
    `source` is a path, bytes or a seekable binary file. `max_bytes` caps the uncompressed total."""
    check = PackageCheck()
    if isinstance(source, bytes | bytearray):
        source = io.BytesIO(source)
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError, ValueError):
        check.readable = False
        check.problems.append("不是有效的 ZIP 文件，或文件已损坏")
        return check
    with archive:
        members = _members(archive, check, max_bytes)
        if members is None:
            return check
        base = _package_base(members, check)
        if base is None:
            return check
        try:
            descriptor_bytes = _read(archive, members[base + DESCRIPTOR], MAX_DESCRIPTOR_BYTES)
            signature = members.get(base + SIGNATURE)
            signature_text = _read(archive, signature, MAX_SIGNATURE_BYTES) if signature else None
        except (ValueError, zipfile.BadZipFile, OSError, EOFError) as exc:
            check.readable = False
            check.problems.append(f"无法读取数据包描述或签名：{exc}")
            return check
        check.descriptor_sha256 = hashlib.sha256(descriptor_bytes).hexdigest()
        descriptor = parse_descriptor(descriptor_bytes)
        if descriptor is None:
            check.problems.append("datapackage.json 不是有效的数据包描述")
            return check
        check.name, check.version = descriptor.get("name"), descriptor.get("version")
        if signature_text is None:
            check.problems.append("压缩包中没有签名文件 datapackage.json.sig")
        elif verify(public_key, descriptor_bytes, signature_text):
            check.signature_valid = True
        else:
            check.problems.append("签名与数据包描述不符：datapackage.json 被修改过，或不是本平台签发的")
        used = {base + DESCRIPTOR, base + SIGNATURE}
        for resource in descriptor["resources"]:
            check.resources.append(_check_resource(archive, members, base, resource, used))
        extra = sorted(n for n in members if n not in used and not n.endswith("/"))
        if extra:
            check.notes.append("压缩包中另有不在签名范围内的文件：" + "、".join(extra))
    return check


def _members(archive: zipfile.ZipFile, check: PackageCheck, max_bytes: int) -> dict | None:
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        check.readable = False
        check.problems.append(f"压缩包内文件过多（{len(infos)} 个，上限 {MAX_MEMBERS} 个）")
        return None
    if sum(i.file_size for i in infos) > max_bytes:
        check.readable = False
        check.problems.append(f"压缩包解压后过大（上限 {max_bytes} 字节）")
        return None
    members: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        name = info.filename
        if not _safe_name(name):
            check.problems.append(f"压缩包含有不安全的路径「{name}」（绝对路径或 ../），不是本平台的发布件")
            return None
        if name in members:
            check.problems.append(f"压缩包中「{name}」出现了不止一次，不是本平台的发布件")
            return None
        members[name] = info
    return members


def _safe_name(name: str) -> bool:
    parts = PurePosixPath(name).parts
    return bool(parts) and "\\" not in name and not name.startswith("/") and ".." not in parts and ":" not in parts[0]


def _package_base(members: dict, check: PackageCheck) -> str | None:
    """datapackage.json at the top of the zip, or inside a single top-level folder."""
    found = [n for n in members if n == DESCRIPTOR or (n.endswith("/" + DESCRIPTOR) and n.count("/") == 1)]
    if len(found) != 1:
        check.problems.append("压缩包中没有 datapackage.json" if not found else "压缩包中有多个 datapackage.json")
        return None
    return found[0][: -len(DESCRIPTOR)]


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    if info.file_size > limit:
        raise ValueError(f"「{info.filename}」超过 {limit} 字节")
    with archive.open(info) as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise ValueError(f"「{info.filename}」超过 {limit} 字节")
    return data


def _check_resource(archive, members, base, resource, used) -> ResourceCheck:
    name, path = str(resource.get("name", "")), resource.get("path")
    if not isinstance(path, str) or not _safe_name(path):
        return ResourceCheck(name, str(path), False, "描述中的文件路径无效")
    used.add(base + path)
    info = members.get(base + path)
    if info is None:
        return ResourceCheck(name, path, False, f"压缩包中缺少文件「{path}」")
    expected_hash, expected_bytes = hex_digest(resource.get("hash")), resource.get("bytes")
    if not expected_hash or not isinstance(expected_bytes, int):
        return ResourceCheck(name, path, False, "描述中没有该文件的 SHA-256 校验值或字节数")
    digest, size = hashlib.sha256(), 0
    try:
        with archive.open(info) as fh:
            while chunk := fh.read(CHUNK):
                size += len(chunk)
                if size > expected_bytes:
                    break
                digest.update(chunk)
    except (zipfile.BadZipFile, OSError, EOFError):
        return ResourceCheck(name, path, False, f"「{path}」已损坏，无法读取")
    if size != expected_bytes:
        return ResourceCheck(name, path, False, f"「{path}」的大小与签名描述不一致（可能已被修改）")
    if digest.hexdigest() != expected_hash:
        return ResourceCheck(name, path, False, f"「{path}」的 SHA-256 校验值与签名描述不一致（可能已被修改）")
    return ResourceCheck(name, path, True, "校验值一致")
