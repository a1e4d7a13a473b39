// VALOR's training pseudo labels from a zero-shot label source (model_api.h,
// makePseudoLabels): LINK's zeroShotLabels rule on each video's segment embeddings, ANDed
// with its weak labels, written in the feature layout training reads.
#include <torch/torch.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/features.h"
#include "core/npy.h"
#include "core/progress.h"
#include "core/taxonomy.h"
#include "models/link.h"
#include "models/model_api.h"

namespace avvp::models {

namespace fs = std::filesystem;

PseudoLabelReport makePseudoLabels(const PseudoLabelOptions& o) {
    if (!o.source.audio || !o.source.visual)
        throw std::invalid_argument(
            "pseudo labels need both zero-shot tables (training reads audio and visual)");
    const ZeroShotTable* tables[2] = {&*o.source.audio, &*o.source.visual};
    const char* names[2] = {"audio", "visual"};
    const fs::path dirs[2] = {o.embeddings.audio, o.embeddings.visual};
    const fs::path outs[2] = {o.out / core::FeatureFolders::pseudoAudio,
                              o.out / core::FeatureFolders::pseudoVisual};
    if (dirs[0].empty() || dirs[1].empty())
        throw std::invalid_argument("pseudo labels need both folders of segment embeddings");
    for (const auto* z : tables)
        if (z->table.shape.size() != 2 || z->table.shape[0] != core::kNumClasses ||
            z->thresholds.size() != static_cast<std::size_t>(core::kNumClasses))
            throw std::invalid_argument("a zero-shot table must be (25, d) with 25 thresholds");

    // Everything is checked before anything is written: every video's embeddings, of the
    // table's width.
    std::vector<ZeroShotEmbeddings> streams;
    for (int m = 0; m < 2; ++m) {
        const std::string what = std::string(names[m]) + " zero-shot segment embeddings";
        const auto& e = streams.emplace_back(dirs[m], o.videos, what);
        const auto width = tables[m]->table.shape[1];
        if (!o.videos.empty() && e.dim != width)
            throw core::InputError((e.dir / (o.videos[0].id + ".npy")).string(), 0,
                                   what + " must be (10, " + std::to_string(width) + ") or (64, " +
                                       std::to_string(width) + ") for the table, not (" +
                                       std::to_string(e.rows) + ", " + std::to_string(e.dim) + ")");
        e.requireAll(o.videos);
    }
    if (!o.overwrite)
        for (const auto& dir : outs)
            for (const auto& v : o.videos)
                if (const auto f = dir / (v.id + ".npy"); fs::exists(f))
                    throw core::InputError(f.string(), 0,
                                           "already holds pseudo labels (overwrite them or "
                                           "choose another output folder)");

    torch::NoGradGuard noGrad;
    torch::Tensor tableT[2], thr[2];
    for (int m = 0; m < 2; ++m) {
        tableT[m] = tableTensor(tables[m]->table);
        thr[m] = torch::tensor(tables[m]->thresholds, torch::kFloat32);
    }
    PseudoLabelReport r;
    std::vector<std::vector<std::int64_t>> labels[2];
    const double n = static_cast<double>(std::max<std::size_t>(1, o.videos.size()));
    for (std::size_t i = 0; i < o.videos.size(); ++i) {
        core::throwIfCancelled(o.progress);
        core::report(o.progress, 0.9 * static_cast<double>(i) / n, "zero-shot labels");
        const auto& v = o.videos[i];
        std::array<float, core::kNumClasses> weakClasses{};
        for (int c = 0; c < core::kNumClasses; ++c)
            if (core::hasClass(v.weak, c)) {
                weakClasses[static_cast<std::size_t>(c)] = 1.0F;
                r.weakSegments += core::kLlpSegments;
            }
        const auto weak = torch::from_blob(weakClasses.data(), {1, 1, core::kNumClasses});
        for (int m = 0; m < 2; ++m) {
            const auto& e = streams[static_cast<std::size_t>(m)];
            auto x = e.load(v);
            auto p = zeroShotLabels(torch::from_blob(x.data(), {1, e.rows, e.dim}), tableT[m],
                                    thr[m], tables[m]->logitScale, tables[m]->strict);
            if (o.andWeak) p = p * weak;
            auto flat = p.to(torch::kInt64).contiguous();
            (m == 0 ? r.audioOn : r.visualOn) += flat.sum().item<std::int64_t>();
            labels[m].emplace_back(flat.data_ptr<std::int64_t>(),
                                   flat.data_ptr<std::int64_t>() + flat.numel());
        }
    }
    for (int m = 0; m < 2; ++m) fs::create_directories(outs[m]);
    for (std::size_t i = 0; i < o.videos.size(); ++i) {
        core::report(o.progress, 0.9 + 0.1 * static_cast<double>(i) / n, "writing");
        for (int m = 0; m < 2; ++m)
            core::writeNpy(outs[m] / (o.videos[i].id + ".npy"), labels[m][i],
                           {core::kLlpSegments, core::kNumClasses});
    }
    r.videos = o.videos.size();
    core::report(o.progress, 1.0, "done");
    return r;
}

}  // namespace avvp::models
