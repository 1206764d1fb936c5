"""Wagtail's admin for people without admin access: a signed-in member of
staff gets a plain 403, never a redirect loop between /admin/ and sign-in."""

import pytest


@pytest.mark.parametrize("path", ["/admin/", "/admin/pages/", "/admin/values-framework/"])
def test_signed_in_non_admin_gets_403_not_a_sign_in_loop(client_for, staff, path):
    client = client_for(staff)
    response = client.get(path, follow=True)
    assert response.redirect_chain == []
    assert response.status_code == 403
    assert "You do not have access to this page" in response.content.decode()


def test_editor_still_gets_the_admin(client_for, comms_editor):
    response = client_for(comms_editor).get("/admin/")
    assert response.status_code == 200


def test_anonymous_still_goes_to_sign_in(client, db):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/"
