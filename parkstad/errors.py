"""Domain errors. The core raises these; only the CLI and the app turn them into messages."""

from __future__ import annotations


class ParkstadError(Exception):
    """Base class of every error the assistant raises on purpose."""


class SettingsError(ParkstadError):
    """A PARKSTAD_ environment variable holds a value we cannot use."""

    def __init__(self, variable: str, reason: str) -> None:
        super().__init__(f"{variable}: {reason}")
        self.variable = variable
        self.reason = reason


class LoadError(ParkstadError):
    """A source document could not be read; names the file and the reason."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class InvalidValueError(ParkstadError, ValueError):
    """A value that is not one of its type's values (a chunk kind, a band, a language), where it enters: names
    the field, the value and the allowed ones."""

    def __init__(self, name: str, value: object, allowed: str) -> None:
        super().__init__(f"{name}: {value!r} is not one of {allowed}")
        self.name = name
        self.value = value


class IndexMissingError(ParkstadError):
    """No index has been built yet."""


class IndexMismatchError(ParkstadError):
    """The index was built with another embedder than the one configured."""


class IndexUnavailableError(ParkstadError):
    """The index (a Chroma server or folder) cannot be reached or read."""


class EmbedderError(ParkstadError):
    """The configured embedding backend cannot be loaded."""


class QuestionError(ParkstadError):
    """A question that cannot be answered as asked. `reason` (not_text, empty, too_long) and `values` let the
    app word it in the user's language."""

    def __init__(self, message: str, reason: str = "invalid", **values: object) -> None:
        super().__init__(message)
        self.reason = reason
        self.values = values


class LLMError(ParkstadError):
    """The LLM endpoint failed: timeout, connection error, 5xx or garbage."""


class DeployError(ParkstadError):
    """A process of the local deployment (nginx, an app, Chroma, the ingest) did not start or stopped; says which
    and where its log is."""


class ModelFileError(ParkstadError):
    """A fitted model file that ships with the code cannot be read or was fitted on other inputs."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason

