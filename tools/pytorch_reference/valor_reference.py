"""VALOR++ backbone in plain PyTorch, written from docs/model.md section 2 (not from the
VALOR sources): the reference that the LibTorch implementation in models/ is checked
against. Parameter names are the state_dict keys of the spec, so a state_dict of this
module is what the public VALOR code saves.

Used by make_fixture.py (parity fixtures) and bench_reference.py (`avvp bench`)."""

import math

import torch
import torch.nn as nn
import torch.nn.functional as F

NUM_CLASSES = 25
SEGMENTS = 10


class HanLayer(nn.Module):
    """One HAN encoder layer: cross-modal + self attention, then a feed-forward block."""

    def __init__(self, hidden, heads, ff, dropout):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(hidden, heads, dropout=dropout)
        self.cm_attn = nn.MultiheadAttention(hidden, heads, dropout=dropout)
        self.linear1 = nn.Linear(hidden, ff)
        self.linear2 = nn.Linear(ff, hidden)
        self.norm1 = nn.LayerNorm(hidden)
        self.norm2 = nn.LayerNorm(hidden)
        self.drop = nn.Dropout(dropout)  # no parameters: one module serves every dropout

    def forward(self, q, other, norm):
        # nn.MultiheadAttention wants (T, B, H).
        q = q.transpose(0, 1)
        o = other.transpose(0, 1)
        if norm == "post":
            cm = self.cm_attn(q, o, o, need_weights=False)[0]
            sa = self.self_attn(q, q, q, need_weights=False)[0]
            q = self.norm1(q + self.drop(cm) + self.drop(sa))
            q = self.norm2(q + self.drop(self.linear2(self.drop(F.relu(self.linear1(q))))))
        else:  # pre-norm: normalise the query before each block
            qn = self.norm1(q)
            cm = self.cm_attn(qn, o, o, need_weights=False)[0]
            sa = self.self_attn(qn, qn, qn, need_weights=False)[0]
            q = q + self.drop(cm) + self.drop(sa)
            q = q + self.drop(self.linear2(self.drop(F.relu(self.linear1(self.norm2(q))))))
        return q.transpose(0, 1)


class HanEncoder(nn.Module):
    def __init__(self, hidden, layers, heads, ff, dropout):
        super().__init__()
        self.layers = nn.ModuleList(HanLayer(hidden, heads, ff, dropout) for _ in range(layers))
        self.final_norm_a = nn.LayerNorm(hidden)
        self.final_norm_v = nn.LayerNorm(hidden)

    def forward(self, a, v, norm):
        for layer in self.layers:
            a = layer(a, v, norm)
            v = layer(v, a, norm)  # the visual stream attends to the updated audio
        if norm == "pre":
            a = self.final_norm_a(a)
            v = self.final_norm_v(v)
        return a, v


class ValorReference(nn.Module):
    def __init__(self, audio_dim=768, visual_dim=768, hidden=256, layers=4, heads=8, ff=1024,
                 dropout=0.1, norm="post", use_motion=False, motion_dim=512):
        super().__init__()
        self.fc_prob = nn.Linear(hidden, NUM_CLASSES)
        self.fc_frame_att = nn.Linear(hidden, NUM_CLASSES)
        self.fc_av_att = nn.Linear(hidden, NUM_CLASSES)
        self.fc_a = nn.Linear(audio_dim, hidden)
        self.fc_v = nn.Linear(visual_dim, hidden)
        if use_motion:
            self.fc_st = nn.Linear(motion_dim, hidden)
            self.fc_fusion = nn.Linear(2 * hidden, hidden)
        self.hat_encoder = HanEncoder(hidden, layers, heads, ff, dropout)
        self.hidden = hidden
        self.norm = norm
        self.use_motion = use_motion

    def audio_frontend(self, audio):
        if audio.size(1) == 64:  # CLAP token maps (B, 64, D)
            b, _, d = audio.shape
            x = audio.transpose(1, 2).reshape(b, d, 2, 32)
            x = F.interpolate(x, size=(2, 1024), mode="bicubic", align_corners=False)
            x = self.fc_a(x.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)  # (B, H, 2, 1024)
            x = x.mean(dim=2)                                         # (B, H, 1024)
            x = F.adaptive_avg_pool1d(x, SEGMENTS)                    # (B, H, 10)
            return x.transpose(1, 2)
        return self.fc_a(audio)

    def visual_frontend(self, visual, motion):
        v = self.fc_v(visual)
        if visual.size(1) == 80:  # ResNet152, 8 frames per second: mean of each 8 frames
            b, _, h = v.shape
            v = v.reshape(b, SEGMENTS, 8, h).mean(dim=2)
        if self.use_motion:
            if motion is None:
                raise ValueError("this model fuses a motion stream: pass motion features")
            v = self.fc_fusion(torch.cat([v, self.fc_st(motion)], dim=-1))
        return v

    def forward(self, audio, visual, motion=None):
        a = self.audio_frontend(audio)
        v = self.visual_frontend(visual, motion)
        a, v = self.hat_encoder(a, v, self.norm)
        x = torch.stack([a, v], dim=2)                       # (B, T, 2, H)
        frame_logits = self.fc_prob(x)                       # (B, T, 2, C)
        frame_prob = torch.sigmoid(frame_logits)
        frame_att = torch.softmax(self.fc_frame_att(x), dim=1)
        av_att = torch.softmax(self.fc_av_att(x), dim=2)
        temporal_prob = frame_att * frame_prob
        global_prob = (temporal_prob * av_att).sum(dim=2).sum(dim=1)
        return {
            "global_prob": global_prob,
            "a_prob": temporal_prob[:, :, 0, :].sum(dim=1),
            "v_prob": temporal_prob[:, :, 1, :].sum(dim=1),
            "frame_prob": frame_prob,
            "frame_logits": frame_logits,
        }


def valor_loss(out, weak, pseudo_a, pseudo_v):
    """The VALOR loss: video BCE on the clamped global probability plus the two segment
    terms on the frame logits against the pseudo labels, weights 1:1:1."""
    video = F.binary_cross_entropy(out["global_prob"].clamp(1e-7, 1 - 1e-7), weak)
    seg_a = F.binary_cross_entropy_with_logits(out["frame_logits"][:, :, 0], pseudo_a)
    seg_v = F.binary_cross_entropy_with_logits(out["frame_logits"][:, :, 1], pseudo_v)
    return video + seg_a + seg_v, {"video": video, "seg_a": seg_a, "seg_v": seg_v}


def warmup_cosine_lr(epoch, lr_max=3e-4, lr_min=3e-6, warmup=10, epochs=60):
    if epoch < warmup:
        return epoch / warmup * lr_max
    return lr_min + 0.5 * (lr_max - lr_min) * (1 + math.cos(math.pi * (epoch - warmup) / (epochs - warmup)))


def fixture_input(shape, salt):
    """Deterministic inputs both Python and C++ compute bit-identically: a multiplicative
    hash of the flat index, top 24 bits scaled to [-1, 1) (exact in float32)."""
    n = 1
    for d in shape:
        n *= d
    i = torch.arange(n, dtype=torch.int64)
    h = (i * 2654435761 + salt * 40503) & 0xFFFFFFFF
    return ((h >> 8).to(torch.float64) / float(1 << 23) - 1.0).to(torch.float32).reshape(shape)
