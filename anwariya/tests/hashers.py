"""A password hasher for the test suite only."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class FastArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2 at its lowest cost. The production parameters take about 200 ms a hash, which is
    what they are for, and the suite creates thousands of users; this one takes well under a
    millisecond. The algorithm and the stored format stay Argon2's (``argon2$argon2id$...``), so
    what the tests check of a hash holds for the real one."""

    time_cost = 1
    memory_cost = 8  # KiB, Argon2's least for one lane
    parallelism = 1
