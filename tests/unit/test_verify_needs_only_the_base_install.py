"""`freiweg verify` and `freiweg witness` load without any server package (base install plus cryptography)."""

from __future__ import annotations

import subprocess
import sys

BLOCKER = """
import sys
# pydantic itself comes with typer; pydantic_settings (freiweg.settings) is server only.
SERVER = ("fastapi", "starlette", "sqlalchemy", "alembic", "jinja2", "uvicorn", "pydantic_settings",
          "weasyprint", "segno", "PIL", "psycopg")

class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in SERVER:
            raise ImportError(f"{name} is not part of the base install")
        return None

sys.meta_path.insert(0, Block())
sys.argv = ["freiweg", *sys.argv[1:]]
from freiweg.cli import app
from freiweg.services.note_keys import ed25519_verify, new_key_text, signer_from_text
signer = signer_from_text(new_key_text("example.org/log"))
assert ed25519_verify(signer.public_key, b"m", signer.sign(b"m"))
app()
"""


def test_verify_and_witness_start_without_server_packages() -> None:
    for command in ("verify", "witness"):
        result = subprocess.run(
            [sys.executable, "-c", BLOCKER, command, "--help"], capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 0, result.stderr
        assert "Usage" in result.stdout
