"""Personal data in public text: NIK and KK numbers, phone numbers, e-mail addresses, plates.

Residents often paste their identity number or phone into a complaint. Each
one found is masked in the published text (`0812****7890`, NIK `3674**********01`,
`b***@example.com`, `B **** ***`), the author is told, and the original is kept
in the reason's `detail` for moderators' audit only.
"""
import re
from types import SimpleNamespace

import regex
from flask_babel import lazy_gettext as _l

from moderation.filters import MASK, Reason, apply_masks

# Indonesian plate region codes (one or two letters); others such as `RT` or
# `RW` in addresses (`RT 05 RW 03`) must not read as plates.
PLATE_REGIONS = frozenset((
    "AA AB AD AE AG BA BB BD BE BG BH BK BL BM BN BP DA DB DC DD DE DG DH DK DL DM DN DR DS DT "
    "EA EB ED KB KH KT KU PA PB A B D E F G H K L M N P R S T W Z"
).split())

# Each pattern starts with what it must start with, and what may not come
# before a match is checked afterwards (`_starts_clean`): the `regex` module
# then skips ahead quickly, where a leading look-behind would be tried at
# every position.
ID16_RE = regex.compile(r"[1-9]\d{3}([ .-]?)\d{4}\1\d{4}\1\d{4}(?!\d|[.-]\d)")
PHONE_RE = regex.compile(r"(?:\+62[ .-]?|62|0)8\d{1,3}(?:[ .-]?\d{2,5}){2,3}(?!\d|[.-]\d)")
PLATE_RE = regex.compile(r"([A-Z]{1,2})(?: \d{1,4} [A-Z]{1,3}|\d{3,4}[A-Z]{1,3})(?!\w)")
EMAIL_LOCAL_RE = re.compile(r"[\w.+-]{1,64}\Z")
EMAIL_DOMAIN_RE = re.compile(r"[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*\.[A-Za-z]{2,24}(?![\w-])")
NOT_BEFORE = {"id16": re.compile(r"[\d.-]"), "phone": re.compile(r"[\w+]"), "plate": re.compile(r"\w")}
KK_CONTEXT_RE = re.compile(r"\bkk\b|kartu\s+keluarga", re.IGNORECASE)
KK_CONTEXT_CHARS = 40
PHONE_DIGITS = range(10, 15)  # with the country code `62` instead of `0`
# Government addresses are published contact points, not personal data.
PUBLIC_EMAIL_SUFFIXES = (".go.id",)

MESSAGES = {
    "nik": _l("We hid an identity number (NIK) in your text to protect personal data."),
    "kk": _l("We hid a family card (KK) number in your text to protect personal data."),
    "phone": _l("We hid a phone number in your text to protect personal data."),
    "email": _l("We hid an e-mail address in your text to protect personal data."),
    "plate": _l("We hid a vehicle plate number in your text to protect personal data."),
}


def mask_digits(text, keep_first, keep_last):
    """Replace the digits of `text` by `*`, except the first and last few; separators stay."""
    total = sum(char.isdigit() for char in text)
    seen, out = 0, []
    for char in text:
        if char.isdigit():
            seen += 1
            if keep_first < seen <= total - keep_last:
                char = "*"
        out.append(char)
    return "".join(out)


def mask_email(address):
    local, _, domain = address.partition("@")
    return f"{local[:1]}***@{domain}"


def mask_plate(plate, region):
    rest = plate[len(region):]
    return region + "".join(char if char == " " else "*" for char in rest)


def _starts_clean(text, start, kind):
    before = text[start - 1:start]
    if before and NOT_BEFORE[kind].match(before):
        return False
    return not (kind == "plate" and text[max(0, start - 5):start].lower() == "blok ")


def _numbers(text):
    """(code, span, replacement) for NIK, KK and phone numbers."""
    for match in ID16_RE.finditer(text):
        if _starts_clean(text, match.start(), "id16"):
            window = text[max(0, match.start() - KK_CONTEXT_CHARS):match.start()]
            code = "kk" if KK_CONTEXT_RE.search(window) else "nik"
            yield code, match.span(), mask_digits(match.group(), 4, 2)
    for match in PHONE_RE.finditer(text):
        digits = sum(char.isdigit() for char in match.group())
        if digits in PHONE_DIGITS and _starts_clean(text, match.start(), "phone"):
            yield "phone", match.span(), mask_digits(match.group(), 4, 4)


def _plates(text):
    for match in PLATE_RE.finditer(text):
        if match.group(1) in PLATE_REGIONS and _starts_clean(text, match.start(), "plate"):
            yield "plate", match.span(), mask_plate(match.group(), match.group(1))


def _emails(text):
    at = text.find("@")
    while at >= 0:
        local = EMAIL_LOCAL_RE.search(text, max(0, at - 64), at)
        domain = EMAIL_DOMAIN_RE.match(text, at + 1)
        if local and domain:
            address = text[local.start():domain.end()]
            if not address.lower().endswith(PUBLIC_EMAIL_SUFFIXES):
                yield "email", (local.start(), domain.end()), mask_email(address)
        at = text.find("@", domain.end() if domain else at + 1)


def personal_data(submission):
    """A masking reason for each piece of personal data in the text."""
    text = submission.text
    for finder in (_numbers, _emails, _plates):
        for code, (start, end), replacement in finder(text):
            yield Reason(
                MASK, f"personal.{code}", MESSAGES[code], detail=text[start:end],
                span=(start, end), replacement=replacement,
            )


def mask_personal_data(text):
    """`text` with every piece of personal data masked as the screen masks it (for listings and exports)."""
    if not text:
        return text
    return apply_masks(text, list(personal_data(SimpleNamespace(text=text))))
