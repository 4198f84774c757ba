"""Exact-match precision and recall of :mod:`extraction.imprint` on a labelled set of texts.

``python -m extraction.imprint_eval tests/extraction/data/imprint_heldout.txt`` prints, per
field (register number, VAT id, legal name), precision = correct / predicted and recall =
correct / expected, where a prediction is correct only when it equals the expected normal
form exactly, and a text with no expected value counts a prediction as a false positive.
The file format is described at the top of the held-out file.

``python -m extraction.imprint_eval --cost data_samples/commoncrawl`` measures, in one
process (best of 5), what the ``companies`` job's design costs relative to extraction:
extracting every WARC file of the root, versus re-reading only the imprint candidates by
byte range and parsing them, versus parsing every page (imprint parsing at extract time).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

from extraction.imprint import Identity, parse_imprint, parse_imprint_html

FIELDS = ("register", "vat", "name")


@dataclass(frozen=True)
class Example:
    name: str
    format: str
    expected: dict[str, str]
    text: str


def read_examples(path: str) -> list[Example]:
    """The blocks of a labelled file (``### id | format``, expectations, ``---``, text)."""
    examples: list[Example] = []
    with open(path, encoding="utf-8") as handle:
        blocks = handle.read().split("\n### ")[1:]
    for block in blocks:
        head, _, rest = block.partition("\n")
        expectations, separator, text = rest.partition("\n---\n")
        if not separator:
            raise ValueError(f"{path}: example {head!r} has no '---' line")
        name, _, fmt = (part.strip() for part in head.partition("|"))
        expected = {}
        for line in expectations.splitlines():
            key, _, value = line.partition(":")
            if key.strip() in FIELDS:
                expected[key.strip()] = value.strip()
        if set(expected) != set(FIELDS):
            raise ValueError(f"{path}: example {name!r} lacks one of {FIELDS}")
        examples.append(Example(name, fmt or "text", expected, text.strip("\n")))
    return examples


def predicted(identity: Identity) -> dict[str, str]:
    def value(f) -> str:
        return f.value if f is not None else ""

    return {
        "register": value(identity.register_number),
        "vat": value(identity.vat_id),
        "name": value(identity.legal_name),
    }


def evaluate(examples: list[Example]) -> tuple[dict[str, dict[str, float]], list[str]]:
    """Per field: precision, recall, counts; plus one line per wrong prediction."""
    counts = {f: {"predicted": 0, "expected": 0, "correct": 0} for f in FIELDS}
    errors = []
    for example in examples:
        parse = parse_imprint_html if example.format == "html" else parse_imprint
        got = predicted(parse(example.text))
        for f in FIELDS:
            want = example.expected[f]
            counts[f]["predicted"] += bool(got[f])
            counts[f]["expected"] += bool(want)
            counts[f]["correct"] += bool(want) and got[f] == want
            if got[f] != want:
                errors.append(f"{example.name} {f}: expected {want!r}, got {got[f]!r}")
    scores = {}
    for f, c in counts.items():
        scores[f] = {
            **c,
            "precision": c["correct"] / c["predicted"] if c["predicted"] else 1.0,
            "recall": c["correct"] / c["expected"] if c["expected"] else 1.0,
        }
    return scores, errors


def measure_cost(cc_root: str, rounds: int = 5) -> dict[str, float]:
    """Seconds (best of ``rounds``) for extract / imprint candidates / every page."""
    import glob
    import gzip
    import io
    import time

    from extraction.extract import ExtractStats, extract_warc_columns
    from extraction.html import decode_html
    from extraction.imprint import imprint_score
    from extraction.warc import iter_html_records

    files = sorted(glob.glob(f"{cc_root}/crawl-data/*/segments/*/warc/*.warc.gz"))
    pages: list[dict] = []

    def extract() -> None:
        pages.clear()
        for path in files:
            with open(path, "rb") as handle:
                for page, _ in extract_warc_columns(
                    handle, warc_filename=path, stats=ExtractStats()
                ):
                    pages.append(page)

    def candidates() -> None:
        for page in pages:
            if page["status"] != 200 or not imprint_score(page["url"], page["title"]):
                continue
            with open(page["warc_filename"], "rb") as handle:  # the ranged read
                handle.seek(page["warc_record_offset"])
                member = gzip.decompress(handle.read(page["warc_record_length"]))
            for record in iter_html_records(io.BytesIO(member), page["warc_filename"]):
                parse_imprint_html(decode_html(record.payload, record.charset)[0])

    def every_page() -> None:
        for path in files:
            for record in iter_html_records(path):
                parse_imprint_html(decode_html(record.payload, record.charset)[0])

    best: dict[str, float] = {}
    for _ in range(rounds):
        for name, work in (
            ("extract", extract),
            ("candidates", candidates),
            ("every_page", every_page),
        ):
            started = time.perf_counter()
            work()
            best[name] = min(best.get(name, float("inf")), time.perf_counter() - started)
    best["pages"] = len(pages)
    best["candidates_count"] = sum(
        1 for p in pages if p["status"] == 200 and imprint_score(p["url"], p["title"])
    )
    return best


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "--cost":
        cost = measure_cost(argv[1])
        print(
            f"{cost['pages']} pages, {cost['candidates_count']} imprint candidates; best of 5: "
            f"extract {cost['extract']:.3f} s, candidates re-read + parsed "
            f"{cost['candidates']:.3f} s ({cost['candidates'] / cost['extract']:.1%} of "
            f"extract), every page parsed {cost['every_page']:.3f} s "
            f"({cost['every_page'] / cost['extract']:.1%} of extract)"
        )
        return 0
    if len(argv) != 1:
        print("usage: python -m extraction.imprint_eval LABELLED_FILE", file=sys.stderr)
        return 2
    examples = read_examples(argv[0])
    scores, errors = evaluate(examples)
    print(f"{len(examples)} texts from {argv[0]}")
    for f, s in scores.items():
        print(
            f"{f:9s} precision {s['precision']:.3f} ({s['correct']}/{s['predicted']})  "
            f"recall {s['recall']:.3f} ({s['correct']}/{s['expected']})"
        )
    for line in errors:
        print("  miss:", line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
