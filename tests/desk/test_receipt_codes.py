"""Receipt codes: alphabet, normalizing, and the check character catching every single typo and neighbour swap."""
import pytest

from forum import receipt_codes as codes

SAMPLES = ["23456789", "ZZZZZZZ2", "A2B3C4D5", "HJKLMNPQ", "9XY7WV8T"]


def _with_check(body):
    return body + codes.check_character(body)


def test_generated_codes_are_valid_and_avoid_ambiguous_characters():
    for _ in range(200):
        code = codes.generate()
        assert len(code) == 8
        assert not set(code) & set("0O1I")
        assert codes.is_valid(code)


@pytest.mark.parametrize("body", [sample[:7] for sample in SAMPLES])
def test_every_single_substitution_is_caught(body):
    code = _with_check(body)
    assert codes.is_valid(code)
    for position in range(8):
        for replacement in codes.ALPHABET:
            if replacement != code[position]:
                typo = code[:position] + replacement + code[position + 1:]
                assert not codes.is_valid(typo), typo


def _swap(code, position):
    return code[:position] + code[position + 1] + code[position] + code[position + 2:]


def test_every_adjacent_swap_is_caught():
    for position in range(6):
        for first in codes.ALPHABET:
            for second in codes.ALPHABET:
                if first != second:
                    body = list("2345678")
                    body[position], body[position + 1] = first, second
                    code = _with_check("".join(body))
                    assert not codes.is_valid(_swap(code, position)), code
    # The last character of the body and the check character itself.
    for sample in SAMPLES:
        for last in codes.ALPHABET:
            code = _with_check(sample[:6] + last)
            if code[6] != code[7]:
                assert not codes.is_valid(_swap(code, 6)), code


def test_normalize_ignores_case_spaces_and_dashes():
    code = codes.generate()
    typed = f" {code[:4].lower()} - {code[4:]} "
    assert codes.normalize(typed) == code
    assert codes.is_valid(codes.normalize(typed))
    assert codes.display(code) == f"{code[:4]}-{code[4:]}"


@pytest.mark.parametrize("typed", ["", "ABC", "ABCDEFGHJ", "0BCDEFGH", "ABCDEFG!", None])
def test_malformed_codes_are_invalid(typed):
    assert not codes.is_valid(codes.normalize(typed))
