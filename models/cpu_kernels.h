// Hand-fused CPU paths for the two places where LibTorch 1.13 runs one small BLAS call per
// video, serially: the attention core and the CLAP token fold.
//
// The per-head core of multi-head attention on the CPU, in one pass per (video, head):
// scores q k^T / sqrt(d), softmax over the keys, dropout on the weights (training), and
// the weighted sum of the values; with its own backward (a torch::autograd::Function).
//
// Why: LibTorch 1.13's batched matmul on the CPU runs one BLAS call per (video, head) for
// products this small (10 x 32 by 32 x 10), one after the other on one thread: 512 calls
// per product at batch 64, about 1.5 ms per attention, a fifth of the VALOR++ forward pass.
// Here the whole core is one parallel loop over (video, head) whose outputs never overlap,
// so the result does not depend on the thread count.
#pragma once

#include <torch/torch.h>

namespace avvp::models {

// q (B, Tq, H), k and v (B, Tk, H), the heads side by side along H (head h is columns
// h*d .. h*d+d-1, d = H / heads), the last dimension contiguous (views into a packed
// projection are fine). Returns (B, Tq, H), the heads side by side again, ready for the
// output projection. With dropout > 0 and training, the weights are dropped with a mask
// drawn exactly as torch.nn.functional.dropout draws it (bernoulli_(1 - p) on a
// (B, heads, Tq, Tk) tensor, scaled by 1 / (1 - p)), so a seeded run draws the same masks
// as the unfused formulation. Float32 CPU tensors only (see attentionCoreSupported).
torch::Tensor attentionCore(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v,
                            std::int64_t heads, double dropout, bool training);

bool attentionCoreSupported(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v);

// fold (S, T) applied to every video: x (B, T, D) -> (B, S, D), out[b] = fold x[b], with
// its backward to x (the fold is a constant). One matrix product per video, the videos in
// parallel: LibTorch's matmul of the transposed (B, D, T) by (T, S) ran 64 serial products
// through a copy, 7 ms of a 90 ms forward pass at batch 64. Any device and dtype (off the
// CPU it is torch::matmul).
torch::Tensor foldPerVideo(const torch::Tensor& fold, const torch::Tensor& x);

}  // namespace avvp::models
