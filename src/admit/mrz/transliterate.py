"""Names into the MRZ alphabet: Doc 9303-3 section 6, tables A (Latin) and B (Cyrillic).

Why: the MRZ holds only A-Z and `<`. Doc 9303 recommends a transliteration per character; where
it offers a choice ("AE or A") the first form is used, as most issuers do. Characters with no
recommendation and no decomposition to a base letter are refused, never dropped silently.
"""

from __future__ import annotations

import unicodedata

from admit.errors import InputError

# Doc 9303-3 s.6 A, where the form is not just the base letter (the rest decompose by NFKD).
_LATIN = {
    "Ä": "AE", "Å": "AA", "Æ": "AE", "Ð": "D", "Ö": "OE", "Ø": "OE", "Ü": "UE", "Þ": "TH",
    "Đ": "D", "Ħ": "H", "Ĳ": "IJ", "Ŀ": "L", "Ł": "L", "Ŋ": "N", "Œ": "OE", "Ŧ": "T",
    "ẞ": "SS", "ß": "SS", "I": "I",
}
# Doc 9303-3 s.6 B, the general column (language-specific exceptions are the issuer's call).
_CYRILLIC = {
    "А": "A", "Б": "B", "В": "V", "Г": "G", "Д": "D", "Е": "E", "Ё": "E", "Ж": "ZH", "З": "Z",
    "И": "I", "Й": "I", "К": "K", "Л": "L", "М": "M", "Н": "N", "О": "O", "П": "P", "Р": "R",
    "С": "S", "Т": "T", "У": "U", "Ф": "F", "Х": "KH", "Ц": "TS", "Ч": "CH", "Ш": "SH",
    "Щ": "SHCH", "Ъ": "IE", "Ы": "Y", "Ь": "", "Э": "E", "Ю": "IU", "Я": "IA", "Ђ": "D",
    "Є": "IE", "Ѕ": "DZ", "І": "I", "Ї": "I", "Ј": "J", "Љ": "LJ", "Њ": "NJ", "Ћ": "C",
    "Ќ": "K", "Ў": "U", "Џ": "DZ", "Ґ": "G", "Ғ": "G", "Һ": "C",
}
_SEPARATORS = frozenset(" -‐‑–")
_DROPPED = frozenset("'’`,.")


def transliterate(text: str, field: str = "name") -> str:
    """`text` in MRZ characters: upper case, separators as `<`, punctuation omitted."""
    out: list[str] = []
    for char in text.upper():
        if "A" <= char <= "Z":
            out.append(char)
        elif char in _SEPARATORS:
            out.append("<")
        elif char in _DROPPED:
            continue
        elif char in _LATIN:
            out.append(_LATIN[char])
        elif char in _CYRILLIC:
            out.append(_CYRILLIC[char])
        else:
            base = "".join(c for c in unicodedata.normalize("NFKD", char)
                           if not unicodedata.combining(c))
            if not base or not all("A" <= c <= "Z" for c in base):
                raise InputError(field, text, f"has {char!r}, which has no MRZ transliteration")
            out.append(base)
    return "".join(out)
