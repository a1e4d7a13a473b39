// VALOR's training pseudo labels from a zero-shot label source (model_api.h,
// makePseudoLabels): LINK's zeroShotLabels rule on each video's segment embeddings, ANDed
// with its weak labels, written in the feature layout training reads.
#include <torch/torch.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/npy.h"
#include "core/progress.h"
#include "core/taxonomy.h"
#include "models/link.h"
#include "models/model_api.h"

namespace avvp::models {

namespace fs = std::filesystem;

namespace {

// The embeddings of one modality: every file checked (present, the first one's shape,
// (10, d) or (64, d) with d the table's width) before any is read.
struct Embeddings {
    fs::path dir;
    std::int64_t rows = 0, dim = 0;

    Embeddings(fs::path folder, const std::vector<core::FeatureVideo>& videos, std::int64_t width,
               const char* modality)
        : dir(std::move(folder)) {
        if (!fs::is_directory(dir)) throw core::InputError(dir.string(), 0, "not a folder");
        for (const auto& v : videos) {
            const auto file = dir / (v.id + ".npy");
            if (!fs::exists(file))
                throw core::InputError(
                    file.string(), 0,
                    std::string("missing (") + modality + " zero-shot segment embeddings)");
            const auto h = core::readNpyHeader(file);
            if (rows == 0) {
                if (h.shape.size() != 2 || (h.shape[0] != 10 && h.shape[0] != 64) ||
                    h.shape[1] != width)
                    throw core::InputError(
                        file.string(), 0,
                        std::string(modality) + " zero-shot segment embeddings must be (10, " +
                            std::to_string(width) + ") or (64, " + std::to_string(width) +
                            ") for the table, not " + h.shapeString());
                rows = h.shape[0];
                dim = h.shape[1];
            } else if (h.shape != std::vector<std::int64_t>{rows, dim}) {
                throw core::InputError(file.string(), 0,
                                       "is " + h.shapeString() + ", the first video's is (" +
                                           std::to_string(rows) + ", " + std::to_string(dim) + ")");
            }
        }
    }

    torch::Tensor load(const core::FeatureVideo& v) const {
        auto x = core::loadFeatureArray(dir / (v.id + ".npy"), rows, dim);
        return torch::from_blob(x.data(), {1, rows, dim}, torch::kFloat32).clone();
    }
};

torch::Tensor tableOf(const ZeroShotTable& z) {
    return torch::from_blob(const_cast<float*>(z.table.data.data()), z.table.shape, torch::kFloat32)
        .clone();
}

}  // namespace

PseudoLabelReport makePseudoLabels(const PseudoLabelOptions& o) {
    if (!o.source.audio || !o.source.visual)
        throw std::invalid_argument(
            "pseudo labels need both zero-shot tables (training reads audio and visual)");
    const ZeroShotTable* tables[2] = {&*o.source.audio, &*o.source.visual};
    const char* names[2] = {"audio", "visual"};
    const fs::path dirs[2] = {o.embeddings.audio, o.embeddings.visual};
    const fs::path outs[2] = {o.out / "pseudo_audio", o.out / "pseudo_visual"};
    for (const auto* z : tables)
        if (z->table.shape.size() != 2 || z->table.shape[0] != core::kNumClasses ||
            z->thresholds.size() != static_cast<std::size_t>(core::kNumClasses))
            throw std::invalid_argument("a zero-shot table must be (25, d) with 25 thresholds");

    // Everything is checked before anything is written.
    std::vector<Embeddings> streams;
    for (int m = 0; m < 2; ++m)
        streams.emplace_back(dirs[m], o.videos, tables[m]->table.shape[1], names[m]);
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
        tableT[m] = tableOf(*tables[m]);
        thr[m] = torch::tensor(tables[m]->thresholds, torch::kFloat32);
    }
    PseudoLabelReport r;
    std::vector<std::vector<std::int64_t>> labels[2];
    const double n = static_cast<double>(std::max<std::size_t>(1, o.videos.size()));
    for (std::size_t i = 0; i < o.videos.size(); ++i) {
        core::throwIfCancelled(o.progress);
        core::report(o.progress, 0.9 * static_cast<double>(i) / n, "zero-shot labels");
        const auto& v = o.videos[i];
        auto weak = torch::zeros({1, 1, core::kNumClasses}, torch::kFloat32);
        for (int c = 0; c < core::kNumClasses; ++c)
            if (core::hasClass(v.weak, c)) weak[0][0][c] = 1.0F;
        r.weakSegments += 10 * weak.sum().item<std::int64_t>();
        for (int m = 0; m < 2; ++m) {
            auto p = zeroShotLabels(streams[static_cast<std::size_t>(m)].load(v), tableT[m], thr[m],
                                    tables[m]->logitScale, tables[m]->strict);
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
                           {10, core::kNumClasses});
    }
    r.videos = o.videos.size();
    core::report(o.progress, 1.0, "done");
    return r;
}

}  // namespace avvp::models
