from django.apps import AppConfig


class CmsConfig(AppConfig):
    name = "cms"
    label = "cms"

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save
        from wagtail.models import Page, PageViewRestriction, Site
        from wagtail.signals import (
            page_published,
            page_slug_changed,
            page_unpublished,
            post_page_move,
        )

        from .selectors import memo_clear

        # Signals only for cache invalidation (see selectors.memo).
        for signal in (page_published, page_unpublished, page_slug_changed, post_page_move):
            signal.connect(memo_clear, dispatch_uid=f"cms-memo-{id(signal)}")
        post_delete.connect(memo_clear, sender=Page, dispatch_uid="cms-memo-page-delete")
        post_save.connect(memo_clear, sender=Site, dispatch_uid="cms-memo-site")
        post_save.connect(
            memo_clear, sender=PageViewRestriction, dispatch_uid="cms-memo-restriction"
        )
        post_delete.connect(
            memo_clear, sender=PageViewRestriction, dispatch_uid="cms-memo-restriction-delete"
        )
        m2m_changed.connect(
            memo_clear,
            sender=PageViewRestriction.groups.through,
            dispatch_uid="cms-memo-restriction-groups",
        )
        # The home page's public shout-out feed (appraisals) and search results
        # (which show ideas) are kept in the memo too.
        for sender in ("appraisals.ShoutOut", "cms.Idea"):
            post_save.connect(memo_clear, sender=sender, dispatch_uid=f"cms-memo-{sender}")
            post_delete.connect(memo_clear, sender=sender, dispatch_uid=f"cms-memo-d-{sender}")
