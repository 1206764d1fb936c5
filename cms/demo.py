"""Demo content for the intranet: the home page at the site root."""

from django.db import transaction
from wagtail.models import Page, Site

from .models import HomePage


@transaction.atomic
def seed(stdout=None):
    site = Site.objects.filter(is_default_site=True).first()
    if site is not None and isinstance(site.root_page.specific, HomePage):
        return site.root_page.specific
    root = Page.get_first_root_node()
    home = HomePage.objects.first()
    if home is None:
        home = HomePage(
            title="Home",
            slug="bewigan-home",
            intro="<p>BeWigan: hired, supported and appraised on our values.</p>",
        )
        root.add_child(instance=home)
    if site is None:
        site = Site.objects.create(
            hostname="localhost", port=80, root_page=home, is_default_site=True
        )
    else:
        old_root = site.root_page
        site.root_page = home
        site.save()
        # Wagtail's placeholder "Welcome" page is not needed any more.
        if old_root.pk != home.pk and old_root.specific_class is Page:
            old_root.delete()
    if stdout is not None:
        stdout.write("Intranet: home page at the site root")
    return home
