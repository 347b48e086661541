"""Outgoing e-mail: SMTP when MAIL_SERVER is configured, otherwise an RFC 5322 .eml file per message in
<instance>/outbox/mail/ (development, or for an operator to relay). Errors propagate: the caller
(portal.services.notifications.deliver_pending) keeps the message queued and retries later."""

import os
import smtplib
import ssl
import tempfile
import uuid
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from flask import current_app

from ..models import utcnow

DEFAULT_FROM = "南阳市政务数据开放平台 <noreply@localhost>"
TIMEOUT = 10  # seconds, for connecting and for every SMTP command

# What a failed delivery raises: connection problems (OSError covers refused, unreachable, timeouts,
# TLS errors) and SMTP protocol errors.
DELIVERY_ERRORS = (OSError, smtplib.SMTPException)


def build_message(to: str, subject: str, body: str) -> EmailMessage:
    msg = EmailMessage()  # policy email.policy.default: non-ASCII headers are RFC 2047 encoded on output
    sender = current_app.config.get("MAIL_FROM") or DEFAULT_FROM
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = formatdate(localtime=False, usegmt=True)
    domain = sender.rpartition("@")[2].strip(" >") or "localhost"
    msg["Message-ID"] = make_msgid(domain=domain)
    msg.set_content(body, charset="utf-8", cte="base64")  # base64: safe through any relay, 8BITMIME or not
    return msg


def send_mail(to: str, subject: str, body: str) -> None:
    msg = build_message(to, subject, body)
    if current_app.config.get("MAIL_SERVER"):
        _send_smtp(msg)
    else:
        _write_outbox(msg)


def _send_smtp(msg: EmailMessage) -> None:
    cfg = current_app.config
    host, use_ssl = cfg["MAIL_SERVER"], _flag(cfg.get("MAIL_USE_SSL"))
    port = int(cfg.get("MAIL_PORT") or (465 if use_ssl else 25))
    if use_ssl:
        smtp = smtplib.SMTP_SSL(host, port, timeout=TIMEOUT, context=ssl.create_default_context())
    else:
        smtp = smtplib.SMTP(host, port, timeout=TIMEOUT)
    with smtp:
        if not use_ssl and _flag(cfg.get("MAIL_USE_TLS")):
            smtp.starttls(context=ssl.create_default_context())
        if cfg.get("MAIL_USERNAME"):
            smtp.login(cfg["MAIL_USERNAME"], cfg.get("MAIL_PASSWORD") or "")
        smtp.send_message(msg)
    current_app.logger.info("mail sent via %s:%s: %s", host, port, msg["Message-ID"])


def _write_outbox(msg: EmailMessage) -> Path:
    folder = Path(current_app.instance_path) / "outbox" / "mail"
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{utcnow().strftime('%Y%m%dT%H%M%S%f')}-{uuid.uuid4().hex[:8]}.eml"
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(msg.as_bytes())
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, folder / name)  # atomic: a reader never sees half a message
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    current_app.logger.info("mail written to %s: %s", folder / name, msg["Message-ID"])
    return folder / name


def _flag(value) -> bool:
    """Booleans from instance/config.py, or strings from the environment ("1", "true", "yes")."""
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    return bool(value)
