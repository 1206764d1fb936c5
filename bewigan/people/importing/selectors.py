"""Reads for the import pages: an upload is visible to its uploader only."""

from django.http import Http404

from .models import PeopleImport


def people_import_get_for_user(*, user, pk: int) -> PeopleImport:
    """404 for a missing upload and for someone else's alike."""
    people_import = PeopleImport.objects.for_uploader(user).filter(pk=pk).defer("content").first()
    if people_import is None or not user.has_perm("people.import_people"):
        raise Http404
    return people_import
