"""What GST knows of a business: the states with their GST codes, registration types, and GSTINs.

The state codes are the GST Network's (the first two digits of every GSTIN and the place of
supply on an invoice). They live in code, not in an editable table: a stored invoice names its
place of supply by code, and renaming or renumbering one would change what old invoices say.
Codes no longer in use are left out (25 Daman and Diu, merged into 26 in 2020; 28, Andhra
Pradesh before 2014). 97 is "Other Territory" (offshore areas beyond the states).
"""

from django.db import models
from stdnum import luhn
from stdnum.exceptions import InvalidComponent, ValidationError
from stdnum.in_ import gstin as stdnum_gstin
from stdnum.in_ import pan as stdnum_pan

GSTIN_LENGTH = 15
# The Luhn mod 36 alphabet of the GSTIN check character.
GSTIN_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
# GST state codes that python-stdnum 2.2's GSTIN check does not list yet.
STATES_NEWER_THAN_STDNUM = {"38", "97"}
# Union territories without a legislature levy Union territory tax (UTGST) in place of State tax.
UNION_TERRITORIES_WITHOUT_LEGISLATURE = {"04", "26", "31", "35", "38", "97"}


class GstState(models.TextChoices):
    JAMMU_AND_KASHMIR = "01", "Jammu and Kashmir"
    HIMACHAL_PRADESH = "02", "Himachal Pradesh"
    PUNJAB = "03", "Punjab"
    CHANDIGARH = "04", "Chandigarh"
    UTTARAKHAND = "05", "Uttarakhand"
    HARYANA = "06", "Haryana"
    DELHI = "07", "Delhi"
    RAJASTHAN = "08", "Rajasthan"
    UTTAR_PRADESH = "09", "Uttar Pradesh"
    BIHAR = "10", "Bihar"
    SIKKIM = "11", "Sikkim"
    ARUNACHAL_PRADESH = "12", "Arunachal Pradesh"
    NAGALAND = "13", "Nagaland"
    MANIPUR = "14", "Manipur"
    MIZORAM = "15", "Mizoram"
    TRIPURA = "16", "Tripura"
    MEGHALAYA = "17", "Meghalaya"
    ASSAM = "18", "Assam"
    WEST_BENGAL = "19", "West Bengal"
    JHARKHAND = "20", "Jharkhand"
    ODISHA = "21", "Odisha"
    CHHATTISGARH = "22", "Chhattisgarh"
    MADHYA_PRADESH = "23", "Madhya Pradesh"
    GUJARAT = "24", "Gujarat"
    DADRA_NAGAR_HAVELI_DAMAN_DIU = "26", "Dadra and Nagar Haveli and Daman and Diu"
    MAHARASHTRA = "27", "Maharashtra"
    KARNATAKA = "29", "Karnataka"
    GOA = "30", "Goa"
    LAKSHADWEEP = "31", "Lakshadweep"
    KERALA = "32", "Kerala"
    TAMIL_NADU = "33", "Tamil Nadu"
    PUDUCHERRY = "34", "Puducherry"
    ANDAMAN_AND_NICOBAR = "35", "Andaman and Nicobar Islands"
    TELANGANA = "36", "Telangana"
    ANDHRA_PRADESH = "37", "Andhra Pradesh"
    LADAKH = "38", "Ladakh"
    OTHER_TERRITORY = "97", "Other Territory"


STATE_NAMES = dict(GstState.choices)


class RegistrationType(models.TextChoices):
    REGULAR = "regular", "Regular (charges GST: tax invoices)"
    COMPOSITION = "composition", "Composition scheme (bills of supply, no tax charged)"
    UNREGISTERED = "unregistered", "Not registered (bills of supply, no tax charged)"


def state_label(code: str) -> str:
    """``"27"`` → ``"Maharashtra (27)"``; an empty code stays empty."""
    return f"{STATE_NAMES.get(code, 'Unknown state')} ({code})" if code else ""


def state_tax_name(code: str) -> str:
    """What the State half of an intra-state supply is called there: SGST, or UTGST in a union
    territory without a legislature."""
    return "UTGST" if code in UNION_TERRITORIES_WITHOUT_LEGISLATURE else "SGST"


def gstin_compact(value: str) -> str:
    """A GSTIN as stored: upper case, no spaces or dashes."""
    return stdnum_gstin.compact(value or "")


def gstin_problem(value: str) -> str | None:
    """Why ``value`` is not a valid GSTIN, in words, or None when it is one.

    python-stdnum checks the length, the pattern, the PAN inside it and the Luhn mod 36 check
    character. Its list of state codes stops at 37; for the GST codes it does not know (38
    Ladakh, 97 Other Territory) the same library's PAN and checksum checks decide.
    """
    number = gstin_compact(value)
    try:
        stdnum_gstin.validate(number)
    except InvalidComponent:
        if number[:2] in STATES_NEWER_THAN_STDNUM:
            return _gstin_problem_for_newer_state(number)
        return "This is not a valid GSTIN: its state code, PAN or 14th character (Z) is wrong."
    except ValidationError as error:
        return _gstin_message(error)
    if number[:2] not in STATE_NAMES:
        return "This GSTIN's state code is no longer in use."
    return None


def _gstin_problem_for_newer_state(number):
    if number[12] == "0" or number[13] != "Z":
        return "This is not a valid GSTIN: its 13th or 14th character is wrong."
    try:
        stdnum_pan.validate(number[2:12])
        luhn.validate(number, GSTIN_ALPHABET)
    except ValidationError as error:
        return _gstin_message(error)
    return None


def _gstin_message(error) -> str:
    name = type(error).__name__
    if name == "InvalidLength":
        return f"A GSTIN has {GSTIN_LENGTH} characters."
    if name == "InvalidChecksum":
        return "This GSTIN's check character does not match: look for a typing mistake."
    if name == "InvalidFormat":
        return "A GSTIN is 2 digits (the state), the 10-character PAN, then 3 characters (like 27AAPFU0939F1ZV)."
    return "This is not a valid GSTIN: its PAN part is wrong."


def gstin_state(value: str) -> str:
    """The state code a GSTIN starts with (its first two digits)."""
    return gstin_compact(value)[:2]
