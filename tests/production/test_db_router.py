"""The read replica is used only for analytics reads, and only when configured."""

import pytest

from bewigan.core.db import ReplicaRouter, analytics_db_alias, analytics_reads
from bewigan.core.models import Notification


def test_without_a_replica_everything_uses_default(settings):
    assert "replica" not in settings.DATABASES
    assert analytics_db_alias() == "default"
    with analytics_reads() as alias:
        assert alias == "default"
        assert ReplicaRouter().db_for_read(Notification) is None


@pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")
def test_with_a_replica_only_analytics_reads_go_there(settings):
    settings.DATABASES = {**settings.DATABASES, "replica": dict(settings.DATABASES["default"])}
    router = ReplicaRouter()
    assert analytics_db_alias() == "replica"
    assert router.db_for_read(Notification) is None  # read-your-writes elsewhere
    with analytics_reads() as alias:
        assert alias == "replica"
        assert router.db_for_read(Notification) == "replica"
        assert router.db_for_write(Notification) == "default"
    assert router.db_for_read(Notification) is None
    assert router.allow_migrate("replica", "core") is False
    assert router.allow_migrate("default", "core") is True
