"""Who may use the data-protection tools. HR admins act within their own
organisation and any organisation that has granted theirs access for HR
(see `boundaries.py`)."""

import rules

from bewigan.people.roles import is_hr_admin

rules.add_perm("privacy.manage_subject_access", rules.is_superuser | is_hr_admin)
rules.add_perm("privacy.manage_retention", rules.is_superuser | is_hr_admin)
rules.add_perm("privacy.manage_legal_holds", rules.is_superuser | is_hr_admin)
rules.add_perm("privacy.erase_person", rules.is_superuser | is_hr_admin)
rules.add_perm("privacy.view_grants", rules.is_superuser | is_hr_admin)
