"""Users, roles and login sessions of the web workbench.

Passwords are hashed with argon2id (``argon2-cffi``, its default parameters); a session is a
random token handed to the browser in a cookie, of which only the SHA-256 is stored, so a
copy of the database opens no session. Roles nest: a ``viewer`` reads, a ``coder`` also
reviews claims, an ``admin`` also manages users and codebooks.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from stancemap.errors import StoreError
from stancemap.store.db import Store
from stancemap.store.schema import sessions, users

ROLES = ("viewer", "coder", "admin")
SESSION_DAYS = 7
_hasher = PasswordHasher()
# verified against when the name is unknown, so that a wrong name costs as long as a wrong password
_DUMMY_HASH = _hasher.hash("not a password")


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: str

    def can(self, role: str) -> bool:
        """Whether this user holds ``role`` or a higher one."""
        return ROLES.index(self.role) >= ROLES.index(role)


def _check(name: str, role: str, password: str) -> None:
    if role not in ROLES:
        raise StoreError(f"unknown role {role!r}; use one of {', '.join(ROLES)}")
    if not name.strip() or len(name) > 100 or any(c.isspace() for c in name):
        raise StoreError(f"user name {name!r}: 1 to 100 characters, no spaces")
    if len(password) < 8:
        raise StoreError(f"user {name}: the password must have at least 8 characters")


def add_user(store: Store, name: str, role: str, password: str) -> User:
    """Create a user; an error if the name is taken or the role unknown."""
    _check(name, role, password)
    try:
        with store.engine.begin() as conn:
            uid = conn.execute(insert(users).values(name=name, role=role, password_hash=_hasher.hash(password))
                               .returning(users.c.id)).scalar_one()
    except IntegrityError:
        raise StoreError(f"user {name!r} exists already") from None
    return User(uid, name, role)


def set_role(store: Store, name: str, role: str) -> bool:
    if role not in ROLES:
        raise StoreError(f"unknown role {role!r}; use one of {', '.join(ROLES)}")
    with store.engine.begin() as conn:
        return conn.execute(update(users).where(users.c.name == name).values(role=role)).rowcount == 1


def remove_user(store: Store, name: str) -> bool:
    """Delete a user and their sessions. Their past decisions keep their name."""
    with store.engine.begin() as conn:
        uid = conn.execute(select(users.c.id).where(users.c.name == name)).scalar_one_or_none()
        if uid is None:
            return False
        conn.execute(delete(sessions).where(sessions.c.user_id == uid))
        conn.execute(delete(users).where(users.c.id == uid))
    return True


def list_users(store: Store) -> list[User]:
    with store.engine.connect() as conn:
        rows = conn.execute(select(users.c.id, users.c.name, users.c.role).order_by(users.c.name)).all()
    return [User(*r) for r in rows]


def count_users(store: Store) -> int:
    with store.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(users)).scalar_one()


def authenticate(store: Store, name: str, password: str) -> User | None:
    """The user, if the password is theirs; ``None`` otherwise (unknown name or wrong password)."""
    with store.engine.connect() as conn:
        row = conn.execute(select(users.c.id, users.c.name, users.c.role, users.c.password_hash)
                           .where(users.c.name == name)).first()
    try:
        _hasher.verify(row.password_hash if row else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    return User(row.id, row.name, row.role) if row else None


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def open_session(store: Store, user: User, *, now: dt.datetime | None = None) -> str:
    """A new session for ``user``: returns the token for the cookie."""
    now = now or dt.datetime.now(dt.timezone.utc)
    token = secrets.token_urlsafe(32)
    with store.engine.begin() as conn:
        conn.execute(delete(sessions).where(sessions.c.expires_at < now))
        conn.execute(insert(sessions).values(token_hash=_token_hash(token), user_id=user.id, created_at=now,
                                             expires_at=now + dt.timedelta(days=SESSION_DAYS)))
    return token


def session_user(store: Store, token: str | None, *, now: dt.datetime | None = None) -> User | None:
    """The user of a live session, or ``None``."""
    if not token:
        return None
    now = now or dt.datetime.now(dt.timezone.utc)
    q = (select(users.c.id, users.c.name, users.c.role, sessions.c.expires_at)
         .join(sessions, sessions.c.user_id == users.c.id).where(sessions.c.token_hash == _token_hash(token)))
    with store.engine.connect() as conn:
        row = conn.execute(q).first()
    if row is None:
        return None
    expires = row.expires_at if row.expires_at.tzinfo else row.expires_at.replace(tzinfo=dt.timezone.utc)
    return User(row.id, row.name, row.role) if expires > now else None


def close_session(store: Store, token: str | None) -> None:
    if token:
        with store.engine.begin() as conn:
            conn.execute(delete(sessions).where(sessions.c.token_hash == _token_hash(token)))
