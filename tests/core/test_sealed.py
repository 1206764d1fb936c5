"""The sealed-answers mechanism shared by surveys and anonymous 360
(bewigan/core/sealed.py): batches, crash safety, and the release key."""

import base64
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from bewigan.core import sealed
from bewigan.core.models import SealedAnswer

pytestmark = pytest.mark.django_db

CHANNEL = "tests.channel:1"


@pytest.fixture(autouse=True)
def fresh_keys():
    sealed.keys_clear()
    yield
    sealed.keys_clear()


def _seal(n, start=0):
    for i in range(start, start + n):
        sealed.seal(CHANNEL, {"i": i})


def test_box_is_encrypted_and_carries_nothing_but_a_channel_and_a_random_id():
    sealed.seal(CHANNEL, {"comment": "my manager shouts"})
    row = SealedAnswer.objects.get()
    assert b"shouts" not in bytes(row.box) and b"comment" not in bytes(row.box)
    assert {f.name for f in SealedAnswer._meta.get_fields()} == {"id", "channel", "box"}
    assert row.pk > 2**40


def test_while_open_a_batch_waits_for_twice_the_minimum_and_leaves_the_minimum():
    got = []
    _seal(9)
    assert sealed.release(CHANNEL, minimum=5, final=False, handler=got.extend) == 0
    _seal(1, start=9)
    assert sealed.release(CHANNEL, minimum=5, final=False, handler=got.extend) == 5
    assert sealed.pending(CHANNEL) == 5 and len(got) == 5
    assert sealed.release(CHANNEL, minimum=5, final=True, handler=got.extend) == 5
    assert sorted(p["i"] for p in got) == list(range(10))  # nothing lost, nothing twice


def test_a_crash_during_release_loses_nothing():
    _seal(10)

    def crash(payloads):
        raise RuntimeError("worker died")

    with pytest.raises(RuntimeError):
        sealed.release(CHANNEL, minimum=5, final=True, handler=crash)
    assert sealed.pending(CHANNEL) == 10  # the batch is released whole or not at all
    got = []
    assert sealed.release(CHANNEL, minimum=5, final=True, handler=got.extend) == 10


def test_web_servers_with_only_the_public_key_seal_but_cannot_release(settings):
    private, public = sealed.generate_key_pair()
    settings.BEWIGAN_RELEASE_PUBLIC_KEY = public
    settings.BEWIGAN_RELEASE_PRIVATE_KEY = None
    sealed.keys_clear()
    _seal(10)
    assert not sealed.can_release()
    assert sealed.release(CHANNEL, minimum=5, final=True, handler=list) == 0
    with pytest.raises(CommandError, match="only the public release key"):
        call_command("release_sealed_answers", stdout=io.StringIO())
    # The release worker, holding the private key, opens them.
    settings.BEWIGAN_RELEASE_PRIVATE_KEY = private
    sealed.keys_clear()
    got = []
    assert sealed.release(CHANNEL, minimum=5, final=True, handler=got.extend) == 10
    assert len(base64.b64decode(private)) == 32


def test_the_release_command_runs_every_capability(settings):
    calls = []
    settings.BEWIGAN_SEALED_RELEASERS = ["tests.core.test_sealed.releaser"]
    releaser.calls = calls
    out = io.StringIO()
    call_command("release_sealed_answers", stdout=out)
    assert calls == [1] and "Released 3 answer(s)." in out.getvalue()
    out = io.StringIO()
    call_command("release_sealed_answers", "--new-key", stdout=out)
    assert "RELEASE_PRIVATE_KEY=" in out.getvalue() and "RELEASE_PUBLIC_KEY=" in out.getvalue()


def releaser():
    releaser.calls.append(1)
    return 3
