#include "core/run_comparison.h"

#include "core/rows_by_video.h"

#include <stdexcept>
#include <unordered_map>

namespace avvp::core {

const char* outcomeName(CellOutcome o) {
    switch (o) {
        case CellOutcome::BothRight:
            return "both right";
        case CellOutcome::BothWrong:
            return "both wrong";
        case CellOutcome::AOnly:
            return "A only right";
        case CellOutcome::BOnly:
            return "B only right";
    }
    return "?";
}

void OutcomeCounts::add(CellOutcome o) {
    switch (o) {
        case CellOutcome::BothRight:
            ++bothRight;
            break;
        case CellOutcome::BothWrong:
            ++bothWrong;
            break;
        case CellOutcome::AOnly:
            ++aOnly;
            break;
        case CellOutcome::BOnly:
            ++bOnly;
            break;
    }
}

OutcomeCounts& OutcomeCounts::operator+=(const OutcomeCounts& o) {
    bothRight += o.bothRight;
    bothWrong += o.bothWrong;
    aOnly += o.aOnly;
    bOnly += o.bOnly;
    return *this;
}

void compareGrids(const LabelGrid& gt, const LabelGrid& a, const LabelGrid& b, Modality m,
                  VideoComparison& out) {
    if (a.segments() != gt.segments() || b.segments() != gt.segments() ||
        a.classes() != gt.classes() || b.classes() != gt.classes())
        throw std::invalid_argument("compareGrids: the grids differ in size");
    const auto mi = static_cast<std::size_t>(m);
    out.segments = gt.segments();
    auto& cells = out.cells[mi];
    cells.assign(static_cast<std::size_t>(gt.classes() * gt.segments()), CellOutcome::BothRight);
    OutcomeCounts counts;
    for (int c = 0; c < gt.classes(); ++c)
        for (int t = 0; t < gt.segments(); ++t) {
            const auto o = cellOutcome(gt.at(c, t), a.at(c, t), b.at(c, t));
            cells[static_cast<std::size_t>(c * gt.segments() + t)] = o;
            counts.add(o);
        }
    out.counts[mi] = counts;
}

using Rows = std::vector<DenseLabelRow>;

RunComparison compareRuns(const std::vector<std::string>& videos, const std::vector<int>& segments,
                          const std::vector<std::array<bool, 2>>& hasGt, const Rows& gtAudio,
                          const Rows& gtVisual, const Rows& aAudio, const Rows& aVisual,
                          const Rows& bAudio, const Rows& bVisual) {
    if (segments.size() != videos.size() || hasGt.size() != videos.size())
        throw std::invalid_argument("compareRuns: one segment count and coverage per video");
    const auto gA = rowsByVideo(videos, gtAudio), gV = rowsByVideo(videos, gtVisual);
    const auto aA = rowsByVideo(videos, aAudio), aV = rowsByVideo(videos, aVisual);
    const auto bA = rowsByVideo(videos, bAudio), bV = rowsByVideo(videos, bVisual);
    RunComparison out;
    out.videos.reserve(videos.size());
    for (std::size_t i = 0; i < videos.size(); ++i) {
        // The grids the scorer fills for each run (gridsFromRows: [onset, offset) clipped).
        const auto ga = gridsFromRows({videos[i]}, aA[i], aV[i], gA[i], gV[i], segments[i]).front();
        const auto gb = gridsFromRows({videos[i]}, bA[i], bV[i], {}, {}, segments[i]).front();
        VideoComparison v;
        v.video = videos[i];
        v.segments = segments[i];
        if (hasGt[i][0]) compareGrids(ga.gtAudio, ga.predAudio, gb.predAudio, Modality::Audio, v);
        if (hasGt[i][1])
            compareGrids(ga.gtVisual, ga.predVisual, gb.predVisual, Modality::Visual, v);
        out.totals[0] += v.counts[0];
        out.totals[1] += v.counts[1];
        out.videos.push_back(std::move(v));
    }
    return out;
}

}  // namespace avvp::core
