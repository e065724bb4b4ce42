"""Kernel benchmark: gostream against ipykernel through the same jupyter_client.

Measures, for each kernel in the same run:
  start   kernel start (KernelManager.start_kernel) to the first kernel_info_reply
  rtt     execute_request of a trivial expression to its idle status on iopub
  lines   execute_request printing 10,000 lines to the idle status, all lines received

Usage: /usr/bin/python3 tests/bench_kernel.py [--starts N] [--runs N] [--kernels gostream,python3]
Run it through `make bench-kernel`, which builds bin/gostream first.
"""

import argparse
import datetime
import os
import pathlib
import platform
import queue
import statistics
import subprocess
import sys
import tempfile
import time

from jupyter_client.manager import KernelManager

REPO = pathlib.Path(__file__).resolve().parent.parent

CODE = {
    "gostream": {"rtt": "1 + 1",
                 "lines": 'import "fmt"\nfor i := 0; i < 10000; i++ { fmt.Println(i) }',
                 "warm": 'import "fmt"\nfmt.Print("")'},
    "python3": {"rtt": "1 + 1",
                "lines": "for i in range(10000): print(i)",
                "warm": "print('', end='')"},
}

TARGETS = {"start": 0.150, "rtt": 0.002, "lines": 1.0}


def wait_idle(kc, msg_id, timeout=60):
    """Wait for msg_id's idle status; return the iopub messages for it."""
    got = []
    deadline = time.monotonic() + timeout
    while True:
        try:
            msg = kc.get_iopub_msg(timeout=max(deadline - time.monotonic(), 0.001))
        except queue.Empty:
            raise TimeoutError(f"no idle for {msg_id}")
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        got.append(msg)
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            return got


def reply(kc, msg_id, timeout=60):
    deadline = time.monotonic() + timeout
    while True:
        msg = kc.get_shell_msg(timeout=max(deadline - time.monotonic(), 0.001))
        if msg["parent_header"].get("msg_id") == msg_id:
            return msg


def start_once(name):
    km = KernelManager(kernel_name=name)
    t0 = time.perf_counter()
    km.start_kernel(stderr=subprocess.DEVNULL)
    kc = km.client()
    kc.start_channels()
    msg_id = kc.kernel_info()
    reply(kc, msg_id, timeout=60)
    took = time.perf_counter() - t0
    kc.stop_channels()
    km.shutdown_kernel(now=False)
    return took


def bench_kernel(name, starts, runs):
    res = {}
    start_once(name)  # warm the page cache and the interpreter files
    res["start"] = [start_once(name) for _ in range(starts)]

    km = KernelManager(kernel_name=name)
    km.start_kernel(stderr=subprocess.DEVNULL)
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=60)
    try:
        code = CODE[name]
        for _ in range(20):
            msg_id = kc.execute(code["rtt"])
            wait_idle(kc, msg_id)
            reply(kc, msg_id)
        msg_id = kc.execute(code["warm"])
        wait_idle(kc, msg_id)
        reply(kc, msg_id)

        rtts = []
        for _ in range(runs):
            t0 = time.perf_counter()
            msg_id = kc.execute(code["rtt"])
            wait_idle(kc, msg_id)
            rtts.append(time.perf_counter() - t0)
            reply(kc, msg_id)
        res["rtt"] = rtts

        lines = []
        for _ in range(3):
            t0 = time.perf_counter()
            msg_id = kc.execute(code["lines"])
            msgs = wait_idle(kc, msg_id, timeout=120)
            lines.append(time.perf_counter() - t0)
            reply(kc, msg_id)
            text = "".join(m["content"]["text"] for m in msgs
                           if m["msg_type"] == "stream" and m["content"]["name"] == "stdout")
            n = len(text.splitlines())
            if n != 10000:
                raise AssertionError(f"{name}: {n} of 10000 lines arrived")
        res["lines"] = lines
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)
    return res


def p99(xs):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(0.99 * (len(xs) - 1))))]


def cpu_model():
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def ms(x):
    return f"{x * 1000:.2f} ms" if x < 1 else f"{x:.3f} s"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--starts", type=int, default=10)
    ap.add_argument("--runs", type=int, default=500)
    ap.add_argument("--kernels", default="gostream,python3")
    args = ap.parse_args()

    binary = os.environ.get("GOSTREAM_BIN") or str(REPO / "bin" / "gostream")
    if not os.path.exists(binary):
        subprocess.run(["go", "build", "-o", binary, "."], cwd=REPO, check=True)
    data = tempfile.mkdtemp(prefix="gostream-bench-")
    os.environ["JUPYTER_DATA_DIR"] = data
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    subprocess.run([binary, "install", "--user"], check=True, stdout=subprocess.DEVNULL)

    kernels = args.kernels.split(",")
    results = {}
    for k in kernels:
        print(f"benchmarking {k} ...", file=sys.stderr, flush=True)
        results[k] = bench_kernel(k, args.starts, args.runs)

    rows = [
        ("start to kernel_info_reply (median)", "start", statistics.median),
        ("execute `1+1` round trip (median)", "rtt", statistics.median),
        ("execute `1+1` round trip (p99)", "rtt", p99),
        ("10,000 printed lines (median of 3)", "lines", statistics.median),
    ]
    version = subprocess.run([binary, "version"], capture_output=True, text=True).stdout.split("\n")[0]
    print(f"date:    {datetime.datetime.now().astimezone().isoformat(timespec='seconds')}")
    print(f"machine: {os.cpu_count()} cores ({len(os.sched_getaffinity(0))} usable), {cpu_model()}")
    print(f"command: /usr/bin/python3 tests/bench_kernel.py --starts {args.starts} --runs {args.runs}")
    print(f"kernels: {version}; ipykernel via /usr/share/jupyter/kernels/python3")
    print()
    head = "| measure | " + " | ".join(kernels) + (" | gostream / python3 |" if len(kernels) == 2 else " |")
    print(head)
    print("|" + "---|" * (head.count("|") - 1))
    for label, key, agg in rows:
        vals = [agg(results[k][key]) for k in kernels]
        line = f"| {label} | " + " | ".join(ms(v) for v in vals)
        if len(kernels) == 2:
            line += f" | {vals[0] / vals[1]:.2f}x"
        print(line + " |")
    if "gostream" in results:
        g = results["gostream"]
        checks = [
            ("start median < 150 ms", statistics.median(g["start"]) < TARGETS["start"]),
            ("round trip median < 2 ms", statistics.median(g["rtt"]) < TARGETS["rtt"]),
            ("10,000 lines < 1 s", statistics.median(g["lines"]) < TARGETS["lines"]),
        ]
        if "python3" in results:
            checks.append(("round trip median below ipykernel's",
                           statistics.median(g["rtt"]) < statistics.median(results["python3"]["rtt"])))
        print()
        for label, met in checks:
            print(f"target {label}: {'met' if met else 'MISSED'}")


if __name__ == "__main__":
    main()
