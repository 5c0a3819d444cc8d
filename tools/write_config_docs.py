"""Write docs/configuration.md from the config keys' own descriptions (pipeline.config.reference).

    .venv/bin/python tools/write_config_docs.py
"""
from pathlib import Path
import sys

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.config import reference  # noqa: E402

if __name__ == "__main__":
    (ROOT / "docs" / "configuration.md").write_text(reference(), encoding="utf-8")
