#!/usr/bin/python3
"""Decode the evaluation splits and report WER per corpus (greedy and/or beam search).

  /usr/bin/python3 training/decode.py --checkpoint models/convrnnt-small.evm --decode-method both \
      --manifests /work/shared/data/real/manifest.jsonl /work/cache/synth/manifest.jsonl \
      --exp-dir /work/cache/exp/decode-convrnnt-small

Evaluates split "dev" of every manifest whose corpus has no "test" split, and split "test"
otherwise (the real data has no test split; the synthetic corpus does). Writes, per method,
<exp-dir>/<method>/<corpus>.{ref,hyp}.trn, sclite's summary when sclite is installed
(case-insensitive, `sclite -i rm`) and <exp-dir>/wer.json. The printed WER comes from
search.word_error_rate (sclite's costs: substitution 4, insertion 3, deletion 3) and is
checked against sclite when it is available.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import sentencepiece as spm  # noqa: E402
import torch  # noqa: E402

from checkpoint import load_any  # noqa: E402
from data import collate, load_sets, make_batches, read_manifest  # noqa: E402
from params import Params, parse_params  # noqa: E402
from search import greedy_search, modified_beam_search, pieces_to_text, word_error_rate  # noqa: E402


def eval_split(manifest: str) -> str:
    splits = {r.get("split") for r in read_manifest(manifest)}
    return "test" if "test" in splits else "dev"


def find_sclite() -> str:
    for c in (shutil.which("sclite"), "/usr/lib/sctk/bin/sclite"):
        if c and os.path.exists(c):
            return c
    return ""


def sclite_wer(sclite: str, ref: str, hyp: str) -> float:
    out = subprocess.run([sclite, "-r", ref, "trn", "-h", hyp, "trn", "-i", "rm", "-o", "sum", "stdout"],
                         capture_output=True, text=True).stdout
    for line in out.splitlines():
        if "Sum/Avg" in line:
            nums = re.findall(r"[-\d.]+", line.split("|", 3)[3])
            return float(nums[4])   # Corr Sub Del Ins Err S.Err
    raise RuntimeError("could not parse sclite output:\n" + out)


def write_trn(path: str, ids, texts) -> None:
    with open(path, "w", encoding="utf-8") as f:
        for u, t in zip(ids, texts):
            f.write(f"{t.lower()} ({u})\n")


def decode_set(model, fs, method: str, p: Params):
    hyps = [None] * len(fs)
    for idx in make_batches(fs.lengths, 20000, 0):
        feats, lengths = collate(fs, idx)
        with torch.no_grad():
            enc, enc_lens = model.encode(feats, lengths)
        if method == "greedy":
            for i, h in zip(idx, greedy_search(model, enc, enc_lens)):
                hyps[i] = h
        else:
            for k, i in enumerate(idx):
                hyps[i] = modified_beam_search(model, enc[k, :int(enc_lens[k])], p.beam)
    return hyps


def decode_all(model, pieces, p: Params, log=print) -> dict:
    methods = ["greedy", "beam"] if p.decode_method == "both" else [p.decode_method]
    sclite = find_sclite()
    results = {}
    for manifest in p.manifests:
        split = eval_split(manifest)
        fs = load_sets(p.feats_dir, [manifest], [split], p.limit_utts)
        for method in methods:
            started = time.time()
            hyps = decode_set(model, fs, method, p)
            texts = [pieces_to_text(pieces, h) for h in hyps]
            out_dir = os.path.join(p.exp_dir, method)
            os.makedirs(out_dir, exist_ok=True)
            for corpus in sorted(set(fs.corpora)):
                sel = [i for i, c in enumerate(fs.corpora) if c == corpus]
                refs = [fs.texts[i] for i in sel]
                res = word_error_rate(refs, [texts[i] for i in sel])
                res["split"] = split
                ref_trn = os.path.join(out_dir, f"{corpus}.ref.trn")
                hyp_trn = os.path.join(out_dir, f"{corpus}.hyp.trn")
                write_trn(ref_trn, [fs.ids[i] for i in sel], refs)
                write_trn(hyp_trn, [fs.ids[i] for i in sel], [texts[i] for i in sel])
                if sclite:
                    res["sclite_wer"] = sclite_wer(sclite, ref_trn, hyp_trn)
                results.setdefault(method, {})[corpus] = res
                log(f"{method:6s} {corpus:16s} {split:5s} WER {res['wer']:6.2f}% "
                    f"(sclite {res.get('sclite_wer', float('nan')):.2f}) "
                    f"[{res['words']} words, S {res['sub']} D {res['del']} I {res['ins']}, {res['utterances']} utts]")
            log(f"{method} decoding of {len(fs)} utterances took {time.time() - started:.0f} s")
    return results


def main() -> None:
    p = parse_params(__doc__)
    torch.set_num_threads(p.threads)
    model, info = load_any(p.checkpoint, p)
    if p.checkpoint.endswith(".evm"):
        pieces = info["metadata"]["tokenizer"]["pieces"]
    else:
        sp = spm.SentencePieceProcessor(model_file=info.get("tokenizer", p.tokenizer))
        pieces = [sp.id_to_piece(i) for i in range(sp.get_piece_size())]
    os.makedirs(p.exp_dir, exist_ok=True)
    results = decode_all(model, pieces, p)
    results["checkpoint"] = p.checkpoint
    results["command"] = "/usr/bin/python3 " + " ".join(sys.argv)
    with open(os.path.join(p.exp_dir, "wer.json"), "w", encoding="utf-8") as f:
        json.dump(results, f, indent=1)
    print(f"wrote {os.path.join(p.exp_dir, 'wer.json')}")


if __name__ == "__main__":
    main()
