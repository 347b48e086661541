"""Messages to a user (password reset links). The default writes them to instance/outbox/ and the
log; a production adapter (SMS gateway, government messaging platform) is plugged by setting
NOTIFIER = "package.module:Class" in instance/config.py — a class with `send(message)`, instantiated
without arguments."""

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from flask import current_app
from werkzeug.utils import import_string

from ..models import utcnow


@dataclass(frozen=True)
class Message:
    username: str
    display_name: str
    mobile: str | None  # in the clear, for an SMS adapter; never written by the outbox
    mobile_masked: str | None
    subject: str
    body: str


class Notifier(Protocol):
    def send(self, message: Message) -> None: ...


class OutboxNotifier:
    """Development and small installations: one text file per message, for the operator to relay."""

    def send(self, message: Message) -> None:
        outbox = Path(current_app.instance_path) / "outbox"
        outbox.mkdir(parents=True, exist_ok=True)
        stamp = utcnow().strftime("%Y%m%dT%H%M%S%f")
        path = outbox / f"{stamp}-{message.username}.txt"
        path.write_text(f"收件人：{message.display_name}（{message.username}，手机 {message.mobile_masked or '未登记'}）\n"
                        f"主题：{message.subject}\n\n{message.body}\n", encoding="utf-8")
        current_app.logger.info("message to %s written to %s: %s", message.username, path, message.subject)


def notifier() -> Notifier:
    setting = current_app.config.get("NOTIFIER") or "outbox"
    cache = current_app.extensions.setdefault("notifier", {})
    if setting not in cache:
        cache[setting] = OutboxNotifier() if setting == "outbox" else import_string(setting)()
    return cache[setting]


def send(message: Message) -> None:
    notifier().send(message)
