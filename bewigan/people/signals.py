"""Signals the people app sends. People sits below the apps that act on
what it learns, so it tells them instead of calling them (issue #16)."""

from django.dispatch import Signal

# Sent by the HR import once its transaction has committed, when people
# left (`leaver_ids`: person ids) or moved organisation (`moves`:
# {person id: (old organisation id, new)}); `actor` is who ran the import.
# The data protection app closes leavers' access and ends movers' roles.
people_imported = Signal()
