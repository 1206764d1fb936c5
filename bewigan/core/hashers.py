"""Password hashing sized for a morning peak (docs/deploy.md, "Sign-in at
the morning peak").

Argon2id with OWASP's recommended minimum (19 MiB of memory, 2 passes, 1
lane): about 30 ms of CPU per sign-in on the 2-core development machine,
against about 240 ms for Django's default PBKDF2 (1,000,000 iterations of
SHA-256). Argon2id is memory-hard, so each guess costs an attacker with
GPUs far more than a PBKDF2 guess of the same CPU time; the trade-off is
19 MiB of memory per sign-in in progress. argon2-cffi releases the GIL while
hashing, so a gunicorn thread that signs someone in does not hold up the
process's other threads.

Existing hashes (PBKDF2, or Argon2 with other parameters) still verify and
are rewritten with these parameters at the person's next sign-in (Django's
check_password with its setter, which allauth uses).
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idPasswordHasher(Argon2PasswordHasher):
    # Same algorithm name as Django's, so hashes made by either verify with
    # either; must_update() notices other parameters and rehashes at sign-in.
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
