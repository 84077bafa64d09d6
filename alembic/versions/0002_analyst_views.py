"""analyst views: v_claims, v_transfers, v_exchanges, v_captures, v_balance, v_balance_reviewed

The views are the analyst's interface: every report and export reads them, and they work the
same in sqlite3 and psql. Rejected claims never count. A transfer's or tally's figure comes from
its accepted claims if it has any, else from its pending ones (kept up to date by tracker.store).
``v_balance`` counts accepted and pending figures; ``v_balance_reviewed`` accepted ones only.

Balance rule (per party P, category C, at each date D where anything about P changes):
- captured: cumulative tallies are never added to each other: the base is the largest cumulative
  tally of captives taken by P up to D (a cumulative count never decreases, so the largest is the
  most complete); increments (captures over a period) reported after the base's as-of date are
  added to it; with no cumulative tally, captured is the sum of increments. No tally at all:
  captured is NULL (unknown), not 0.
- released: sum of transfers from P; returned: sum of transfers to P, up to D.
- held = captured - released (the exchange fund), beside the latest reported holding figure.
Low/best/high are carried through as intervals: a NULL high is open ("more than"), and any open
term makes the total's high open; held_low = captured_low - released_high, held_high =
captured_high - released_low.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

VIEWS = ("v_balance_reviewed", "v_balance", "v_captures", "v_exchanges", "v_transfers", "v_claims")


def _agg(dialect: str, expr: str) -> str:
    """Space-separated list of ``expr`` (group_concat on SQLite, string_agg on PostgreSQL)."""
    if dialect == "postgresql":
        return f"string_agg({expr}, ' ')"
    return f"group_concat({expr}, ' ')"


def _claims() -> str:
    return """
CREATE VIEW v_claims AS
SELECT c.id AS claim_id, c.source_id, s.url AS source_url, s.outlet, s.published,
       c.kind, pa.code AS party_a, pb.code AS party_b,
       CASE WHEN c.kind = 'transfer' THEN pa.code END AS from_party,
       CASE WHEN c.kind = 'transfer' THEN pb.code END AS to_party,
       CASE WHEN c.kind <> 'transfer' THEN pa.code END AS captor,
       CASE WHEN c.kind <> 'transfer' THEN pb.code END AS captive,
       c.category, c.count_low, c.count_best, c.count_high, c.qualifier,
       c.date, c.date_precision, c.date_inferred, c.period_start, c.period_start_precision,
       c.region, c.mediators, c.claimant, c.span_start, c.span_end, c.quote, c.method,
       c.status, c.edited, c.note, t.exchange_id, c.transfer_id, c.capture_id,
       c.created_at, c.updated_at
FROM claims c
JOIN sources s ON s.id = c.source_id
JOIN parties pa ON pa.id = c.party_a_id
JOIN parties pb ON pb.id = c.party_b_id
LEFT JOIN transfers t ON t.id = c.transfer_id
"""


def _transfers(dialect: str) -> str:
    return f"""
CREATE VIEW v_transfers AS
SELECT t.id AS transfer_id, t.exchange_id, e.date, e.date_precision, e.date_inferred,
       pf.code AS from_party, pt.code AS to_party, t.category,
       t.count_low, t.count_best, t.count_high, t.qualifier, t.status,
       (SELECT {_agg(dialect, "x.code")} FROM (
            SELECT p.code FROM exchange_mediators m JOIN parties p ON p.id = m.party_id
            WHERE m.exchange_id = e.id ORDER BY p.code) x) AS mediator,
       (SELECT COUNT(DISTINCT c.source_id) FROM claims c
        WHERE c.transfer_id = t.id AND c.status <> 'rejected') AS source_count,
       (SELECT {_agg(dialect, "x.url")} FROM (
            SELECT DISTINCT s.url FROM claims c JOIN sources s ON s.id = c.source_id
            WHERE c.transfer_id = t.id AND c.status <> 'rejected' AND s.url IS NOT NULL
            ORDER BY s.url) x) AS source_urls
FROM transfers t
JOIN exchanges e ON e.id = t.exchange_id
JOIN parties pf ON pf.id = t.from_party_id
JOIN parties pt ON pt.id = t.to_party_id
WHERE t.status <> 'rejected'
"""


def _exchanges(dialect: str) -> str:
    return f"""
CREATE VIEW v_exchanges AS
SELECT e.id AS exchange_id, e.date, e.date_precision, e.date_inferred,
       (SELECT {_agg(dialect, "x.code")} FROM (
            SELECT p.code FROM exchange_mediators m JOIN parties p ON p.id = m.party_id
            WHERE m.exchange_id = e.id ORDER BY p.code) x) AS mediator,
       (SELECT {_agg(dialect, "x.part")} FROM (
            SELECT pf.code || '->' || pt.code || ':' || CAST(t.count_best AS VARCHAR(20))
                   || ':' || t.category AS part
            FROM transfers t JOIN parties pf ON pf.id = t.from_party_id
            JOIN parties pt ON pt.id = t.to_party_id
            WHERE t.exchange_id = e.id AND t.status <> 'rejected'
            ORDER BY pf.code, pt.code, t.category) x) AS transfers,
       (SELECT SUM(t.count_best) FROM transfers t
        WHERE t.exchange_id = e.id AND t.status <> 'rejected') AS people_best,
       (SELECT COUNT(DISTINCT c.source_id) FROM claims c JOIN transfers t ON t.id = c.transfer_id
        WHERE t.exchange_id = e.id AND c.status <> 'rejected') AS source_count,
       CASE WHEN EXISTS (SELECT 1 FROM transfers t WHERE t.exchange_id = e.id
                         AND t.status = 'pending') THEN 'pending' ELSE 'accepted' END AS status
FROM exchanges e
WHERE EXISTS (SELECT 1 FROM transfers t WHERE t.exchange_id = e.id AND t.status <> 'rejected')
"""


def _captures() -> str:
    return """
CREATE VIEW v_captures AS
SELECT ct.id AS capture_id, pc.code AS captor, pv.code AS captive, ct.category, ct.kind,
       ct.count_low, ct.count_best, ct.count_high, ct.qualifier,
       ct.period_start, ct.period_start_precision, ct.as_of, ct.as_of_precision, ct.region,
       ct.status, fc.claimant, s.url AS source_url, fc.quote,
       (SELECT COUNT(DISTINCT c.source_id) FROM claims c
        WHERE c.capture_id = ct.id AND c.status <> 'rejected') AS source_count
FROM capture_tallies ct
JOIN parties pc ON pc.id = ct.captor_id
JOIN parties pv ON pv.id = ct.captive_id
LEFT JOIN claims fc ON fc.id = (SELECT MIN(c.id) FROM claims c
                                WHERE c.capture_id = ct.id AND c.status <> 'rejected')
LEFT JOIN sources s ON s.id = fc.source_id
WHERE ct.status <> 'rejected'
"""


def _sums(prefix: str = "") -> str:
    return (f"SUM({prefix}count_low) AS low, SUM({prefix}count_best) AS best, "
            f"SUM({prefix}count_high) AS high, COUNT(*) - COUNT({prefix}count_high) AS open")


def _balance(name: str, status: str) -> str:
    """The running balance; ``status`` is the SQL predicate on transfers' and tallies' status."""
    key = "x.date = tl.date AND x.party_id = tl.party_id AND x.category = tl.category"
    on = {alias: key.replace("x.", f"{alias}.") for alias in ("rl", "rt", "cu", "inc", "hd")}
    win = "PARTITION BY tl.party_id, tl.category ORDER BY tl.date ROWS UNBOUNDED PRECEDING"
    return f"""
CREATE VIEW {name} AS
WITH live_transfers AS (
    SELECT e.date, t.from_party_id, t.to_party_id, t.category,
           t.count_low, t.count_best, t.count_high
    FROM transfers t JOIN exchanges e ON e.id = t.exchange_id
    WHERE t.status {status}
),
released AS (
    SELECT date, from_party_id AS party_id, category, {_sums()}
    FROM live_transfers GROUP BY date, from_party_id, category
),
returned AS (
    SELECT date, to_party_id AS party_id, category, {_sums()}
    FROM live_transfers GROUP BY date, to_party_id, category
),
tallies AS (
    SELECT as_of AS date, captor_id AS party_id, category, kind,
           count_low, count_best, count_high
    FROM capture_tallies WHERE status {status}
),
cumulative AS (
    SELECT date, party_id, category, MAX(count_best) AS best
    FROM tallies WHERE kind = 'cumulative' GROUP BY date, party_id, category
),
increments AS (
    SELECT date, party_id, category, {_sums()}
    FROM tallies WHERE kind = 'increment' GROUP BY date, party_id, category
),
holdings AS (
    SELECT date, party_id, category, MIN(count_low) AS low, MAX(count_best) AS best,
           MAX(count_high) AS high, COUNT(*) - COUNT(count_high) AS open
    FROM tallies WHERE kind = 'holding' GROUP BY date, party_id, category
),
timeline AS (
    SELECT date, party_id, category FROM released
    UNION SELECT date, party_id, category FROM returned
    UNION SELECT date, party_id, category FROM tallies
),
running AS (
    SELECT tl.date, tl.party_id, tl.category,
           SUM(COALESCE(rl.low, 0)) OVER w AS released_low,
           SUM(COALESCE(rl.best, 0)) OVER w AS released_best,
           SUM(COALESCE(rl.high, 0)) OVER w AS released_high,
           SUM(COALESCE(rl.open, 0)) OVER w AS released_open,
           SUM(COALESCE(rt.low, 0)) OVER w AS returned_low,
           SUM(COALESCE(rt.best, 0)) OVER w AS returned_best,
           SUM(COALESCE(rt.high, 0)) OVER w AS returned_high,
           SUM(COALESCE(rt.open, 0)) OVER w AS returned_open,
           MAX(cu.best) OVER w AS cum_best,
           SUM(COALESCE(inc.low, 0)) OVER w AS inc_low,
           SUM(COALESCE(inc.best, 0)) OVER w AS inc_best,
           SUM(COALESCE(inc.high, 0)) OVER w AS inc_high,
           SUM(COALESCE(inc.open, 0)) OVER w AS inc_open,
           COUNT(inc.best) OVER w AS inc_count,
           MAX(CASE WHEN hd.best IS NOT NULL THEN tl.date END) OVER w AS holding_as_of
    FROM timeline tl
    LEFT JOIN released rl ON {on["rl"]}
    LEFT JOIN returned rt ON {on["rt"]}
    LEFT JOIN cumulative cu ON {on["cu"]}
    LEFT JOIN increments inc ON {on["inc"]}
    LEFT JOIN holdings hd ON {on["hd"]}
    WINDOW w AS ({win})
),
based AS (
    SELECT r.*, MIN(CASE WHEN r.cum_best IS NOT NULL THEN r.date END)
               OVER (PARTITION BY r.party_id, r.category, r.cum_best) AS base_as_of
    FROM running r
),
base_tally AS (
    SELECT date, party_id, category, count_best AS best, MIN(count_low) AS low,
           MAX(count_high) AS high, COUNT(*) - COUNT(count_high) AS open
    FROM tallies WHERE kind = 'cumulative' GROUP BY date, party_id, category, count_best
),
captured AS (
    SELECT b.*,
           CASE WHEN b.cum_best IS NULL AND b.inc_count = 0 THEN 0 ELSE 1 END AS known,
           COALESCE(bt.low, 0) + b.inc_low - COALESCE(r0.inc_low, 0) AS cap_low,
           COALESCE(bt.best, 0) + b.inc_best - COALESCE(r0.inc_best, 0) AS cap_best,
           COALESCE(bt.high, 0) + b.inc_high - COALESCE(r0.inc_high, 0) AS cap_high,
           COALESCE(bt.open, 0) + b.inc_open - COALESCE(r0.inc_open, 0) AS cap_open
    FROM based b
    LEFT JOIN base_tally bt ON bt.party_id = b.party_id AND bt.category = b.category
         AND bt.date = b.base_as_of AND bt.best = b.cum_best
    LEFT JOIN running r0 ON r0.party_id = b.party_id AND r0.category = b.category
         AND r0.date = b.base_as_of
),
final AS (
    SELECT c.party_id, c.category, c.date,
           CASE WHEN c.known = 1 THEN c.cap_low END AS captured_low,
           CASE WHEN c.known = 1 THEN c.cap_best END AS captured_best,
           CASE WHEN c.known = 1 AND c.cap_open = 0 THEN c.cap_high END AS captured_high,
           c.released_low, c.released_best,
           CASE WHEN c.released_open = 0 THEN c.released_high END AS released_high,
           c.returned_low, c.returned_best,
           CASE WHEN c.returned_open = 0 THEN c.returned_high END AS returned_high,
           hd.low AS reported_holding_low, hd.best AS reported_holding_best,
           CASE WHEN hd.open = 0 THEN hd.high END AS reported_holding_high,
           c.holding_as_of AS reported_holding_as_of
    FROM captured c
    LEFT JOIN holdings hd ON hd.party_id = c.party_id AND hd.category = c.category
         AND hd.date = c.holding_as_of
)
SELECT p.code AS party, f.category, f.date,
       f.captured_low, f.captured_best, f.captured_high,
       f.released_low, f.released_best, f.released_high,
       f.returned_low, f.returned_best, f.returned_high,
       f.captured_low - f.released_high AS held_low,
       f.captured_best - f.released_best AS held_best,
       f.captured_high - f.released_low AS held_high,
       f.reported_holding_low, f.reported_holding_best, f.reported_holding_high,
       f.reported_holding_as_of,
       (f.captured_best - f.released_best) - f.reported_holding_best AS held_minus_reported
FROM final f JOIN parties p ON p.id = f.party_id
"""


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.execute(_claims())
    op.execute(_transfers(dialect))
    op.execute(_exchanges(dialect))
    op.execute(_captures())
    op.execute(_balance("v_balance", "<> 'rejected'"))
    op.execute(_balance("v_balance_reviewed", "= 'accepted'"))


def downgrade() -> None:
    for view in VIEWS:
        op.execute(f"DROP VIEW IF EXISTS {view}")
