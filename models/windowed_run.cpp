#include "models/windowed_run.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "core/error.h"
#include "core/feature_dataset.h"
#include "core/prediction.h"
#include "core/taxonomy.h"

namespace avvp::models {

namespace {

constexpr auto kC = static_cast<std::size_t>(core::kNumClasses);
const std::size_t kWindowFrame = core::frameSize(core::kWindowSegments);

void appendBatch(Array& into, const Array& from) {
    if (into.shape.empty()) {
        into = from;
        return;
    }
    into.shape[0] += from.shape[0];
    into.data.insert(into.data.end(), from.data.begin(), from.data.end());
}

void appendBatch(Inputs& into, const Inputs& from) {
    appendBatch(into.audio, from.audio);
    appendBatch(into.visual, from.visual);
    if (from.motion) {
        if (!into.motion) into.motion = Array{};
        appendBatch(*into.motion, *from.motion);
    }
}

const Array& output(const Outputs& out, const char* name) {
    const auto it = out.find(name);
    if (it == out.end())
        throw std::runtime_error(std::string("the model gave no ") + name + " output");
    return it->second;
}

// A video's windows while they are being predicted.
struct Pending {
    int windows = 0, done = 0;
    bool failed = false;
    WindowedPrediction p;
};

}  // namespace

Inputs windowInputs(const ModelConfig& c, const WindowedVideo& v, int w) {
    auto load = [&](const std::vector<std::filesystem::path>& files, const char* kind,
                    std::int64_t rows, std::int64_t dim) {
        if (w < 0 || static_cast<std::size_t>(w) >= files.size())
            throw core::InputError(
                v.name, 0, std::string("no ") + kind + " features for window " + std::to_string(w));
        return Array{{1, rows, dim},
                     core::loadFeatureArray(files[static_cast<std::size_t>(w)], rows, dim)};
    };
    Inputs in;
    in.audio = load(v.audio, core::FeatureFolders::audio, c.audioRows, c.audioDim);
    in.visual = load(v.visual, core::FeatureFolders::visual, c.visualRows, c.visualDim);
    if (c.useMotion)
        in.motion =
            load(v.motion, core::FeatureFolders::motion, core::kWindowSegments, c.motionDim);
    return in;
}

WindowedRunResult predictWindowed(const Model& model, const std::vector<WindowedVideo>& videos,
                                  const WindowedRunOptions& o) {
    const auto& cfg = model.config();
    const auto batchSize = static_cast<std::size_t>(std::max(1, o.batch));
    WindowedRunResult result;
    result.videos.resize(videos.size());
    std::vector<Pending> state(videos.size());
    std::size_t total = 0;
    for (std::size_t i = 0; i < videos.size(); ++i) {
        const auto& v = videos[i];
        auto& s = state[i];
        s.windows = core::windowCount(v.segments);
        const auto files = static_cast<std::size_t>(s.windows);
        if (v.segments <= 0 || v.audio.size() != files || v.visual.size() != files ||
            (cfg.useMotion && v.motion.size() != files)) {
            s.failed = true;
            result.skipped.push_back(
                v.name + ": " + std::to_string(v.segments) + " segments need " +
                std::to_string(files) + " feature window(s) per stream, found " +
                std::to_string(v.audio.size()) + " audio, " + std::to_string(v.visual.size()) +
                " visual" +
                (cfg.useMotion ? ", " + std::to_string(v.motion.size()) + " motion" : ""));
            continue;
        }
        s.p.segments = v.segments;
        s.p.frame.assign(files * kWindowFrame, 0.0F);
        s.p.global.assign(files * kC, 0.0F);
        total += files;
    }
    const bool windowed = total != 0 && std::any_of(state.begin(), state.end(), [](const auto& s) {
                              return !s.failed && s.windows > 1;
                          });
    const std::string unit = windowed ? "window " : "video ";
    core::report(o.progress, 0.0, "predicting");

    Inputs batch;
    std::vector<std::pair<std::size_t, int>> inBatch;  // (video, window)
    std::size_t forwarded = 0;
    auto flush = [&] {
        if (inBatch.empty()) return;
        const auto out = model.forward(batch);
        const auto& frame = output(out, "frame_prob");
        const auto& global = output(out, "global_prob");
        const std::size_t B = inBatch.size();
        if (frame.data.size() != B * kWindowFrame || global.data.size() != B * kC)
            throw std::runtime_error("unexpected output shapes for " + std::to_string(B) +
                                     " windows: frame_prob " + frame.shapeString() +
                                     ", global_prob " + global.shapeString());
        for (std::size_t b = 0; b < B; ++b) {
            const auto [vi, w] = inBatch[b];
            auto& s = state[vi];
            if (s.failed) continue;
            const auto uw = static_cast<std::size_t>(w);
            std::copy_n(frame.data.begin() + static_cast<std::ptrdiff_t>(b * kWindowFrame),
                        kWindowFrame,
                        s.p.frame.begin() + static_cast<std::ptrdiff_t>(uw * kWindowFrame));
            for (std::size_t k = 0; k < kC; ++k) {
                // The MMIL head's attention-weighted sum over time and modality can exceed
                // 1 (docs/model.md 2); clamping changes no threshold below 1. NaN stays.
                float g = global.data[b * kC + k];
                if (!std::isnan(g)) g = std::clamp(g, 0.0F, 1.0F);
                s.p.global[uw * kC + k] = g;
            }
            for (const auto& name : o.keep) {
                const auto it = out.find(name);
                if (it == out.end()) continue;
                const auto& a = it->second;
                auto& kept = s.p.outputs[name];
                const bool perWindow = a.shape.size() > 1 &&
                                       a.shape[0] == static_cast<std::int64_t>(B) &&
                                       a.data.size() % B == 0;
                if (!perWindow) {
                    if (kept.shape.empty()) kept = a;  // per model (sloss_mu)
                    continue;
                }
                const auto per = a.data.size() / B;
                if (kept.shape.empty()) {
                    kept.shape = a.shape;
                    kept.shape[0] = s.windows;
                    kept.data.assign(per * static_cast<std::size_t>(s.windows), 0.0F);
                }
                std::copy_n(a.data.begin() + static_cast<std::ptrdiff_t>(b * per), per,
                            kept.data.begin() + static_cast<std::ptrdiff_t>(uw * per));
            }
            ++s.done;
        }
        forwarded += B;
        batch = Inputs{};
        inBatch.clear();
        core::report(
            o.progress,
            static_cast<double>(forwarded) / static_cast<double>(std::max<std::size_t>(total, 1)),
            unit + std::to_string(std::min(forwarded, total)) + " of " + std::to_string(total));
    };

    for (std::size_t vi = 0; vi < videos.size(); ++vi) {
        auto& s = state[vi];
        for (int w = 0; w < s.windows && !s.failed; ++w) {
            core::throwIfCancelled(o.progress);
            try {
                appendBatch(batch, windowInputs(cfg, videos[vi], w));
            } catch (const std::exception& e) {
                // The video is skipped: its windows forwarded so far are not reported, and
                // those queued leave the batch.
                s.failed = true;
                result.skipped.push_back(videos[vi].name + ": " + e.what());
                Inputs kept;
                std::vector<std::pair<std::size_t, int>> keptIds;
                const std::size_t B = inBatch.size();
                if (B > 0) {
                    auto slice = [B](const Array& a, std::size_t b) {
                        const auto per = a.data.size() / B;
                        Array one{a.shape, {}};
                        one.shape[0] = 1;
                        one.data.assign(
                            a.data.begin() + static_cast<std::ptrdiff_t>(b * per),
                            a.data.begin() + static_cast<std::ptrdiff_t>((b + 1) * per));
                        return one;
                    };
                    for (std::size_t b = 0; b < B; ++b) {
                        if (inBatch[b].first == vi) continue;
                        Inputs one;
                        one.audio = slice(batch.audio, b);
                        one.visual = slice(batch.visual, b);
                        if (batch.motion) one.motion = slice(*batch.motion, b);
                        appendBatch(kept, one);
                        keptIds.push_back(inBatch[b]);
                    }
                }
                total -= static_cast<std::size_t>(s.windows);
                forwarded -= static_cast<std::size_t>(s.done);
                batch = std::move(kept);
                inBatch = std::move(keptIds);
                break;
            }
            inBatch.emplace_back(vi, w);
            if (inBatch.size() >= batchSize) flush();
        }
    }
    core::throwIfCancelled(o.progress);
    flush();
    for (std::size_t vi = 0; vi < videos.size(); ++vi) {
        auto& s = state[vi];
        if (s.failed) continue;
        // Drop the padded segments of the last window.
        s.p.frame.resize(core::frameSize(s.p.segments));
        result.videos[vi] = std::move(s.p);
    }
    return result;
}

}  // namespace avvp::models
