"""Spoken English forms of numbers, digit strings, years, times, dates and durations.

Every function takes a random.Random and returns a list of upper-case words, so the
transcript never holds a digit.
"""
import random

ONES = ["ZERO", "ONE", "TWO", "THREE", "FOUR", "FIVE", "SIX", "SEVEN", "EIGHT", "NINE",
        "TEN", "ELEVEN", "TWELVE", "THIRTEEN", "FOURTEEN", "FIFTEEN", "SIXTEEN",
        "SEVENTEEN", "EIGHTEEN", "NINETEEN"]
TENS = ["", "", "TWENTY", "THIRTY", "FORTY", "FIFTY", "SIXTY", "SEVENTY", "EIGHTY", "NINETY"]
ORDINAL_IRREGULAR = {"ONE": "FIRST", "TWO": "SECOND", "THREE": "THIRD", "FIVE": "FIFTH",
                     "EIGHT": "EIGHTH", "NINE": "NINTH", "TWELVE": "TWELFTH"}
MONTHS = ["JANUARY", "FEBRUARY", "MARCH", "APRIL", "MAY", "JUNE", "JULY", "AUGUST",
          "SEPTEMBER", "OCTOBER", "NOVEMBER", "DECEMBER"]
DAYS = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"]


def cardinal(n: int) -> list[str]:
    """0 <= n < 10**9, American style (no AND): 125 -> ONE HUNDRED TWENTY FIVE."""
    if n < 20:
        return [ONES[n]]
    if n < 100:
        return [TENS[n // 10]] + ([ONES[n % 10]] if n % 10 else [])
    for size, word in ((10**6, "MILLION"), (1000, "THOUSAND"), (100, "HUNDRED")):
        if n >= size:
            head = cardinal(n // size) + [word]
            return head + (cardinal(n % size) if n % size else [])
    raise ValueError(n)


def ordinal(n: int) -> list[str]:
    words = cardinal(n)
    last = words[-1]
    if last in ORDINAL_IRREGULAR:
        last = ORDINAL_IRREGULAR[last]
    elif last.endswith("Y"):
        last = last[:-1] + "IETH"
    else:
        last = last + "TH"
    return words[:-1] + [last]


def year(y: int) -> list[str]:
    """1905 -> NINETEEN OH FIVE, 2008 -> TWO THOUSAND EIGHT, 2024 -> TWENTY TWENTY FOUR."""
    if 2000 <= y < 2010:
        return cardinal(y)
    hi, lo = divmod(y, 100)
    if lo == 0:
        return cardinal(hi) + ["HUNDRED"]
    if lo < 10:
        return cardinal(hi) + ["OH", ONES[lo]]
    return cardinal(hi) + cardinal(lo)


def number(rng: random.Random) -> list[str]:
    r = rng.random()
    if r < 0.55:
        return cardinal(rng.randint(0, 20))
    if r < 0.85:
        return cardinal(rng.randint(21, 100))
    if r < 0.97:
        return cardinal(rng.randint(101, 999))
    return cardinal(rng.randint(1000, 99999))


def digit(rng: random.Random) -> list[str]:
    return [ONES[rng.randint(0, 9)]]


def digits(rng: random.Random) -> list[str]:
    """A digit string, 3 to 10 digits, zero read as ZERO or OH."""
    zero = "OH" if rng.random() < 0.4 else "ZERO"
    count = rng.choice([3, 4, 4, 5, 5, 7, 10])
    return [zero if d == 0 else ONES[d] for d in (rng.randint(0, 9) for _ in range(count))]


def clock_time(rng: random.Random) -> list[str]:
    r = rng.random()
    hour = rng.randint(1, 12)
    suffix = rng.choice([[], [], ["A", "M"], ["P", "M"], ["IN", "THE", "MORNING"],
                         ["IN", "THE", "EVENING"], ["TONIGHT"]])
    if r < 0.05:
        return [rng.choice(["NOON", "MIDNIGHT"])]
    if r < 0.25:
        return cardinal(hour) + ["O'CLOCK"] + suffix
    if r < 0.40:
        return [rng.choice(["QUARTER PAST", "HALF PAST", "QUARTER TO", "TEN PAST",
                            "TWENTY TO"])] + cardinal(hour) + suffix
    minute = rng.choice([5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, rng.randint(1, 59)])
    tail = ["OH", ONES[minute]] if minute < 10 else cardinal(minute)
    return cardinal(hour) + tail + suffix


def duration(rng: random.Random) -> list[str]:
    r = rng.random()
    if r < 0.45:
        n = rng.choice([1, 2, 3, 5, 10, 15, 20, 25, 30, 40, 45, rng.randint(1, 90)])
        return ["A", "MINUTE"] if n == 1 and rng.random() < 0.5 else cardinal(n) + ["MINUTE" if n == 1 else "MINUTES"]
    if r < 0.60:
        n = rng.choice([10, 15, 20, 30, 45, 90, rng.randint(1, 59)])
        return cardinal(n) + ["SECOND" if n == 1 else "SECONDS"]
    if r < 0.75:
        n = rng.randint(1, 12)
        if n == 1:
            return rng.choice([["AN", "HOUR"], ["ONE", "HOUR"], ["AN", "HOUR", "AND", "A", "HALF"]])
        return cardinal(n) + ["HOURS"]
    if r < 0.90:
        h, m = rng.randint(1, 3), rng.choice([5, 10, 15, 20, 30, 45])
        return cardinal(h) + ["HOUR" if h == 1 else "HOURS", "AND"] + cardinal(m) + ["MINUTES"]
    n = rng.randint(2, 10)
    return cardinal(n) + ["MINUTES", "AND"] + cardinal(rng.choice([10, 15, 20, 30])) + ["SECONDS"]


def date(rng: random.Random) -> list[str]:
    month = rng.choice(MONTHS)
    day = ordinal(rng.randint(1, 31 if month != "FEBRUARY" else 28))
    r = rng.random()
    if r < 0.45:
        words = [month] + day
    elif r < 0.75:
        words = ["THE"] + day + ["OF", month]
    else:
        words = [month] + day + year(rng.randint(1920, 2035))
    return words


def day(rng: random.Random) -> list[str]:
    words = [rng.choice(DAYS)]
    if rng.random() < 0.2:
        words.append(rng.choice(["MORNING", "AFTERNOON", "EVENING", "NIGHT"]))
    return words


def level(rng: random.Random) -> list[str]:
    if rng.random() < 0.1:
        return [rng.choice(["HALF", "FULL", "MAXIMUM", "MINIMUM"])]
    return cardinal(rng.choice([5, 10, 20, 25, 30, 40, 50, 60, 70, 75, 80, 90, 100,
                                rng.randint(1, 100)])) + ["PERCENT"]


def temperature(rng: random.Random) -> list[str]:
    if rng.random() < 0.5:
        words = cardinal(rng.randint(60, 80)) + ["DEGREES"]
    else:
        words = cardinal(rng.randint(16, 28)) + ["DEGREES"]
        if rng.random() < 0.4:
            words.append("CELSIUS")
    return words


def year_slot(rng: random.Random) -> list[str]:
    return year(rng.randint(1900, 2035))
