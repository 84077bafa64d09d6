"""Parties and their aliases: seeding from ``seeds/parties.csv``, lookups, the lexicon."""

from __future__ import annotations

import csv
from pathlib import Path

from sqlalchemy import Connection, func, select
from sqlalchemy.orm import Session, selectinload

from tracker.config import SEEDS_DIR
from tracker.errors import InputError, NotFound
from tracker.extract.types import Lexicon
from tracker.extract.types import Party as LexParty
from tracker.models import ROLES, Party, PartyAlias

SEED_FILE = SEEDS_DIR / "parties.csv"


def read_seed_file(path: Path = SEED_FILE) -> list[dict[str, str]]:
    """Rows of a parties file: code, name, role, aliases (``|``-separated)."""
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for number, row in enumerate(rows, start=2):
        if not row.get("code") or not row.get("name"):
            raise InputError(f"{path}:{number}", "a party needs a code and a name")
    return rows


def load_seed_parties(session: Session, path: Path = SEED_FILE) -> int:
    """Add the parties and aliases of a seed file that the database does not have yet."""
    added = 0
    for row in read_seed_file(path):
        party = session.scalar(select(Party).where(Party.code == row["code"]))
        if party is None:
            party = add_party(session, row["code"], row["name"], row.get("role") or "belligerent")
            added += 1
        for alias in filter(None, (a.strip() for a in (row.get("aliases") or "").split("|"))):
            if session.scalar(select(PartyAlias.id).where(PartyAlias.alias == alias)) is None:
                session.add(PartyAlias(party=party, alias=alias))
    session.flush()
    return added


def add_party(session: Session, code: str, name: str, role: str = "belligerent") -> Party:
    """A new party: a state, by its ISO 3166-1 alpha-3 code."""
    code = code.strip().upper()
    if not (len(code) == 3 and code.isascii() and code.isalpha()):
        raise InputError("code", f"{code!r} is not an ISO 3166-1 alpha-3 code (three letters, "
                                 f"e.g. GEO)")
    if role not in ROLES:
        raise InputError("role", f"{role!r} is not one of {', '.join(ROLES)}")
    if session.scalar(select(Party.id).where(Party.code == code)) is not None:
        raise InputError("code", f"party {code} already exists")
    party = Party(code=code, name=name.strip(), role=role)
    session.add(party)
    session.flush()
    return party


def _alias_row(session: Session, alias: str) -> PartyAlias | None:
    return session.scalar(select(PartyAlias).where(func.lower(PartyAlias.alias) == alias.lower()))


def add_alias(session: Session, party_ref: str, alias: str) -> PartyAlias:
    """A word that names the party in text (matched in any case)."""
    party = find_party(session, party_ref)
    alias = alias.strip()
    if not alias:
        raise InputError("alias", "must not be empty")
    taken = _alias_row(session, alias)
    if taken is not None:
        raise InputError("alias", f"{alias!r} already names {taken.party.code}"
                                  f"{' (this party)' if taken.party_id == party.id else ''}")
    row = PartyAlias(party=party, alias=alias)
    session.add(row)
    session.flush()
    return row


def remove_alias(session: Session, party_ref: str, alias: str) -> str:
    """Take a word out of the party's names (extraction reads the change from the next import
    or `tracker reextract` on)."""
    party = find_party(session, party_ref)
    row = _alias_row(session, alias.strip())
    if row is None or row.party_id != party.id:
        raise InputError("alias", f"{alias.strip()!r} is not an alias of {party.code}")
    session.delete(row)
    session.flush()
    return party.code


def rename_party(session: Session, party_ref: str, name: str) -> Party:
    """A party's display name; its code (which claims cite) stays."""
    party = find_party(session, party_ref)
    if not name.strip():
        raise InputError("name", "must not be empty")
    party.name = name.strip()
    session.flush()
    return party


def resolve_party(db: Session | Connection, ref: str, field: str = "party") -> tuple[int, str]:
    """The id and code of the party ``ref`` names: its code, name or an alias, in any case.
    The one resolver every command uses, on a session or a plain connection."""
    key = ref.strip().lower()
    found = db.execute(
        select(Party.id, Party.code).where(
            (func.lower(Party.code) == key) | (func.lower(Party.name) == key))
    ).first() or db.execute(
        select(Party.id, Party.code).join(PartyAlias).where(func.lower(PartyAlias.alias) == key)
    ).first()
    if found is None:
        raise InputError(field, f"unknown party {ref.strip()!r} (see `tracker parties list`)")
    return found[0], found[1]


def find_party(session: Session, ref: str, field: str = "party") -> Party:
    """A party by code, name or alias (case-insensitive)."""
    party = session.get(Party, resolve_party(session, ref, field)[0])
    assert party is not None
    return party


def party_ids(session: Session) -> dict[str, int]:
    return {code: id_ for code, id_ in session.execute(select(Party.code, Party.id))}


def list_parties(session: Session) -> list[Party]:
    return list(
        session.scalars(select(Party).options(selectinload(Party.aliases)).order_by(Party.code))
    )


def lexicon(session: Session) -> Lexicon:
    """The parties as extraction reads them."""
    parties = list_parties(session)
    if not parties:
        raise NotFound("no parties in the database: run `tracker db seed`")
    return Lexicon(
        tuple(
            LexParty(p.code, p.name, p.role, tuple(a.alias for a in p.aliases))  # type: ignore[arg-type]
            for p in parties
        )
    )
