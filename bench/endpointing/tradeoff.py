#!/usr/bin/python3
"""Latency against early cut-off rate of the final and speculative end-pointers (issue 5 item 3).

Runs `edgevoice endpoint-eval --json` for a range of rule-2 thresholds (the speculative end-pointer 200 ms below
the final one) and draws both curves into one image:

  /usr/bin/python3 bench/endpointing/tradeoff.py --manifest /work/cache/synth/manifest_test.jsonl --every 6 \
      --out docs/endpointing-tradeoff.png --json docs/endpointing-tradeoff.json -- --silence-energy-db -45

Arguments after `--` go to every endpoint-eval run (model, energy threshold, ...).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def run(cli: list, manifest: str, every: int, limit: int | None, final: float, speculative: float, extra: list) -> dict:
    cmd = cli + ["endpoint-eval", manifest, "--json", "--every", str(every),
                 "--final-silence", f"{final:.2f}", "--speculative-silence", f"{speculative:.2f}"] + extra
    if limit:
        cmd += ["--limit", str(limit)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    report = json.loads(out)
    report.pop("per_utterance", None)
    return report


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--manifest", required=True)
    ap.add_argument("--every", type=int, default=1)
    ap.add_argument("--limit", type=int)
    ap.add_argument("--thresholds", default="0.4,0.5,0.6,0.7,0.8,1.0", help="final rule-2 thresholds in seconds")
    ap.add_argument("--gap", type=float, default=0.2, help="speculative threshold = final - gap")
    ap.add_argument("--cli", default=os.path.join(ROOT, "edgevoice"), help="the edgevoice command (or a .dll run with dotnet)")
    ap.add_argument("--out", required=True, help="image (.png or .svg)")
    ap.add_argument("--json", help="also write the measured points here")
    args, extra = ap.parse_known_args()
    extra = [e for e in extra if e != "--"]
    cli = ["dotnet", args.cli] if args.cli.endswith(".dll") else [args.cli]

    points = []
    for f in [float(x) for x in args.thresholds.split(",")]:
        s = round(f - args.gap, 3)
        r = run(cli, args.manifest, args.every, args.limit, f, s, extra)
        points.append({"final_threshold": f, "speculative_threshold": s, "report": r})
        print(f"final {f:.2f} s: median {r['final']['latency_median_ms']} ms, premature {r['final']['premature_percent']}% | "
              f"speculative {s:.2f} s: median {r['speculative']['latency_median_ms']} ms, premature {r['speculative']['premature_percent']}%",
              file=sys.stderr)

    if args.json:
        with open(args.json, "w") as fh:
            json.dump({"manifest": args.manifest, "every": args.every, "extra": extra, "points": points}, fh, indent=1)

    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(7, 4.5), dpi=110)
    for name, key, marker in (("final", "final_threshold", "o"), ("speculative", "speculative_threshold", "s")):
        xs = [p["report"][name]["premature_percent"] for p in points]
        ys = [p["report"][name]["latency_median_ms"] for p in points]
        p90 = [p["report"][name]["latency_p90_ms"] for p in points]
        ax.plot(xs, ys, marker=marker, label=f"{name} (median)")
        ax.plot(xs, p90, marker=marker, linestyle=":", alpha=0.6, label=f"{name} (90th percentile)")
        for p, x, y in zip(points, xs, ys):
            if x is not None and y is not None:
                ax.annotate(f"{p[key]:.2f} s", (x, y), textcoords="offset points", xytext=(4, 4), fontsize=7)
    ax.axhline(600, color="grey", linewidth=0.8, linestyle="--")
    ax.axvline(1, color="grey", linewidth=0.8, linestyle="--")
    ax.axvline(5, color="grey", linewidth=0.8, linestyle="-.")
    ax.set_xlabel("premature end-points (% of utterances)")
    ax.set_ylabel("latency after the end of speech (ms)")
    n = points[0]["report"]["utterances"]
    ax.set_title(f"End-pointer trade-off, rule-2 threshold swept ({n} utterances)", fontsize=10)
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(args.out)
    print(f"wrote {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
