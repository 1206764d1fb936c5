"""`make run` serves story images (issue #14: they were 404s): image
renditions under /media/images/ to signed-in users, as nginx does in
production; documents and originals are never served from disk."""

import importlib

import pytest
from django.urls import clear_url_caches

pytestmark = pytest.mark.django_db


@pytest.fixture
def debug_urls(settings, tmp_path):
    import bewigan.urls

    settings.DEBUG = True
    settings.MEDIA_ROOT = str(tmp_path)
    for folder in ("images", "documents", "original_images"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "x.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    importlib.reload(bewigan.urls)
    clear_url_caches()
    yield
    settings.DEBUG = False
    importlib.reload(bewigan.urls)
    clear_url_caches()


def test_make_run_serves_image_renditions_to_signed_in_users_only(
    debug_urls, client, client_for, staff
):
    assert client.get("/media/images/x.png").status_code == 302  # sign in first
    signed_in = client_for(staff)
    assert signed_in.get("/media/images/x.png").status_code == 200
    assert signed_in.get("/media/documents/x.png").status_code == 404
    assert signed_in.get("/media/original_images/x.png").status_code == 404


def test_nginx_serves_renditions_and_nothing_else_from_media():
    from django.conf import settings

    conf = (settings.BASE_DIR / "deploy" / "nginx" / "bewigan.conf").read_text()
    assert "location /media/images/" in conf
    assert "location /media/ { return 404; }" in conf
