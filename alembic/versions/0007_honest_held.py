"""honest held: the exchange fund anchored on what sources report, never silently negative

Sources state few capture tallies and many exchanges, so captured − released (the rule of
revision 0002) went below zero in nearly every row. ``held`` is now computed on one of these
bases, named in ``held_basis``:

- ``holding``: the latest reported holding on or before the row's date, carried forward: plus
  the capture increments reported after its date, minus what the party released after it. A
  cumulative tally reported after the holding does not move it: two counts of different scope
  and source do not subtract (the rule that never adds cumulative tallies to each other);
- ``cumulative``: no holding reported yet, but a cumulative capture tally covers the period from
  the start: captured − released;
- ``no_tally``: neither: held is empty (unknown), not captured − released;
- ``below_zero``: the basis gives less than zero (the tallies undercount captures, or a release
  was counted twice): held is empty and the anchor is still shown.

``held_anchor_as_of`` is the holding's or the cumulative tally's date and ``held_anchor_days``
its age in days on the row's date. ``held_minus_reported`` (captured − released − the reported
holding) compares two figures of similar date only: it is given when captured rests on a
cumulative tally dated within 31 days of the holding and the holding is at most 31 days older
than the row. Low and high are carried as before; a held low below zero is 0 (a fund cannot be
negative), an open term makes the high open.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

COUNTED = "IN ('pending', 'accepted')"
VIEWS = ("v_balance_reviewed", "v_balance")
SIMILAR_DATE_DAYS = 31


def _revision(name: str):
    path = Path(__file__).with_name(name)
    spec = importlib.util.spec_from_file_location(f"tracker_rev_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def _cut(sql: str, old: str, new: str) -> str:
    assert sql.count(old) == 1, old
    return sql.replace(old, new)


def _days(later: str, earlier: str, dialect: str) -> str:
    if dialect == "postgresql":
        return f"({later} - {earlier})"
    return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"


def _floor(expr: str) -> str:
    return f"CASE WHEN ({expr}) < 0 THEN 0 ELSE ({expr}) END"


def _balance(name: str, status: str, dialect: str) -> str:
    """Revision 0004's running sums, with ``held`` computed on its basis (module docstring)."""
    sql = _revision("0004_transfer_days.py")._balance(name, status)
    # the running CTEs keep what the anchor needs: the holding group, increments, open counts
    sql = _cut(sql, "c.reported_holding_as_of, c.transfer_count\n    FROM captured c",
               "c.reported_holding_as_of, c.transfer_count, c.holding_group, c.has_base,\n"
               "           c.base_as_of, c.inc_low, c.inc_best, c.inc_high, c.inc_open\n"
               "    FROM captured c")
    head, _ = sql.split("\nshown AS (")
    a = "a."
    since = {  # what was reported between the anchor's row and this row
        f"dcap_{b}": f"a.inc_{b} - a.a_inc_{b}" for b in ("low", "best", "high", "open")
    } | {f"drel_{b}": f"a.released_{b} - a.a_rel_{b}" for b in ("low", "best", "high", "open")}
    carried = ",\n           ".join(f"{expr} AS {col}" for col, expr in since.items())
    firsts = ",\n           ".join(
        f"FIRST_VALUE({a}{col}) OVER an AS a_{alias}"
        for col, alias in [(f"inc_{b}", f"inc_{b}") for b in ("low", "best", "high", "open")]
        + [(f"released_{b}", f"rel_{b}") for b in ("low", "best", "high", "open")]
    )
    holding = {
        "low": _floor("k.reported_holding_low + k.dcap_low - k.drel_high"),
        "best": "k.reported_holding_best + k.dcap_best - k.drel_best",
        "high": "k.reported_holding_high + k.dcap_high - k.drel_low",
    }
    cumulative = {
        "low": _floor("k.cap_low - k.released_high"),
        "best": "k.cap_best - k.released_best",
        "high": "k.cap_high - k.released_low",
    }
    held_open = {"holding": "k.reported_holding_open + k.dcap_open", "cumulative": "k.cap_open"}
    low_open = {"holding": "k.drel_open", "cumulative": "k.released_open"}
    on_basis = []
    for b in ("low", "best", "high"):
        parts = []
        for basis, exprs in (("holding", holding), ("cumulative", cumulative)):
            guard = f"k.basis = '{basis}'"
            if b == "high":
                guard += f" AND {held_open[basis]} = 0"
            if b == "low":
                parts.append(f"WHEN {guard} AND {low_open[basis]} > 0 THEN 0")
            parts.append(f"WHEN {guard} THEN {exprs[b]}")
        on_basis.append(f"CASE {' '.join(parts)} END AS raw_{b}")
    raw = ",\n           ".join(on_basis)
    anchor_days = _days("h.date", "h.held_anchor_as_of", dialect)
    holding_days = _days("h.date", "h.reported_holding_as_of", dialect)
    base_gap = _days("h.reported_holding_as_of", "h.base_as_of", dialect)
    return head + f"""
anchored AS (
    SELECT a.*,
           {firsts}
    FROM final a
    WINDOW an AS (PARTITION BY a.party_id, a.category, a.holding_group ORDER BY a.date
                  ROWS UNBOUNDED PRECEDING)
),
moved AS (
    SELECT a.*,
           {carried},
           CASE WHEN a.holding_group > 0 THEN 'holding'
                WHEN a.has_base = 1 THEN 'cumulative' ELSE 'no_tally' END AS basis
    FROM anchored a
),
valued AS (
    SELECT k.*,
           {raw},
           CASE k.basis WHEN 'holding' THEN k.reported_holding_as_of
                        WHEN 'cumulative' THEN k.base_as_of END AS held_anchor_as_of
    FROM moved k
),
held AS (
    SELECT v.*,
           CASE WHEN v.raw_best < 0 THEN 'below_zero' ELSE v.basis END AS held_basis,
           CASE WHEN v.raw_best >= 0 THEN v.raw_low END AS held_low,
           CASE WHEN v.raw_best >= 0 THEN v.raw_best END AS held_best,
           CASE WHEN v.raw_best >= 0 THEN v.raw_high END AS held_high
    FROM valued v
)
SELECT p.code AS party, h.category, h.date,
       CASE WHEN h.known = 1 THEN h.cap_low END AS captured_low,
       CASE WHEN h.known = 1 THEN h.cap_best END AS captured_best,
       CASE WHEN h.known = 1 AND h.cap_open = 0 THEN h.cap_high END AS captured_high,
       h.released_low, h.released_best,
       CASE WHEN h.released_open = 0 THEN h.released_high END AS released_high,
       h.returned_low, h.returned_best,
       CASE WHEN h.returned_open = 0 THEN h.returned_high END AS returned_high,
       h.held_low, h.held_best, h.held_high,
       h.held_basis, h.held_anchor_as_of, {anchor_days} AS held_anchor_days,
       h.reported_holding_low, h.reported_holding_best,
       CASE WHEN h.reported_holding_open = 0 THEN h.reported_holding_high
       END AS reported_holding_high,
       h.reported_holding_as_of,
       CASE WHEN h.has_base = 1 AND h.reported_holding_best IS NOT NULL
                 AND {holding_days} <= {SIMILAR_DATE_DAYS}
                 AND ABS({base_gap}) <= {SIMILAR_DATE_DAYS}
            THEN (h.cap_best - h.released_best) - h.reported_holding_best
       END AS held_minus_reported,
       h.transfer_count
FROM held h JOIN parties p ON p.id = h.party_id
"""


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    for view in VIEWS:
        op.execute(f"DROP VIEW IF EXISTS {view}")
    op.execute(_balance("v_balance", COUNTED, dialect))
    op.execute(_balance("v_balance_reviewed", "= 'accepted'", dialect))


def downgrade() -> None:
    r4 = _revision("0004_transfer_days.py")
    for view in VIEWS:
        op.execute(f"DROP VIEW IF EXISTS {view}")
    op.execute(r4._balance("v_balance", COUNTED))
    op.execute(r4._balance("v_balance_reviewed", "= 'accepted'"))
