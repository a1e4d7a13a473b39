// Hand-fused CPU paths for where LibTorch 1.13 works one item at a time on one thread:
// the attention core and the CLAP token fold (one small BLAS call per video) and dropout
// (one Bernoulli draw per element).
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

// Dropout in one parallel pass: out = x * keep / (1 - p), where keep for element i is a
// counter-based hash (SplitMix64's finaliser) of (seed, i) and the seed is one draw from
// LibTorch's default CPU generator. So a seeded run draws the same masks whatever the
// thread count, and the backward recomputes the mask instead of storing it. Why: LibTorch
// 1.13's F::dropout draws a Bernoulli number per element on one thread (bernoulli_), then
// divides and multiplies in two more passes: 5.3 ms for a (640, 1024) activation, half of a
// VALOR++ training forward pass at batch 64. Identity when p is 0 or not training; off the
// CPU, or for other dtypes, F::dropout.
torch::Tensor fastDropout(const torch::Tensor& x, double p, bool training);

// The keep decision of fastDropout for element i under seed (exposed for the tests).
bool dropoutKeeps(std::uint64_t seed, std::uint64_t i, double p);

// fold (S, T) applied to every video: x (B, T, D) -> (B, S, D), out[b] = fold x[b], with
// its backward to x (the fold is a constant). One matrix product per video, the videos in
// parallel: LibTorch's matmul of the transposed (B, D, T) by (T, S) ran 64 serial products
// through a copy, 7 ms of a 90 ms forward pass at batch 64. Any device and dtype (off the
// CPU it is torch::matmul).
torch::Tensor foldPerVideo(const torch::Tensor& fold, const torch::Tensor& x);

}  // namespace avvp::models
