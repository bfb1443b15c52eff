"""Assemble BENCHMARKS.md from the per-area results each benchmark script writes.

    .venv/bin/python benchmarks/assemble.py

Every benchmark writes `benchmarks/results/<area>.md` (numbers from one run, the command that
produced them, the reference tool side by side); this joins them in a fixed order.
"""

from __future__ import annotations

import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
ORDER = ["summary", "extraction", "generalisation", "metadata_media", "comments", "site_classifier", "render",
         "crawl_throughput", "warc", "incremental", "load",
         "distributed", "soak"]
HEADER = """# Benchmarks

Numbers from single runs on the development machine (x86_64, 2 cores, 24 GiB, Python 3.11), each
produced by the command named in its section. Absolute times are noisy on 2 shared cores; the
ratios against the reference tool measured in the same run are what count.
"""


def main() -> None:
    results = HERE / "results"
    names = [n for n in ORDER if (results / f"{n}.md").exists()]
    names += sorted(p.stem for p in results.glob("*.md") if p.stem not in ORDER)
    parts = [HEADER]
    for name in names:
        text = (results / f"{name}.md").read_text(encoding="utf-8").strip()
        parts.append(re.sub(r"^(#+) ", r"#\1 ", text, flags=re.MULTILINE))  # each area one level down
    (HERE.parent / "BENCHMARKS.md").write_text("\n\n".join(parts) + "\n", encoding="utf-8")
    print(f"BENCHMARKS.md: {len(names)} sections")


if __name__ == "__main__":
    main()
