#!/usr/bin/python3
"""Writes a PyTorch parity fixture for the LibTorch VALOR++ (tests/models/tst_pytorch_import):

  DIR/state_dict.pt      torch.save(model.state_dict()) -- zip format, the spec's key names
  DIR/fixture.json       the configuration and the input shapes / salts
  DIR/expected/<name>.npy  every output of the eval-mode forward pass (float32)
  DIR/inputs/{audio,visual,motion}.npy  with --with-inputs (the tests recompute them
                         from fixture_input(), so the committed fixtures leave them out)

Presets: tiny-clap (H 32, 2 layers, 4 heads, CLAP tokens + CLIP + motion, post-norm),
tiny-resnet (H 32, 2 layers, VGGish + ResNet152, no motion, pre-norm) and full (the
VALOR++ defaults: H 256, 4 layers, 8 heads, ff 1024, CLAP + CLIP + motion).

Run with Debian's python3-torch: /usr/bin/python3 tools/pytorch_reference/make_fixture.py
--preset tiny-clap --out tests/data/models/pytorch_tiny_clap"""

import argparse
import json
import os

import numpy as np
import torch

from valor_reference import ValorReference, fixture_input

PRESETS = {
    "tiny-clap": dict(hidden=32, layers=2, heads=4, ff=64, norm="post", use_motion=True,
                      audio=(64, 768), visual=(10, 768), batch=2),
    "tiny-resnet": dict(hidden=32, layers=2, heads=4, ff=64, norm="pre", use_motion=False,
                        audio=(10, 128), visual=(80, 2048), batch=2),
    "full": dict(hidden=256, layers=4, heads=8, ff=1024, norm="post", use_motion=True,
                 audio=(64, 768), visual=(10, 768), batch=4),
}
SALTS = {"audio": 1, "visual": 2, "motion": 3}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--preset", choices=sorted(PRESETS), required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--with-inputs", action="store_true")
    args = ap.parse_args()
    p = PRESETS[args.preset]

    torch.manual_seed(args.seed)
    model = ValorReference(audio_dim=p["audio"][1], visual_dim=p["visual"][1], hidden=p["hidden"],
                           layers=p["layers"], heads=p["heads"], ff=p["ff"], dropout=0.1,
                           norm=p["norm"], use_motion=p["use_motion"])
    # PyTorch initialises LayerNorm to (1, 0) and attention biases to 0; perturb every
    # parameter so that a wrongly wired or ignored one changes the outputs.
    with torch.no_grad():
        for name, t in model.named_parameters():
            if name.endswith("norm1.weight") or name.endswith("norm2.weight") or "final_norm" in name:
                t.add_(0.1 * torch.randn_like(t))
            elif name.endswith("bias"):
                t.add_(0.05 * torch.randn_like(t))
    model.eval()

    b = p["batch"]
    inputs = {"audio": fixture_input((b,) + p["audio"], SALTS["audio"]),
              "visual": fixture_input((b,) + p["visual"], SALTS["visual"])}
    if p["use_motion"]:
        inputs["motion"] = fixture_input((b, 10, 512), SALTS["motion"])
    with torch.no_grad():
        out = model(inputs["audio"], inputs["visual"], inputs.get("motion"))

    os.makedirs(os.path.join(args.out, "expected"), exist_ok=True)
    torch.save(model.state_dict(), os.path.join(args.out, "state_dict.pt"))
    for k, v in out.items():
        np.save(os.path.join(args.out, "expected", k + ".npy"), v.numpy().astype(np.float32))
    if args.with_inputs:
        os.makedirs(os.path.join(args.out, "inputs"), exist_ok=True)
        for k, v in inputs.items():
            np.save(os.path.join(args.out, "inputs", k + ".npy"), v.numpy())
    meta = {"preset": args.preset, "seed": args.seed, "hidden": p["hidden"], "layers": p["layers"],
            "heads": p["heads"], "ff": p["ff"], "norm": p["norm"], "use_motion": p["use_motion"],
            "batch": b, "inputs": {k: {"shape": list(v.shape), "salt": SALTS[k]} for k, v in inputs.items()},
            "torch": torch.__version__}
    with open(os.path.join(args.out, "fixture.json"), "w") as f:
        json.dump(meta, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
