"""Receipt codes for assisted submissions: 8 characters, the last a check character.

The alphabet has 32 characters without 0, O, 1 and I, which are easily mixed
up when read aloud or copied from a slip. Each character is a value 0..31,
an element of the field GF(32); the check character makes the weighted sum
over all eight positions zero, with the weight of position i the field's
generator raised to a distinct power (the check character's weight is 1):

    a^7*v0 + a^6*v1 + ... + a^1*v6 + v7 = 0   in GF(32)

Any single wrong character changes the sum by weight * difference, never
zero; swapping two different neighbours changes it by (w_i - w_j) * (v_i -
v_j), never zero since the weights differ. So every single substitution and
every adjacent swap is caught, which a decimal Luhn digit cannot promise.

Typed codes are normalized first: case, spaces and dashes do not matter
(a slip prints `ABCD-EFGH`).
"""
import secrets

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
LENGTH = 8
_VALUES = {character: value for value, character in enumerate(ALPHABET)}
_MODULUS = 0b100101  # x^5 + x^2 + 1, a primitive polynomial: x generates all 31 non-zero elements
_GENERATOR = 2


def _multiply(a, b):
    """a * b in GF(32)."""
    product = 0
    while b:
        if b & 1:
            product ^= a
        b >>= 1
        a <<= 1
        if a & 0b100000:
            a ^= _MODULUS
    return product


def _weights():
    weights, power = [], 1
    for _position in range(LENGTH):
        weights.append(power)
        power = _multiply(power, _GENERATOR)
    return list(reversed(weights))  # a^7 ... a^1, 1


_WEIGHTS = _weights()


def _weighted_sum(values):
    total = 0
    for weight, value in zip(_WEIGHTS, values):
        total ^= _multiply(weight, value)
    return total


def check_character(body):
    """The check character completing the seven characters `body`."""
    return ALPHABET[_weighted_sum([_VALUES[c] for c in body] + [0])]


def generate():
    """A new random code (the caller makes sure it is not taken)."""
    body = "".join(secrets.choice(ALPHABET) for _position in range(LENGTH - 1))
    return body + check_character(body)


def normalize(typed):
    """The code as stored: upper case, without spaces and dashes; None for anything that is not a string."""
    if not isinstance(typed, str):
        return None
    return "".join(typed.split()).replace("-", "").upper()[:LENGTH * 4]


def is_valid(code):
    """Whether a normalized code has the right length, alphabet and check character."""
    if not isinstance(code, str) or len(code) != LENGTH or any(c not in _VALUES for c in code):
        return False
    return _weighted_sum([_VALUES[c] for c in code]) == 0


def display(code):
    """The code as printed on a slip: two groups of four."""
    return f"{code[:4]}-{code[4:]}"
