"""Helpers for test_notebooks.py: run tutorial notebooks with nbclient in a
copy of notebooks/, read their outputs, and read the click-stream files
with nothing but the Python standard library (the expected values come from
the inputs, never from the engine under test).
"""

import csv
import datetime
import json
import pathlib
import re
import shutil
from collections import defaultdict

import nbformat
from nbclient import NotebookClient

REPO = pathlib.Path(__file__).resolve().parent.parent
NOTEBOOKS = REPO / "notebooks"

# Per-cell limit: a stream that does not stop fails the cell instead of
# hanging the suite.
CELL_TIMEOUT = 60

UTC = datetime.timezone.utc


def copy_notebooks(dest):
    """Copies every notebook into dest, where they run and write data/."""
    for nb in NOTEBOOKS.glob("*.ipynb"):
        shutil.copy(nb, dest)
    return dest


def client(workdir, name, timeout=CELL_TIMEOUT):
    """An nbclient NotebookClient for workdir/name.ipynb with the gostream
    kernel, started in workdir as Jupyter starts it in the notebook's
    folder. Cells tagged raises-exception may fail; any other error fails
    the run."""
    nb = nbformat.read(workdir / f"{name}.ipynb", as_version=4)
    return NotebookClient(nb, timeout=timeout, kernel_name="gostream",
                          resources={"metadata": {"path": str(workdir)}})


def run(workdir, name):
    """Runs the notebook top to bottom ("Run All") and returns it with its
    outputs."""
    c = client(workdir, name)
    c.execute()
    nbformat.validate(c.nb)
    return c.nb


def cell(nb, tag):
    """The code cell carrying tag."""
    found = [c for c in nb.cells if tag in c.metadata.get("tags", [])]
    assert len(found) == 1, f"want one cell tagged {tag!r}, found {len(found)}"
    return found[0]


def stdout(nb, tag):
    """What the cell tagged tag printed on stdout."""
    return "".join(o.get("text", "") for o in cell(nb, tag).outputs
                   if o.output_type == "stream" and o.name == "stdout")


def query_output(nb, cell_id):
    """What the queries started by the cell with this id printed (console
    sink, foreachBatch): stdout while the cell ran, then the text of the
    live display the cell got when it ended."""
    found = [c for c in nb.cells if c.get("id") == cell_id]
    assert len(found) == 1, f"want one cell with id {cell_id!r}, found {len(found)}"
    text = ""
    for o in found[0].outputs:
        if o.output_type == "stream" and o.name == "stdout":
            text += o.text
        elif o.output_type == "display_data":
            text += o.data.get("text/plain", "")
    return text


def json_lines(text):
    """The JSON objects printed one per line in text."""
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def show_tables(text):
    """Parses the tables Dataset.show prints (+---+ borders) into lists of
    dicts, header to cell text, one list per table in order."""
    tables, lines = [], text.splitlines()
    i = 0
    while i < len(lines):
        if lines[i].startswith("+-") and i + 2 < len(lines) and lines[i + 1].startswith("|"):
            header = [h.strip() for h in lines[i + 1].strip("|").split("|")]
            rows = []
            j = i + 3
            while j < len(lines) and lines[j].startswith("|"):
                rows.append(dict(zip(header, (v.strip() for v in lines[j].strip("|").split("|")))))
                j += 1
            tables.append(rows)
            i = j + 1
        else:
            i += 1
    return tables


def batches(text):
    """Splits console-sink output into {batch id: [rows]}, one show table
    per batch. Later batches with the same id (another query) replace
    earlier ones."""
    out = {}
    parts = re.split(r"^-+\nBatch: (\d+)\n-+\n", text, flags=re.M)
    for k in range(1, len(parts), 2):
        tables = show_tables(parts[k + 1])
        out[int(parts[k])] = tables[0] if tables else []
    return out


# The click stream ----------------------------------------------------------

def parse_datetime(s):
    """A click-stream Datetime: "2024-05-01 10:00:03" in JSON input,
    "2024-05-01T10:00:03.000Z" in CSV output, RFC 3339 from Go's
    json.Marshal of a time.Time."""
    s = s.replace("Z", "+00:00").replace(" ", "T")
    t = datetime.datetime.fromisoformat(s)
    if t.tzinfo is None:
        t = t.replace(tzinfo=UTC)
    return t.astimezone(UTC)


def json_records(workdir):
    """The generator's records, from data/json_files/*.json."""
    records = []
    for f in sorted((workdir / "data" / "json_files").glob("*.json")):
        records.extend(json.loads(line) for line in f.read_text().splitlines() if line)
    return records


def flat(record):
    """A JSON record as the CSV row Task 1 should make of it."""
    a, s = record["Analytics"], record["Sales"]
    return (a["Clicks"], a["Impressions"], s["Quantity"], round(float(s["Total_Price"]), 6),
            parse_datetime(record["Datetime"]))


def csv_rows(workdir):
    """Task 1's output rows, from data/csv_files/part-*.csv (headers checked)."""
    rows = []
    for f in sorted((workdir / "data" / "csv_files").glob("part-*.csv")):
        with f.open(newline="") as fh:
            reader = csv.DictReader(fh)
            assert reader.fieldnames == ["Clicks", "Impressions", "Quantity", "Total_Price", "Datetime"], f
            for r in reader:
                rows.append((int(r["Clicks"]), int(r["Impressions"]), int(r["Quantity"]),
                             round(float(r["Total_Price"]), 6), parse_datetime(r["Datetime"])))
    return rows


def expected_windows(records, window_s=10, delay_s=30):
    """Task 2's expected output from the JSON input: sums per 10-second
    window, keeping the windows that the 30-second watermark has closed
    once every record has been read (window end <= max event time - delay).
    The generator's event times never go back, so no record is late."""
    sums = defaultdict(lambda: [0, 0, 0, 0.0])
    times = []
    for r in records:
        t = parse_datetime(r["Datetime"])
        times.append(t)
        epoch = int(t.timestamp())
        start = epoch - epoch % window_s
        s = sums[start]
        s[0] += r["Analytics"]["Clicks"]
        s[1] += r["Analytics"]["Impressions"]
        s[2] += r["Sales"]["Quantity"]
        s[3] += r["Sales"]["Total_Price"]
    assert times == sorted(times), "the generator's event times go back"
    watermark = max(times).timestamp() - delay_s
    out = []
    for start in sorted(sums):
        if start + window_s <= watermark:
            c, i, q, p = sums[start]
            out.append({"window_start": datetime.datetime.fromtimestamp(start, UTC),
                        "window_end": datetime.datetime.fromtimestamp(start + window_s, UTC),
                        "Clicks": c, "Impressions": i, "Quantity": q, "Total_Price": p})
    return out


def sliding_sums(stamps_counts, size_s, slide_s):
    """Sums of counts per sliding window [start, start + size) with starts
    on multiples of slide (epoch-aligned), for (datetime, count) pairs."""
    sums = defaultdict(int)
    for t, n in stamps_counts:
        epoch = int(t.timestamp())
        last = epoch - epoch % slide_s
        for start in range(last, epoch - size_s, -slide_s):
            sums[start] += n
    return {(datetime.datetime.fromtimestamp(s, UTC), datetime.datetime.fromtimestamp(s + size_s, UTC)): n
            for s, n in sums.items()}
