"""The benchmark suite: import, re-import, balance reports, CSV export and a 1 MB text with no
sentence break, on SQLite and PostgreSQL.

Every figure is one run of the real ``tracker`` command in its own process: wall time and peak
resident set size (from ``wait4``). Prints a table with the targets of issue 6 and each figure's
change against ``bench/baseline.json`` (the figures in the README), and exits 1 when a figure
misses its target or is more than 25% worse than its baseline (``--save-baseline`` records this
run's figures as the new baseline, after a change that is meant to move them).

    python bench/run.py [--articles 10000] [--transfers 1000000] [--tallies 100000]
                        [--engines sqlite,postgresql] [--out bench/out]
                        [--steps imports,reports,run_on]

A figure the baseline does not hold yet (one added since it was saved) is reported as new and
judged by its target alone.

PostgreSQL: TRACKER_BENCH_POSTGRES_URL (default: the local ``test`` database); the benchmark
works in a schema of its own and drops it afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import answers_path, generate, write_run_on

ROOT = Path(__file__).resolve().parent.parent
TRACKER = [sys.executable, "-m", "tracker"]
PG_URL = os.environ.get("TRACKER_BENCH_POSTGRES_URL",
                        "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@dataclass
class Run:
    seconds: float
    peak_mb: float
    output: str = ""


def measure(cmd: list[str], *, stdout_to: Path | None = None) -> Run:
    """Run a command in its own process; wall time and its peak RSS (wait4's ru_maxrss)."""
    import tempfile

    with tempfile.TemporaryFile() as err, (
        open(stdout_to, "w+b") if stdout_to else tempfile.TemporaryFile()
    ) as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, cwd=ROOT)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode:
            err.seek(0)
            sys.exit(f"bench: {' '.join(cmd)} failed:\n{err.read().decode()[-2000:]}")
        out.seek(0)
        output = "" if stdout_to else out.read().decode()
    return Run(seconds, usage.ru_maxrss / 1024, output)


class Values(dict):
    """Figures by name; each is printed as soon as it is measured."""

    def __init__(self, engine: str) -> None:
        super().__init__()
        self.engine = engine

    def __setitem__(self, name: str, value: tuple[float, float]) -> None:
        print(f"  [{self.engine}] {name}: {value[0]:.3f} s, {value[1]:.0f} MB", flush=True)
        super().__setitem__(name, value)


@dataclass
class Figures:
    engine: str
    values: dict[str, tuple[float, float]] = field(default_factory=dict)  # name -> (s, MB)

    def __post_init__(self) -> None:
        self.values = Values(self.engine)


@contextmanager
def database(engine: str, work: Path, name: str) -> Iterator[str]:
    """A new, empty database URL for one step; removed afterwards."""
    if engine == "sqlite":
        path = work / f"{name}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        yield f"sqlite:///{path}"
        return
    schema = f"bench_{name}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        sep = "&" if "?" in PG_URL else "?"
        yield f"{PG_URL}{sep}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def tracker(url: str, *args: str) -> list[str]:
    return [*TRACKER, "--db", url, *args]


def bench_imports(engine: str, articles: Path, small: Path, work: Path, figs: Figures) -> None:
    with database(engine, work, "small") as url:
        run = measure(tracker(url, "import", "--quiet", str(small)))
        figs.values["import_2500"] = (run.seconds, run.peak_mb)
    with database(engine, work, "import") as url:
        run = measure(tracker(url, "import", "--quiet", str(articles)))
        figs.values["import"] = (run.seconds, run.peak_mb)
        print(f"  [{engine}] import: {run.output.strip()}", flush=True)
        run = measure(tracker(url, "import", "--quiet", str(articles)))
        figs.values["reimport"] = (run.seconds, run.peak_mb)
        print(f"  [{engine}] re-import: {run.output.strip()}", flush=True)
        figs.values["accuracy"] = (accuracy(url, articles, work), 0.0)


RUN_ON_SIZE = 1_000_000


def bench_run_on(engine: str, work: Path, figs: Figures) -> None:
    """One article of 1 MB with no sentence break (``generate.run_on_text``): extraction must
    stay linear in the length of a text, whatever its punctuation."""
    path = write_run_on(work / "run-on" / "run-on-1mb.txt", RUN_ON_SIZE)
    with database(engine, work, "run_on") as url:
        run = measure(tracker(url, "import", "--quiet", str(path)))
        figs.values["import_run_on"] = (run.seconds, run.peak_mb)
        print(f"  [{engine}] run-on import: {run.output.strip()}", flush=True)


def accuracy(url: str, articles: Path, work: Path) -> float:
    """F1 of the exported transfers against the generated exchanges (date, parties, count):
    extraction and the merging of the several reports of each exchange together."""
    out = work / "transfers.json"
    measure(tracker(url, "export", "transfers", "--format", "json", "--out", str(out)))
    got = {(r["date"], r["from_party"], r["to_party"], r["count_best"])
           for r in json.loads(out.read_text())}
    wanted = {(a["date"], t["from"], t["to"], t["count"])
              for line in answers_path(articles).read_text().splitlines()
              for a in [json.loads(line)] for t in a["transfers"]}
    hits = len(wanted & got)
    return 2 * hits / (len(wanted) + len(got)) if wanted or got else 1.0


def bench_reports(engine: str, transfers: int, tallies: int, work: Path, figs: Figures) -> None:
    with database(engine, work, "big") as url:
        run = measure([sys.executable, "bench/populate.py", url, "--transfers", str(transfers),
                       "--tallies", str(tallies)])
        print(f"  [{engine}] {run.output.strip()}", flush=True)
        for by in ("month", "exchange"):
            run = measure(tracker(url, "report", "balance", "--by", by, "--format", "csv"))
            figs.values[f"balance_{by}"] = (run.seconds, run.peak_mb)
        csv_out = work / "transfers.csv"
        run = measure(tracker(url, "export", "transfers", "--format", "csv", "--out", str(csv_out)))
        figs.values["export_csv"] = (run.seconds, run.peak_mb)
        if engine == "sqlite" and shutil.which("sqlite3"):
            db_file = url.removeprefix("sqlite:///")
            run = measure(["sqlite3", "-csv", "-header", db_file,
                           "SELECT * FROM v_transfers ORDER BY date, exchange_id, transfer_id"],
                          stdout_to=work / "sqlite3.csv")
            figs.values["sqlite3_csv"] = (run.seconds, run.peak_mb)


TARGETS = {  # name: (label, seconds target or None, MB target or None)
    "import": ("import {n} articles", 20.0, 300.0),
    "import_2500": ("import 2,500 articles (memory does not grow)", None, None),
    "reimport": ("re-import the same {n} (unchanged)", 3.0, None),
    "accuracy": ("synthetic transfers: F1 of the export", None, None),
    "balance_month": ("report balance --by month", 1.0, None),
    "balance_exchange": ("report balance --by exchange", 1.0, None),
    "export_csv": ("export transfers --format csv", 5.0, None),
    "sqlite3_csv": ("sqlite3 -csv on v_transfers (reference)", None, None),
    "import_run_on": ("import 1 MB with no sentence break", 60.0, 300.0),
}


BASELINE = ROOT / "bench" / "baseline.json"
WORSE = 1.25  # a figure more than 25% worse than its baseline is a regression...
NOISE = (0.1, 10.0)  # ...and worse by more than run-to-run noise (0.1 s, 10 MB)


def machine() -> str:
    return f"{platform.node()} {platform.machine()}, {os.cpu_count()} cores, " \
           f"Python {platform.python_version()}"


def regressions(figs: list[Figures], baseline: dict) -> list[str]:
    """Figures more than 25% worse than the baseline (time or memory; a lower F1 for accuracy)."""
    found = []
    for f in figs:
        for name, (s, mb) in f.values.items():
            base = baseline.get("figures", {}).get(f.engine, {}).get(name)
            if base is None:
                continue
            if name == "accuracy":
                if s < base[0] - 0.01:
                    found.append(f"{f.engine} {name}: {s:.3f} < {base[0]:.3f}")
                continue
            if s > base[0] * WORSE and s - base[0] > NOISE[0]:
                found.append(f"{f.engine} {name}: {s:.3f} s vs {base[0]:.3f} s "
                             f"(+{(s / base[0] - 1) * 100:.0f}%)")
            if base[1] and mb > base[1] * WORSE and mb - base[1] > NOISE[1]:
                found.append(f"{f.engine} {name}: {mb:.0f} MB vs {base[1]:.0f} MB "
                             f"(+{(mb / base[1] - 1) * 100:.0f}%)")
    return found


def new_figures(figs: list[Figures], baseline: dict) -> list[str]:
    """Figures measured in this run that the baseline does not hold (added since it was saved)."""
    return [f"{f.engine} {name}" for f in figs for name in f.values
            if name not in baseline.get("figures", {}).get(f.engine, {})]


def report(figs: list[Figures], n: int, transfers: int) -> bool:
    by = {f.engine: f.values for f in figs}
    sqlite = by.get("sqlite", {})
    ok = True
    print(f"\nmachine: {machine()}; {n} articles, {transfers:,} transfers")
    header = f"{'figure':46} " + " ".join(f"{e:>20}" for e in by) + "  target"
    print(header + "\n" + "-" * len(header))
    for name, (label, secs, mb) in TARGETS.items():
        cells, verdicts = [], []
        for engine, values in by.items():
            if name not in values:
                cells.append(f"{'-':>20}")
                continue
            s, m = values[name]
            cells.append(f"{s:>9.3f}" + (f" {s * 100:>5.1f}%" if name == "accuracy" else f" s {m:>6.0f} MB"))
            limit = secs if engine == "sqlite" else (2 * sqlite[name][0] if name in sqlite else secs)
            if limit is not None and name != "accuracy" and s > limit:
                verdicts.append(f"{engine} SLOW")
            if mb is not None and m > mb:
                verdicts.append(f"{engine} MEMORY")
        target = []
        if secs:
            target.append(f"SQLite < {secs:g} s, PostgreSQL < 2x SQLite")
        if mb:
            target.append(f"< {mb:g} MB")
        if name == "export_csv" and "sqlite3_csv" in sqlite and "export_csv" in sqlite:
            ratio = sqlite["export_csv"][0] / sqlite["sqlite3_csv"][0]
            target.append(f"{ratio:.2f}x sqlite3 (< 2x)")
            if ratio > 2:
                verdicts.append("sqlite RATIO")
        if name == "import_2500" and "import" in sqlite and "import_2500" in sqlite:
            target.append(f"peak {sqlite['import_2500'][1]:.0f} MB vs {sqlite['import'][1]:.0f} MB")
        ok &= not verdicts
        print(f"{label.format(n=f'{n:,}'):46} " + " ".join(cells) + "  " + "; ".join(target)
              + (f"  <-- {', '.join(verdicts)}" if verdicts else ""))
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--transfers", type=int, default=1_000_000)
    parser.add_argument("--tallies", type=int, default=100_000)
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    parser.add_argument("--steps", default="imports,reports,run_on",
                        help="which parts to run (imports, reports, run_on)")
    parser.add_argument("--save-baseline", action="store_true",
                        help="record this run's figures in bench/baseline.json")
    args = parser.parse_args()
    work = args.out.resolve()
    work.mkdir(parents=True, exist_ok=True)
    articles, small = work / f"articles-{args.articles}", work / "articles-2500"
    for folder, count in ((articles, args.articles), (small, min(2500, args.articles))):
        if "imports" in args.steps and not answers_path(folder).exists():
            print(f"generating {count} articles in {folder}", flush=True)
            generate(folder, count)
    figs: list[Figures] = []
    for engine in args.engines.split(","):
        print(f"{engine}:", flush=True)
        f = Figures(engine)
        if "imports" in args.steps:
            bench_imports(engine, articles, small, work, f)
        if "reports" in args.steps:
            bench_reports(engine, args.transfers, args.tallies, work, f)
        if "run_on" in args.steps:
            bench_run_on(engine, work, f)
        figs.append(f)
    ok = report(figs, args.articles, args.transfers)
    baseline = json.loads(BASELINE.read_text()) if BASELINE.exists() else {}
    if args.save_baseline:
        BASELINE.write_text(json.dumps({
            "measured": time.strftime("%Y-%m-%d"), "machine": machine(),
            "articles": args.articles, "transfers": args.transfers,
            "figures": {f.engine: {k: [round(s, 3), round(mb)] for k, (s, mb) in f.values.items()}
                        for f in figs},
        }, indent=1) + "\n")
        print(f"\nbaseline saved to {BASELINE}")
    elif baseline:
        same = (baseline.get("articles"), baseline.get("transfers")) == (args.articles,
                                                                        args.transfers)
        worse = regressions(figs, baseline) if same else []
        print(f"\nagainst the baseline of {baseline.get('measured')} on {baseline.get('machine')}"
              + ("" if same else ": other sizes, not compared") + ":")
        for line in worse:
            print(f"  REGRESSION {line}")
        for line in new_figures(figs, baseline) if same else []:
            print(f"  NEW {line}: no baseline yet, judged by its target only")
        if same and not worse:
            print("  no figure is more than 25% worse")
        ok &= not worse
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
