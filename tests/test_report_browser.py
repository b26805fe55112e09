"""The HTML report in a real browser: headless Chromium loads it from a file, as a client would open it.

Driven over Chromium's DevTools protocol, so the test sees what a person cannot: every console message,
every network request, the DOM after parsing. It keeps a screenshot and a print-to-PDF under `artifacts/`
for a person to look at. Skips only where /usr/bin/chromium is absent (CI installs it).
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import websockets.sync.client as websockets_sync

from agent.storage import save_map
from tests.cli_runner import run_vsm
from tests.processes import stop
from tests.test_report_content import HOSTILE, hostile_map

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).parents[1]
ARTIFACTS = ROOT / "artifacts"
EXAMPLE = ROOT / "transcripts" / "legal-platform" / "map.json"

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium "
                                "(apt-get install chromium); CI installs it")



class DevTools:
    """One page of a headless Chromium, spoken to over the DevTools protocol; events are kept in order."""

    def __init__(self, socket: Any) -> None:
        self.socket = socket
        self.events: list[dict[str, Any]] = []
        self._next_id = 0

    def send(self, method: str, timeout: float = 30, **params: Any) -> dict[str, Any]:
        self._next_id += 1
        message_id = self._next_id
        self.socket.send(json.dumps({"id": message_id, "method": method, "params": params}))
        deadline = time.monotonic() + timeout
        while True:
            message = json.loads(self.socket.recv(timeout=max(deadline - time.monotonic(), 0.01)))
            if message.get("id") == message_id:
                if "error" in message:
                    raise AssertionError(f"{method} failed: {message['error']}")
                result: dict[str, Any] = message.get("result", {})
                return result
            self.events.append(message)

    def wait_for(self, event: str, timeout: float = 30) -> dict[str, Any]:
        for seen in self.events:
            if seen.get("method") == event:
                return seen
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            message = json.loads(self.socket.recv(timeout=max(deadline - time.monotonic(), 0.01)))
            self.events.append(message)
            if message.get("method") == event:
                return message
        raise AssertionError(f"no {event} within {timeout} s")

    def drain(self, seconds: float) -> None:
        """Collect events for a while: late console errors or requests must not escape the test."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                self.events.append(json.loads(self.socket.recv(timeout=left)))
            except TimeoutError:
                return

    def evaluate(self, expression: str) -> Any:
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        assert "exceptionDetails" not in result, result
        return result["result"].get("value")

    def of(self, method: str) -> list[dict[str, Any]]:
        return [e["params"] for e in self.events if e.get("method") == method]


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A headless Chromium with remote debugging on a free loopback port; yields the DevTools HTTP address."""
    profile = tmp_path_factory.mktemp("chromium-profile")
    command = [
        str(CHROMIUM), "--headless=new", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
        "--disable-extensions", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
        f"--user-data-dir={profile}", "about:blank",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.insert(1, "--no-sandbox")  # Chromium refuses to run its sandbox as root (CI runs as root)
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    port_file = profile / "DevToolsActivePort"
    deadline = time.monotonic() + 30
    while not (port_file.exists() and port_file.read_text().strip()):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail("chromium did not start its DevTools server within 30 s")
        time.sleep(0.1)
    port = port_file.read_text().split()[0]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(process)


@contextmanager
def open_page(browser: str) -> Iterator[DevTools]:
    """A new tab, with the console, log and network watched from before anything loads."""
    request = urllib.request.Request(f"{browser}/json/new?about:blank", method="PUT")
    with urllib.request.urlopen(request, timeout=10) as response:
        target = json.load(response)
    with websockets_sync.connect(target["webSocketDebuggerUrl"], max_size=None, open_timeout=20) as socket:
        page = DevTools(socket)
        for domain in ("Page", "Runtime", "Log", "Network"):
            page.send(f"{domain}.enable")
        page.send("Emulation.setDeviceMetricsOverride", width=1366, height=900, deviceScaleFactor=1, mobile=False)
        yield page
        page.send("Page.close")


def load(page: DevTools, path: Path) -> None:
    page.send("Page.navigate", url=path.resolve().as_uri())
    page.wait_for("Page.loadEventFired")
    page.evaluate("document.fonts.ready.then(() => true)")
    page.drain(0.7)


def problems(page: DevTools, page_url: str) -> list[str]:
    """Console errors, uncaught exceptions, CSP violations and any request that is not the file itself."""
    found = []
    for call in page.of("Runtime.consoleAPICalled"):
        if call["type"] in ("error", "assert", "warning"):
            found.append(f"console {call['type']}: {[a.get('value') for a in call['args']]}")
    found += [f"exception: {e['exceptionDetails'].get('text')}" for e in page.of("Runtime.exceptionThrown")]
    found += [f"log {e['entry']['level']}: {e['entry']['text']}" for e in page.of("Log.entryAdded")
              if e["entry"]["level"] in ("error", "warning")]
    for request in page.of("Network.requestWillBeSent"):
        url = request["request"]["url"]
        if url != page_url and not url.startswith("data:"):
            found.append(f"network request: {url[:120]}")
    return found


def screenshot(page: DevTools, target: Path, max_height: int = 12000) -> None:
    size = page.send("Page.getLayoutMetrics")["cssContentSize"]
    clip = {"x": 0, "y": 0, "width": size["width"], "height": min(size["height"], max_height), "scale": 1}
    shot = page.send("Page.captureScreenshot", format="png", captureBeyondViewport=True, clip=clip)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(base64.b64decode(shot["data"]))


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    save_map(folder / "map.json", hostile_map())
    result = run_vsm("report", folder / "map.json", "-o", folder / "report.html")
    assert result.returncode == 0, result.stderr
    return folder / "report.html"


def test_report_loads_with_no_console_error_and_no_network_request(browser: str, hostile_report: Path) -> None:
    with open_page(browser) as page:
        load(page, hostile_report)
        assert problems(page, hostile_report.resolve().as_uri()) == []
        assert page.evaluate("document.querySelectorAll('svg').length") >= 2
        screenshot(page, ARTIFACTS / "report-hostile-map.png")


def test_script_in_a_transcript_shows_as_text_and_never_runs(browser: str, hostile_report: Path) -> None:
    with open_page(browser) as page:
        load(page, hostile_report)
        assert page.evaluate("document.querySelectorAll('img, iframe, object, embed').length") == 0
        # One script, the report's own (pan, zoom, chain highlight); the transcript's is text.
        assert page.evaluate("document.scripts.length") == 1
        assert page.evaluate("document.scripts[0].textContent.includes('__vsm_pwned')") is False
        assert page.evaluate("typeof window.__vsm_pwned") == "undefined"
        assert page.evaluate(f"document.body.innerText.includes({json.dumps(HOSTILE)})")
        svg_text = page.evaluate("[...document.querySelectorAll('svg text')].map(t => t.textContent).join(' ')")
        assert "<script>window.__vsm_" in svg_text  # the diagram wraps it, but as characters


def test_bundled_font_is_used_for_the_diagram(browser: str, hostile_report: Path) -> None:
    with open_page(browser) as page:
        load(page, hostile_report)
        loaded = page.evaluate("[...document.fonts].filter(f => f.status === 'loaded').map(f => f.family)")
        assert any("DejaVu Sans" in family for family in loaded), loaded


def test_the_policy_blocks_what_an_escaping_bug_would_let_in(browser: str, hostile_report: Path,
                                                               tmp_path: Path) -> None:
    # If escaping ever failed, the Content-Security-Policy is the second wall; prove it holds and that
    # this harness notices (a check that cannot fail proves nothing).
    tampered = tmp_path / "tampered.html"
    tampered.write_text(hostile_report.read_text().replace(
        "<body>", '<body><script>window.__vsm_pwned = 1</script><img src="http://127.0.0.1:9/vsm-test.png">', 1))
    with open_page(browser) as page:
        load(page, tampered)
        assert page.evaluate("typeof window.__vsm_pwned") == "undefined"
        found = problems(page, tampered.resolve().as_uri())
        assert any("Content Security Policy" in line for line in found), found
        attempted = [r for r in page.of("Network.requestWillBeSent") if r["request"]["url"].startswith("http")]
        blocked = {f["requestId"] for f in page.of("Network.loadingFailed") if f.get("blockedReason") == "csp"}
        assert attempted, "the harness must see the attempt"
        assert all(r["requestId"] in blocked for r in attempted), "the policy must block it before it leaves"


def test_report_prints_to_pdf(browser: str, hostile_report: Path) -> None:
    with open_page(browser) as page:
        load(page, hostile_report)
        pdf = base64.b64decode(page.send("Page.printToPDF", printBackground=True, preferCSSPageSize=True,
                                         timeout=60)["data"])
        assert pdf.startswith(b"%PDF")
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / "report-hostile-map.pdf").write_bytes(pdf)
        assert pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page ") + pdf.count(b"/Type /Page>") >= 2


@pytest.mark.skipif(not EXAMPLE.exists(), reason="the bundled legal-platform example is not there")
def test_bundled_example_report_in_the_browser(browser: str, tmp_path: Path) -> None:
    result = run_vsm("report", EXAMPLE, "-o", tmp_path / "report.html")
    assert result.returncode == 0, result.stderr
    with open_page(browser) as page:
        load(page, tmp_path / "report.html")
        assert problems(page, (tmp_path / "report.html").resolve().as_uri()) == []
        screenshot(page, ARTIFACTS / "report-legal-platform.png")
        shutil.copy(tmp_path / "report.html", ARTIFACTS / "report-legal-platform.html")
