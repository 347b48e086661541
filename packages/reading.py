"""Turn whatever a department hands us into UTF-8 CSV files in a staging folder.

Accepted: CSV in UTF-8, UTF-8 with BOM or GBK/GB18030; XLSX (one resource per non-empty sheet);
JSON arrays of records. Anything unreadable is refused with a Chinese message, never half-converted.
"""

import codecs
import csv
import datetime as dt
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .report import Refused

ENCODINGS = ("utf-8-sig", "gb18030")  # utf-8-sig also reads plain UTF-8; GB18030 is a superset of GBK
ENCODING_LABELS = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8（带 BOM）", "gb18030": "GBK/GB18030"}
CHUNK = 1 << 20
csv.field_size_limit(16 * 1024 * 1024)


@dataclass
class Table:
    path: Path
    header: list[str]
    rows: int
    note: str = ""


def detect_encoding(path: Path) -> str:
    """The first encoding of ENCODINGS that decodes the whole file strictly."""
    with open(path, "rb") as fh:
        head = fh.read(4096)
    if b"\x00" in head:
        raise Refused(f"文件「{path.name}」包含二进制内容，不是文本格式的 CSV", code="binary-file")
    for encoding in ENCODINGS:
        decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
        try:
            with open(path, "rb") as fh:
                while chunk := fh.read(CHUNK):
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        if encoding == "utf-8-sig" and not head.startswith(codecs.BOM_UTF8):
            return "utf-8"
        return encoding
    raise Refused(f"无法识别文件「{path.name}」的编码：既不是 UTF-8，也不是 GBK/GB18030。"
                  "请在 Excel 或 WPS 中另存为“CSV UTF-8”后重新上传", code="encoding")


def csv_to_utf8(src: Path, dst: Path) -> Table:
    encoding = detect_encoding(src)
    with open(src, encoding="utf-8-sig" if encoding == "utf-8" else encoding, newline="") as fh:
        sample = fh.read(64 * 1024)
        fh.seek(0)
        dialect = _sniff(sample)
        reader = csv.reader(fh, dialect)
        rows = _write_csv(reader, dst, src.name)
    table = Table(dst, rows[0], rows[1])
    if encoding != "utf-8":
        table.note = f"「{src.name}」的编码为 {ENCODING_LABELS[encoding]}，已转换为 UTF-8"
    return table


def _sniff(sample: str):
    try:
        return csv.Sniffer().sniff(sample.split("\n", 20)[0] + "\n", delimiters=",\t;|")
    except csv.Error:
        return csv.excel


def _write_csv(rows_iter, dst: Path, label: str) -> tuple[list[str], int]:
    count = 0
    header: list[str] | None = None
    try:
        with open(dst, "w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out, lineterminator="\n")
            for row in rows_iter:
                if header is None:
                    if not any(cell.strip() for cell in row):
                        continue
                    header = [cell.strip() for cell in row]
                    writer.writerow(header)
                    continue
                if not any(cell.strip() for cell in row):
                    continue
                writer.writerow(row)
                count += 1
    except csv.Error as exc:
        raise Refused(f"「{label}」不是有效的 CSV：{exc}", code="csv") from exc
    if header is None:
        raise Refused(f"「{label}」是空文件，没有表头", code="empty")
    return header, count


def xlsx_to_csv(src: Path, out_dir: Path, stem: str) -> list[tuple[str, Table]]:
    """One UTF-8 CSV per non-empty sheet, named after the sheet."""
    import openpyxl  # imported here: only XLSX inputs pay for it

    try:
        book = openpyxl.load_workbook(src, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken file; all mean the same to the user
        raise Refused(f"「{src.name}」不是有效的 XLSX 文件或文件已损坏，请用 Excel 重新保存后上传"
                      f"（{type(exc).__name__}）", code="xlsx") from exc
    tables = []
    try:
        for index, sheet in enumerate(book.worksheets):
            dst = out_dir / f"{stem}-{index + 1}.csv"
            try:
                rows = ([_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True))
                header, count = _write_csv(_trim_columns(rows), dst, f"{src.name} / {sheet.title}")
            except Refused:
                dst.unlink(missing_ok=True)
                continue  # an empty sheet is not a resource
            except Exception as exc:
                raise Refused(f"读取「{src.name}」的工作表「{sheet.title}」失败，文件可能已损坏"
                              f"（{type(exc).__name__}）", code="xlsx") from exc
            tables.append((sheet.title, Table(dst, header, count, f"「{src.name}」的工作表「{sheet.title}」已转换为 CSV")))
    finally:
        book.close()
    if not tables:
        raise Refused(f"「{src.name}」中没有含数据的工作表", code="empty")
    return tables


def _trim_columns(rows):
    """Sheets report trailing empty columns; cut rows to the header's width unless that loses data."""
    width = None
    for row in rows:
        if width is None:
            width = max((i + 1 for i, v in enumerate(row) if v.strip()), default=0) or None
            if width is None:
                continue
        if any(v.strip() for v in row[width:]):
            yield row  # keep the extra cells so validation reports them
        else:
            yield row[:width] + [""] * (width - len(row))


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(timespec="seconds")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value).strip()


def json_to_csv(src: Path, dst: Path) -> Table:
    try:
        data = json.loads(src.read_bytes().decode(detect_encoding(src).replace("utf-8", "utf-8-sig")))
    except json.JSONDecodeError as exc:
        raise Refused(f"「{src.name}」不是有效的 JSON：第 {exc.lineno} 行第 {exc.colno} 列 {exc.msg}", code="json") from exc
    if isinstance(data, dict) and isinstance(data.get("data"), list):
        data = data["data"]
    if not isinstance(data, list) or not data or not all(isinstance(item, dict) for item in data):
        raise Refused(f"「{src.name}」应为非空的记录数组，例如 [{{\"名称\": \"…\"}}, …]", code="json")
    header: list[str] = []
    for item in data:
        header.extend(k for k in item if k not in header)
    rows = [header] + [[_json_cell(item.get(k)) for k in header] for item in data]
    header, count = _write_csv(iter(rows), dst, src.name)
    return Table(dst, header, count, f"「{src.name}」的 JSON 记录已转换为 CSV")


def _json_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def load_descriptor(path: Path) -> dict:
    try:
        text = path.read_bytes().decode("utf-8-sig")
        data = json.loads(text)
    except UnicodeDecodeError as exc:
        raise Refused(f"「{path.name}」必须是 UTF-8 编码的 JSON", code="descriptor") from exc
    except json.JSONDecodeError as exc:
        raise Refused(f"「{path.name}」不是有效的 JSON：第 {exc.lineno} 行第 {exc.colno} 列 {exc.msg}",
                      code="descriptor") from exc
    if not isinstance(data, dict):
        raise Refused(f"「{path.name}」的顶层必须是 JSON 对象", code="descriptor")
    return data


def safe_extract(archive: Path, dest: Path, max_bytes: int, max_members: int) -> None:
    """Extract a zip, refusing traversal, links, absolute names and oversized content before writing."""
    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError) as exc:
        raise Refused(f"「{archive.name}」不是有效的 ZIP 文件或文件已损坏", code="zip") from exc
    with zf:
        members = [m for m in zf.infolist() if not _ignorable(m.filename)]
        if len(members) > max_members:
            raise Refused(f"压缩包内文件过多（{len(members)} 个，上限 {max_members} 个）", code="zip-members")
        declared = sum(m.file_size for m in members)
        if declared > max_bytes:
            raise Refused(f"压缩包解压后过大（{declared} 字节，上限 {max_bytes} 字节）", code="zip-size")
        for member in members:
            name = _member_name(member)
            parts = Path(name.replace("\\", "/")).parts
            if name.startswith(("/", "\\")) or (parts and ":" in parts[0]) or ".." in parts:
                raise Refused(f"压缩包含有不安全的路径「{name}」（绝对路径或 ../），已拒绝", code="zip-path")
            if (member.external_attr >> 16) & 0o170000 == 0o120000:
                raise Refused(f"压缩包含有符号链接「{name}」，已拒绝", code="zip-link")
        written = 0
        for member in members:
            target = dest.joinpath(*Path(_member_name(member).replace("\\", "/")).parts)
            if member.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                with zf.open(member) as src, open(target, "wb") as out:
                    while chunk := src.read(CHUNK):
                        written += len(chunk)
                        if written > max_bytes:
                            raise Refused(f"压缩包解压后超过上限 {max_bytes} 字节", code="zip-size")
                        out.write(chunk)
            except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as exc:
                raise Refused(f"压缩包中的「{member.filename}」已损坏，无法解压", code="zip") from exc


def _ignorable(name: str) -> bool:
    return name.startswith("__MACOSX/") or name.endswith(".DS_Store")


def _member_name(member: zipfile.ZipInfo) -> str:
    """Chinese Windows tools write GBK names without the UTF-8 flag; zipfile then decodes them as cp437."""
    if member.flag_bits & 0x800:
        return member.filename
    try:
        return member.filename.encode("cp437").decode("gb18030")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return member.filename
