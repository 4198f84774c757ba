"""The single pane of glass, seen in a real browser: headless Debian Chromium driven by
Playwright against ``dagster-webserver`` on 127.0.0.1, after a real ``supplylinks sample``.

Screenshots land in ``tests/artifacts/`` (git-ignored) for a person to look at. Playwright
never downloads a browser here: it drives ``/usr/bin/chromium`` (``apt-get install -y
chromium``); without it the module is skipped, saying so.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest
from dagster import DagsterInstance

from tests.paths import REPO_ROOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = REPO_ROOT / "tests" / "artifacts"
CRAWL = "CC-MAIN-2024-22"

if not CHROMIUM.exists():
    pytest.skip(
        "Debian chromium not installed (apt-get install -y chromium)", allow_module_level=True
    )
sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright (dev extra)")
pytestmark = pytest.mark.timeout(600)
#: Pages whose community pop-up was dismissed (Dagster shows it once per browser profile).
_DISMISSED: set[int] = set()


@pytest.fixture(scope="module")
def sample() -> dict:
    """A fresh ``supplylinks sample`` (rules model: no training) in its own Dagster home,
    with ``dagster-webserver`` starting on it meanwhile (the UI reads the instance live)."""
    # Its own folder, not pytest's rotating basetemp: the sample's files must outlive the
    # module's tests whatever other pytest sessions on the machine clean up meanwhile.
    scratch = tempfile.TemporaryDirectory(prefix="supplylinks-ui-")
    root = Path(scratch.name)
    env = {
        **os.environ,
        "DAGSTER_HOME": str(root / "dagster_home"),
        "SUPPLYLINKS_WAREHOUSE": str(root / "warehouse"),
        "SUPPLYLINKS_MODELS": str(root / "models"),
        "SUPPLYLINKS_MODEL": "rules",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")])),
    }
    env.pop("CI", None)  # the sample's output as a user sees it (still no TTY: no spinner)
    (root / "dagster_home").mkdir()
    # Create the instance's SQLite storage once, before the webserver and the sample both
    # open it (two processes creating the same tables at once race).
    DagsterInstance.from_config(str(root / "dagster_home")).dispose()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log_path = root / "webserver.log"
    with open(log_path, "w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "dagster_webserver", "-m", "pipelines.definitions"]
            + ["-h", "127.0.0.1", "-p", str(port)],
            env=env,
            cwd=REPO_ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        done = subprocess.run(
            [sys.executable, "-m", "pipelines.cli", "sample"],
            env=env,
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            timeout=540,
        )
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
        base = f"http://127.0.0.1:{port}"
        wait_until_serving(base, server, log_path)
        yield {"stdout": done.stdout, "warehouse": root / "warehouse", "base": base}
    finally:
        with contextlib.suppress(ProcessLookupError):  # it may have died: say why, above
            os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        scratch.cleanup()


def wait_until_serving(base: str, server: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + 120
    while True:
        try:
            urllib.request.urlopen(f"{base}/server_info", timeout=2).read()
            return
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(
                    "dagster-webserver did not start:\n" + log_path.read_text()[-3000:]
                ) from None
            time.sleep(1)


@pytest.fixture(scope="module")
def webserver(sample) -> str:
    return sample["base"]


@pytest.fixture(scope="module")
def browser(webserver):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS, headless=True
        )
        page = chromium.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(90_000)  # a loaded CI machine renders slowly
        yield page
        chromium.close()


def visit(page, base: str, path: str, ready: str):
    """Open ``path``, wait until ``ready`` is shown, dismiss the community pop-up."""
    page.goto(base + path)
    page.get_by_text(ready, exact=True).first.wait_for()
    if id(page) not in _DISMISSED:
        with contextlib.suppress(sync_api.TimeoutError):
            page.get_by_role("button", name="Skip").click(timeout=5000)
        _DISMISSED.add(id(page))
    page.wait_for_timeout(500)  # let images and lazy sections settle
    return page


def metadata_value(page, key: str) -> str:
    """The value cell of metadata entry ``key`` on the page."""
    cell = page.locator("td").filter(has_text=re.compile(rf"^{re.escape(key)}$")).first
    return cell.locator("xpath=following-sibling::td[1]").inner_text().strip()


def rows_per_slice(warehouse: Path, table: str, column: str = "segment") -> dict[str, int]:
    from collections import Counter

    from deltalake import DeltaTable

    data = DeltaTable(str(warehouse / table)).to_pyarrow_table(columns=[column])
    return dict(Counter(data.column(column).to_pylist()))


def test_sample_output_fits_a_screen(sample):
    lines = sample["stdout"].splitlines()
    assert len(lines) <= 40, sample["stdout"]
    text = sample["stdout"]
    assert "WARC files: 5 read, 0 failed" in text
    assert re.search(r"http://127\.0\.0\.1:3000/runs/[0-9a-f-]{36}", text)
    pages = sum(rows_per_slice(sample["warehouse"], "pages").values())
    assert re.search(rf"pages\s+3/3 partitions\s+{pages:,} rows", text), text
    log = re.search(r"logs go to (\S+)", text).group(1)
    assert "STEP_START" in Path(log).read_text()  # Dagster's events went to the file


def test_catalog_link_graph_and_its_partitions(sample, webserver, browser):
    page, base, warehouse = browser, webserver, sample["warehouse"]
    graph_rows = sum(rows_per_slice(warehouse, "link_graph", "crawl").values())

    visit(page, base, "/assets", "link_graph")
    with contextlib.suppress(sync_api.TimeoutError):  # the status column loads last
        page.get_by_text("Loading...").first.wait_for(state="hidden", timeout=20_000)
    for asset in ("pages", "hyperlinks", "company_links", "link_graph", "link_graph_picture"):
        assert page.get_by_text(asset, exact=True).count(), asset
    page.screenshot(path=ARTIFACTS / "01-asset-catalog.png")

    visit(page, base, "/assets/link_graph", "Columns")
    for column in ("src_company_id", "dst_domain", "mean_confidence", "last_crawl"):
        assert page.get_by_text(column, exact=True).count(), column
    assert page.get_by_text("Row count").count()
    assert (
        page.get_by_text(f"{graph_rows:,}", exact=True).count()
        or page.get_by_text(str(graph_rows), exact=True).count()
    )
    assert page.get_by_text("graph_crawl").count()  # the named job, not an ephemeral one
    page.screenshot(path=ARTIFACTS / "02-link-graph-overview.png")

    visit(page, base, f"/assets/link_graph?view=partitions&partition={CRAWL}", "Metadata")
    assert metadata_value(page, "rows_written") == str(graph_rows)
    assert metadata_value(page, "dagster/row_count") == str(graph_rows)
    bars = page.locator("img[alt^='edges per relation']").first
    assert bars.evaluate("img => img.complete && img.naturalWidth") > 100
    page.screenshot(path=ARTIFACTS / "03-link-graph-partition.png", full_page=True)

    visit(page, base, f"/assets/link_graph_picture?view=partitions&partition={CRAWL}", "Metadata")
    picture = page.locator("img[alt^='company graph']").first
    picture.scroll_into_view_if_needed()
    assert picture.evaluate("img => img.complete && img.naturalWidth") > 300
    page.screenshot(path=ARTIFACTS / "04-graph-picture.png")


def test_each_partition_shows_its_own_figures(sample, webserver, browser):
    page, base = browser, webserver
    expected = rows_per_slice(sample["warehouse"], "pages")
    assert len(set(expected.values())) > 1  # the sample's segments differ in size
    shown, files = {}, {}
    for segment in sorted(expected):
        visit(
            page, base, f"/assets/pages?view=partitions&partition={CRAWL}%7C{segment}", "Metadata"
        )
        shown[segment] = int(metadata_value(page, "rows_written"))
        files[segment] = int(metadata_value(page, "files_read"))
        run_rows = int(metadata_value(page, "run_rows_written"))
        if segment == "01":
            page.screenshot(path=ARTIFACTS / "05-pages-partition-01.png")
    assert shown == expected
    assert sum(shown.values()) == run_rows
    assert sum(files.values()) == 5


LOCATION = "__repository__@pipelines.definitions"


def launchpad_default_yaml(base: str, job: str) -> str:
    """What the launchpad pre-fills for ``job``: the webserver's ``rootDefaultYaml``."""
    import json

    query = (
        "query($selector: PipelineSelector!) { runConfigSchemaOrError(selector: $selector) "
        "{ __typename ... on RunConfigSchema { rootDefaultYaml } } }"
    )
    location, repository = LOCATION.split("@")[1], LOCATION.split("@")[0]
    selector = {"repositoryLocationName": location, "repositoryName": repository}
    body = json.dumps(
        {"query": query, "variables": {"selector": {**selector, "pipelineName": job}}}
    )
    request = urllib.request.Request(
        f"{base}/graphql", body.encode(), {"Content-Type": "application/json"}
    )
    answer = json.loads(urllib.request.urlopen(request, timeout=60).read())
    return answer["data"]["runConfigSchemaOrError"]["rootDefaultYaml"]


def test_resources_show_named_config_types(sample, webserver, browser):
    page, base = browser, webserver
    for resource in ("crawl_config", "classifier_config", "spark_runtime"):
        visit(page, base, f"/locations/{LOCATION}/resources/{resource}", "Configuration")
        page.get_by_text("Default").first.wait_for()  # the config table has loaded
        text = page.locator("body").inner_text()
        assert "Shape." not in text, (resource, text)
    for shown in ("Noneable.EmrSpec", "Noneable.PriceTable", "Literal['local'"):
        assert shown in text, shown
    page.screenshot(path=ARTIFACTS / "06-spark-runtime-resource.png", full_page=True)


def test_launchpad_prefills_only_the_local_runtime(sample, webserver, browser):
    page, base = browser, webserver
    default = launchpad_default_yaml(base, "extract_crawl")
    spark = default[default.index("spark_runtime:") :]
    assert spark.split() == [
        "spark_runtime:",
        "config:",
        "delta_writer:",
        "auto",
        "runtime:",
        "local",
    ]
    for word in ("emr", "databricks", "prices", "on_demand"):
        assert word not in default, default
    visit(page, base, f"/locations/{LOCATION}/jobs/extract_crawl/playground", "Launch Run")
    page.wait_for_timeout(2000)  # the editor fills in after the schema loads
    editor = page.locator(".CodeMirror").first.inner_text()
    assert "runtime: local" in editor and "emr" not in editor, editor
    page.screenshot(path=ARTIFACTS / "07-launchpad-extract-crawl.png")
