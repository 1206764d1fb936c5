"""Comms-editor moderation, set up idempotently (a data migration, the demo
seeder and tests call it): a "Comms editor approval" workflow with one
GroupApprovalTask, assigned to the root of the page tree, and page, image
and tag permissions for the Comms editor group. Takes an `apps` registry so
the migration can pass its historical models."""

COMMS_EDITOR = "Comms editor"
WORKFLOW_NAME = "Comms editor approval"
PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
IMAGE_PERMISSIONS = ["add_image", "change_image", "choose_image"]


def setup_moderation(apps) -> None:
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    ContentType = apps.get_model("contenttypes", "ContentType")

    group, _ = Group.objects.get_or_create(name=COMMS_EDITOR)
    root = Page.objects.filter(depth=1).order_by("path").first()
    if root is None:
        return
    for codename in PAGE_PERMISSIONS:
        perm = Permission.objects.filter(
            content_type__app_label="wagtailcore", codename=codename
        ).first()
        if perm is not None:
            GroupPagePermission.objects.get_or_create(group=group, page=root, permission=perm)
    collection = Collection.objects.filter(depth=1).first()
    if collection is not None:
        for codename in IMAGE_PERMISSIONS:
            perm = Permission.objects.filter(
                content_type__app_label="wagtailimages", codename=codename
            ).first()
            if perm is not None:
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=collection, permission=perm
                )
    for codename in ("add_tag", "change_tag", "delete_tag", "view_tag"):
        perm = Permission.objects.filter(
            content_type__app_label="taggit", codename=codename
        ).first()
        if perm is not None:
            group.permissions.add(perm)
    admin_access = Permission.objects.filter(
        content_type__app_label="wagtailadmin", codename="access_admin"
    ).first()
    if admin_access is not None:
        group.permissions.add(admin_access)

    task = GroupApprovalTask.objects.filter(name="Comms editor approval").first()
    if task is None:
        task = GroupApprovalTask.objects.create(
            name="Comms editor approval",
            active=True,
            content_type=ContentType.objects.get_for_model(GroupApprovalTask),
        )
    task.groups.add(group)
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page=root, defaults={"workflow": workflow})
