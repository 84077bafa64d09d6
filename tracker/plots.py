"""Plots as PNG: the running balance over time, and exchanges as a timeline.

Drawn with matplotlib's Agg canvas (no display, no pyplot state). The numbers come from the
views: the balance from ``v_balance`` (through ``tracker.balances``), the exchanges from
``v_transfers`` summed per exchange, direction and category in SQL.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection

from tracker.balances import BalanceQuery, balance, with_party_code
from tracker.cells import plain, range_text
from tracker.errors import InputError, NotFound
from tracker.outfile import replacing
from tracker.parties import resolve_party

DPI = 100
MEASURES = (("captured", "#1f77b4"), ("released", "#d62728"), ("held", "#2ca02c"))
# held is drawn only where the view gives it a value, one line style per basis (the README's rule)
HELD_STYLES = {"holding": ("-", "held (from a reported holding)"),
               "cumulative": ("--", "held (captured − released)")}
HELD_EMPTY = {"no_tally": "no holding or cumulative tally", "below_zero": "tallies give below zero"}
CATEGORY_COLOURS = {"pow": "#1f77b4", "civilian": "#ff7f0e", "mixed": "#9467bd", "body": "#7f7f7f"}
MAX_MARKER = 1400.0  # points², the largest exchange's marker


@dataclass(frozen=True)
class PlotSize:
    """The PNG's size in pixels."""

    width: int = 1200
    height: int = 700

    def __post_init__(self) -> None:
        if not (200 <= self.width <= 10_000 and 200 <= self.height <= 10_000):
            raise InputError("size", "width and height must be 200 to 10000 pixels")

    @classmethod
    def parse(cls, spec: str) -> PlotSize:
        w, _, h = spec.lower().partition("x")
        if not (w.isdigit() and h.isdigit()):
            raise InputError("size", f"{spec!r} is not WIDTHxHEIGHT in pixels, e.g. 1200x700")
        return cls(int(w), int(h))


def _figure(size: PlotSize):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(size.width / DPI, size.height / DPI), dpi=DPI)
    FigureCanvasAgg(fig)
    return fig


def _save(fig: Any, out: str | Path, conn: Connection) -> None:
    """The PNG, whole or not at all, and never over the database read."""
    with replacing(out, binary=True, database=conn.engine.url) as fh:
        fig.savefig(fh, dpi=DPI, format="png")


def _date_axis(ax: Any) -> None:
    import matplotlib.dates as mdates

    locator = mdates.AutoDateLocator(minticks=4, maxticks=10)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))


def _num(value: Any) -> float:
    return math.nan if value is None else float(plain(value))


def _day(value: Any) -> dt.date:
    return dt.date.fromisoformat(str(plain(value))[:10])


def _scope(q: BalanceQuery) -> str:
    return "accepted claims only" if q.reviewed_only else "accepted and pending claims"


# --- balance ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Drawn:
    """What a balance plot shows: its panels, and the ones left out for having no figure."""

    panels: int
    left_out: tuple[str, ...] = ()


def plot_balance(
    conn: Connection, q: BalanceQuery, out: str | Path, size: PlotSize | None = None
) -> Drawn:
    """Captured, released and held over time, one panel per party and category, the low–high
    band shaded; says which panels it drew and which it left out."""
    fig, drawn = balance_figure(conn, q, size)
    _save(fig, out, conn)
    return drawn


def balance_figure(conn: Connection, q: BalanceQuery, size: PlotSize | None = None
                   ) -> tuple[Any, Drawn]:
    """The balance plot's figure and what it draws. The default height grows with the
    panels; the lines run a little past the last change so its step shows."""
    q = with_party_code(conn, q)
    columns, rows = balance(conn, BalanceQuery(**{**q.__dict__, "by": "day", "date_from": None}))
    series, left_out = _balance_series(columns, rows, q.date_from)
    if not series:
        raise NotFound("nothing to plot: no balance rows match (see `tracker report balance`)")
    first = min(r["date"] for rs in series.values() for r in rs)
    end = q.date_to or max(r["date"] for rs in series.values() for r in rs)
    edge = end + max(dt.timedelta(days=1), (end - first) * 0.03)
    fig = _figure(size or PlotSize(1200, max(700, 260 * len(series) + 120)))
    axes = fig.subplots(len(series), 1, sharex=True, squeeze=False)[:, 0]
    for ax, ((party, category), records) in zip(axes, series.items()):
        _balance_panel(ax, party, category, records, edge)
    axes[-1].set_xlim(right=edge)
    _figure_legend(fig, axes)
    _date_axis(axes[-1])
    fig.suptitle(
        f"Prisoners captured, released and held, by party — as of {end.isoformat()}",
        y=1 - 8 / fig.bbox.height,
        va="top",
    )
    fig.text(
        0.5,
        0.005,
        f"Lines: best estimate; shaded: low–high; ▲ open-ended high "
        f'("more than"). From v_balance, {_scope(q)}.'
        + (f" Not drawn (no figure but zero or unknown): {', '.join(left_out)}." if left_out
           else ""),
        ha="center",
        va="bottom",
        fontsize="small",
        color="#444444",
    )
    fig.tight_layout(rect=(0, 24 / fig.bbox.height, 1, 1 - 50 / fig.bbox.height))
    return fig, Drawn(len(series), left_out)


def _figure_legend(fig: Any, axes: Sequence[Any]) -> None:
    """One legend for every panel, under the title (a panel may lack a reported holding)."""
    handles: dict[str, Any] = {}
    for ax in axes:
        for handle, label in zip(*ax.get_legend_handles_labels()):
            handles.setdefault(label, handle)
    fig.legend(
        handles.values(),
        handles.keys(),
        loc="upper center",
        ncols=len(handles),
        bbox_to_anchor=(0.5, 1 - 32 / fig.bbox.height),
        fontsize="small",
        frameon=False,
    )


def _balance_series(
    columns: Sequence[str], rows: Sequence[Sequence[Any]], start: dt.date | None
) -> tuple[dict[tuple[str, str], list[dict[str, Any]]], tuple[str, ...]]:
    """Rows per (party, category); with ``start``, the balance carried in from before it is
    the first point, moved to ``start``."""
    series: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in rows:
        r = dict(zip(columns, row))
        r["date"] = _day(r["date"])
        records = series.setdefault((r["party"], r["category"]), [])
        if start and r["date"] <= start:
            records[:] = [{**r, "date": start}]
        else:
            records.append(r)
    order = {c: i for i, c in enumerate(CATEGORY_COLOURS)}
    shown = {key: rs for key, rs in series.items() if any(_has_figure(r) for r in rs)}
    by_order = sorted(series, key=lambda key: (key[0], order.get(key[1], 9)))
    left_out = tuple(f"{party} ({category})" for party, category in by_order
                     if (party, category) not in shown)
    return {key: shown[key] for key in by_order if key in shown}, left_out


def _has_figure(record: dict[str, Any]) -> bool:
    """A panel whose every value is zero or unknown (a party that only received bodies has
    released none) says nothing: it is left out."""
    return any(
        record.get(f"{m}_best") for m in ("captured", "released", "held", "reported_holding")
    )


def _balance_panel(
    ax: Any, party: str, category: str, records: list[dict[str, Any]], end: dt.date
) -> None:
    dates = [r["date"] for r in records] + [end]
    lowest = 0.0
    for measure, colour in MEASURES:
        for style, label, shown in _lines(measure, records):
            best = [_num(r[f"{measure}_best"]) if s else math.nan for r, s in zip(records, shown)]
            low = [_or(_num(r[f"{measure}_low"]), b) for r, b in zip(records, best)]
            high = [_num(r[f"{measure}_high"]) for r in records]
            upper = [_or(h, b) for h, b in zip(high, best)]
            ax.step(dates, [*best, best[-1]], style, where="post", color=colour, lw=2,
                    label=label)
            ax.plot(dates[:-1], best, "o", color=colour, ms=3)
            ax.fill_between(dates, [*low, low[-1]], [*upper, upper[-1]], step="post",
                            color=colour, alpha=0.18, lw=0)
            opened = [
                (d, b)
                for i, (d, b, h) in enumerate(zip(dates, best, high))
                if math.isnan(h) and not math.isnan(b) and (i == 0 or b != best[i - 1])
            ]
            if opened:
                ax.plot(*zip(*opened), "^", color=colour, ms=8, mec="white")
            lowest = min([lowest, *(v for v in low if not math.isnan(v))])
    _reported(ax, records)
    ax.set_title(f"{party} ({category})", loc="left", fontsize="medium", fontweight="bold")
    empty = held_gaps(records)
    if empty:
        ax.set_title(f"held not shown: {empty}", loc="right", fontsize="small", color="#444444")
    ax.set_ylabel("people")
    ax.set_ylim(bottom=lowest)  # nothing drawn out of view
    ax.grid(True, alpha=0.3)


def _lines(measure: str, records: list[dict[str, Any]]) -> list[tuple[str, str, list[bool]]]:
    """The lines of one measure: (line style, legend label, which records it shows)."""
    if measure != "held":
        return [("-", measure, [True] * len(records))]
    return [(style, label, [r.get("held_basis") == basis for r in records])
            for basis, (style, label) in HELD_STYLES.items()
            if any(r.get("held_basis") == basis for r in records)]


def held_gaps(records: list[dict[str, Any]]) -> str:
    """Why held is empty on some dates of a panel: "no holding or cumulative tally (3 dates)"."""
    counts = {basis: sum(r.get("held_basis") == basis for r in records) for basis in HELD_EMPTY}
    return "; ".join(f"{HELD_EMPTY[b]} ({n} date{'s' if n > 1 else ''})"
                     for b, n in counts.items() if n)


def _or(value: float, fallback: float) -> float:
    return fallback if math.isnan(value) else value


def _reported(ax: Any, records: list[dict[str, Any]]) -> None:
    """Reported holding figures, as diamonds with their range, beside the computed held."""
    seen = {
        (r["reported_holding_as_of"], r["reported_holding_best"]): r
        for r in records
        if r["reported_holding_best"] is not None
    }
    for r in seen.values():
        best = _num(r["reported_holding_best"])
        low, high = _num(r["reported_holding_low"]), _num(r["reported_holding_high"])
        err = [[best - _or(low, best)], [_or(high, best) - best]]
        ax.errorbar(
            [_day(r["reported_holding_as_of"])],
            [best],
            yerr=err,
            fmt="D",
            color="#2ca02c",
            mfc="white",
            capsize=4,
            label="reported holding",
        )


# --- exchanges ----------------------------------------------------------------------------------

_EXCHANGES = """
SELECT exchange_id, date, from_party, to_party, category,
       SUM(count_low) AS low, SUM(count_best) AS best,
       CASE WHEN COUNT(count_high) = COUNT(*) THEN SUM(count_high) END AS high
FROM v_transfers WHERE {where}
GROUP BY exchange_id, date, from_party, to_party, category
ORDER BY date, exchange_id, from_party, to_party, category"""


@dataclass(frozen=True)
class ExchangeQuery:
    party: str | None = None
    category: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    reviewed_only: bool = False

    def sql(self) -> tuple[str, dict[str, Any]]:
        where, params = ["1 = 1"], {}
        if self.party:
            where.append("(from_party = :party OR to_party = :party)")
            params["party"] = self.party
        if self.category:
            where.append("category = :category")
            params["category"] = self.category
        if self.date_from:
            where.append("date >= :date_from")
            params["date_from"] = self.date_from.isoformat()
        if self.date_to:
            where.append("date <= :date_to")
            params["date_to"] = self.date_to.isoformat()
        if self.reviewed_only:
            where.append("status = 'accepted'")
        return _EXCHANGES.format(where=" AND ".join(where)), params


def plot_exchanges(
    conn: Connection, q: ExchangeQuery, out: str | Path, size: PlotSize | None = None
) -> int:
    """A timeline: one row per direction, a marker per exchange sized by the people handed over,
    coloured by category; returns the number of exchanges drawn."""
    if q.party:
        q = replace(q, party=resolve_party(conn, q.party, "party")[1])
    sql, params = q.sql()
    rows = [dict(r._mapping) for r in conn.execute(text(sql), params)]
    if not rows:
        raise NotFound("nothing to plot: no exchanges match (see `tracker report exchanges`)")
    for r in rows:
        r["date"] = _day(r["date"])
    fig = _figure(size or PlotSize())
    ax = fig.subplots()
    directions = sorted({(r["from_party"], r["to_party"]) for r in rows})
    _exchange_markers(ax, rows, directions)
    ax.set_yticks(range(len(directions)), [f"{a} → {b}\n(returned to {b})" for a, b in directions])
    ax.set_ylim(-0.6, len(directions) - 0.4)
    ax.margins(x=0.06)
    ax.grid(True, axis="x", alpha=0.3)
    _date_axis(ax)
    first, last = rows[0]["date"], rows[-1]["date"]
    n = len({r["exchange_id"] for r in rows})
    ax.set_title(
        f"Prisoner exchanges {first} to {last}: {n} exchanges — as of "
        f"{(q.date_to or last).isoformat()}"
    )
    fig.text(
        0.5,
        0.005,
        f"Marker area: people handed over (best estimate; label shows "
        f"low–high). From v_transfers, {_scope(q)}.",
        ha="center",
        va="bottom",
        fontsize="small",
        color="#444444",
    )
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    _save(fig, out, conn)
    return n


def _exchange_markers(ax: Any, rows: list[dict[str, Any]], directions: list) -> None:
    biggest = max(float(plain(r["best"])) for r in rows) or 1.0
    categories = sorted({r["category"] for r in rows})
    offset = {c: (i - (len(categories) - 1) / 2) * 0.18 for i, c in enumerate(categories)}
    for category in categories:
        mine = [r for r in rows if r["category"] == category]
        ys = [directions.index((r["from_party"], r["to_party"])) + offset[category] for r in mine]
        areas = [max(MAX_MARKER * float(plain(r["best"])) / biggest, 25.0) for r in mine]
        ax.scatter(
            [r["date"] for r in mine],
            ys,
            s=areas,
            alpha=0.6,
            label=category,
            color=CATEGORY_COLOURS.get(category),
            edgecolors="black",
            linewidths=0.5,
        )
        for r, y, area in zip(mine, ys, areas):
            label = range_text(plain(r["low"]), plain(r["best"]), plain(r["high"]))
            ax.annotate(
                label,
                (r["date"], y),
                xytext=(0, math.sqrt(area) / 2 + 3),
                textcoords="offset points",
                ha="center",
                fontsize="small",
            )
    legend = ax.legend(title="category", loc="upper left", fontsize="small")
    for handle in legend.legend_handles:
        handle.set_sizes([60])
