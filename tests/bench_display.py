"""Live display latency: from a batch's commit in the kernel to its
update_display_data on iopub, through the real kernel and jupyter_client.

A cell shows a stream live (Display: a table; q.Display(): a progress
panel) and then adds one row every --gap seconds, longer than the default
250 ms throttle, so every batch is shown. The panel's application/json
carries the batch's progress: its trigger start (timestamp) plus its
triggerExecution time is when the batch committed, on the kernel's clock.
For each batch this prints, for the panel and for the table update of the
same batch id:
  sent      iopub message header date minus the commit (kernel side)
  received  client receive time minus the commit (kernel + ZeroMQ + client)

Then it floods: a cell adds rows as fast as it can for --flood seconds to
a query shown by a live table, a progress panel and a listing, and to the
same query without displays; it prints the batches per second of each and
the update_display_data messages the displays sent.

Usage: /usr/bin/python3 tests/bench_display.py [--batches N] [--gap S] [--flood S]
with GOSTREAM_BIN pointing at the kernel binary (default bin/gostream).
"""

import argparse
import datetime
import os
import pathlib
import platform
import statistics
import subprocess
import sys
import tempfile
import time

from jupyter_client.manager import KernelManager

REPO = pathlib.Path(__file__).resolve().parent.parent
TARGET_MS = 50


def parse_time(s):
    if isinstance(s, datetime.datetime):
        return s.timestamp()
    return datetime.datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--batches", type=int, default=40)
    ap.add_argument("--gap", type=float, default=0.4)
    ap.add_argument("--flood", type=float, default=3.0)
    args = ap.parse_args()

    binary = os.environ.get("GOSTREAM_BIN", str(REPO / "bin" / "gostream"))
    data = tempfile.mkdtemp(prefix="bench-display-")
    os.environ["JUPYTER_DATA_DIR"] = data
    subprocess.run([binary, "install", "--user"], check=True, stdout=subprocess.DEVNULL)
    km = KernelManager(kernel_name="gostream")
    km.start_kernel(stderr=subprocess.DEVNULL)
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=30)
    try:
        kc.execute_interactive('ms := spark.MemoryStream("n LONG")\n'
                               'Display(ms.ToDF(), DisplayOptions{Name: "bench"})\n'
                               'q := spark.Streams().ByName("bench")\nq.Display()', timeout=30,
                               output_hook=lambda msg: None)
        gap_ms = int(args.gap * 1000)
        msg_id = kc.execute(f'import ("fmt"; "time")\nfor i := 0; i < {args.batches}; i++ {{\n'
                            f'\tms.AddRows([]any{{i}})\n\ttime.Sleep({gap_ms} * time.Millisecond)\n}}')
        commits, table = {}, {}
        panel_sent, panel_recv = [], []
        while True:
            m = kc.get_iopub_msg(timeout=args.batches * args.gap + 30)
            received = time.time()
            if m["msg_type"] == "status" and m["parent_header"].get("msg_id") == msg_id \
                    and m["content"]["execution_state"] == "idle":
                break
            if m["msg_type"] != "update_display_data":
                continue
            sent = parse_time(m["header"]["date"])
            data = m["content"]["data"]
            if "application/json" in data and data["application/json"].get("lastProgress"):
                p = data["application/json"]["lastProgress"]
                commit = parse_time(p["timestamp"]) + p["durationMs"].get("triggerExecution", 0) / 1000
                commits[p["batchId"]] = commit
                panel_sent.append((sent - commit) * 1000)
                panel_recv.append((received - commit) * 1000)
            elif "application/vnd.dataresource+json" in data:
                batch = m["content"]["metadata"]["gostream"]["batchId"]
                table[batch] = (sent, received)
        table_sent = [(s - commits[b]) * 1000 for b, (s, r) in table.items() if b in commits]
        table_recv = [(r - commits[b]) * 1000 for b, (s, r) in table.items() if b in commits]
        flood = {shown: flood_run(kc, args.flood, shown) for shown in (False, True)}
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)

    def row(name, xs):
        xs = sorted(xs)
        p95 = xs[min(len(xs) - 1, int(len(xs) * 0.95))]
        print(f"| {name} | {len(xs)} | {statistics.median(xs):.1f} ms | {p95:.1f} ms | {xs[-1]:.1f} ms |")
        return xs[-1]

    print(f"# {datetime.datetime.now(datetime.timezone.utc).isoformat(timespec='seconds')} "
          f"{platform.node()} {os.cpu_count()} cores, python {platform.python_version()}, "
          f"{args.batches} batches {args.gap}s apart")
    print("| update | batches | median | p95 | max |\n|---|---|---|---|---|")
    worst = max(row("progress panel, sent", panel_sent), row("progress panel, received", panel_recv),
                row("live table, sent", table_sent), row("live table, received", table_recv))
    print(f"target: every update within {TARGET_MS} ms of its batch's commit: "
          f"{'met' if worst < TARGET_MS else 'NOT met'} (worst {worst:.1f} ms)")
    print(f"\n| flood for {args.flood:g} s | batches | batches/s | batches/min | update_display_data |\n|---|---|---|---|---|")
    for shown, (batches, updates) in flood.items():
        name = "table, panel, charts and listing" if shown else "status line only"
        print(f"| {name} | {batches} | {batches / args.flood:.0f} | {batches * 60 / args.flood:.0f} | {updates} |")


def flood_run(kc, seconds, shown):
    """Feed a query as fast as a cell can for seconds; return its batches
    and the display updates sent meanwhile."""
    name = "shown" if shown else "bare"
    setup = 'fl := spark.MemoryStream("n LONG")\n'
    if shown:
        # A magic must start its cell.
        setup = ("%streams\n" + setup + f'Display(fl.ToDF(), DisplayOptions{{Name: "{name}", MaxRows: 20}})\n'
                 f'fq := spark.Streams().ByName("{name}")\nfq.Display()')
    else:
        setup += f'fq := fl.ToDF().WriteStream().Format("memory").QueryName("{name}").Start()'
    kc.execute_interactive(setup, timeout=30, output_hook=lambda msg: None)
    msg_id = kc.execute(f'begin := time.Now()\nfor time.Since(begin) < {int(seconds * 1000)} * time.Millisecond {{\n'
                        '\tfl.AddRows([]any{1})\n}\nfq.ProcessAllAvailable()\nfq.Stop()\n'
                        'fmt.Println(fq.LastProgress().BatchID + 1)')
    updates, batches = 0, 0
    while True:
        m = kc.get_iopub_msg(timeout=seconds + 60)
        if m["msg_type"] == "update_display_data":
            updates += 1
        elif m["msg_type"] == "stream" and m["parent_header"].get("msg_id") == msg_id:
            batches = int(m["content"]["text"].split()[-1])
        elif m["msg_type"] == "status" and m["parent_header"].get("msg_id") == msg_id \
                and m["content"]["execution_state"] == "idle":
            return batches, updates


if __name__ == "__main__":
    sys.exit(main())
