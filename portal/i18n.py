"""Locale selection (Simplified Chinese by default, English second) and on-demand .mo compilation."""

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import request, session
from flask_babel import format_datetime, get_locale

from .extensions import babel

TRANSLATIONS = Path(__file__).resolve().parent / "translations"


def select_locale():
    """An explicit ?lang= choice is remembered in the session; otherwise Simplified Chinese."""
    from flask import current_app

    languages = current_app.config["LANGUAGES"]
    wanted = request.args.get("lang")
    if wanted in languages:
        session["lang"] = wanted
    return session.get("lang") if session.get("lang") in languages else current_app.config["BABEL_DEFAULT_LOCALE"]


def compile_translations(folder: Path = TRANSLATIONS) -> None:
    """Compile each messages.po whose .mo is missing or older; .mo files are build output, not committed."""
    for po_path in folder.glob("*/LC_MESSAGES/messages.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with open(po_path, "rb") as fh:
            catalog = read_po(fh)
        with open(mo_path, "wb") as fh:
            write_mo(fh, catalog)


def init_app(app):
    compile_translations()
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS))
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", "Asia/Shanghai")
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.globals["get_locale"] = get_locale
    app.jinja_env.filters["datetime"] = lambda value, fmt="yyyy-MM-dd HH:mm": format_datetime(value, fmt) if value else ""
