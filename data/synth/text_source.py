"""Sentences for the synthetic corpus: templates with slots, filled from word lists.

A sentence is a Sentence: the transcript words (normalised like the real manifest), the
words handed to the TTS engine (same count, sometimes spelled differently, e.g. a
spelled-out letter), its domain and its entity spans.

Held-out values: every list-based slot value whose stable hash falls in the held-out
bucket belongs to the test split only, so test contact names, artists, cities and so on
never occur in train or dev text. The bucket depends on the value alone, not on the seed.
"""
import hashlib
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import number_words

DATA_DIR = Path(__file__).resolve().parent.parent
HELD_OUT_PERCENT = 15

# Template domain -> sampling weight for audio and text.
DOMAIN_WEIGHTS = {
    "smart_home": 0.16, "timers": 0.11, "communication": 0.15, "music": 0.12,
    "weather": 0.08, "shopping": 0.08, "reminders": 0.10, "numbers": 0.10, "read": 0.10,
}

# Slot name -> (entity type, word list file or None for a number generator).
LIST_SLOTS = {
    "device": ("device", "devices"), "room": ("room", "rooms"), "color": ("color", "colors"),
    "artist": ("artist", "artists"), "song": ("song", "songs"),
    "playlist": ("playlist", "playlists"), "genre": ("genre", "genres"),
    "city": ("city", "cities"), "item": ("item", "items"), "task": ("task", "tasks"),
    "message": ("message", "messages"), "animal": ("animal", "read_animals"),
    "food": ("food", "read_foods"), "place": ("place", "read_places"),
    "thing": ("thing", "read_things"),
}
# Small closed classes shared by all splits: holding out "kitchen" would only make
# test sentences odd, so these lists are not split.
SHARED_LISTS = {"rooms", "colors", "genres", "read_animals", "read_foods", "read_places",
                "read_things", "messages", "devices"}
NUMBER_SLOTS = {
    "number": number_words.number, "digit": number_words.digit, "digits": number_words.digits,
    "time": number_words.clock_time, "duration": number_words.duration,
    "date": number_words.date, "day": number_words.day, "level": number_words.level,
    "temperature": number_words.temperature, "year": number_words.year_slot,
}
LETTERS_SAID_AS_WORDS = {"A", "I"}
_ALLOWED = re.compile(r"[^A-Z' ]+")


def normalise(text: str) -> str:
    """Upper case, hyphens to spaces, only apostrophes kept, single spaces."""
    text = _ALLOWED.sub(" ", text.upper().replace("-", " "))
    return " ".join(w.strip("'") or w for w in text.split())


def is_held_out(value: str) -> bool:
    digest = hashlib.sha1(normalise(value).encode()).digest()
    return int.from_bytes(digest[:4], "big") % 100 < HELD_OUT_PERCENT


def read_list(name: str) -> list[str]:
    path = DATA_DIR / "words" / f"{name}.txt"
    seen, values = set(), []
    for line in path.read_text(encoding="utf-8").splitlines():
        value = normalise(line) if not line.startswith("#") else ""
        if value and value not in seen:
            seen.add(value)
            values.append(value)
    return values


@dataclass
class Entity:
    type: str
    text: str
    start_word: int
    end_word: int  # exclusive


@dataclass
class Sentence:
    domain: str
    words: list[str]
    tts_words: list[str]
    entities: list[Entity] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(self.words)

    @property
    def tts_text(self) -> str:
        return " ".join(self.tts_words)


def _tts_form(word: str) -> str:
    """How a transcript word is handed to a TTS engine (lower case reads most naturally)."""
    if len(word) == 1 and word not in LETTERS_SAID_AS_WORDS:
        return word + ","
    return word.lower()


class TextSource:
    """Fills templates for one split ('train', 'dev' or 'test')."""

    def __init__(self, split: str):
        self.split = split
        want_held_out = split == "test"
        self.lists = {}
        for _, name in LIST_SLOTS.values():
            self.lists[name] = self._pick(read_list(name), name, want_held_out)
        self.first_names = self._pick(read_list("first_names"), "first_names", want_held_out)
        self.last_names = self._pick(read_list("last_names"), "last_names", want_held_out)
        self.templates = {d: self._read_templates(d) for d in DOMAIN_WEIGHTS}
        self.domains = list(DOMAIN_WEIGHTS)
        self.domain_weights = [DOMAIN_WEIGHTS[d] for d in self.domains]

    @staticmethod
    def _pick(values, name, want_held_out):
        if name in SHARED_LISTS:
            return values
        return [v for v in values if is_held_out(v) == want_held_out]

    @staticmethod
    def _read_templates(domain):
        path = DATA_DIR / "templates" / f"{domain}.txt"
        lines = path.read_text(encoding="utf-8").splitlines()
        return [l.strip() for l in lines if l.strip() and not l.startswith("#")]

    def sentence(self, rng: random.Random) -> Sentence:
        domain = rng.choices(self.domains, self.domain_weights)[0]
        template = rng.choice(self.templates[domain])
        return self.expand(domain, template, rng)

    def expand(self, domain: str, template: str, rng: random.Random) -> Sentence:
        chosen = re.sub(r"\(([^()]*)\)", lambda m: rng.choice(m.group(1).split("|")), template)
        out = Sentence(domain, [], [])
        for token in chosen.split():
            match = re.fullmatch(r"\{(\w+)\}('S)?", token)
            if not match:
                for word in normalise(token).split():
                    out.words.append(word)
                    out.tts_words.append(_tts_form(word))
                continue
            entity_type, words, tts_words = self._fill(match.group(1), rng)
            start = len(out.words)
            out.words += words
            out.tts_words += tts_words
            if match.group(2):
                out.words[-1] += "'S"
                out.tts_words[-1] += "'s"
            out.entities.append(Entity(entity_type, " ".join(words), start, len(out.words)))
        return out

    def _fill(self, slot, rng):
        if slot in LIST_SLOTS:
            entity_type, name = LIST_SLOTS[slot]
            words = rng.choice(self.lists[name]).split()
            return entity_type, words, [_tts_form(w) for w in words]
        if slot in NUMBER_SLOTS:
            words = " ".join(NUMBER_SLOTS[slot](rng)).split()
            tts = [_tts_form(w) for w in words]
            # Spoken clock suffixes: "A M" is read as letters.
            for i in range(len(words) - 1):
                if words[i] in ("A", "P") and words[i + 1] == "M" and slot == "time":
                    tts[i], tts[i + 1] = words[i].lower() + ".", "m."
            return slot, words, tts
        if slot == "contact":
            r = rng.random()
            if r < 0.4:
                words = rng.choice(self.first_names).split()
            else:
                words = (rng.choice(self.first_names) + " " + rng.choice(self.last_names)).split()
            return "contact", words, [_tts_form(w) for w in words]
        if slot == "surname":
            words = rng.choice(self.last_names).split()
            return "contact", words, [_tts_form(w) for w in words]
        if slot == "person":
            words = rng.choice(self.first_names).split()
            return "person", words, [_tts_form(w) for w in words]
        if slot == "spelled":
            return self._spelled(rng)
        raise KeyError(f"unknown slot {{{slot}}}: add it to data/synth/text_source.py and data/README.md")

    def _spelled(self, rng):
        r = rng.random()
        if r < 0.5:
            source = rng.choice(self.first_names + self.last_names)
        elif r < 0.8:
            source = rng.choice(self.lists["cities"])
        else:
            source = "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(rng.randint(2, 5)))
        letters = [c for c in source if "A" <= c <= "Z"][:12]
        return "spelled", letters, [c + "," for c in letters]
