"""The catalogue of synthetic speakers and which split each belongs to.

A speaker is one TTS voice with fixed settings (accent, variant, rate, pitch). The
catalogue is a pure function of the installed voices listed here, not of the seed, so
the held-out test voices are the same in every run.

Split rules (see data/README.md):
- espeak-ng: a voice is an (accent, variant) pair. Variants in TEST_VARIANTS are test only,
  with every accent. Accents in DEV_ACCENTS combined with the other variants are dev only
  (accent never heard in training, timbre heard). Everything else is train.
- flite and festival: a voice is a whole engine voice; TEST_ENGINE_VOICES are test only.
"""
import hashlib
from dataclasses import dataclass

# espeak-ng language -> accent label written to the manifest.
ESPEAK_ACCENTS = {
    "en-gb": "gb", "en-us": "us", "en-gb-scotland": "gb-scotland", "en-gb-x-gbclan": "gb-lancaster",
    "en-gb-x-rp": "gb-rp", "en-us-nyc": "us-nyc", "en-029": "caribbean",
    "en-gb-x-gbcwmd": "gb-west-midlands",
}
# Variant file name -> gender, from `espeak-ng --voices=variant` (espeak-ng 1.51).
# "" is the plain voice. Variants that are novelty effects rather than voices
# (Demonic, croak, Half-Life announcer, robots) are left out.
ESPEAK_VARIANTS = {
    "": "m", "m1": "m", "m2": "m", "m3": "m", "m4": "m", "m5": "m", "m6": "m", "m7": "m",
    "m8": "m", "f1": "f", "f2": "f", "f3": "f", "f4": "f", "f5": "f",
    "klatt": "m", "klatt2": "m", "klatt3": "m", "klatt4": "m", "klatt5": "m", "klatt6": "m",
    "whisper": "m", "whisperf": "f",
    "adam": "m", "Alex": "m", "Alicia": "f", "Andrea": "f", "Andy": "m", "Annie": "f",
    "antonio": "m", "aunty": "f", "belinda": "f", "benjamin": "m", "boris": "m", "caleb": "m",
    "david": "m", "Denis": "m", "Diogo": "m", "ed": "m", "edward": "m", "edward2": "m",
    "Gene": "m", "Gene2": "m", "gustave": "m", "Henrique": "m", "Hugo": "m", "iven": "m",
    "iven2": "m", "iven3": "m", "iven4": "m", "Jacky": "m", "john": "m", "kaukovalta": "m",
    "Lee": "m", "linda": "f", "marcelo": "m", "Marco": "m", "Mario": "m", "max": "m",
    "Michael": "m", "michel": "m", "miguel": "m", "Mike": "m", "Nguyen": "m", "pablo": "m",
    "paul": "m", "pedro": "m", "quincy": "m", "rob": "m", "robert": "m", "steph": "f",
    "steph2": "f", "steph3": "f", "Storm": "m", "Tweaky": "m", "zac": "m", "anika": "f",
    "AnxiousAndy": "m", "grandpa": "m", "grandma": "f", "norbert": "m", "sandro": "m",
    "shelby": "m", "travis": "m", "victor": "m",
}
WHISPER_VARIANTS = {"whisper", "whisperf"}
TEST_VARIANTS = {"f4", "m6", "klatt3", "whisperf", "Andrea", "benjamin", "Gene2", "iven3",
                 "anika", "travis", "steph2", "Mario"}
DEV_ACCENTS = {"en-029", "en-gb-x-gbcwmd"}

# (engine, voice) -> (gender, accent). flite voices are the ones `flite -lv` lists;
# festival voices are the Debian festvox packages.
ENGINE_VOICES = {
    ("flite", "kal16"): ("m", "us"), ("flite", "rms"): ("m", "us"),
    ("flite", "slt"): ("f", "us"), ("flite", "awb"): ("m", "gb-scotland"),
    ("festival", "kal_diphone"): ("m", "us"), ("festival", "ked_diphone"): ("m", "us"),
    ("festival", "cmu_us_slt_arctic_hts"): ("f", "us"),
}
TEST_ENGINE_VOICES = {("flite", "awb"), ("festival", "ked_diphone")}
# Settings per engine voice: duration stretch (1 = engine default) and pitch scale.
ENGINE_SETTINGS = [(1.0, 1.0), (0.88, 1.1), (1.15, 0.92)]
# Base F0 (Hz) used for pitch scaling of flite and festival diphone voices.
BASE_F0 = {"kal16": 105, "rms": 100, "slt": 170, "awb": 110, "kal_diphone": 105, "ked_diphone": 105}


@dataclass(frozen=True)
class Speaker:
    id: str
    engine: str       # espeak-ng | flite | festival
    voice: str        # engine voice name, e.g. "en-us+f3", "slt", "kal_diphone"
    gender: str
    accent: str
    split: str
    whispered: bool
    rate: float       # espeak-ng: words per minute; others: duration stretch
    pitch: float      # espeak-ng: 0..99; others: pitch scale (1 = default)


def _stable_unit(text: str) -> float:
    return int.from_bytes(hashlib.sha1(text.encode()).digest()[:4], "big") / 2**32


def all_speakers() -> list[Speaker]:
    speakers = []
    for lang, accent in ESPEAK_ACCENTS.items():
        for variant, gender in ESPEAK_VARIANTS.items():
            if variant in TEST_VARIANTS:
                split = "test"
            elif lang in DEV_ACCENTS:
                split = "dev"
            else:
                split = "train"
            voice = lang + (f"+{variant}" if variant else "")
            u = _stable_unit(voice)
            rate = 130 + round(70 * u)                                   # 130..200 wpm
            pitch = 30 + round(40 * _stable_unit(voice + "/pitch"))      # 30..70
            sid = f"synth_espeak_{lang}_{variant or 'default'}_s{rate}_p{pitch}"
            speakers.append(Speaker(sid, "espeak-ng", voice, gender, accent, split,
                                    variant in WHISPER_VARIANTS, rate, pitch))
    for (engine, voice), (gender, accent) in ENGINE_VOICES.items():
        split = "test" if (engine, voice) in TEST_ENGINE_VOICES else "train"
        # The HTS voice ignores Duration_Stretch and int_lr_params, so it has one setting.
        settings = ENGINE_SETTINGS if voice in BASE_F0 else ENGINE_SETTINGS[:1]
        for stretch, pitch in settings:
            sid = f"synth_{engine}_{voice}_d{round(stretch * 100)}_p{round(pitch * 100)}"
            speakers.append(Speaker(sid, engine, voice, gender, accent, split, False, stretch, pitch))
    return speakers


# Share of utterances per engine; flite and festival have few voices, so they are
# sampled per engine rather than per speaker.
ENGINE_WEIGHTS = {"espeak-ng": 0.64, "flite": 0.24, "festival": 0.12}


def speakers_by_engine(split: str) -> dict[str, list[Speaker]]:
    grouped = {}
    for s in all_speakers():
        if s.split == split:
            grouped.setdefault(s.engine, []).append(s)
    return grouped
