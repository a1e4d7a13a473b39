"""LINK, the LEAP decoder and the losses of LINK / LEAP / HAN in plain PyTorch, written
from docs/model.md sections 3-5 (not from the LibTorch code): the reference that
models/link.cpp and models/leap.cpp are checked against. Parameter names are the
state_dict keys of the spec in PyTorch's Sequential style (tsam_a.temporal_mlp.0.weight,
cmim.alpha1, plsim.gamma1.0.weight, plsim.class_emb_a, sloss.mu, leap.dec_a.layers.0.*).

Used by make_fixture.py (parity fixtures) and bench_reference.py (`avvp bench`)."""

import math

import torch
import torch.nn as nn
import torch.nn.functional as F

from valor_reference import NUM_CLASSES, SEGMENTS, ValorReference, valor_loss


# ---- LINK modules (model.md 3.1 - 3.4) ------------------------------------------------------

class TSAM(nn.Module):
    """CBAM-like temporal then feature-axis attention of one modality (B, T, H)."""

    def __init__(self, segments=SEGMENTS):
        super().__init__()
        self.temporal_mlp = nn.Sequential(nn.Linear(segments, segments // 2), nn.ReLU(),
                                          nn.Linear(segments // 2, segments))
        self.spatial_conv = nn.Conv1d(2, 1, kernel_size=7, padding=3)

    def forward(self, f):
        p_avg = f.mean(dim=2)                      # (B, T)
        p_max = f.max(dim=2).values                # (B, T)
        w = torch.sigmoid(self.temporal_mlp(p_avg) + self.temporal_mlp(p_max))
        f1 = f * w[:, :, None]
        q = torch.cat([f1.mean(dim=1, keepdim=True), f1.max(dim=1, keepdim=True).values], dim=1)  # (B, 2, H)
        s = torch.sigmoid(self.spatial_conv(q))   # (B, 1, H)
        return f1 * s, w, s[:, 0, :]


class CMIM(nn.Module):
    def __init__(self):
        super().__init__()
        self.alpha1 = nn.Parameter(torch.tensor(0.1))
        self.alpha2 = nn.Parameter(torch.tensor(0.1))
        self.beta1 = nn.Parameter(torch.tensor(1.0))
        self.beta2 = nn.Parameter(torch.tensor(1.0))

    def forward(self, fa, fv):
        h = fa.shape[-1]
        a_av = torch.softmax(torch.bmm(fa, fv.transpose(1, 2)) / math.sqrt(h), dim=-1)
        a_va = torch.softmax(torch.bmm(fv, fa.transpose(1, 2)) / math.sqrt(h), dim=-1)
        f_ac = fa + self.alpha2 * torch.bmm(a_av, self.beta2 * fv)
        f_vc = fv + self.alpha1 * torch.bmm(a_va, self.beta1 * fa)
        return fa + f_ac, fv + f_vc, a_av, a_va


def _mlp(d, hidden):
    m = nn.Sequential(nn.Linear(d, hidden), nn.ReLU(), nn.Linear(hidden, hidden))
    nn.init.zeros_(m[2].weight)
    nn.init.zeros_(m[2].bias)
    return m


class PLSIM(nn.Module):
    """Learned (25, H) class tables (normal(0, 1)), or supplied (25, d) text tables kept
    as buffers (table_a / table_v given)."""

    def __init__(self, hidden, table_a=None, table_v=None):
        super().__init__()
        da = hidden if table_a is None else table_a.shape[1]
        dv = hidden if table_v is None else table_v.shape[1]
        self.gamma1, self.gamma2 = _mlp(da, hidden), _mlp(da, hidden)
        self.rho1, self.rho2 = _mlp(dv, hidden), _mlp(dv, hidden)
        if table_a is None:
            self.class_emb_a = nn.Parameter(torch.randn(NUM_CLASSES, hidden))
        else:
            self.register_buffer("class_emb_a", table_a.clone().float())
        if table_v is None:
            self.class_emb_v = nn.Parameter(torch.randn(NUM_CLASSES, hidden))
        else:
            self.register_buffer("class_emb_v", table_v.clone().float())

    @staticmethod
    def mean_embedding(p, table):
        n = p.sum(dim=-1, keepdim=True)
        return torch.einsum("btc,cd->btd", p, table) / torch.clamp(n, min=1.0)

    def forward(self, fa, fv, pa, pv):
        ea = self.mean_embedding(pa, self.class_emb_a)
        ev = self.mean_embedding(pv, self.class_emb_v)
        return fa * self.gamma1(ea) + self.gamma2(ea) + fa, fv * self.rho1(ev) + self.rho2(ev) + fv


class SLOSS(nn.Module):
    def __init__(self):
        super().__init__()
        self.mu = nn.Parameter(torch.tensor(0.0))


def lam(c, mu):
    e = torch.exp(torch.abs(1 - mu))
    out = torch.empty_like(c)
    lo = c <= -0.2
    mid = (c > -0.2) & (c < 0)
    hi = c >= 0
    out = torch.where(lo, torch.ones_like(c), out)
    out = torch.where(mid, e * torch.ones_like(c), out)
    out = torch.where(hi, e + (1 - e) * c, out)
    return out


def cosine(a, v):
    """c[b, i, j] = cosine of a[b, i] and v[b, j]."""
    return F.cosine_similarity(a[:, :, None, :], v[:, None, :, :], dim=-1, eps=1e-8)


def avss_target(pa, pv):
    s = torch.einsum("bic,bjc->bij", pa, pv)
    k = torch.maximum(pa.sum(-1).max(dim=1).values, pv.sum(-1).max(dim=1).values)
    k = torch.where(k == 0, torch.full_like(k, 1e-6), k)
    s = s / k[:, None, None]
    return s / (1 + s) + 0.01


def clap_fold(x):
    """(B, 64, d) token maps onto the 10 segments: interpolate -> mean -> pool, as the
    CLAP frontend does (linear, so it can run on the tokens themselves)."""
    if x.shape[1] != 64:
        return x
    b, _, d = x.shape
    y = x.transpose(1, 2).reshape(b, d, 2, 32)
    y = F.interpolate(y, size=(2, 1024), mode="bicubic", align_corners=False).mean(dim=2)
    return F.adaptive_avg_pool1d(y, SEGMENTS).transpose(1, 2)


def zero_shot(emb, table, thresholds):
    e = F.normalize(clap_fold(emb), dim=-1, eps=1e-8)
    t = F.normalize(table, dim=-1, eps=1e-8)
    return (torch.einsum("btd,cd->btc", e, t) >= thresholds).float()


class LinkReference(ValorReference):
    def __init__(self, tsam=True, cmim=True, plsim=True, sloss=True, table_a=None, table_v=None,
                 **kw):
        super().__init__(**kw)
        self.switches = dict(tsam=tsam, cmim=cmim, plsim=plsim, sloss=sloss)
        if tsam:
            self.tsam_a, self.tsam_v = TSAM(), TSAM()
        if cmim:
            self.cmim = CMIM()
        if plsim:
            self.plsim = PLSIM(self.hidden, table_a, table_v)
        if sloss:
            self.sloss = SLOSS()

    def head(self, a, v):
        x = torch.stack([a, v], dim=2)
        frame_logits = self.fc_prob(x)
        frame_prob = torch.sigmoid(frame_logits)
        frame_att = torch.softmax(self.fc_frame_att(x), dim=1)
        av_att = torch.softmax(self.fc_av_att(x), dim=2)
        tp = frame_att * frame_prob
        return {"global_prob": (tp * av_att).sum(dim=2).sum(dim=1), "a_prob": tp[:, :, 0].sum(1),
                "v_prob": tp[:, :, 1].sum(1), "frame_prob": frame_prob, "frame_logits": frame_logits,
                "frame_att": frame_att, "av_att": av_att}

    def rest(self, fa, fv, pa, pv):
        if self.switches["plsim"]:
            fa, fv = self.plsim(fa, fv, pa, pv)
        a, v = self.hat_encoder(fa, fv, self.norm)
        out = self.head(a, v)
        out["sloss_c"] = cosine(a, v)
        return out

    def forward(self, audio, visual, motion=None, labels=None, zs=None):
        """labels: explicit (P_a, P_v); otherwise per modality zero-shot labels when
        zs[m] = (segment embeddings, table, thresholds) is given, else the self labels of a
        first pass with PLSIM fed zeros (frame_prob >= 0.5)."""
        fa = self.audio_frontend(audio)
        fv = self.visual_frontend(visual, motion)
        extra = {}
        if self.switches["tsam"]:
            fa, extra["tsam_w_a"], extra["tsam_s_a"] = self.tsam_a(fa)
            fv, extra["tsam_w_v"], extra["tsam_s_v"] = self.tsam_v(fv)
        if self.switches["cmim"]:
            fa, fv, extra["cmim_a_av"], extra["cmim_a_va"] = self.cmim(fa, fv)
        zs = zs or {}
        if labels is not None:
            pa, pv = labels
            out = self.rest(fa, fv, pa, pv)
        else:
            zeros = torch.zeros(fa.shape[0], SEGMENTS, NUM_CLASSES)
            first = self.rest(fa, fv, zeros, zeros)
            p = [zero_shot(*zs[m]) if m in zs else (first["frame_prob"][:, :, m] >= 0.5).float()
                 for m in (0, 1)]
            pa, pv = p
            out = self.rest(fa, fv, pa, pv) if self.switches["plsim"] else first
        out.update(extra)
        out["seg_labels_a"], out["seg_labels_v"] = pa, pv
        out["sloss_r"] = avss_target(pa, pv)
        if self.switches["sloss"]:
            out["sloss_lambda"] = lam(out["sloss_c"], self.sloss.mu)
            out["sloss_mu"] = self.sloss.mu.reshape(1)
        return out


def bce(p, y):
    return F.binary_cross_entropy(p.clamp(1e-7, 1 - 1e-7), y)


def link_loss(model, out, weak, pa, pv):
    total, terms = valor_loss(out, weak, pa, pv)
    if not model.switches["sloss"]:
        return total, terms
    terms["label"] = bce(out["a_prob"], pa.max(dim=1).values) + bce(out["v_prob"], pv.max(dim=1).values)
    c = out["sloss_c"]
    terms["avss"] = (lam(c, model.sloss.mu) * (F.relu(c) - avss_target(pa, pv)) ** 2).mean()
    return total + terms["label"] + terms["avss"], terms


def han_loss(out, weak):
    terms = {"video": bce(out["global_prob"], weak), "audio": bce(out["a_prob"], weak),
             "visual": bce(out["v_prob"], 0.9 * weak + 0.05)}
    return sum(terms.values()), terms


# ---- LEAP (model.md 4) -----------------------------------------------------------------------

class LeapHead(nn.Module):
    def __init__(self, hidden, layers=2, heads=8, dropout=0.1, table=None):
        super().__init__()
        d = hidden if table is None else table.shape[1]
        self.fc_label = nn.Linear(d, hidden)

        def stack():
            layer = nn.TransformerDecoderLayer(hidden, heads, dim_feedforward=4 * hidden, dropout=dropout,
                                               batch_first=True, norm_first=True)
            return nn.TransformerDecoder(layer, layers)

        self.dec_a, self.dec_v = stack(), stack()
        self.fc_a = nn.Linear(hidden, 1)
        self.fc_v = nn.Linear(hidden, 1)
        if table is None:
            self.label_emb = nn.Parameter(torch.randn(NUM_CLASSES, hidden))
        else:
            self.register_buffer("label_emb", table.clone().float())
        self.heads = heads


def _cross_logits(layer, x, memory, heads):
    """Head-averaged q k^T / sqrt(d) of a pre-norm decoder layer's cross attention, the
    queries being norm2 of the layer's input after its self-attention block."""
    x = x + layer._sa_block(layer.norm1(x), None, None)
    q_in = layer.norm2(x)
    mha = layer.multihead_attn
    h = q_in.shape[-1]
    w_q, w_k, _ = mha.in_proj_weight.chunk(3)
    b_q, b_k, _ = mha.in_proj_bias.chunk(3)
    q = F.linear(q_in, w_q, b_q)
    k = F.linear(memory, w_k, b_k)
    b, tq, tk, d = q.shape[0], q.shape[1], k.shape[1], h // heads
    q = q.view(b, tq, heads, d).transpose(1, 2)
    k = k.view(b, tk, heads, d).transpose(1, 2)
    logits = torch.matmul(q, k.transpose(-2, -1)) / math.sqrt(d)
    return logits.mean(dim=1), torch.softmax(logits, dim=-1).mean(dim=1)


class LeapReference(ValorReference):
    def __init__(self, leap_layers=2, leap_heads=8, table=None, **kw):
        super().__init__(**kw)
        del self.fc_prob, self.fc_frame_att, self.fc_av_att  # no MMIL head
        self.leap = LeapHead(self.hidden, leap_layers, leap_heads, kw.get("dropout", 0.1), table)

    def decode(self, stack, q, memory):
        x = q
        for layer in stack.layers[:-1]:
            x = layer(x, memory)
        last = stack.layers[-1]
        logits, weights = _cross_logits(last, x, memory, self.leap.heads)
        return last(x, memory), logits, weights

    def forward(self, audio, visual, motion=None, labels=None):
        a = self.audio_frontend(audio)
        v = self.visual_frontend(visual, motion)
        a, v = self.hat_encoder(a, v, self.norm)
        q = self.leap.fc_label(self.leap.label_emb).unsqueeze(0).expand(a.shape[0], -1, -1)
        xa, la, wa = self.decode(self.leap.dec_a, q, a)
        xv, lv, wv = self.decode(self.leap.dec_v, q, v)
        a_prob = torch.sigmoid(self.leap.fc_a(xa)[..., 0])
        v_prob = torch.sigmoid(self.leap.fc_v(xv)[..., 0])
        frame_logits = torch.stack([la.transpose(1, 2), lv.transpose(1, 2)], dim=2)
        out = {"a_prob": a_prob, "v_prob": v_prob, "global_prob": 1 - (1 - a_prob) * (1 - v_prob),
               "frame_logits": frame_logits, "frame_prob": torch.sigmoid(frame_logits),
               "leap_att_a": wa, "leap_att_v": wv, "sloss_c": cosine(a, v)}
        if labels is not None:
            out["sloss_r"] = avss_target(*labels)
        return out


def leap_loss(out, weak, pa, pv):
    c = out["sloss_c"]
    terms = {"audio": bce(out["a_prob"], pa.max(dim=1).values),
             "visual": bce(out["v_prob"], pv.max(dim=1).values),
             "video": bce(out["global_prob"], weak),
             "seg_a": F.binary_cross_entropy_with_logits(out["frame_logits"][:, :, 0], pa),
             "seg_v": F.binary_cross_entropy_with_logits(out["frame_logits"][:, :, 1], pv),
             "avss": ((F.relu(c) - avss_target(pa, pv)) ** 2).mean()}
    return sum(terms.values()), terms
