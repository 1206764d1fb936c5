"""Sealed answers: anonymous answers held encrypted until they can be
released in shuffled batches (docs/adr/004-survey-anonymity.md).

The one mechanism behind anonymous survey responses and anonymous 360
answers. Core knows no domain: a capability seals a JSON payload under a
*channel* (its own name for a group of answers, e.g. "surveys.wave:12") and
later releases the channel through a handler that writes the plaintext rows
it owns.

Why. A submission has to record who answered (one response each, reminders)
in the same transaction as the answer itself, or a crash could lose or
duplicate one. Anything written in that transaction shares its transaction
id (PostgreSQL `xmin`), its place in the table (SQLite `rowid`, PostgreSQL
`ctid`) and its moment with the record of who answered. So the answer is
written there only as a sealed box (libsodium's `crypto_box_seal`: an
ephemeral key pair per box, X25519 + XSalsa20-Poly1305) to the release key,
which lives in the environment of the processes that release, never in the
database. Someone who reads the whole database sees who answered and some
opaque bytes.

Release (`release`) decrypts a random selection of a channel's boxes, shuffles
them, hands them to the capability's handler, which writes them with random
ids in that shuffled order, and deletes the boxes, all in one transaction of
its own. A batch is never smaller than `minimum`, and while more answers can
still come it leaves exactly `minimum` boxes pending, so the last batch is at
least `minimum` too: every released row is one of at least `minimum` rows
written together, in random order, at a moment unrelated to any one
person's submission.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from collections.abc import Callable
from functools import cache

from django.conf import settings
from django.db import connections, router, transaction
from nacl.public import PrivateKey, PublicKey, SealedBox

from .models import SealedAnswer, random_id

__all__ = ["random_id", "seal", "release", "pending", "shuffled", "vacuum"]

_random = secrets.SystemRandom()


def shuffled(items: list) -> list:
    """A copy of `items` in an order from the operating system's random source."""
    out = list(items)
    _random.shuffle(out)
    return out


# --- Keys -----------------------------------------------------------------------


def _derived_private_key() -> PrivateKey:
    """The default release key: derived from SECRET_KEY, which is in the
    environment and never in the database. Deployments that want the web
    processes to hold only the public key set RELEASE_PUBLIC_KEY there and
    RELEASE_PRIVATE_KEY only on the release worker (docs/deploy.md)."""
    seed = hashlib.sha256(b"bewigan-release-key:" + settings.SECRET_KEY.encode()).digest()
    return PrivateKey(seed)


@cache
def private_key() -> PrivateKey | None:
    configured = getattr(settings, "BEWIGAN_RELEASE_PRIVATE_KEY", None)
    if configured:
        return PrivateKey(base64.b64decode(configured))
    if getattr(settings, "BEWIGAN_RELEASE_PUBLIC_KEY", None):
        return None  # this process only seals
    return _derived_private_key()


@cache
def public_key() -> PublicKey:
    configured = getattr(settings, "BEWIGAN_RELEASE_PUBLIC_KEY", None)
    if configured:
        return PublicKey(base64.b64decode(configured))
    return _derived_private_key().public_key


def can_release() -> bool:
    return private_key() is not None


def keys_clear() -> None:
    """Forget the cached keys (tests that change the settings)."""
    private_key.cache_clear()
    public_key.cache_clear()


def generate_key_pair() -> tuple[str, str]:
    """(private, public), base64, for RELEASE_PRIVATE_KEY / RELEASE_PUBLIC_KEY."""
    key = PrivateKey.generate()
    return (
        base64.b64encode(bytes(key)).decode(),
        base64.b64encode(bytes(key.public_key)).decode(),
    )


# --- Sealing and release -------------------------------------------------------------


def seal(channel: str, payload: dict) -> None:
    """Store `payload` sealed under `channel`. Call inside the transaction
    that records the submission. The row carries nothing but the channel,
    a random id and the box (no time, no person)."""
    box = SealedBox(public_key()).encrypt(json.dumps(payload, separators=(",", ":")).encode())
    SealedAnswer.objects.create(channel=channel, box=box)


def pending(channel: str) -> int:
    return SealedAnswer.objects.filter(channel=channel).count()


def waiting_ids(prefix: str) -> set[int]:
    """The numbers of the channels `<prefix><number>` that have answers
    waiting (e.g. the survey waves of "surveys.wave:")."""
    names = (
        SealedAnswer.objects.filter(channel__startswith=prefix)
        .values_list("channel", flat=True)
        .distinct()
        .order_by()
    )
    return {int(name[len(prefix) :]) for name in names}


def release(
    channel: str,
    *,
    minimum: int,
    final: bool,
    handler: Callable[[list[dict]], None],
    batch: int | None = None,
    lock: Callable[[], bool] | None = None,
) -> int:
    """Release a batch of `channel`'s sealed answers; returns how many.

    While answers can still come (`final` False) nothing is released until
    at least `minimum` + `batch` (default: `minimum`) are pending, and then
    all but `minimum` of them, chosen at random. With `final` every pending answer is released, however
    few (the capability decides whether few may be shown). `handler` gets
    the payloads in random order and writes them; it runs in the same
    transaction as the deletion of the boxes, so a crash releases nothing or
    everything in the batch. `lock` (optional) is called first inside the
    transaction to serialise releases of one channel (e.g. by locking the
    survey wave's row); if it returns False, nothing is released."""
    key = private_key()
    if key is None:
        return 0  # this process only seals; the release worker will do it
    opener = SealedBox(key)
    using = router.db_for_write(SealedAnswer)
    with transaction.atomic(using=using):
        if lock is not None and not lock():
            return 0  # another release of this channel is under way
        rows = list(
            SealedAnswer.objects.using(using)
            .select_for_update()
            .filter(channel=channel)
            .values_list("id", "box")
        )
        if final:
            chosen = rows
        else:
            if len(rows) < minimum + max(batch or minimum, minimum):
                return 0
            chosen = _random.sample(rows, len(rows) - minimum)
        if not chosen:
            return 0
        payloads = shuffled([json.loads(opener.decrypt(bytes(box))) for _, box in chosen])
        handler(payloads)
        ids = [pk for pk, _ in chosen]
        for start in range(0, len(ids), 500):
            SealedAnswer.objects.using(using).filter(pk__in=ids[start : start + 500]).delete()
    return len(chosen)


def vacuum(using: str = "default") -> None:
    """On PostgreSQL, remove the dead copies of released boxes from the
    table's pages (VACUUM cannot run inside a transaction block). Harmless
    elsewhere. Run after releases by the jobs that release."""
    connection = connections[using]
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM {connection.ops.quote_name(SealedAnswer._meta.db_table)}")
