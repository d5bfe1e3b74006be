"""The project's exceptions and the exit codes beside them.

Library code raises these; only the CLI turns them into exit codes. Every
message says what is wrong and, where there is one, what to do about it.
"""
from __future__ import annotations

import enum


class ExitCode(enum.IntEnum):
    OK = 0
    SOURCES_FAILED = 1  # some sources failed (or validation found problems)
    USAGE = 2  # bad arguments or a broken environment


class PipelineError(Exception):
    """Base of every error the pipeline reports to a user."""

    exit_code = ExitCode.SOURCES_FAILED


class SourceError(PipelineError):
    """A source cannot be turned into an edition (empty, undecodable, unsupported...)."""

    def __init__(self, message: str, stage: str = "ingest"):
        super().__init__(message)
        self.stage = stage


class OcrError(SourceError):
    """Tesseract failed on a page, timed out, or gave nothing usable."""

    def __init__(self, message: str):
        super().__init__(message, stage="ocr")


class LimitExceeded(SourceError):
    """A configured limit (pixels, text size, time) was exceeded."""


class EnvironmentProblem(PipelineError):
    """Something the pipeline needs is missing from the machine."""

    exit_code = ExitCode.USAGE


class UsageError(PipelineError):
    exit_code = ExitCode.USAGE
