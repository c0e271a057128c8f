"""The Gradio app (built in a later issue); for now it makes sure an index exists."""

from __future__ import annotations

import sys

from cli import main

if __name__ == "__main__":
    sys.exit(main(["ingest"]))
