"""Unit tests for the corpus generator (no TTS needed except where noted).

  cd data && /usr/bin/python3 -m unittest discover -s tests -t .
"""
import random
import shutil
import unittest

import numpy as np

from synth import augment, number_words
from synth.text_source import TextSource, normalise
from synth.utterance_plan import Planner
from synth.voices import all_speakers


class NumberWordsTests(unittest.TestCase):
    def test_cardinal_and_ordinal(self):
        self.assertEqual(number_words.cardinal(0), ["ZERO"])
        self.assertEqual(number_words.cardinal(125), "ONE HUNDRED TWENTY FIVE".split())
        self.assertEqual(number_words.cardinal(40000), "FORTY THOUSAND".split())
        self.assertEqual(number_words.ordinal(23), "TWENTY THIRD".split())
        self.assertEqual(number_words.ordinal(40), ["FORTIETH"])
        self.assertEqual(number_words.ordinal(12), ["TWELFTH"])

    def test_years(self):
        self.assertEqual(number_words.year(1905), "NINETEEN OH FIVE".split())
        self.assertEqual(number_words.year(2008), "TWO THOUSAND EIGHT".split())
        self.assertEqual(number_words.year(2024), "TWENTY TWENTY FOUR".split())
        self.assertEqual(number_words.year(1900), "NINETEEN HUNDRED".split())


class TextTests(unittest.TestCase):
    def test_normalise_matches_real_manifest_style(self):
        self.assertEqual(normalise("  O'Brien-Smith, what's up? "), "O'BRIEN SMITH WHAT'S UP")

    def test_sentences_are_normalised_and_spans_point_at_values(self):
        source = TextSource("train")
        rng = random.Random(5)
        for _ in range(3000):
            s = source.sentence(rng)
            self.assertEqual(s.text, normalise(s.text))
            self.assertEqual(len(s.words), len(s.tts_words))
            for e in s.entities:
                span = " ".join(s.words[e.start_word:e.end_word])
                self.assertTrue(span == e.text or span == e.text + "'S", (s.text, e))

    def test_held_out_names_are_disjoint(self):
        train, test = TextSource("train"), TextSource("test")
        self.assertFalse(set(train.first_names) & set(test.first_names))
        self.assertFalse(set(train.last_names) & set(test.last_names))
        self.assertFalse(set(train.lists["cities"]) & set(test.lists["cities"]))
        self.assertGreaterEqual(len(train.first_names) + len(test.first_names), 800)


class PlanTests(unittest.TestCase):
    def test_plan_is_a_function_of_seed_split_index(self):
        a, b = Planner(7, "train"), Planner(7, "train")
        self.assertEqual([a.plan(i) for i in (5, 0, 99)], [b.plan(i) for i in (5, 0, 99)])
        self.assertNotEqual(a.plan(1), Planner(8, "train").plan(1))

    def test_voices_do_not_cross_splits(self):
        by_voice = {}
        for s in all_speakers():
            self.assertTrue(s.id.startswith("synth_"))
            by_voice.setdefault((s.engine, s.voice), set()).add(s.split)
        self.assertTrue(all(len(splits) == 1 for splits in by_voice.values()))


class AugmentTests(unittest.TestCase):
    def test_resample_keeps_a_tone(self):
        t = np.arange(22050) / 22050
        y = augment.resample(np.sin(2 * np.pi * 440 * t).astype(np.float32), 22050, 16000)
        self.assertEqual(len(y), 16000)
        peak_hz = np.argmax(np.abs(np.fft.rfft(y))) * 16000 / len(y)
        self.assertAlmostEqual(peak_hz, 440, delta=2)

    def test_add_noise_hits_the_snr(self):
        rng = np.random.default_rng(0)
        x = rng.standard_normal(16000).astype(np.float32) * 0.1
        noise = augment.coloured_noise("pink", 16000, rng)
        y = augment.add_noise(x, noise, 10.0, slice(0, 16000))
        snr = 10 * np.log10(np.mean(x ** 2) / np.mean((y - x) ** 2))
        self.assertAlmostEqual(snr, 10.0, places=3)

    def test_telephone_removes_low_and_high_bands(self):
        t = np.arange(16000) / 16000
        x = (np.sin(2 * np.pi * 100 * t) + np.sin(2 * np.pi * 1000 * t) + np.sin(2 * np.pi * 6000 * t)).astype(np.float32)
        spectrum = np.abs(np.fft.rfft(augment.telephone(x, round_trip_8k=True, mu_law=False)))
        self.assertLess(spectrum[100], 0.01 * spectrum[1000])
        self.assertLess(spectrum[6000], 0.01 * spectrum[1000])

    @unittest.skipUnless(shutil.which("espeak-ng"), "espeak-ng not installed")
    def test_speech_bounds_find_tts_speech(self):
        import tempfile
        from pathlib import Path
        from synth.tts_engines import synth_espeak
        speaker = next(s for s in all_speakers() if s.voice == "en-us")
        with tempfile.TemporaryDirectory() as tmp:
            samples, rate = synth_espeak(speaker, "turn on the lights", Path(tmp) / "a.wav")
        y = augment.resample(samples, rate, 16000)
        start, end = augment.speech_bounds(y)
        self.assertLess(start, end)
        self.assertGreater((end - start) / 16000, 0.5)


if __name__ == "__main__":
    unittest.main()
