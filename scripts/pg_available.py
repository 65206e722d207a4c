"""Exit 0 when the PostgreSQL that `make test` would use answers, 1 otherwise (stdlib only)."""

import os
import socket
import sys
from urllib.parse import urlparse

url = urlparse(os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432/test"))
try:
    with socket.create_connection((url.hostname or "127.0.0.1", url.port or 5432), timeout=2):
        pass
except OSError:
    sys.exit(1)
sys.exit(0)
