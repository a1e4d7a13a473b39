#include "core/evaluation.h"

#include <algorithm>
#include <stdexcept>
#include <unordered_map>

namespace avvp::core {

Counts segmentCounts(const LabelGrid& pred, const LabelGrid& gt, int cls) {
    Counts c;
    for (int t = 0; t < pred.segments(); ++t) {
        const bool p = pred.at(cls, t);
        const bool g = gt.at(cls, t);
        c.tp += (p && g) ? 1 : 0;
        c.fp += (p && !g) ? 1 : 0;
        c.fn += (!p && g) ? 1 : 0;
    }
    return c;
}

namespace {

// IoU >= 0.5 in cells, written without division: 2 * intersection >= union
// (exactly 0.5 passes).
bool matches(const Event& a, const Event& b) {
    const int inter = std::max(0, std::min(a.offset, b.offset) - std::max(a.onset, b.onset));
    const int uni = a.length() + b.length() - inter;
    return 2 * inter >= uni;
}

}  // namespace

Counts eventCounts(const LabelGrid& pred, const LabelGrid& gt, int cls) {
    // Most classes of a video are empty on both sides: skip the event extraction.
    if (!pred.any(cls) && !gt.any(cls)) return {};
    const auto p = pred.events(cls);
    const auto g = gt.events(cls);
    Counts c;
    for (const auto& pe : p) {
        bool hit = false;
        for (const auto& ge : g)
            if (matches(pe, ge)) {
                hit = true;
                break;
            }
        (hit ? c.tp : c.fp) += 1;
    }
    for (const auto& ge : g) {
        bool hit = false;
        for (const auto& pe : p)
            if (matches(ge, pe)) {
                hit = true;
                break;
            }
        if (!hit) c.fn += 1;
    }
    return c;
}

namespace {

// Mean over the active classes of F; 1.0 when no class is active (all true negatives).
double videoF(const std::array<Counts, kNumClasses>& counts) {
    double sum = 0.0;
    int active = 0;
    for (const auto& c : counts) {
        if (!c.active()) continue;
        sum += 2.0 * static_cast<double>(c.tp) / static_cast<double>(2 * c.tp + c.fn + c.fp);
        ++active;
    }
    return active == 0 ? 1.0 : sum / active;
}

template <class CountFn>
std::array<double, kNumMetrics> scoreLevel(const LabelGrid& pa, const LabelGrid& pv,
                                           const LabelGrid& pav, const LabelGrid& ga,
                                           const LabelGrid& gv, const LabelGrid& gav,
                                           ClassCounts* sink, CountFn count) {
    std::array<std::array<Counts, kNumClasses>, 3> c{};
    std::array<Counts, kNumClasses> pooled{};
    for (int k = 0; k < kNumClasses; ++k) {
        c[0][k] = count(pa, ga, k);
        c[1][k] = count(pv, gv, k);
        c[2][k] = count(pav, gav, k);
        pooled[k] = c[0][k];
        pooled[k] += c[1][k];
        if (sink)
            for (int m = 0; m < 3; ++m) (*sink)[m][k] += c[m][k];
    }
    std::array<double, kNumMetrics> s{};
    s[kAudio] = videoF(c[0]);
    s[kVisual] = videoF(c[1]);
    s[kAudioVisual] = videoF(c[2]);
    s[kTypeAv] = (s[kAudio] + s[kVisual] + s[kAudioVisual]) / 3.0;
    s[kEventAv] = videoF(pooled);
    return s;
}

}  // namespace

LevelScores scoreVideo(const VideoGrids& g, ClassCounts* segmentClass, ClassCounts* eventClass) {
    const auto pav = LabelGrid::intersect(g.predAudio, g.predVisual);
    const auto gav = LabelGrid::intersect(g.gtAudio, g.gtVisual);
    LevelScores s;
    s.segment = scoreLevel(g.predAudio, g.predVisual, pav, g.gtAudio, g.gtVisual, gav, segmentClass,
                           segmentCounts);
    s.event = scoreLevel(g.predAudio, g.predVisual, pav, g.gtAudio, g.gtVisual, gav, eventClass,
                         eventCounts);
    return s;
}

namespace {

// Scores the videos one at a time: `grids(i)` returns video i's grids. Only one video's
// grids need to exist at once, which keeps a whole-split evaluation small in memory.
template <class GridsOf>
EvalResult evaluateEach(std::vector<std::string> videos, GridsOf grids) {
    EvalResult r;
    r.videos = std::move(videos);
    const std::size_t count = r.videos.size();
    r.perVideo.reserve(count);
    std::array<double, 3> segSum{}, evtSum{};
    double segEvent = 0, evtEvent = 0;
    for (std::size_t i = 0; i < count; ++i) {
        const VideoGrids& g = grids(i);
        const int t = g.gtAudio.segments();
        if (i == 0) r.minSegments = r.maxSegments = t;
        r.minSegments = std::min(r.minSegments, t);
        r.maxSegments = std::max(r.maxSegments, t);
        r.perVideo.push_back(scoreVideo(g, &r.segmentClass, &r.eventClass));
        const auto& v = r.perVideo.back();
        for (int m = 0; m < 3; ++m) {
            segSum[m] += v.segment[m];
            evtSum[m] += v.event[m];
        }
        segEvent += v.segment[kEventAv];
        evtEvent += v.event[kEventAv];
    }
    const double n = count == 0 ? 1.0 : static_cast<double>(count);
    auto& d = r.dataset;
    for (int m = 0; m < 3; ++m) {
        d.segment[m] = 100.0 * segSum[m] / n;
        d.event[m] = 100.0 * evtSum[m] / n;
    }
    d.segment[kTypeAv] = (d.segment[kAudio] + d.segment[kVisual] + d.segment[kAudioVisual]) / 3.0;
    d.event[kTypeAv] = (d.event[kAudio] + d.event[kVisual] + d.event[kAudioVisual]) / 3.0;
    d.segment[kEventAv] = 100.0 * segEvent / n;
    d.event[kEventAv] = 100.0 * evtEvent / n;
    if (r.anyLength()) r.protocol = kAvvpAnyLengthProtocol;
    return r;
}

// The rows of one file grouped by video (compressed: offsets into one array), so each
// video's rows are found without scanning the file. Names repeated in the split share
// one group: every occurrence gets the same rows, as the reference does.
class RowsByVideo {
  public:
    RowsByVideo() = default;
    RowsByVideo(const std::vector<DenseLabelRow>& rows,
                const std::unordered_map<std::string_view, std::size_t>& group)
        : start_(group.size() + 1, 0) {
        const std::size_t groups = group.size();
        std::vector<std::size_t> of(rows.size(), groups);
        for (std::size_t k = 0; k < rows.size(); ++k) {
            auto it = group.find(rows[k].filename);
            if (it == group.end()) continue;  // not in the split: ignored
            of[k] = it->second;
            ++start_[it->second + 1];
        }
        for (std::size_t g = 0; g < groups; ++g) start_[g + 1] += start_[g];
        rows_.resize(start_[groups]);
        auto next = start_;
        for (std::size_t k = 0; k < rows.size(); ++k)
            if (of[k] < groups) rows_[next[of[k]]++] = &rows[k];
    }

    void fill(std::size_t groupIndex, LabelGrid& grid) const {
        grid.clear();
        for (auto k = start_[groupIndex]; k < start_[groupIndex + 1]; ++k)
            grid.fill(rows_[k]->cls, rows_[k]->onset, rows_[k]->offset);
    }

  private:
    std::vector<std::size_t> start_;
    std::vector<const DenseLabelRow*> rows_;
};

}  // namespace

EvalResult evaluate(std::vector<std::string> videos, const std::vector<VideoGrids>& grids) {
    if (videos.size() != grids.size())
        throw std::invalid_argument("evaluate: one grid set per video is needed");
    return evaluateEach(std::move(videos),
                        [&](std::size_t i) -> const VideoGrids& { return grids[i]; });
}

namespace {

// The four row files of a split grouped by video; fills one video's grids on request.
class SplitRows {
  public:
    SplitRows(const std::vector<std::string>& videos, const std::vector<DenseLabelRow>& predAudio,
              const std::vector<DenseLabelRow>& predVisual,
              const std::vector<DenseLabelRow>& gtAudio, const std::vector<DenseLabelRow>& gtVisual)
        : groupOf_(videos.size()) {
        // A split may list a name twice: both entries share one group (and are both
        // scored). The keys view into `videos`, so the map lives only here.
        std::unordered_map<std::string_view, std::size_t> group;
        group.reserve(videos.size());
        for (std::size_t i = 0; i < videos.size(); ++i)
            groupOf_[i] = group.try_emplace(videos[i], group.size()).first->second;
        pa_ = RowsByVideo(predAudio, group);
        pv_ = RowsByVideo(predVisual, group);
        ga_ = RowsByVideo(gtAudio, group);
        gv_ = RowsByVideo(gtVisual, group);
    }

    void fill(std::size_t video, VideoGrids& g) const {
        const auto k = groupOf_[video];
        pa_.fill(k, g.predAudio);
        pv_.fill(k, g.predVisual);
        ga_.fill(k, g.gtAudio);
        gv_.fill(k, g.gtVisual);
    }

  private:
    std::vector<std::size_t> groupOf_;
    RowsByVideo pa_, pv_, ga_, gv_;
};

}  // namespace

EvalResult evaluateRows(std::vector<std::string> videos,
                        const std::vector<DenseLabelRow>& predAudio,
                        const std::vector<DenseLabelRow>& predVisual,
                        const std::vector<DenseLabelRow>& gtAudio,
                        const std::vector<DenseLabelRow>& gtVisual, int segments) {
    const SplitRows rows(videos, predAudio, predVisual, gtAudio, gtVisual);
    const LabelGrid empty(segments);
    VideoGrids g{empty, empty, empty, empty};
    return evaluateEach(std::move(videos), [&](std::size_t i) -> const VideoGrids& {
        rows.fill(i, g);
        return g;
    });
}

EvalResult evaluateRows(std::vector<std::string> videos,
                        const std::vector<DenseLabelRow>& predAudio,
                        const std::vector<DenseLabelRow>& predVisual,
                        const std::vector<DenseLabelRow>& gtAudio,
                        const std::vector<DenseLabelRow>& gtVisual,
                        const std::vector<int>& segments) {
    if (segments.size() != videos.size())
        throw std::invalid_argument("evaluateRows: one segment count per video is needed");
    for (const int t : segments)
        if (t <= 0) throw std::invalid_argument("evaluateRows: a video of no segment");
    const SplitRows rows(videos, predAudio, predVisual, gtAudio, gtVisual);
    VideoGrids g{LabelGrid(kLlpSegments), LabelGrid(kLlpSegments), LabelGrid(kLlpSegments),
                 LabelGrid(kLlpSegments)};
    return evaluateEach(std::move(videos), [&](std::size_t i) -> const VideoGrids& {
        if (g.gtAudio.segments() != segments[i]) {
            const LabelGrid empty(segments[i]);
            g = VideoGrids{empty, empty, empty, empty};
        }
        rows.fill(i, g);
        return g;
    });
}

std::vector<VideoGrids> gridsFromRows(const std::vector<std::string>& videos,
                                      const std::vector<DenseLabelRow>& predAudio,
                                      const std::vector<DenseLabelRow>& predVisual,
                                      const std::vector<DenseLabelRow>& gtAudio,
                                      const std::vector<DenseLabelRow>& gtVisual, int segments) {
    const SplitRows rows(videos, predAudio, predVisual, gtAudio, gtVisual);
    const LabelGrid empty(segments);
    std::vector<VideoGrids> grids(videos.size(), VideoGrids{empty, empty, empty, empty});
    for (std::size_t i = 0; i < videos.size(); ++i) rows.fill(i, grids[i]);
    return grids;
}

std::vector<std::string> videoNames(const WeakLabelFile& split) {
    std::vector<std::string> out;
    out.reserve(split.rows.size());
    for (const auto& r : split.rows) out.push_back(r.filename);
    return out;
}

}  // namespace avvp::core
