"""Tests of `parkstad deploy`; they need Debian's nginx."""

import pytest

from deploy.cluster import nginx_binary
from parkstad.errors import DeployError


def _nginx() -> bool:
    try:
        nginx_binary()
        return True
    except DeployError:
        return False


NEEDS_NGINX = pytest.mark.skipif(not _nginx(), reason="Debian's nginx is not installed (scripts/bootstrap --browser)")
