#!/usr/bin/python3
"""Times the PyTorch reference models for `avvp bench`: VALOR++ (valor_reference.py) with
the literal CLAP frontend (as VALOR computes it) and the folded one, or LINK
(link_reference.py, folded frontend, --switches): forward throughput per batch size (LINK:
its two passes with self labels) and one training step (forward, loss, backward, clip,
AdamW). Prints one JSON object per line; the first line describes the run (and whether
torch.compile can be had). With --serve it measures what each line of its input asks instead
(how `avvp bench` interleaves its rows with ours), eagerly or, when a request says
"compiled", with the model under torch.compile (PyTorch 2.0 or later)."""

import argparse
import json
import sys
import time

import torch
import torch.nn.functional as F

from link_reference import LinkReference, link_loss
from valor_reference import ValorReference, valor_loss


def fold_matrix():
    basis = torch.eye(64, dtype=torch.float64).view(64, 1, 2, 32)
    up = F.interpolate(basis, size=(2, 1024), mode="bicubic", align_corners=False)
    return F.adaptive_avg_pool1d(up.mean(dim=2), 10).view(64, 10).t().contiguous()


class Folded(ValorReference):
    """The same model with the CLAP frontend folded onto the 10 segments."""

    def audio_frontend(self, audio):
        if audio.size(1) == 64:
            if not hasattr(self, "_fold") or self._fold.device != audio.device:
                self._fold = fold_matrix().to(audio.device, audio.dtype)
            return self.fc_a(torch.matmul(self._fold, audio))
        return self.fc_a(audio)


class FoldedLink(LinkReference):
    """LINK with the CLAP frontend folded onto the 10 segments."""

    audio_frontend = Folded.audio_frontend


def timeit(fn, device, min_seconds, min_repeats):
    """Best time after a warm-up run (the minimum: other processes only add time); one
    timed run when the warm-up took over 3 s."""
    w0 = time.perf_counter()
    fn()  # warm-up
    if device.type == "cuda":
        torch.cuda.synchronize()
    if time.perf_counter() - w0 > 3.0:
        min_repeats = 1
    times = []
    start = time.perf_counter()
    while len(times) < min_repeats or time.perf_counter() - start < min_seconds:
        t0 = time.perf_counter()
        fn()
        if device.type == "cuda":
            torch.cuda.synchronize()
        times.append(time.perf_counter() - t0)
    return min(times)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--variant", choices=["valor", "link"], default="valor")
    ap.add_argument("--switches", default="tsam,cmim,plsim,sloss", help="LINK's modules that are on")
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--hidden", type=int, default=256)
    ap.add_argument("--layers", type=int, default=4)
    ap.add_argument("--heads", type=int, default=8)
    ap.add_argument("--ff", type=int, default=1024)
    ap.add_argument("--audio", default="64,768")
    ap.add_argument("--visual", default="10,768")
    ap.add_argument("--motion", type=int, default=512, help="0: no motion stream")
    ap.add_argument("--batches", default="1,64,1200")
    ap.add_argument("--train-batch", type=int, default=64)
    ap.add_argument("--literal-max-batch", type=int, default=64)
    ap.add_argument("--min-seconds", type=float, default=1.0)
    ap.add_argument("--min-repeats", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--serve", action="store_true", help="measure what stdin asks, one JSON line each")
    a = ap.parse_args()
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    device = torch.device(a.device)
    ar, ad = (int(x) for x in a.audio.split(","))
    vr, vd = (int(x) for x in a.visual.split(","))
    hello = {"torch": torch.__version__, "device": str(device), "threads": torch.get_num_threads(),
             "compile": hasattr(torch, "compile")}
    if not hello["compile"]:
        hello["compile_note"] = "torch.compile needs PyTorch 2.0 or later (this is torch %s)" % torch.__version__
    print(json.dumps(hello), flush=True)

    on = set(a.switches.split(","))
    link_kw = dict(tsam="tsam" in on, cmim="cmim" in on, plsim="plsim" in on, sloss="sloss" in on)

    def build(cls):
        torch.manual_seed(a.seed)
        kw = link_kw if issubclass(cls, LinkReference) else {}
        return cls(audio_dim=ad, visual_dim=vd, hidden=a.hidden, layers=a.layers, heads=a.heads, ff=a.ff,
                   use_motion=a.motion > 0, motion_dim=max(a.motion, 1), **kw).to(device)

    frontends = dict((("literal", ValorReference), ("folded", Folded))) if a.variant == "valor" else \
        dict((("folded", FoldedLink),))

    def inputs(b):
        g = torch.Generator().manual_seed(a.seed)
        x = (torch.randn(b, ar, ad, generator=g).to(device), torch.randn(b, vr, vd, generator=g).to(device))
        m = torch.randn(b, 10, a.motion, generator=g).to(device) if a.motion > 0 else None
        return x + (m,)

    # Built once and reused across requests (the server mode measures each several times),
    # keyed by frontend and whether the model is compiled.
    eval_models, train_states, last_inputs, warmed = {}, {}, {}, set()

    def impl(compiled):
        return "pytorch-compiled" if compiled else "pytorch"

    def warm(key, fn):
        """torch.compile compiles at the first call of each new shape: that call is made
        here, once, so that timeit's warm-up and timed runs see the compiled code."""
        if key[1] and key not in warmed:
            fn()
            warmed.add(key)

    def forward_row(frontend, b, compiled=False):
        row = {"impl": impl(compiled), "what": "forward", "frontend": frontend, "batch": b}
        if frontend == "literal" and device.type != "cuda" and b > a.literal_max_batch:
            row.update(seconds=0, note="literal CLAP frontend skipped above batch %d on CPU" % a.literal_max_batch)
            return row
        key = (frontend, compiled)
        if key not in eval_models:
            model = build(frontends[frontend]).eval()
            eval_models[key] = torch.compile(model) if compiled else model
        model = eval_models[key]
        if last_inputs.get("batch") != b:
            last_inputs.clear()
            last_inputs.update(batch=b, x=inputs(b))
        x = last_inputs["x"]
        with torch.no_grad():
            warm((frontend, compiled, b), lambda: model(*x))
            s = timeit(lambda: model(*x), device, a.min_seconds, a.min_repeats)
        row.update(seconds=s, videos_per_s=b / s)
        return row

    def train_row(frontend, compiled=False):
        b = a.train_batch
        row = {"impl": impl(compiled), "what": "train_step", "frontend": frontend, "batch": b}
        if frontend == "literal" and device.type != "cuda" and b > a.literal_max_batch:
            row.update(seconds=0, note="literal CLAP frontend skipped above batch %d on CPU" % a.literal_max_batch)
            return row
        key = (frontend, compiled)
        if key not in train_states:
            model = build(frontends[frontend]).train()
            run = torch.compile(model) if compiled else model
            opt = torch.optim.AdamW(model.parameters(), lr=3e-4, betas=(0.5, 0.999), eps=1e-8, weight_decay=1e-3)
            x = inputs(b)
            g = torch.Generator().manual_seed(a.seed + 1)
            weak = (torch.rand(b, 25, generator=g) < 0.1).float().to(device)
            pa = (torch.rand(b, 10, 25, generator=g) < 0.1).float().to(device)
            pv = (torch.rand(b, 10, 25, generator=g) < 0.1).float().to(device)

            def step():
                opt.zero_grad()
                if a.variant == "link":  # the stored pseudo labels are PLSIM's labels in training
                    loss, _ = link_loss(model, run(*x, labels=(pa, pv)), weak, pa, pv)
                else:
                    loss, _ = valor_loss(run(*x), weak, pa, pv)
                loss.backward()
                torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
                opt.step()

            train_states[key] = step
        warm((frontend, compiled, b), train_states[key])
        s = timeit(train_states[key], device, a.min_seconds, a.min_repeats)
        row.update(seconds=s, videos_per_s=b / s)
        return row

    if a.serve:
        # One request per line, {"what": "forward"|"train_step", "frontend": ..., "batch": N,
        # "compiled": optional bool}; one row per line in reply. `avvp bench` alternates these
        # with its own measurements. A compiled measurement that fails (no torch.compile, no
        # compiler, out of memory) is answered with seconds 0 and a note, not an exit.
        for line in sys.stdin:
            if not line.strip():
                continue
            q = json.loads(line)
            compiled = bool(q.get("compiled", False))
            if q["frontend"] not in frontends:
                row = {"error": "no %s frontend for %s" % (q["frontend"], a.variant)}
            elif compiled and not hello["compile"]:
                row = {"impl": impl(True), "seconds": 0, "note": hello["compile_note"]}
            else:
                try:
                    if q["what"] == "forward":
                        row = forward_row(q["frontend"], int(q["batch"]), compiled)
                    else:
                        row = train_row(q["frontend"], compiled)
                except Exception as e:  # noqa: BLE001 (reported, and the eager rows go on)
                    if not compiled:
                        raise
                    first = (str(e).strip().splitlines() or [type(e).__name__])[0][:300]
                    row = {"impl": impl(True), "seconds": 0, "note": "torch.compile failed: " + first}
                    eval_models.pop((q["frontend"], True), None)
                    train_states.pop((q["frontend"], True), None)
            print(json.dumps(row), flush=True)
        return

    for frontend in frontends:
        for b in (int(x) for x in a.batches.split(",")):
            print(json.dumps(forward_row(frontend, b)), flush=True)
        eval_models.pop((frontend, False), None)
    for frontend in frontends:
        print(json.dumps(train_row(frontend)), flush=True)
        train_states.pop((frontend, False), None)


if __name__ == "__main__":
    main()
