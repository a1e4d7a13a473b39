#!/usr/bin/env python3
"""Export the CLIP image encoder and the LAION-CLAP audio encoder to TorchScript for
`avvp features` (and the app), with the manifest.json the app reads.

Run it once, on a machine that has the Python packages and can fetch (or already has)
the weights; copy the output folder to where AVVP Studio runs:

    pip install torch open_clip_torch laion_clap      # or: transformers instead of open_clip
    python3 tools/export_encoders.py --out ~/avvp-encoders
    avvp features --encoders ~/avvp-encoders --videos my_videos/ --out feats/

What it writes (the shapes of VALOR's feature layout, docs model.md section 1):

  image.pt   CLIP ViT-L/14 image tower with its projection:
             (N, 3, 224, 224) CLIP-normalised RGB -> (N, 768); the app L2-normalises
             each row (manifest "l2_normalize": true) and takes one frame per second,
             so one 10-second window is (10, 768).
  audio.pt   LAION-CLAP HTS-AT (tiny, 630k-audioset checkpoint) up to its last Swin
             stage: (1, 480000) mono samples at 48 kHz in [-1, 1] -> (1, 64, 768), the
             token map before the projection that VALOR uses: the (768, 2, 32) map of
             the grouped last stage, flattened to 64 tokens (index = row * 32 + column).
  manifest.json

--dummy writes randomly initialised stand-ins with the same inputs and outputs (no
packages beyond torch, no weights): for checking the pipeline end to end, never for real
features.

Options: --clip-backend open_clip|transformers, --clip-model / --clip-pretrained
(open_clip names, default ViT-L-14 / openai), --clip-hf (transformers model id, default
openai/clip-vit-large-patch14), --clap-ckpt (a local LAION-CLAP .pt; default: laion_clap
downloads 630k-audioset-best.pt), --only image|audio, --device cpu|cuda (where tracing
runs; the files load on any device), --check (compare the traced modules with the eager
ones on random input).
"""

import argparse
import json
import os
import sys

import torch

CLIP_MEAN = [0.48145466, 0.4578275, 0.40821073]
CLIP_STD = [0.26862954, 0.26130258, 0.27577711]
SAMPLE_RATE = 48000
SECONDS = 10
SAMPLES = SAMPLE_RATE * SECONDS


class ClipImage(torch.nn.Module):
    """open_clip: model.visual returns the projected embedding."""

    def __init__(self, visual):
        super().__init__()
        self.visual = visual

    def forward(self, x):
        return self.visual(x)


class HfClipImage(torch.nn.Module):
    """transformers CLIPVisionModelWithProjection (torchscript=True): image_embeds first."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, x):
        return self.model(pixel_values=x)[0]


class ClapTokens(torch.nn.Module):
    """LAION-CLAP's HTS-AT audio branch up to the grouped last-stage map (B, 64, 768).

    Follows HTSAT_Swin_Transformer.forward (no fusion) and forward_features up to the
    point where the map is grouped into (B, C, 2, 32), before the latent pooling and
    the projection.
    """

    def __init__(self, htsat):
        super().__init__()
        self.m = htsat

    def forward(self, waveform):
        m = self.m
        # laion_clap's own examples quantise to int16 and back before embedding.
        x = torch.round(torch.clamp(waveform, -1.0, 1.0) * 32767.0) / 32767.0
        x = m.spectrogram_extractor(x)
        x = m.logmel_extractor(x)
        x = x.transpose(1, 3)
        x = m.bn0(x)
        x = x.transpose(1, 3)
        x = m.reshape_wav2img(x)
        frames = x.shape[2]
        x = m.patch_embed(x)
        if m.ape:
            x = x + m.absolute_pos_embed
        x = m.pos_drop(x)
        for layer in m.layers:
            x, _ = layer(x)
        x = m.norm(x)
        b, _, c = x.shape
        sf = frames // (2 ** (len(m.depths) - 1)) // m.patch_stride[0]
        st = frames // (2 ** (len(m.depths) - 1)) // m.patch_stride[1]
        x = x.permute(0, 2, 1).contiguous().reshape(b, c, sf, st)
        bins = sf // m.freq_ratio
        x = x.reshape(b, c, sf // bins, bins, st).permute(0, 1, 3, 2, 4).contiguous()
        x = x.reshape(b, c, bins, -1)  # (B, 768, 2, 32)
        return x.flatten(2).transpose(1, 2).contiguous()  # (B, 64, 768)


class DummyImage(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.patch = torch.nn.Conv2d(3, 64, 14, stride=14)
        self.out = torch.nn.Linear(64, 768)

    def forward(self, x):
        return self.out(self.patch(x).mean(dim=(2, 3)))


class DummyAudio(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.out = torch.nn.Linear(75, 768)

    def forward(self, waveform):
        # 64 tokens of 7500 samples, each summarised by 75 chunk energies.
        chunks = waveform.view(waveform.shape[0], 64, 75, SAMPLES // 64 // 75)
        return self.out((chunks * chunks).mean(dim=3))


def load_clip(args):
    if args.dummy:
        return DummyImage(), "dummy CLIP-shaped image encoder (random weights, NOT CLIP)"
    if args.clip_backend == "open_clip":
        import open_clip

        model, _, _ = open_clip.create_model_and_transforms(
            args.clip_model, pretrained=args.clip_pretrained)
        return ClipImage(model.visual), f"CLIP {args.clip_model} ({args.clip_pretrained}), open_clip"
    from transformers import CLIPVisionModelWithProjection

    model = CLIPVisionModelWithProjection.from_pretrained(args.clip_hf, torchscript=True)
    return HfClipImage(model), f"CLIP {args.clip_hf}, transformers"


def load_clap(args):
    if args.dummy:
        return DummyAudio(), "dummy CLAP-token-shaped audio encoder (random weights, NOT CLAP)"
    import laion_clap

    clap = laion_clap.CLAP_Module(enable_fusion=False, amodel="HTSAT-tiny")
    if args.clap_ckpt:
        clap.load_ckpt(args.clap_ckpt)
    else:
        clap.load_ckpt()  # laion_clap's default: 630k-audioset-best.pt
    name = os.path.basename(args.clap_ckpt) if args.clap_ckpt else "630k-audioset-best.pt"
    return ClapTokens(clap.model.audio_branch), f"LAION-CLAP HTS-AT tiny ({name}), token map"


def export(module, example, path, check, expected_shape):
    module = module.eval()
    with torch.no_grad():
        traced = torch.jit.trace(module, example, check_trace=False)
        out = traced(example)
        if tuple(out.shape) != expected_shape:
            sys.exit(f"export_encoders: {path}: output {tuple(out.shape)}, expected {expected_shape}")
        if check:
            other = torch.randn_like(example) * (0.1 if example.dim() == 2 else 1.0)
            diff = (traced(other) - module(other)).abs().max().item()
            print(f"  check: traced vs eager max |difference| {diff:.3g}")
    traced.save(path)
    print(f"  wrote {path}  {tuple(example.shape)} -> {tuple(out.shape)}")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", required=True, help="output folder (created)")
    p.add_argument("--only", choices=["image", "audio"])
    p.add_argument("--clip-backend", choices=["open_clip", "transformers"], default="open_clip")
    p.add_argument("--clip-model", default="ViT-L-14")
    p.add_argument("--clip-pretrained", default="openai")
    p.add_argument("--clip-hf", default="openai/clip-vit-large-patch14")
    p.add_argument("--clap-ckpt", default="")
    p.add_argument("--device", default="cpu")
    p.add_argument("--check", action="store_true")
    p.add_argument("--dummy", action="store_true",
                   help="random stand-ins with the real shapes (pipeline checks only)")
    args = p.parse_args()
    os.makedirs(args.out, exist_ok=True)
    device = torch.device(args.device)
    torch.manual_seed(0)
    manifest = {
        "format": "avvp-encoders",
        "version": 1,
        "exported_by": f"tools/export_encoders.py, torch {torch.__version__}",
    }
    if args.only != "audio":
        module, name = load_clip(args)
        print(f"image: {name}")
        export(module.to(device), torch.randn(2, 3, 224, 224, device=device),
               os.path.join(args.out, "image.pt"), args.check, (2, 768))
        manifest["image"] = {
            "name": name,
            "file": "image.pt",
            "input": {"size": 224, "mean": CLIP_MEAN, "std": CLIP_STD, "frames_per_second": 1},
            "output": {"dim": 768, "l2_normalize": True},
            "layout": "clip",
            "folder": "visual",
            "batch": 10,
        }
    if args.only != "image":
        module, name = load_clap(args)
        print(f"audio: {name}")
        export(module.to(device), torch.randn(1, SAMPLES, device=device) * 0.1,
               os.path.join(args.out, "audio.pt"), args.check, (1, 64, 768))
        manifest["audio"] = {
            "name": name,
            "file": "audio.pt",
            "input": {"sample_rate": SAMPLE_RATE, "seconds": SECONDS},
            "output": {"shape": [64, 768]},
            "layout": "clap-tokens",
            "folder": "audio",
        }
    with open(os.path.join(args.out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    print(f"wrote {os.path.join(args.out, 'manifest.json')}")


if __name__ == "__main__":
    main()
