"""Ralph 5.1's LRS app with its filesystem backend made to append (run by uvicorn from
Ralph's own venv, never imported by HọcSố).

Ralph 5.1's ``FSDataBackend`` writes with ``default_operation_type = CREATE``, which
refuses to write to an existing file, and its LRS backend writes every statement to one
file (``fs_lrs.jsonl``): so every POST after the first fails with 500. Setting the LRS
backend's default to ``APPEND`` (file opened with ``"ab"``) is the smallest change that
makes it usable; it is done here at import time, in each uvicorn worker, instead of
editing site-packages.
"""

from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend

FSLRSBackend.default_operation_type = BaseOperationType.APPEND

from ralph.api import app  # noqa: E402

__all__ = ["app"]
