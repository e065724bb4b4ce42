"""A live table in the classic Jupyter Notebook UI (Debian's jupyter-notebook)
in headless Chromium, driven by Selenium: the table must change in place,
also while no cell runs, and end showing every row.

A screenshot is kept in tests/artifacts/ (git-ignored).
"""

import json
import os
import pathlib
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

webdriver = pytest.importorskip("selenium.webdriver", reason="python3-selenium is not installed (make deps)")
from selenium.webdriver.chrome.service import Service  # noqa: E402

ARTIFACTS = pathlib.Path(__file__).resolve().parent / "artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
ROWS = 30

pytestmark = pytest.mark.skipif(
    not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)),
    reason="chromium and chromium-driver are not installed (make deps)")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def notebook_server(tmp_path):
    """Jupyter Notebook 6 serving tmp_path, with the gostream kernelspec."""
    port, token = free_port(), "gostream-browser-test"
    log = open(tmp_path / "server.log", "w")
    server = subprocess.Popen(
        [sys.executable, "-m", "notebook", "--no-browser", "--allow-root", f"--port={port}",
         "--ip=127.0.0.1", f"--NotebookApp.token={token}", f"--notebook-dir={tmp_path}"],
        stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=1)
            break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                raise RuntimeError("notebook server did not start: " + (tmp_path / "server.log").read_text())
            time.sleep(0.2)
    yield base, token
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
    log.close()


@pytest.fixture
def browser(tmp_path):
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", f"--user-data-dir={tmp_path / 'chrome'}",
                 "--window-size=1280,1000"):
        opts.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    yield driver
    driver.quit()


def js(driver, script):
    return driver.execute_script(script)


def test_live_table_updates_in_place_in_the_classic_notebook(notebook_server, browser, tmp_path):
    base, token = notebook_server
    nb = new_notebook(cells=[
        new_code_cell('ms := spark.MemoryStream("n LONG, word STRING")\n'
                      'Display(ms.ToDF(), DisplayOptions{Name: "browser"})'),
        # A console sink on the same stream prints into this cell.
        new_code_cell('cq := ms.ToDF().WriteStream().Format("console").QueryName("printed").Start()'),
        # The feed goes on after its cell has finished: those updates come
        # while no cell runs.
        new_code_cell('import ("fmt"; "time")\ngo func() {\n'
                      f'\tfor i := 0; i < {ROWS}; i++ {{\n'
                      '\t\tms.AddRows([]any{i, fmt.Sprint("word ", i)})\n'
                      '\t\ttime.Sleep(150 * time.Millisecond)\n\t}\n}()'),
        # The query as a value: its live progress panel and charts.
        new_code_cell('spark.Streams().ByName("browser")'),
        new_code_cell("%streams"),
    ], metadata={"kernelspec": {"name": "gostream", "display_name": "Go (gostream)", "language": "go"}})
    nbformat.write(nb, tmp_path / "live.ipynb")

    browser.get(f"{base}/notebooks/live.ipynb?token={token}")
    deadline = time.monotonic() + 60
    while not js(browser, "return !!(window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel"
                          " && Jupyter.notebook.kernel.is_connected() && Jupyter.notebook.kernel.info_reply"
                          " && Jupyter.notebook.kernel.info_reply.status === 'ok')"):
        assert time.monotonic() < deadline, "the notebook's kernel never became ready"
        time.sleep(0.2)
    js(browser, "Jupyter.notebook.execute_all_cells()")

    # Sample the first cell's output: its output areas and table rows.
    probe = """
      const cell = document.querySelectorAll('.cell')[0];
      const areas = cell.querySelectorAll('.output_area');
      const rows = cell.querySelectorAll('.output_area table tbody tr');
      const caption = cell.querySelector('.gs-caption');
      return JSON.stringify({areas: areas.length, rows: rows.length,
                             caption: caption ? caption.textContent : null});
    """
    samples = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        s = json.loads(js(browser, probe))
        s["t"] = time.monotonic()
        samples.append(s)
        if s["rows"] == ROWS:
            break
        time.sleep(0.1)
    final = samples[-1]
    ARTIFACTS.mkdir(exist_ok=True)
    js(browser, "document.querySelectorAll('.cell')[0].scrollIntoView()")
    browser.save_screenshot(str(ARTIFACTS / "browser_live_table.png"))

    assert final["rows"] == ROWS, f"the table never showed all {ROWS} rows: {samples[-5:]}"
    counts = [s["rows"] for s in samples]
    distinct = sorted(set(counts))
    assert len(distinct) >= 4, f"the table did not change over time: {distinct}"
    assert counts == sorted(counts), "the table went back in time"
    assert all(s["areas"] == 1 for s in samples if s["rows"] > 0), \
        "the table was appended again instead of updated in place"
    assert f"{ROWS} rows" in final["caption"] and "batch" in final["caption"]
    # The rows arrived after the feeding cell had finished: the kernel is
    # idle and the last updates still reached the cell.
    assert js(browser, "return Jupyter.notebook.kernel_busy === false || "
                       "document.querySelector('#kernel_indicator_icon').classList.contains('kernel_idle_icon')")
    cells = js(browser, "return Jupyter.notebook.get_cells().map(c => c.output_area.outputs.length)")
    assert cells[2] == 0, "the feeding cell got output"

    # The console sink's batches, printed after its cell ended, are in its
    # cell: one output updated in place, ending on the last row.
    console = """
      const cell = document.querySelectorAll('.cell')[1];
      return JSON.stringify({areas: cell.querySelectorAll('.output_area').length,
                             text: cell.querySelector('.output_area') ? cell.innerText : ''});
    """
    deadline = time.monotonic() + 10
    while True:
        printed = json.loads(js(browser, console))
        if f"word {ROWS - 1}" in printed["text"] or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    js(browser, "document.querySelectorAll('.cell')[1].scrollIntoView()")
    browser.save_screenshot(str(ARTIFACTS / "browser_console.png"))
    assert f"word {ROWS - 1}" in printed["text"] and "Batch: " in printed["text"], printed["text"][-500:]
    assert printed["areas"] == 1, f"console output took {printed['areas']} outputs, want one updated in place"

    # The panel follows the same query to the same batch; without a Vega
    # renderer the classic notebook shows the charts' SVG.
    batch = final["caption"].split("batch ")[1].split(" ")[0]
    panel = """
      const cell = document.querySelectorAll('.cell')[3];
      const th = [...cell.querySelectorAll('table.gs-kv th')].find(e => e.textContent === 'batch');
      return JSON.stringify({batch: th ? th.nextElementSibling.textContent : null,
                             svg: cell.querySelectorAll('.output_svg svg polyline').length});
    """
    deadline = time.monotonic() + 10
    while True:
        got = json.loads(js(browser, panel))
        if got["batch"] == batch or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    js(browser, "document.querySelectorAll('.cell')[3].scrollIntoView()")
    browser.save_screenshot(str(ARTIFACTS / "browser_progress_panel.png"))
    assert got["batch"] == batch, f"panel shows batch {got['batch']}, table {batch}"
    assert got["svg"] == 2, "the charts' SVG fallback is not shown"

    # The listing names both queries, active.
    listing = js(browser, "return [...document.querySelectorAll('.cell')[4].querySelectorAll("
                          "'.gs-listing tbody tr')].map(r => r.innerText)")
    js(browser, "document.querySelectorAll('.cell')[4].scrollIntoView()")
    browser.save_screenshot(str(ARTIFACTS / "browser_listing.png"))
    assert sorted(row.split()[0] for row in listing) == ["browser", "printed"], listing
    assert all("Waiting for data to arrive" in row for row in listing), listing
