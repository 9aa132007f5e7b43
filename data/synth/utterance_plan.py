"""Deterministic plan of one utterance: its sentence, speaker and augmentation.

plan(split, index) depends only on (seed, split, index) and the files under data/, never
on how many utterances or workers there are, so a corpus can be extended or resumed and
every run with the same seed gives the same plans.
"""
import random
from dataclasses import asdict

from .text_source import TextSource
from .voices import ENGINE_WEIGHTS, speakers_by_engine

SPLIT_CODES = {"train": 1, "dev": 2, "test": 3, "babble": 4}

# Augmentation distribution (one source of truth; documented in data/README.md).
CLEAN_PROBABILITY = 0.30
SPEEDS = (0.9, 1.0, 1.1)
NOISE_PROBABILITY = 0.65
NOISE_KINDS = {"white": 0.15, "pink": 0.25, "brown": 0.20, "babble": 0.40}
SNR_RANGE_DB = (0.0, 30.0)
BABBLE_TALKERS = (3, 7)
REVERB_PROBABILITY = 0.35
RT60_RANGE_S = (0.15, 0.9)
DRR_RANGE_DB = (-3.0, 12.0)
TELEPHONE_PROBABILITY = 0.15
ROUND_TRIP_8K_PROBABILITY = 0.6
MU_LAW_PROBABILITY = 0.5
GAIN_PROBABILITY = 0.7
GAIN_RANGE_DB = (-20.0, 6.0)
LEAD_PAD_S = (0.10, 0.80)
TAIL_PAD_S = (0.20, 0.80)
BASE_LEVEL_DBFS = -22.0


class Planner:
    def __init__(self, seed: int, split: str):
        self.seed, self.split = seed, split
        self.text = TextSource(split)
        self.speakers = speakers_by_engine(split)
        self.engines = [e for e in ENGINE_WEIGHTS if e in self.speakers]
        self.engine_weights = [ENGINE_WEIGHTS[e] for e in self.engines]

    def rng(self, index: int, purpose: str = "plan") -> random.Random:
        return random.Random(f"edgevoice-synth/{self.seed}/{self.split}/{index}/{purpose}")

    def sentence(self, index: int):
        return self.text.sentence(self.rng(index, "text"))

    def plan(self, index: int) -> dict:
        rng = self.rng(index)
        sentence = self.sentence(index)
        engine = rng.choices(self.engines, self.engine_weights)[0]
        speaker = rng.choice(self.speakers[engine])
        return {
            "id": f"synth_{self.split}_{index:07d}",
            "index": index,
            "split": self.split,
            "domain": sentence.domain,
            "text": sentence.text,
            "tts_text": sentence.tts_text,
            "entities": [asdict(e) for e in sentence.entities],
            "speaker": asdict(speaker),
            "augmentation": self._augmentation(rng),
            "noise_seed": [self.seed, SPLIT_CODES[self.split], index],
        }

    @staticmethod
    def _augmentation(rng: random.Random) -> dict:
        aug = {"clean": rng.random() < CLEAN_PROBABILITY,
               "lead_pad_s": round(rng.uniform(*LEAD_PAD_S), 3),
               "tail_pad_s": round(rng.uniform(*TAIL_PAD_S), 3),
               "speed": 1.0, "reverb": None, "noise": None, "telephone": None, "gain_db": 0.0}
        if aug["clean"]:
            return aug
        aug["speed"] = rng.choice(SPEEDS)
        if rng.random() < REVERB_PROBABILITY:
            aug["reverb"] = {"rt60_s": round(rng.uniform(*RT60_RANGE_S), 3),
                             "drr_db": round(rng.uniform(*DRR_RANGE_DB), 1)}
        if rng.random() < NOISE_PROBABILITY:
            kind = rng.choices(list(NOISE_KINDS), list(NOISE_KINDS.values()))[0]
            aug["noise"] = {"type": kind, "snr_db": round(rng.uniform(*SNR_RANGE_DB), 1)}
            if kind == "babble":
                aug["noise"]["talkers"] = rng.randint(*BABBLE_TALKERS)
        if rng.random() < TELEPHONE_PROBABILITY:
            trip = rng.random() < ROUND_TRIP_8K_PROBABILITY
            aug["telephone"] = {"band_hz": [300, 3400], "round_trip_8k": trip,
                                "mu_law": trip and rng.random() < MU_LAW_PROBABILITY}
        if rng.random() < GAIN_PROBABILITY:
            aug["gain_db"] = round(rng.uniform(*GAIN_RANGE_DB), 1)
        return aug
