#include "core/agreement.h"

#include "core/rows_by_video.h"

#include <algorithm>
#include <stdexcept>
#include <unordered_map>

namespace avvp::core {

double KappaCounts::observed() const {
    if (cells == 0) return 1.0;
    return static_cast<double>(cells - disagreements()) / static_cast<double>(cells);
}

std::optional<double> KappaCounts::kappa() const {
    if (cells == 0) return std::nullopt;
    const bool constant = (reference == 0 && other == 0) || (reference == cells && other == cells);
    if (constant) return std::nullopt;
    const double n = static_cast<double>(cells);
    const double pa = static_cast<double>(reference) / n;
    const double pb = static_cast<double>(other) / n;
    const double pe = pa * pb + (1.0 - pa) * (1.0 - pb);
    return (observed() - pe) / (1.0 - pe);
}

using Rows = std::vector<DenseLabelRow>;

AgreementResult computeAgreement(std::vector<std::string> videos, const std::vector<int>& segments,
                                 const Rows& referenceAudio, const Rows& referenceVisual,
                                 const Rows& otherAudio, const Rows& otherVisual) {
    if (segments.size() != videos.size())
        throw std::invalid_argument("computeAgreement: one segment count per video is needed");
    AgreementResult out;
    // The scores: the other set is the prediction, the reference the ground truth.
    out.scores =
        evaluateRows(videos, otherAudio, otherVisual, referenceAudio, referenceVisual, segments);
    const auto refA = rowsByVideo(videos, referenceAudio);
    const auto refV = rowsByVideo(videos, referenceVisual);
    const auto othA = rowsByVideo(videos, otherAudio);
    const auto othV = rowsByVideo(videos, otherVisual);
    out.ranked.reserve(videos.size());
    for (std::size_t i = 0; i < videos.size(); ++i) {
        // The same grids the scorer fills (gridsFromRows: cells [onset, offset) clipped).
        const auto g =
            gridsFromRows({videos[i]}, othA[i], othV[i], refA[i], refV[i], segments[i]).front();
        VideoDisagreement d;
        d.video = videos[i];
        d.segments = segments[i];
        for (int m = 0; m < 2; ++m) {
            const LabelGrid& ref = m == 0 ? g.gtAudio : g.gtVisual;
            const LabelGrid& oth = m == 0 ? g.predAudio : g.predVisual;
            for (int c = 0; c < kNumClasses; ++c) {
                KappaCounts k;
                for (int t = 0; t < ref.segments(); ++t) {
                    const bool a = ref.at(c, t);
                    const bool b = oth.at(c, t);
                    ++k.cells;
                    k.reference += a ? 1 : 0;
                    k.other += b ? 1 : 0;
                    k.both += a && b ? 1 : 0;
                }
                out.perClass[static_cast<std::size_t>(m)][static_cast<std::size_t>(c)] += k;
                out.overall[static_cast<std::size_t>(m)] += k;
                d.cells[static_cast<std::size_t>(m)] += k.disagreements();
            }
        }
        out.ranked.push_back(std::move(d));
    }
    std::stable_sort(out.ranked.begin(), out.ranked.end(),
                     [](const VideoDisagreement& a, const VideoDisagreement& b) {
                         return a.total() > b.total();
                     });
    return out;
}

}  // namespace avvp::core
