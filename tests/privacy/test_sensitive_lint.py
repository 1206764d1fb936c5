"""tools/lint_sensitive_access.py reads which models are sensitive from the
models themselves (`sensitive = True`) and catches unscoped reads in views,
Wagtail hooks and admin modules (issue #16)."""

import importlib.util
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def lint():
    spec = importlib.util.spec_from_file_location("lint", ROOT / "tools/lint_sensitive_access.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _write(root: Path, path: str, source: str) -> None:
    target = root / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(textwrap.dedent(source))


def test_the_sensitive_models_are_those_marked_on_the_model(lint):
    from appraisals.models import PrivateNote, ShoutOut
    from bewigan.core.models import Notification
    from bewigan.people.models import Person, Team

    found = lint.sensitive_models()
    for model in (PrivateNote, ShoutOut, Notification, Person):
        assert model.sensitive is True and model.__name__ in found
    assert not getattr(Team, "sensitive", False) and "Team" not in found
    assert {"Candidate", "FeedbackRequest", "Answer", "SubjectAccessRequest"} <= found


def test_unscoped_reads_in_views_hooks_and_admins_are_caught(lint, tmp_path):
    _write(
        tmp_path,
        "shop/models.py",
        """
        class Secret(models.Model):
            sensitive = True

        class Open(models.Model):
            pass
        """,
    )
    _write(
        tmp_path,
        "shop/views.py",
        """
        def a(request):
            Secret.objects.all()
            get_object_or_404(Secret, pk=1)
            get_list_or_404(models.Secret)
            Open.objects.all()
            Secret.objects.none()  # lint: allow (an empty queryset)
        """,
    )
    _write(
        tmp_path,
        "shop/wagtail_hooks.py",
        """
        class SecretViewSet(ModelViewSet):
            model = Secret

        register_snippet(Secret)
        """,
    )
    _write(
        tmp_path,
        "shop/admin.py",
        """
        @admin.register(Secret)
        class SecretAdmin(admin.ModelAdmin):
            pass

        admin.site.register(Open)
        """,
    )
    _write(tmp_path, "shop/selectors.py", "def s():\n    return Secret.objects.all()\n")
    sensitive, problems, notes = lint.run(tmp_path)
    assert sensitive == {"Secret"}
    assert [p.split(": ")[0] for p in problems] == [
        "shop/admin.py:2",
        "shop/views.py:3",
        "shop/views.py:4",
        "shop/views.py:5",
        "shop/wagtail_hooks.py:3",
        "shop/wagtail_hooks.py:5",
    ]
    assert notes == []


def test_private_notes_are_touched_only_inside_appraisals(lint, tmp_path):
    _write(tmp_path, "appraisals/selectors.py", "PrivateNote.objects.all()\n")
    _write(tmp_path, "bewigan/privacy/sar.py", "PrivateNote._default_manager.all()\n")
    _, _, notes = lint.run(tmp_path)
    assert notes == ["bewigan/privacy/sar.py:1: PrivateNote._default_manager"]


def test_the_tree_passes(lint):
    sensitive, problems, notes = lint.run()
    assert len(sensitive) > 20
    assert problems == [] and notes == []
