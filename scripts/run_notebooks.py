#!/usr/bin/env python3
"""Executes the notebooks in order through Jupyter and the project's tslab kernel.

Writes the executed notebooks and their HTML exports to the output folder (default: results/), gathers the
claims the notebooks recorded into claims.json and REPORT.md, and prints progress (notebook, cell, elapsed
time). A cell error, or any output a cell writes to stderr, fails the run: the notebook, the cell and the
error are named and the exit status is 1.

At full scale the job then runs the VARIANTS: notebooks executed a second time in another configuration (the
timescales notebooks 05 and 10 with n = 64 hidden units, the smaller size of the study's reduced scale; notebook 05 at the original study's scale
when a sweep has put all of its runs in the cache, sweeps/timescales-paper-curricula.json), into <out>/<variant>/, their
claims recorded with the variant in their part (e.g. "T4 (n = 64)"). --no-variants skips them.

LANES (full scale; --lanes 1 turns them off): the notebooks run in two sequences at once, each in its own process and
kernel. Lane 1 holds the timescales study's training-heavy notebooks (05, 06, 10, 13), lane 2 everything else, then
the variants, then notebook 12 (which reads notebook 05's runs from the cache). Each notebook still runs its own
training jobs on every core; the lanes fill the cores that a notebook's single-threaded cells, or the last long run
of a batch of runs, leave idle. Results are the same bits (every run is deterministic and cached by its options).

Usage: run_notebooks.py [--quick] [--only NAME]... [--out DIR] [--cell-timeout SECONDS] [--notebooks DIR] [--no-variants] [--lanes 1|2]

Environment: RNNLAB_CACHE (cache folder, default .cache/), RNNLAB_CHECKPOINT_SECONDS (checkpoint interval of long
runs, default 15), RNNLAB_TIMESCALES_N (hidden size of the timescales notebooks at full scale), RNNLAB_PYTHON (the
Python with nbclient, for setup). The job sets RNNLAB_SCALE, RNNLAB_RESULTS and RNNLAB_VARIANT for the notebooks.
Ctrl-C stops the whole job (exit 130); a re-run resumes long runs from their checkpoints.
"""
import argparse
import asyncio
import atexit
import contextlib
import json
import os
import pathlib
import re
import signal
import subprocess
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from nbconvert import HTMLExporter

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import pages  # noqa: E402  (scripts/pages.py: portable pages and the index)

ROOT = pathlib.Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
PAPERS = [
    ("intro", "Introduction: the random rate network (notebook 00)"),
    ("engine", "The training engine: BPTT for leaky RNNs (notebook 03)"),
    ("beer-barak-2019", "Beer & Barak 2019: interference and learning, FORCE vs LMS"),
    ("sequential-interference-2x2", "Sequential learning: rotation vs new formation, the 2x2 model"),
    ("timescales-curriculum-2024", "Khajehabdollahi et al. 2024: curricula and timescales"),
    ("synthesis", "Across the studies: when does learning something new destroy what is there? (notebook 12)"),
]
# (folder, label recorded with the claims, environment, notebooks, sweep whose runs must all be cached or None):
# full scale only. The paper-scale variant runs only when a sweep (a cluster's, typically) has computed its runs.
VARIANTS = [
    ("n64", "n = 64", {"RNNLAB_TIMESCALES_N": "64"}, ["05-timescales-curricula", "10-timescales-robustness"], None),
    ("paper", "paper scale", {"RNNLAB_TIMESCALES_VARIANT": "paper", "RNNLAB_MAX_WORK": "1e17"}, ["05-timescales-curricula"], "sweeps/timescales-paper-curricula.json"),
]


def sweep_done(sweep_file):
    """Whether every point of a sweep file has a result in the cache (`cli.js FILE --status` exits 0)."""
    run = subprocess.run(["node", str(ROOT / "lib" / "dist" / "sweeps" / "cli.js"), str(ROOT / sweep_file), "--status"], capture_output=True, text=True)
    if run.returncode == 0:
        return True, ""
    done = sum(1 for line in run.stdout.splitlines() if line.split()[1:2] == ["done"])
    total = sum(1 for line in run.stdout.splitlines() if line.strip() and line.split()[0].isdigit())
    return False, f"{done} of {total} runs in the cache" if total else (run.stderr.strip().splitlines() or ["?"])[-1]


def log(msg):
    print(msg, flush=True)


# Ctrl-C (SIGINT) stops the whole job: the flag survives whatever nbclient makes of the interrupted kernel call.
INTERRUPTED = {"flag": False}


def on_sigint(signum, frame):
    INTERRUPTED["flag"] = True
    raise KeyboardInterrupt


class Client(NotebookClient):
    """nbclient's client, except that Ctrl-C during a notebook also marks the whole job as interrupted.

    nbclient installs its own SIGINT handler on the event loop while a kernel runs (it shuts the kernel down, and the
    cell then fails with an unrelated AssertionError); ours does the same shutdown and sets the flag first.
    """

    @contextlib.asynccontextmanager
    async def async_setup_kernel(self, **kwargs):
        async with super().async_setup_kernel(**kwargs):
            def interrupted():
                INTERRUPTED["flag"] = True
                asyncio.ensure_future(self._async_cleanup_kernel())
                atexit.unregister(self._cleanup_kernel)

            try:
                asyncio.get_event_loop().add_signal_handler(signal.SIGINT, interrupted)
            except (RuntimeError, NotImplementedError):
                pass
            yield


def stop_interrupted(name):
    log(
        f"INTERRUPTED during {name}: the job stops here (exit 130). Long runs keep their last checkpoint "
        "(written atomically); run the same command again to resume."
    )
    sys.exit(130)


def select(only, folder):
    if not folder.is_dir():
        sys.exit(f"run_notebooks: the notebooks folder {folder} does not exist")
    books = sorted(folder.glob("*.ipynb"))
    if not books:
        sys.exit(f"run_notebooks: no notebooks (*.ipynb) in {folder}")
    if not only:
        return books
    chosen = [b for b in books if any(b.stem == o or b.stem.startswith(o) for o in only)]
    if not chosen:
        names = ", ".join(b.stem for b in books)
        sys.exit(f"run_notebooks: no notebook matches {only}; available: {names}")
    return chosen


def stderr_outputs(nb):
    """(cell index, text) for every stream output a cell wrote to stderr."""
    found = []
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream" and out.get("name") == "stderr":
                found.append((i, "".join(out.get("text", ""))))
    return found


ERROR_LINE = re.compile(r"^([A-Za-z_$][\w$]*(Error|Exception)|Error)(\s*\[[A-Z_]+\])?: \S")
COMPILE_LINE = re.compile(r"^\d+:\d+ - ")


def summarise(exc, cell):
    """One line naming the error: the kernel's ename/evalue, else the error line tslab writes to the cell's stderr.

    tslab prints a thrown error as the throwing source line, a caret, then "ParameterError: n: must lie in ..."; the
    summary is that "Class: message" line (or a compile error "1:7 - ..."), never the source line of the throw.
    """
    ename = (getattr(exc, "ename", "") or "").strip("<>")
    evalue = (getattr(exc, "evalue", "") or "").strip()
    if evalue:
        return f"{ename}: {evalue}".splitlines()[0]
    text = "".join(
        "".join(o.get("text", "")) for o in (cell.get("outputs", []) if cell else []) if o.get("name") == "stderr"
    )
    lines = [l.strip() for l in text.splitlines() if l.strip()]
    for pattern in (ERROR_LINE, COMPILE_LINE):
        for line in lines:
            if pattern.match(line):
                return line
    return lines[0] if lines else f"{ename or type(exc).__name__}"


def notebook_title(nb, fallback):
    """The first Markdown heading of the notebook, without its '#' marks."""
    for c in nb.cells:
        if c.cell_type == "markdown":
            for line in c.source.splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return fallback


def run_one(path, out_dir, cell_timeout, out_root=None):
    """Executes one notebook with its own folder as the working directory; returns (error or None, seconds, entry)."""
    nb = nbformat.read(path, as_version=4)
    code_cells = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    start = time.time()
    client = Client(
        nb,
        kernel_name="tslab",
        timeout=cell_timeout,
        record_timing=True,
        resources={"metadata": {"path": str(path.parent)}},
    )

    current = {"index": None}

    def on_start(cell, cell_index):
        current["index"] = cell_index
        if cell.cell_type == "code":
            k = code_cells.index(cell_index) + 1
            log(f"  [{path.stem}] cell {cell_index} ({k}/{len(code_cells)} code cells), {time.time() - start:.1f} s elapsed")

    client.on_cell_start = on_start
    error = None
    try:
        client.execute()
    except CellExecutionError as exc:
        # The cell that was executing (compile errors from tslab leave no "error" output to find).
        index = current["index"]
        error = f"cell {index}: {summarise(exc, nb.cells[index] if index is not None else None)}"
        detail = str(exc)
    except Exception as exc:  # kernel death, timeout; or the side effects of an interrupt
        if INTERRUPTED["flag"]:
            raise KeyboardInterrupt from exc
        error = f"{type(exc).__name__}: {exc}"
        detail = error
    if error is None:
        bad = stderr_outputs(nb)
        if bad:
            i, text = bad[0]
            error = f"cell {i} wrote to stderr: {text.strip()[:500]}"
            detail = error
    elapsed = time.time() - start
    out_dir.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, out_dir / path.name)
    # The page title is the notebook's own heading ("00 · The random rate network ..."), not nbconvert's "Notebook".
    title = notebook_title(nb, path.stem)
    html, _ = HTMLExporter().from_notebook_node(nb, resources={"metadata": {"name": title}})
    root = out_root or out_dir
    pages.write_page(html, out_dir / f"{path.stem}.html", root)
    entry = {
        "name": path.stem,
        "title": title,
        "summary": pages.first_paragraph(nb),
        "page": os.path.relpath(out_dir / f"{path.stem}.html", root),
        "notebook": os.path.relpath(out_dir / path.name, root),
        "seconds": time.time() - start,
        "error": error,
    }
    if error:
        log(f"FAILED {path.stem} after {elapsed:.1f} s: {error}")
        log(detail[-3000:])
    else:
        log(f"  [{path.stem}] done in {elapsed:.1f} s -> {out_dir / path.name}, {out_dir / (path.stem + '.html')}")
    return error, elapsed, entry


def gather_claims(out_dir):
    claims = []
    for f in sorted((out_dir / "claims").glob("*.json")):
        claims.extend(json.loads(f.read_text()))
    order = {p: i for i, (p, _) in enumerate(PAPERS)}
    claims.sort(key=lambda c: (order.get(c["paper"], 99), c["id"][0], int("".join(ch for ch in c["id"][1:] if ch.isdigit()) or 0), c.get("part") or ""))
    (out_dir / "claims.json").write_text(json.dumps(claims, indent=2) + "\n")
    return claims


def fmt_value(v):
    def f(x):
        if isinstance(x, (int, float)):
            return f"{x:.4g}"
        return str(x)
    if isinstance(v, dict):
        return ", ".join(f"{k} = {f(x)}" for k, x in v.items())
    return f(v)


def cell(text):
    return str(text).replace("|", "\\|").replace("\n", " ")


def cache_entries():
    """Result files in the cache folder (RNNLAB_CACHE, default .cache/): 0 means the job starts from an empty cache."""
    folder = pathlib.Path(os.environ.get("RNNLAB_CACHE") or ROOT / ".cache")
    return sum(1 for p in folder.rglob("*.json") if p.is_file()) if folder.is_dir() else 0


def write_report(out_dir, claims, runs, scale, timing=None):
    lines = [
        "# Reproduction report",
        "",
        f"Scale: **{scale}**. Generated by `npm run reproduce`; one row per claim a notebook checked.",
        "",
    ]
    if timing:
        start = "an empty cache" if timing["cached_at_start"] == 0 else f"a cache holding {timing['cached_at_start']} results"
        lines += [
            f"Reproduction time: **{timing['seconds'] / 60:.1f} min** for {len(runs)} notebook run{'' if len(runs) == 1 else 's'} on {timing['cores']} cores "
            f"({'in ' + str(timing['lanes']) + ' lanes' if timing.get('lanes', 1) > 1 else 'one after another'}), "
            f"starting from {start} (setup and the figure export not included).",
            "",
        ]
    lines += [
        "| notebook | status | wall time |",
        "|---|---|---|",
    ]
    for name, (error, elapsed, _) in runs.items():
        lines.append(f"| {name} | {'failed: ' + cell(error) if error else 'executed'} | {elapsed:.1f} s |")
    for paper, title in PAPERS:
        rows = [c for c in claims if c["paper"] == paper]
        lines += ["", f"## {title}", ""]
        if not rows:
            lines.append("_No notebook of this study has recorded claims yet._")
            continue
        ok = sum(c["verdict"] == "reproduced" for c in rows)
        lines += [
            f"{ok} of {len(rows)} claims reproduced.",
            "",
            "| id | claim | criterion | measured | verdict | notebook |",
            "|---|---|---|---|---|---|",
        ]
        for c in rows:
            verdict = c["verdict"] + (f" ({cell(c['note'])})" if c.get("note") else "")
            label = c["id"] + (f" ({c['part']})" if c.get("part") else "")
            lines.append(
                f"| {label} | {cell(c['statement'])} | {cell(c['criterion'])} | {cell(fmt_value(c['value']))} | {verdict} | {c['notebook']} |"
            )
    (out_dir / "REPORT.md").write_text("\n".join(lines) + "\n")


# Lane 1 of the LANES: the timescales notebooks whose training dominates the job (main configuration only).
HEAVY = ["05-timescales-curricula", "06-timescales-controls", "10-timescales-robustness", "13-timescales-gated"]
# Notebooks that read another lane's cached runs: they run last in lane 2 (notebook 12 reads 01, 05 and 08).
LAST = ["12-interference-across-studies"]


def plan_items(books, scale, no_variants):
    """The notebook runs of the job, in report order: (key, notebook path, variant folder, label, environment)."""
    items = [{"key": b.stem, "path": str(b), "folder": None, "label": None, "env": {}} for b in books]
    if scale == "full" and not no_variants:
        for folder, label, env, names, sweep_file in VARIANTS:
            chosen = [b for b in books if b.stem in names]
            if chosen and sweep_file:
                ready, why = sweep_done(sweep_file)
                if not ready:
                    log(f"[variant {label}] skipped: {why} (npm run sweep -- {sweep_file} computes them; lib/src/sweeps/README.md)")
                    continue
            items += [{"key": f"{b.stem} ({label})", "path": str(b), "folder": folder, "label": label, "env": env} for b in chosen]
    return items


def run_item(item, out_dir, cell_timeout):
    """One notebook run of the plan (a variant in its folder with its environment); returns run_one's triple."""
    path = pathlib.Path(item["path"])
    label = item["label"]
    if label is None:
        log(f"[{item['n']}/{item['of']}] {path.stem}")
    else:
        log(f"[variant {label}] {path.stem}")
    claim_file = out_dir / "claims" / (f"{path.stem}.json" if label is None else f"{path.stem}--{item['folder']}.json")
    if claim_file.exists():
        claim_file.unlink()  # claims of this notebook are re-recorded by this run
    saved = {k: os.environ.get(k) for k in [*item["env"], "RNNLAB_VARIANT"]}
    if label is not None:
        os.environ.update({**item["env"], "RNNLAB_VARIANT": label})
    try:
        result = run_one(path, out_dir / (item["folder"] or ""), cell_timeout, out_dir)
        if label is not None:
            result[2].update(variant=label, title=f"{result[2]['title']} ({label})")
        return result
    except KeyboardInterrupt:
        stop_interrupted(item["key"])
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def run_sequence(items, out_dir, cell_timeout):
    runs = {}
    for item in items:
        runs[item["key"]] = run_item(item, out_dir, cell_timeout)
        if INTERRUPTED["flag"]:
            stop_interrupted(item["key"])
    return runs


def lanes_of(items):
    """Lane 1: the heavy timescales notebooks (main configuration); lane 2: the rest, variants, then LAST."""
    heavy = [i for i in items if i["label"] is None and pathlib.Path(i["path"]).stem in HEAVY]
    last = [i for i in items if i["label"] is None and pathlib.Path(i["path"]).stem in LAST]
    rest = [i for i in items if i not in heavy and i not in last]
    return [lane for lane in (heavy, rest + last) if lane]


def run_lanes(lanes, out_dir, cell_timeout):
    """Each lane in a child process of this script (--lane-plan); their runs, merged."""
    procs = []
    for k, lane in enumerate(lanes, 1):
        plan = out_dir / f".lane{k}.json"
        plan.write_text(json.dumps(lane))
        log(f"[lane {k}] {', '.join(i['key'] for i in lane)}")
        procs.append((plan, subprocess.Popen([sys.executable, __file__, "--lane-plan", str(plan), "--out", str(out_dir), "--cell-timeout", str(cell_timeout)])))
    codes = []
    try:
        codes = [p.wait() for _, p in procs]
    except KeyboardInterrupt:
        # A Ctrl-C in a terminal reaches the lanes too (one process group); a SIGINT sent to this process alone is
        # passed on to the lanes still running after a moment.
        for _, p in procs:
            try:
                p.wait(timeout=2)
            except subprocess.TimeoutExpired:
                p.send_signal(signal.SIGINT)
        for _, p in procs:
            p.wait()
        stop_interrupted("the lanes")
    if 130 in codes or INTERRUPTED["flag"]:
        stop_interrupted("the lanes")
    runs = {}
    for (plan, _), code in zip(procs, codes):
        done = pathlib.Path(f"{plan}.out")
        if code != 0 or not done.exists():
            sys.exit(f"run_notebooks: lane {plan.name} ended with exit code {code} and no results")
        runs.update({k: tuple(v) for k, v in json.loads(done.read_text()).items()})
        done.unlink()
        plan.unlink()
    return runs


def lane_main(plan_file, out_dir, cell_timeout):
    """A lane's child process: runs its notebooks in order, writes their results beside the plan."""
    signal.signal(signal.SIGINT, on_sigint)
    items = json.loads(pathlib.Path(plan_file).read_text())
    runs = run_sequence(items, out_dir, cell_timeout)
    pathlib.Path(f"{plan_file}.out").write_text(json.dumps(runs))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="run at the small (test) scale")
    ap.add_argument("--only", action="append", default=[], help="run only this notebook (name or prefix); repeatable")
    ap.add_argument("--out", default=str(ROOT / "results"), help="output folder (default: results/)")
    ap.add_argument("--cell-timeout", type=int, default=3600, help="seconds one cell may run")
    ap.add_argument("--notebooks", default=str(NOTEBOOKS), help="folder of the notebooks (default: notebooks/)")
    ap.add_argument("--no-variants", action="store_true", help="skip the variant runs (e.g. the timescales notebooks at n = 64)")
    ap.add_argument("--lanes", type=int, choices=[1, 2], default=None, help="notebook sequences run at once (default: 2 at full scale on 2 or more cores, else 1)")
    ap.add_argument("--lane-plan", help=argparse.SUPPRESS)  # internal: run one lane's notebooks (a child of the job)
    args = ap.parse_args()
    signal.signal(signal.SIGINT, on_sigint)
    if args.lane_plan:
        lane_main(args.lane_plan, pathlib.Path(args.out).resolve(), args.cell_timeout)
        return

    scale = "quick" if args.quick else "full"
    out_dir = pathlib.Path(args.out).resolve()
    os.environ["JUPYTER_PATH"] = os.pathsep.join(
        [str(ROOT / "build" / "jupyter" / "share" / "jupyter")] + [p for p in os.environ.get("JUPYTER_PATH", "").split(os.pathsep) if p]
    )
    os.environ["RNNLAB_SCALE"] = scale
    os.environ["RNNLAB_RESULTS"] = str(out_dir)

    books = select(args.only, pathlib.Path(args.notebooks).resolve())
    pages.install_assets(out_dir)
    log(f"Executing {len(books)} notebook(s) at {scale} scale into {out_dir}")
    cached_at_start = cache_entries()
    total_start = time.time()
    items = plan_items(books, scale, args.no_variants)
    for n, item in enumerate(items, 1):
        item.update(n=n, of=len(books))
    lane_count = args.lanes or (2 if scale == "full" and (os.cpu_count() or 1) >= 2 else 1)
    lanes = lanes_of(items) if lane_count == 2 else [items]
    runs = run_lanes(lanes, out_dir, args.cell_timeout) if len(lanes) > 1 else run_sequence(items, out_dir, args.cell_timeout)
    runs = {item["key"]: runs[item["key"]] for item in items}  # report order

    claims = gather_claims(out_dir)
    timing = {"seconds": time.time() - total_start, "cached_at_start": cached_at_start, "cores": os.cpu_count() or 1, "lanes": len(lanes)}
    write_report(out_dir, claims, runs, scale, timing)
    pages.write_index(out_dir, [entry for (_, _, entry) in runs.values()], claims, scale)
    # Every figure also as SVG and PNG (results/figures/), drawn by plotly.js in Chromium.
    exported = [str(out_dir / entry["page"]) for (err, _, entry) in runs.values() if not err]
    if exported:
        import subprocess

        export = subprocess.run(["node", str(ROOT / "scripts" / "export_figures.mjs"), str(out_dir), *exported], capture_output=True, text=True)
        for line in export.stdout.strip().splitlines():
            log(line)
        if export.returncode != 0:
            log(f"FAILED figure export: {export.stderr.strip()[-2000:]}")
            sys.exit(1)
    failed = [name for name, (err, _, _) in runs.items() if err]
    not_reproduced = [c["id"] + (f" ({c['part']})" if c.get("part") else "") for c in claims if c["verdict"] != "reproduced"]
    log(
        f"Finished in {time.time() - total_start:.1f} s: {len(runs) - len(failed)} of {len(runs)} notebooks executed; "
        f"{len(claims) - len(not_reproduced)} of {len(claims)} claims reproduced"
        + (f" (not reproduced: {', '.join(not_reproduced)})" if not_reproduced else "")
        + f". Report: {out_dir / 'REPORT.md'}; pages: {out_dir / 'index.html'}"
    )
    if failed:
        log(f"FAILED notebooks: {', '.join(failed)}")
        sys.exit(1)


if __name__ == "__main__":
    main()
