// Hand-fused CPU paths of the models (see cpu_kernels.h).
#include "models/cpu_kernels.h"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <mutex>
#include <vector>

namespace avvp::models {

namespace {

// A (B, T, H) float tensor read through its strides; the last dimension is contiguous.
struct Rows {
    const float* data;
    std::int64_t batchStride, rowStride;
    const float* row(std::int64_t b, std::int64_t t, std::int64_t offset) const {
        return data + b * batchStride + t * rowStride + offset;
    }
};

Rows rowsOf(const torch::Tensor& x) {
    return {x.data_ptr<float>(), x.stride(0), x.stride(1)};
}

struct Shape {
    std::int64_t B, Tq, Tk, H, heads, d;
    float scale;
};

Shape shapeOf(const torch::Tensor& q, const torch::Tensor& k, std::int64_t heads) {
    const auto H = q.size(2);
    return {q.size(0),
            q.size(1),
            k.size(1),
            H,
            heads,
            H / heads,
            static_cast<float>(1.0 / std::sqrt(static_cast<double>(H / heads)))};
}

// (video, head) pairs per task: each costs about Tq * Tk * d * 4 flops, a few microseconds.
constexpr std::int64_t kGrain = 8;

// Compiled with OpenMP (models/CMakeLists.txt): the simd pragmas vectorise these loops,
// and ATen's inline parallel_for, an OpenMP parallel region, runs on every thread.
inline float dot(const float* a, const float* b, std::int64_t n) {
    float s = 0.f;
#pragma omp simd reduction(+ : s)
    for (std::int64_t c = 0; c < n; ++c) s += a[c] * b[c];
    return s;
}

inline void axpy(float w, const float* x, float* y, std::int64_t n) {
#pragma omp simd
    for (std::int64_t c = 0; c < n; ++c) y[c] += w * x[c];
}

// att (B, heads, Tq, Tk): the softmax weights before dropout; mask: the dropout scale per
// weight (0 or 1 / (1 - p)) or null; out (B, Tq, H) contiguous.
void forwardKernel(const Shape& s, Rows q, Rows k, Rows v, const float* mask, float* att,
                   float* out) {
    at::parallel_for(0, s.B * s.heads, kGrain, [&](std::int64_t begin, std::int64_t end) {
        for (std::int64_t idx = begin; idx < end; ++idx) {
            const auto b = idx / s.heads, offset = (idx % s.heads) * s.d;
            float* a = att + idx * s.Tq * s.Tk;
            const float* m = mask ? mask + idx * s.Tq * s.Tk : nullptr;
            for (std::int64_t i = 0; i < s.Tq; ++i) {
                const float* qi = q.row(b, i, offset);
                float* ai = a + i * s.Tk;
                float top = -std::numeric_limits<float>::infinity();
                for (std::int64_t j = 0; j < s.Tk; ++j) {
                    ai[j] = s.scale * dot(qi, k.row(b, j, offset), s.d);
                    top = std::max(top, ai[j]);
                }
                float sum = 0.f;
                for (std::int64_t j = 0; j < s.Tk; ++j) {
                    ai[j] = std::exp(ai[j] - top);
                    sum += ai[j];
                }
                const float inv = 1.f / sum;
                float* o = out + (b * s.Tq + i) * s.H + offset;
                std::fill(o, o + s.d, 0.f);
                for (std::int64_t j = 0; j < s.Tk; ++j) {
                    ai[j] *= inv;
                    const float w = m ? ai[j] * m[i * s.Tk + j] : ai[j];
                    if (w != 0.f) axpy(w, v.row(b, j, offset), o, s.d);
                }
            }
        }
    });
}

// Gradients of the core: dq (B, Tq, H), dk and dv (B, Tk, H), contiguous and zeroed.
void backwardKernel(const Shape& s, Rows q, Rows k, Rows v, const float* mask, const float* att,
                    const float* gradOut, float* dq, float* dk, float* dv) {
    at::parallel_for(0, s.B * s.heads, kGrain, [&](std::int64_t begin, std::int64_t end) {
        std::vector<float> dAtt(static_cast<std::size_t>(s.Tk));
        for (std::int64_t idx = begin; idx < end; ++idx) {
            const auto b = idx / s.heads, offset = (idx % s.heads) * s.d;
            const float* a = att + idx * s.Tq * s.Tk;
            const float* m = mask ? mask + idx * s.Tq * s.Tk : nullptr;
            for (std::int64_t i = 0; i < s.Tq; ++i) {
                const float* go = gradOut + (b * s.Tq + i) * s.H + offset;
                const float* ai = a + i * s.Tk;
                float rowDot = 0.f;
                for (std::int64_t j = 0; j < s.Tk; ++j) {
                    const float scaleJ = m ? m[i * s.Tk + j] : 1.f;
                    // out_i = sum_j a_ij * scale_ij * v_j
                    axpy(ai[j] * scaleJ, go, dv + (b * s.Tk + j) * s.H + offset, s.d);
                    dAtt[static_cast<std::size_t>(j)] = dot(go, v.row(b, j, offset), s.d) * scaleJ;
                    rowDot += dAtt[static_cast<std::size_t>(j)] * ai[j];
                }
                const float* qi = q.row(b, i, offset);
                float* dqi = dq + (b * s.Tq + i) * s.H + offset;
                for (std::int64_t j = 0; j < s.Tk; ++j) {
                    // softmax backward, then the scaled product q k^T
                    const float g = ai[j] * (dAtt[static_cast<std::size_t>(j)] - rowDot) * s.scale;
                    if (g == 0.f) continue;
                    axpy(g, k.row(b, j, offset), dqi, s.d);
                    axpy(g, qi, dk + (b * s.Tk + j) * s.H + offset, s.d);
                }
            }
        }
    });
}

struct AttentionCoreFunction : public torch::autograd::Function<AttentionCoreFunction> {
    static torch::Tensor forward(torch::autograd::AutogradContext* ctx, const torch::Tensor& q,
                                 const torch::Tensor& k, const torch::Tensor& v, std::int64_t heads,
                                 double dropout, bool training) {
        const auto s = shapeOf(q, k, heads);
        const auto opts = q.options();
        torch::Tensor mask;
        if (training && dropout > 0.0)  // as F::dropout draws it: bernoulli_(1 - p) / (1 - p)
            mask = torch::empty({s.B, s.heads, s.Tq, s.Tk}, opts)
                       .bernoulli_(1.0 - dropout)
                       .div_(1.0 - dropout);
        auto att = torch::empty({s.B, s.heads, s.Tq, s.Tk}, opts);
        auto out = torch::empty({s.B, s.Tq, s.H}, opts);
        forwardKernel(s, rowsOf(q), rowsOf(k), rowsOf(v),
                      mask.defined() ? mask.data_ptr<float>() : nullptr, att.data_ptr<float>(),
                      out.data_ptr<float>());
        ctx->saved_data["heads"] = heads;
        ctx->save_for_backward({q, k, v, att, mask});  // mask undefined: no dropout
        return out;
    }

    static torch::autograd::tensor_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::tensor_list grads) {
        const auto saved = ctx->get_saved_variables();
        const auto &q = saved[0], &k = saved[1], &v = saved[2], &att = saved[3], &mask = saved[4];
        const auto s = shapeOf(q, k, ctx->saved_data["heads"].toInt());
        const auto gradOut = grads[0].contiguous();
        auto dq = torch::zeros({s.B, s.Tq, s.H}, q.options());
        auto dk = torch::zeros({s.B, s.Tk, s.H}, k.options());
        auto dv = torch::zeros({s.B, s.Tk, s.H}, v.options());
        backwardKernel(s, rowsOf(q), rowsOf(k), rowsOf(v),
                       mask.defined() ? mask.data_ptr<float>() : nullptr, att.data_ptr<float>(),
                       gradOut.data_ptr<float>(), dq.data_ptr<float>(), dk.data_ptr<float>(),
                       dv.data_ptr<float>());
        return {dq, dk, dv, torch::Tensor(), torch::Tensor(), torch::Tensor()};
    }
};

// out[b] = a x[b] for every b, one single-threaded product per video, videos in parallel.
void productPerVideo(const torch::Tensor& a, const torch::Tensor& x, torch::Tensor& out) {
    at::parallel_for(0, x.size(0), 1, [&](std::int64_t begin, std::int64_t end) {
        for (std::int64_t b = begin; b < end; ++b) {
            auto o = out.select(0, b);
            at::mm_out(o, a, x.select(0, b));
        }
    });
}

struct FoldFunction : public torch::autograd::Function<FoldFunction> {
    static torch::Tensor forward(torch::autograd::AutogradContext* ctx, const torch::Tensor& x,
                                 const torch::Tensor& fold) {
        const auto xc = x.contiguous();
        auto out = torch::empty({x.size(0), fold.size(0), x.size(2)}, x.options());
        productPerVideo(fold, xc, out);
        ctx->save_for_backward({fold});
        return out;
    }

    static torch::autograd::tensor_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::tensor_list grads) {
        const auto fold = ctx->get_saved_variables()[0];
        const auto g = grads[0].contiguous();
        auto dx = torch::empty({g.size(0), fold.size(1), g.size(2)}, g.options());
        productPerVideo(fold.t(), g, dx);
        return {dx, torch::Tensor()};
    }
};

// SplitMix64's output function on seed + (i + 1) * golden gamma: a counter-based hash.
inline std::uint64_t mix(std::uint64_t seed, std::uint64_t i) {
    std::uint64_t z = seed + (i + 1) * 0x9E3779B97F4A7C15ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

// keep when the top 53 bits, as a uniform in [0, 1), are >= p
inline std::uint64_t dropBelow(double p) {
    return static_cast<std::uint64_t>(std::ldexp(p, 53));
}

inline bool keeps(std::uint64_t seed, std::uint64_t i, std::uint64_t below) {
    return (mix(seed, i) >> 11) >= below;
}

// out[i] = in[i] * (keep ? scale : 0), in parallel; in and out contiguous.
void applyMask(const float* in, float* out, std::int64_t n, std::uint64_t seed, double p) {
    const auto below = dropBelow(p);
    const auto scale = static_cast<float>(1.0 / (1.0 - p));
    at::parallel_for(0, n, 32768, [&](std::int64_t begin, std::int64_t end) {
        for (std::int64_t i = begin; i < end; ++i)
            out[i] = keeps(seed, static_cast<std::uint64_t>(i), below) ? in[i] * scale : 0.f;
    });
}

struct DropoutFunction : public torch::autograd::Function<DropoutFunction> {
    static torch::Tensor forward(torch::autograd::AutogradContext* ctx, const torch::Tensor& x,
                                 double p) {
        std::uint64_t seed = 0;
        {
            auto gen = at::detail::getDefaultCPUGenerator();
            std::lock_guard<std::mutex> lock(gen.mutex());
            seed = at::check_generator<at::CPUGeneratorImpl>(gen)->random64();
        }
        const auto xc = x.contiguous();
        auto out = torch::empty_like(xc);
        applyMask(xc.data_ptr<float>(), out.data_ptr<float>(), xc.numel(), seed, p);
        ctx->saved_data["seed"] = static_cast<std::int64_t>(seed);
        ctx->saved_data["p"] = p;
        return out;
    }

    static torch::autograd::tensor_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::tensor_list grads) {
        const auto seed = static_cast<std::uint64_t>(ctx->saved_data["seed"].toInt());
        const auto g = grads[0].contiguous();
        auto dx = torch::empty_like(g);
        applyMask(g.data_ptr<float>(), dx.data_ptr<float>(), g.numel(), seed,
                  ctx->saved_data["p"].toDouble());
        return {dx, torch::Tensor()};
    }
};

bool usable(const torch::Tensor& x) {
    return x.dim() == 3 && x.device().is_cpu() && x.scalar_type() == torch::kFloat32 &&
           x.stride(2) == 1 && x.layout() == torch::kStrided;
}

}  // namespace

bool attentionCoreSupported(const torch::Tensor& q, const torch::Tensor& k,
                            const torch::Tensor& v) {
    return usable(q) && usable(k) && usable(v) && k.sizes() == v.sizes() &&
           q.size(0) == k.size(0) && q.size(2) == k.size(2);
}

bool dropoutKeeps(std::uint64_t seed, std::uint64_t i, double p) {
    return keeps(seed, i, dropBelow(p));
}

torch::Tensor fastDropout(const torch::Tensor& x, double p, bool training) {
    if (!training || p <= 0.0) return x;
    if (!x.device().is_cpu() || x.scalar_type() != torch::kFloat32 || p >= 1.0)
        return torch::nn::functional::dropout(
            x, torch::nn::functional::DropoutFuncOptions().p(p).training(true));
    return DropoutFunction::apply(x, p);
}

torch::Tensor foldPerVideo(const torch::Tensor& fold, const torch::Tensor& x) {
    TORCH_CHECK(fold.dim() == 2 && x.dim() == 3 && x.size(1) == fold.size(1),
                "foldPerVideo: shapes do not match");
    if (!x.device().is_cpu() || !fold.device().is_cpu()) return torch::matmul(fold, x);
    return FoldFunction::apply(x, fold.to(x.scalar_type()).contiguous());
}

torch::Tensor attentionCore(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v,
                            std::int64_t heads, double dropout, bool training) {
    TORCH_CHECK(attentionCoreSupported(q, k, v), "attentionCore: unsupported inputs");
    TORCH_CHECK(heads > 0 && q.size(2) % heads == 0, "attentionCore: bad head count");
    return AttentionCoreFunction::apply(q, k, v, heads, dropout, training);
}

}  // namespace avvp::models
