"""Progress bars of the long CLI commands: drawn on a terminal, absent in pipes and CI.

Each command runs as a real subprocess twice on the sample crawl: once with stderr on a
pseudo-terminal (what a person at a terminal sees), once with both streams on pipes (what
a benchmark script or CI sees). stdout is a pipe both times and must carry the same lines.
"""

from __future__ import annotations

import fcntl
import json
import os
import pty
import struct
import subprocess
import sys
import termios
import threading

from tests.paths import REPO_ROOT, SAMPLES

CRAWL = "CC-MAIN-2024-22"
CC_ROOT = SAMPLES / "commoncrawl"
WARC_DIR = CC_ROOT / "crawl-data" / CRAWL / "segments"
#: What tqdm draws: a carriage return before each redraw, and the bar's own brackets.
BAR_MARKS = ("\r", "it/s]", "B/s]", "record/s]", "epoch/s]")


def run_cli(args: list[str], *, tty: bool, ci: bool = False) -> tuple[str, str]:
    """``supplylinks ARGS``: (stdout, stderr); stderr on a pty when ``tty``."""
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "TERM": "xterm"}
    env.pop("CI", None)
    if ci:
        env["CI"] = "true"
    command = [sys.executable, "-m", "pipelines.cli", *args]
    if not tty:
        done = subprocess.run(command, env=env, cwd=REPO_ROOT, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout, done.stderr
    leader, follower = pty.openpty()
    # a terminal of 100 columns (a fresh pty has 0, and tqdm draws nothing in 0 columns)
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    process = subprocess.Popen(
        command, env=env, cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=follower, text=True
    )
    os.close(follower)
    terminal = bytearray()

    def drain() -> None:  # the pty's buffer is small: read it while the command runs
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # EIO: the command closed its end
                return
            if not chunk:
                return
            terminal.extend(chunk)

    reader = threading.Thread(target=drain)
    reader.start()
    stdout, _ = process.communicate(timeout=600)
    reader.join(timeout=30)
    os.close(leader)
    stderr = terminal.decode("utf-8", "replace")
    assert process.returncode == 0, stderr[-3000:]
    return stdout, stderr


def drawn(stderr: str) -> bool:
    return "\r" in stderr and any(mark in stderr for mark in BAR_MARKS[1:])


def last_json(stdout: str, volatile: tuple[str, ...]) -> dict:
    """The summary line, without ``volatile`` keys and timings (``*seconds``)."""
    summary = json.loads(stdout.strip().splitlines()[-1])
    return {k: v for k, v in summary.items() if k not in volatile and not k.endswith("seconds")}


def test_extract_draws_a_bar_of_bytes_on_a_terminal_only(tmp_path):
    args = ["extract", str(WARC_DIR)]
    shown_out, shown_err = run_cli([*args, "--out", str(tmp_path / "a")], tty=True)
    piped_out, piped_err = run_cli([*args, "--out", str(tmp_path / "b")], tty=False)
    ci_out, ci_err = run_cli([*args, "--out", str(tmp_path / "c")], tty=True, ci=True)
    assert drawn(shown_err) and "extract" in shown_err and "B/s]" in shown_err, shown_err
    assert not drawn(piped_err) and not drawn(ci_err), (piped_err, ci_err)
    assert piped_err == ""
    assert last_json(shown_out, ("out",)) == last_json(piped_out, ("out",))
    assert shown_out.count("\n") == piped_out.count("\n") == 1
    assert (tmp_path / "a" / "pages.jsonl").read_bytes() == (
        tmp_path / "b" / "pages.jsonl"
    ).read_bytes()


def test_fetch_draws_a_bar_of_records_and_keeps_its_stdout_lines(tmp_path):
    seeds = SAMPLES / "seeds" / "companies.csv"
    args = ["fetch", "--crawl", CRAWL, "--seeds", str(seeds), "--cc-root", str(CC_ROOT)]
    shown_out, shown_err = run_cli([*args, "--out", str(tmp_path / "a")], tty=True)
    piped_out, piped_err = run_cli([*args, "--out", str(tmp_path / "b")], tty=False)
    assert drawn(shown_err) and "record/s]" in shown_err, shown_err
    assert not drawn(piped_err)
    volatile = ("warc",)
    assert last_json(shown_out, volatile) == last_json(piped_out, volatile)
    # the human lines printed while the bar was up reach stdout whole, in order
    assert [line.split(",")[0] for line in shown_out.splitlines()] == [
        line.split(",")[0] for line in piped_out.splitlines()
    ]


def test_train_draws_a_bar_of_epochs_with_the_log_above_it(tmp_path):
    rows = [json.loads(line) for line in (SAMPLES / "labelled" / "link_contexts.jsonl").open()]
    tiny = tmp_path / "tiny.jsonl"  # a few examples: the bar is under test, not the model
    tiny.write_text(
        "".join(
            json.dumps(row) + "\n"
            for split, count in (("train", 60), ("dev", 30))
            for row in [r for r in rows if r["split"] == split][:count]
        )
    )
    args = ["train", "--kind", "spacy", "--data", str(tiny), "--epochs", "2", "--promote", "never"]
    shown_out, shown_err = run_cli([*args, "--models", str(tmp_path / "a")], tty=True)
    piped_out, piped_err = run_cli([*args, "--models", str(tmp_path / "b")], tty=False)
    assert drawn(shown_err) and "train spacy: 2epoch [" in shown_err, shown_err
    assert "spacy epoch 2 loss" in shown_err and "spacy epoch 2 loss" in piped_err
    assert not drawn(piped_err)
    volatile = ("path", "train")
    assert last_json(shown_out, volatile) == last_json(piped_out, volatile)


def test_bench_shows_a_clock_and_prints_the_same_figures(tmp_path):
    args = ["bench", "extract", "--records", "60", "--repeat", "1", "--pages", "diverse"]
    shown_out, shown_err = run_cli(args, tty=True)
    piped_out, piped_err = run_cli(args, tty=False)
    assert "\r" in shown_err and "bench extract …" in shown_err, shown_err
    assert "bench extract" not in piped_err and "\r" not in piped_err
    summary = json.loads(shown_out.strip().splitlines()[-1])
    assert summary["benchmark"] == "extract"
    assert summary.keys() == json.loads(piped_out.strip().splitlines()[-1]).keys()
    assert len(shown_out.splitlines()) == len(piped_out.splitlines())
