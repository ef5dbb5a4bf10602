"""Short, human-readable reference numbers: ORD-7KQ3MZ2AB9, SHP-..., PAY-..., RFD-..., RET-...

Ten Crockford base32 characters (no I, L, O, U): about 10^15 values, so a collision is
vanishingly rare, and the unique constraints catch the rare one.
"""

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_number(prefix: str, length: int = 10) -> str:
    return f"{prefix}-" + "".join(secrets.choice(ALPHABET) for _ in range(length))
