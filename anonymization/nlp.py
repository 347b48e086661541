"""The NLP engine for Presidio: a blank spaCy ``zh`` pipeline built locally, never downloaded.

Presidio's ``SpacyNlpEngine`` loads models by name or path and downloads a missing *named*
model; giving it an existing directory avoids that. ``spacy.blank("zh")`` uses character
segmentation (no jieba / pkuseg model), so nothing is fetched. Our recognizers do not need NLP
artifacts (names come from rjieba in ``names.py``); the engine only satisfies AnalyzerEngine.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
import threading
from pathlib import Path

__all__ = ["blank_zh_path", "build_nlp_engine"]

_lock = threading.Lock()
_path: Path | None = None


def blank_zh_path() -> Path:
    """A directory holding ``spacy.blank("zh")``, written once per process (removed at exit)."""
    global _path
    with _lock:
        if _path is None or not (_path / "config.cfg").exists():
            import spacy

            folder = Path(tempfile.mkdtemp(prefix="anonymization-spacy-zh-"))
            spacy.blank("zh").to_disk(folder)
            atexit.register(shutil.rmtree, folder, ignore_errors=True)
            _path = folder
        return _path


def build_nlp_engine():
    """A loaded Presidio ``SpacyNlpEngine`` for language ``zh`` backed by the blank pipeline."""
    from presidio_analyzer.nlp_engine import SpacyNlpEngine

    engine = SpacyNlpEngine(models=[{"lang_code": "zh", "model_name": str(blank_zh_path())}])
    engine.load()
    return engine
