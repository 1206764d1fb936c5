"""Who may use the data-protection tools. HR admins act within their own
organisation and any organisation that has granted theirs access for HR
(see `boundaries.py`)."""

import rules

from bewigan.partners.boundaries import HR, person_in_reach
from bewigan.people.roles import is_hr_admin
from bewigan.people.rules import is_in_line_above

from .roles import is_data_protection_officer

# Subject access packs hold other people's confidential writing about the
# person: only a data protection officer starts, reviews and releases them
# (superusers too need the role).
rules.add_perm("privacy.manage_subject_access", is_data_protection_officer)
rules.add_perm("privacy.manage_retention", rules.is_superuser | is_hr_admin)
rules.add_perm("privacy.manage_legal_holds", rules.is_superuser | is_hr_admin)
rules.add_perm("privacy.erase_person", rules.is_superuser | is_hr_admin)
rules.add_perm("privacy.view_grants", rules.is_superuser | is_hr_admin)


# Leavers (leavers.py): HR admins mark people in their reach; the handover
# page is for the leaver's line (direct or indirect) and those HR admins.
@rules.predicate
def leaver_in_hr_reach(user, person):
    return person_in_reach(user, person, HR)


rules.add_perm("privacy.manage_leavers", rules.is_superuser | is_hr_admin)
rules.add_perm("privacy.mark_leaver", rules.is_superuser | (is_hr_admin & leaver_in_hr_reach))
rules.add_perm(
    "privacy.view_leaver_handover",
    rules.is_superuser | (is_hr_admin & leaver_in_hr_reach) | is_in_line_above,
)
rules.add_perm("privacy.view_hub", rules.is_superuser | is_hr_admin | is_data_protection_officer)
