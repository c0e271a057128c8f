"""Log lines on stderr: the assistant's own from INFO (serving) or WARNING (the CLI), every library's from WARNING,
unless PARKSTAD_LOG_LEVEL sets one level for all."""

from __future__ import annotations

import logging
import sys

from parkstad.settings import Settings

OWN = "parkstad"
FORMAT = "%(asctime)s %(name)s %(levelname)s %(message)s"


class LevelFilter(logging.Filter):
    """Passes the assistant's records from `own` and everyone else's from `libraries`, whatever level a library
    set on its own logger (bm25s sets DEBUG on import)."""

    def __init__(self, own: int, libraries: int) -> None:
        super().__init__()
        self.own = own
        self.libraries = libraries

    def filter(self, record: logging.LogRecord) -> bool:
        mine = record.name == OWN or record.name.startswith(OWN + ".")
        return record.levelno >= (self.own if mine else self.libraries)


class StderrHandler(logging.StreamHandler):
    """Writes to whatever sys.stderr is when a record comes (a test's captured stream, a redirected one)."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property  # type: ignore[override]
    def stream(self):  # noqa: ANN201
        return sys.stderr

    @stream.setter
    def stream(self, value: object) -> None:
        pass


def configure_logging(settings: Settings, own: int = logging.INFO) -> None:
    """One stderr handler on the root logger with the levels above; calling it again replaces it."""
    own = logging.getLevelName(settings.log_level) if settings.log_level else own
    libraries = logging.getLevelName(settings.log_level) if settings.log_level else logging.WARNING
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, "parkstad", False)]:
        root.removeHandler(handler)
    handler = StderrHandler()
    handler.parkstad = True  # type: ignore[attr-defined]
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(LevelFilter(own, libraries))
    root.addHandler(handler)
    root.setLevel(min(own, libraries))
    logging.getLogger(OWN).setLevel(own)
