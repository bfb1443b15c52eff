"""Comment dates to ISO 8601: machine values (ISO, epoch) and the text dates themes print.

Text dates ("March 3, 2023 at 10:15 am", "3. März 2023 um 10:15", "Desember 30, 2015 at 4:36 am")
are the site's local time and carry no offset; we return them without one rather than invent it.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    [
        "january jan januar janvier enero gennaio janeiro januari januar styczeń janvier ocak",
        "february feb februar février fevrier febrero febbraio fevereiro februari luty şubat",
        "march mar märz maerz mars marzo março maret maart marzec mart",
        "april apr avril abril aprile kwiecień nisan",
        "may mai mayo maggio maio mei maj mayıs",
        "june jun juni juin junio giugno junho czerwiec haziran",
        "july jul juli juillet julio luglio julho lipiec temmuz",
        "august aug août aout agosto agustus augustus sierpień ağustos",
        "september sep sept septembre septiembre settembre setembro wrzesień eylül",
        "october oct oktober octobre octubre ottobre outubro okt październik ekim",
        "november nov novembre noviembre novembro listopad kasım",
        "december dec dezember décembre decembre diciembre dicembre dezembro desember des grudzień",
    ],
    start=1,
):
    for _name in _names.split():
        MONTHS.setdefault(_name, _number)

_MONTH_RE = "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True))
_TIME = r"(?P<hour>\d{1,2})\s?(?:[:.]|h\s?)(?P<minute>\d{2})(?::(?P<second>\d{2}))?\s*(?P<ampm>[ap]\.?\s?m\.?)?"
_TEXT_PATTERNS = [
    # March 3, 2023 at 10:15 am / Mar 3rd 2023, 10:15
    re.compile(rf"\b(?P<month>{_MONTH_RE})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+"
               rf"(?P<year>\d{{4}})(?:\D{{1,12}}?{_TIME})?", re.I),
    # 3 March 2023 at 10:15 / 3. März 2023 um 10:15 / 3 de marzo de 2023
    re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\.?\s+(?:de\s+)?(?P<month>{_MONTH_RE})\.?,?"
               rf"\s+(?:de\s+)?(?P<year>\d{{4}})(?:\D{{1,12}}?{_TIME})?", re.I),
    # 2023-03-03 10:15 / 2023/03/03
    re.compile(rf"\b(?P<year>\d{{4}})[-/.](?P<month>\d{{1,2}})[-/.](?P<day>\d{{1,2}})"
               rf"(?:\D{{1,12}}?{_TIME})?"),
    # 03/03/2023 - 10:15 (Drupal, US order) / 03.03.2023 10:15 (European order) / 03.03, 2023 @ 10:15
    # (WordPress's "d.m, Y" format)
    re.compile(rf"\b(?P<a>\d{{1,2}})(?P<sep>[/.])(?P<b>\d{{1,2}})(?:(?P=sep)|,\s*)(?P<year>\d{{4}})"
               rf"(?:\D{{1,12}}?{_TIME})?"),
]


def parse_date(value: str | None) -> str | None:
    """ISO 8601 for a machine or text date, None when nothing date-like is found."""
    if not value:
        return None
    value = " ".join(value.split())
    return iso_date(value) or epoch_date(value) or text_date(value)


def iso_date(value: str) -> str | None:
    """Normalize an ISO-like value ("2023-03-03T10:15:00+0100", "...Z", "2023-03-03 10:15")."""
    match = re.match(
        r"^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2})?)(?:\.\d+)?\s*(Z|[+-]\d{2}:?\d{2})?)?",
        value,
    )
    if not match:
        return None
    day, clock, zone = match.groups()
    try:
        parsed = datetime.fromisoformat(f"{day}T{clock}" if clock else day)
    except ValueError:
        return None
    if not clock:
        return parsed.date().isoformat()
    text = parsed.isoformat(timespec="seconds")
    if zone:
        text += "+00:00" if zone == "Z" else f"{zone[:3]}:{zone[-2:]}"
    return text


def epoch_date(value: str) -> str | None:
    """Unix seconds or milliseconds (Drupal data-comment-timestamp, Blogger showComment) as UTC."""
    if not re.fullmatch(r"\d{10}(\d{3})?", value):
        return None
    seconds = int(value) / (1000 if len(value) == 13 else 1)
    return datetime.fromtimestamp(seconds, UTC).isoformat(timespec="seconds")


def text_date(value: str) -> str | None:
    """A date printed for people; local time without an offset."""
    for pattern in _TEXT_PATTERNS:
        for match in pattern.finditer(value):
            built = _build(match.groupdict())
            if built:
                return built
    return None


def _build(parts: dict[str, str | None]) -> str | None:
    try:
        year = int(parts["year"] or 0)
        month, day = _month_day(parts)
        stamp = datetime(year, month, day)
    except (ValueError, TypeError):
        return None
    if parts.get("hour") is None:
        return stamp.date().isoformat()
    hour = int(parts["hour"] or 0)
    ampm = (parts.get("ampm") or "").replace(".", "").replace(" ", "").lower()
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    try:
        stamp = stamp.replace(hour=hour, minute=int(parts["minute"] or 0),
                              second=int(parts.get("second") or 0))
    except ValueError:
        return stamp.date().isoformat()
    return stamp.isoformat(timespec="seconds")


def _month_day(parts: dict[str, str | None]) -> tuple[int, int]:
    if parts.get("a") is not None:
        first, second = int(parts["a"] or 0), int(parts["b"] or 0)
        # "/" is mostly US month-first; "." is European day-first.
        if parts.get("sep") == "." or first > 12:
            return second, first
        return first, second
    raw_month = (parts["month"] or "").lower().rstrip(".")
    month = int(raw_month) if raw_month.isdigit() else MONTHS[raw_month]
    return month, int(parts["day"] or 0)


def with_offset(local_iso: str, gmt_iso: str) -> str | None:
    """Local wall-clock time plus the offset implied by its GMT twin (WordPress date/date_gmt)."""
    try:
        local = datetime.fromisoformat(local_iso[:19])
        gmt = datetime.fromisoformat(gmt_iso[:19])
    except ValueError:
        return None
    offset = timedelta(minutes=round((local - gmt).total_seconds() / 60))
    return local.replace(tzinfo=timezone(offset)).isoformat(timespec="seconds")
