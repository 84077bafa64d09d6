"""tracker from Python (tracker.api): the same results as the command line, on both engines."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import SEED_ARTICLE, Cli
from tracker import api
from tracker.errors import InputError


def test_import_report_and_export_from_python(engine: str, tmp_path: Path) -> None:
    db = api.open_db(engine)
    try:
        summary = api.import_paths(db, [SEED_ARTICLE])
        assert (summary.imported, summary.failed) == (1, 0)
        assert api.import_paths(db, [SEED_ARTICLE]).unchanged == 1
        cli = Cli(engine)
        shown = json.loads(cli.ok("report", "balance", "--party", "UKR", "--format", "json"))
        got = api.balance(db, party="Ukraine")  # a name, as everywhere else
        assert isinstance(got, pd.DataFrame)
        assert got.astype(object).where(got.notna(), None).to_dict("records") == shown
        transfers = api.table(db, "transfers")
        assert sorted(zip(transfers.from_party, transfers.count_best)) == [
            ("RUS", 150), ("UKR", 150)]
        assert len(api.report(db, "sources")) == 1
        pending = api.claims(db, status="pending")
        with pytest.raises(InputError) as caught:
            api.decide(db, "accepted")  # neither ids nor a filter: never "every claim"
        assert caught.value.field == "ids"
        decision = api.decide(db, "accepted", kind="transfer", by="olena")
        assert decision.changed == 2
        assert len(api.claims(db, status="accepted")) == 2 < len(pending)
        out = tmp_path / "t.csv"
        assert api.export(db, "transfers", out) == 2
        assert out.read_text() == cli.ok("export", "transfers", "--format", "csv")
    finally:
        db.dispose()
