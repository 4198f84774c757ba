"""Where tests find the repository's samples and the shared real-world WARC files."""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
SAMPLES = REPO_ROOT / "data_samples"
#: ``shared`` beside the repository or a parent of it (read-only real WARC files; a git
#: worktree sits one level deeper); absent on some machines.
SHARED = next(
    (p / "shared" for p in REPO_ROOT.parents if (p / "shared" / "data").is_dir()),
    REPO_ROOT.parent / "shared",
)
REAL_WARC = SHARED / "data" / "real_warc"
