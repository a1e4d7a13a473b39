#include "core/calibration.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <numeric>
#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/quote.h"

namespace avvp::core {

namespace {
constexpr float kOff = -std::numeric_limits<float>::infinity();

std::string fixed(double v, int digits = 2) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*f", digits, v);
    return buf;
}

// The cells of one class and modality over every video: score (kOff when the global gate
// is off) and ground-truth label.
void collectCells(const std::vector<ScoredVideo>& videos, Modality m, int c, float globalTh,
                  std::vector<float>& scores, std::vector<char>& labels) {
    scores.clear();
    labels.clear();
    for (const auto& v : videos) {
        const auto& gt = m == Modality::Audio ? v.gtAudio : v.gtVisual;
        for (int t = 0; t < v.segments; ++t) {
            const bool gate = globalAt(v.global, t, c) >= globalTh;
            scores.push_back(gate ? v.frame[frameIndex(t, m, c)] : kOff);
            labels.push_back(t < gt.segments() && gt.at(c, t) ? 1 : 0);
        }
    }
}
}  // namespace

ClassThresholds ClassThresholds::uniform(const Thresholds& th) {
    ClassThresholds out;
    out.audio.fill(th.audio);
    out.visual.fill(th.visual);
    out.global = th.global;
    return out;
}

bool ClassThresholds::isUniform() const {
    auto same = [](const auto& a) {
        return std::all_of(a.begin(), a.end(), [&](float x) { return x == a[0]; });
    };
    return same(audio) && same(visual);
}

std::pair<LabelGrid, LabelGrid> thresholdGrids(std::span<const float> frame,
                                               std::span<const float> global, int segments,
                                               const ClassThresholds& th) {
    // The size checks of the uniform rule, then the per-class cells.
    auto grids = thresholdGrids(frame, global, segments, Thresholds{2.0F, 2.0F, 2.0F});
    auto& [a, vis] = grids;
    for (int c = 0; c < kNumClasses; ++c)
        for (int t = 0; t < segments; ++t) {
            if (!(globalAt(global, t, c) >= th.global)) continue;
            if (frame[frameIndex(t, Modality::Audio, c)] >= th.of(Modality::Audio, c)) a.set(c, t);
            if (frame[frameIndex(t, Modality::Visual, c)] >= th.of(Modality::Visual, c))
                vis.set(c, t);
        }
    return grids;
}

std::vector<SegmentSpan> thresholdSpans(std::span<const float> frame, std::span<const float> global,
                                        int segments, const ClassThresholds& th) {
    const auto [a, v] = thresholdGrids(frame, global, segments, th);
    std::vector<SegmentSpan> out;
    for (auto m : kModalities)
        for (const auto& e : (m == Modality::Audio ? a : v).events())
            out.push_back({m, e.cls, e.onset, e.offset});
    return out;
}

double SegmentCounts::f1() const {
    const long d = 2 * tp + fp + fn;
    return d == 0 ? 0.0 : 2.0 * static_cast<double>(tp) / static_cast<double>(d);
}

SegmentCounts segmentCounts(const std::vector<ScoredVideo>& videos, const ClassThresholds& th) {
    SegmentCounts n;
    for (const auto& v : videos) {
        const auto [a, vis] = thresholdGrids(v.frame, v.global, v.segments, th);
        for (auto m : kModalities) {
            const auto& p = m == Modality::Audio ? a : vis;
            const auto& g = m == Modality::Audio ? v.gtAudio : v.gtVisual;
            for (int c = 0; c < kNumClasses; ++c)
                for (int t = 0; t < v.segments; ++t) {
                    const bool on = p.at(c, t);
                    const bool truth = t < g.segments() && g.at(c, t);
                    n.tp += on && truth ? 1 : 0;
                    n.fp += on && !truth ? 1 : 0;
                    n.fn += !on && truth ? 1 : 0;
                }
        }
    }
    return n;
}

BestThreshold bestF1Threshold(std::span<const float> scores, std::span<const char> labels,
                              float fallback) {
    if (scores.size() != labels.size())
        throw std::invalid_argument("bestF1Threshold: scores and labels differ in size");
    BestThreshold best;
    best.threshold = fallback;
    for (char l : labels) best.positives += l != 0 ? 1 : 0;
    if (best.positives == 0) return best;
    std::vector<std::size_t> order(scores.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::sort(order.begin(), order.end(),
              [&](std::size_t i, std::size_t j) { return scores[i] > scores[j]; });
    long tp = 0, fp = 0;
    double bestF1 = 0.0;
    for (std::size_t i = 0; i < order.size();) {
        const float s = scores[order[i]];
        if (s == kOff || std::isnan(s)) break;
        std::size_t j = i;
        for (; j < order.size() && scores[order[j]] == s; ++j) (labels[order[j]] ? tp : fp) += 1;
        const double f1 =
            2.0 * static_cast<double>(tp) / static_cast<double>(tp + fp + best.positives);
        if (f1 > bestF1) {
            bestF1 = f1;
            float th = s;
            if (j < order.size() && scores[order[j]] != kOff) {
                const float next = scores[order[j]];
                const float mid = s / 2.0F + next / 2.0F;
                if (mid > next && mid <= s) th = mid;
            }
            best.threshold = th;
        }
        i = j;
    }
    best.f1 = bestF1;
    if (bestF1 == 0.0) best.threshold = fallback;
    return best;
}

Calibration calibratePerClass(const std::vector<ScoredVideo>& videos, const Thresholds& start) {
    Calibration out;
    out.mode = "per-class";
    out.videos = static_cast<int>(videos.size());
    out.before = ClassThresholds::uniform(start);
    out.thresholds = out.before;
    std::vector<float> scores;
    std::vector<char> labels;
    for (auto m : kModalities)
        for (int c = 0; c < kNumClasses; ++c) {
            collectCells(videos, m, c, start.global, scores, labels);
            CalibrationClass cc{m, c, bestF1Threshold(scores, labels, start.of(m)), 0.0};
            SegmentCounts before;
            for (std::size_t i = 0; i < scores.size(); ++i) {
                const bool on = scores[i] >= start.of(m);
                before.tp += on && labels[i] ? 1 : 0;
                before.fp += on && !labels[i] ? 1 : 0;
                before.fn += !on && labels[i] ? 1 : 0;
            }
            cc.f1Before = before.f1();
            (m == Modality::Audio ? out.thresholds.audio
                                  : out.thresholds.visual)[static_cast<std::size_t>(c)] =
                cc.best.threshold;
            out.classes.push_back(cc);
        }
    out.f1Before = segmentCounts(videos, out.before).f1();
    out.f1After = segmentCounts(videos, out.thresholds).f1();
    return out;
}

Calibration calibrateGlobal(const std::vector<ScoredVideo>& videos, const Thresholds& start,
                            float step) {
    if (!(step > 0.0F && step < 0.5F))
        throw std::invalid_argument("the grid step must lie in (0, 0.5)");
    Calibration out;
    out.mode = "global";
    out.videos = static_cast<int>(videos.size());
    out.before = ClassThresholds::uniform(start);
    const int n = static_cast<int>(std::floor(1.0F / step + 0.5F)) - 1;
    long positives = 0;
    for (const auto& v : videos) positives += v.gtAudio.count() + v.gtVisual.count();
    double bestF1 = -1.0;
    Thresholds best = start;
    std::vector<std::pair<float, char>> cells;
    for (int gi = 1; gi <= n; ++gi) {
        const float g = static_cast<float>(gi) * step;
        cells.clear();
        for (const auto& v : videos)
            for (auto m : kModalities) {
                const auto& gt = m == Modality::Audio ? v.gtAudio : v.gtVisual;
                for (int c = 0; c < kNumClasses; ++c)
                    for (int t = 0; t < v.segments; ++t)
                        if (globalAt(v.global, t, c) >= g)
                            cells.emplace_back(v.frame[frameIndex(t, m, c)],
                                               t < gt.segments() && gt.at(c, t) ? 1 : 0);
            }
        std::sort(cells.begin(), cells.end(),
                  [](const auto& x, const auto& y) { return x.first > y.first; });
        long tp = 0, fp = 0;
        std::size_t k = 0;
        for (int fi = n; fi >= 1; --fi) {  // frame thresholds from high to low
            const float f = static_cast<float>(fi) * step;
            for (; k < cells.size() && cells[k].first >= f; ++k) (cells[k].second ? tp : fp) += 1;
            const long d = tp + fp + positives;
            const double f1 = d == 0 ? 0.0 : 2.0 * static_cast<double>(tp) / static_cast<double>(d);
            if (f1 > bestF1) {
                bestF1 = f1;
                best = Thresholds::frame(f, g);
            }
        }
    }
    out.thresholds = ClassThresholds::uniform(best);
    out.f1Before = segmentCounts(videos, out.before).f1();
    out.f1After = segmentCounts(videos, out.thresholds).f1();
    return out;
}

// Six decimals, so that 0.01f is written 0.01, not 0.009999999776482582.
static double rounded(double v) {
    return std::round(v * 1e6) / 1e6;
}

std::string thresholdsJson(const ThresholdsFile& f) {
    nlohmann::ordered_json j;
    j["format"] = "avvp-thresholds";
    j["version"] = 1;
    j["mode"] = f.mode;
    j["protocol"] = f.protocol;
    j["calibrated_on"] = {
        {"store", f.store}, {"run", f.run}, {"split", f.split}, {"videos", f.videos}};
    j["objective"] = {{"name", kCalibrationProtocol},
                      {"before", rounded(f.f1Before)},
                      {"after", rounded(f.f1After)}};
    j["global"] = rounded(f.thresholds.global);
    for (auto m : kModalities) {
        nlohmann::ordered_json per;
        for (int c = 0; c < kNumClasses; ++c)
            per[std::string(kClassNames[static_cast<std::size_t>(c)])] =
                rounded(f.thresholds.of(m, c));
        j[std::string(modalityName(m))] = per;
    }
    return j.dump(2) + "\n";
}

ThresholdsFile parseThresholdsJson(const std::string& text, const std::string& source) {
    auto bad = [&](const std::string& why) { return InputError(source, 0, why); };
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception& e) {
        throw bad(std::string("is not JSON: ") + e.what());
    }
    if (!j.is_object() || j.value("format", "") != "avvp-thresholds")
        throw bad("is not a thresholds file (\"format\": \"avvp-thresholds\" missing)");
    ThresholdsFile f;
    f.source = source;
    auto prob = [&](const nlohmann::json& v, const std::string& what) {
        if (!v.is_number()) throw bad(what + " is not a number");
        const double x = v.get<double>();
        if (!(x >= 0.0 && x <= 1.0))
            throw bad(what + " is " + quote(v.dump()) + ", outside [0, 1]");
        return static_cast<float>(x);
    };
    try {
        f.mode = j.value("mode", "");
        f.protocol = j.value("protocol", "");
        if (j.contains("calibrated_on") && j["calibrated_on"].is_object()) {
            const auto& on = j["calibrated_on"];
            f.store = on.value("store", "");
            f.run = on.value("run", "");
            f.split = on.value("split", "");
            f.videos = on.value("videos", 0);
        }
        if (j.contains("objective") && j["objective"].is_object()) {
            f.f1Before = j["objective"].value("before", 0.0);
            f.f1After = j["objective"].value("after", 0.0);
        }
    } catch (const nlohmann::json::exception& e) {
        throw bad(std::string("has a field of the wrong type: ") + e.what());
    }
    if (!j.contains("global")) throw bad("has no \"global\" threshold");
    f.thresholds.global = prob(j["global"], "\"global\"");
    for (auto m : kModalities) {
        const std::string key(modalityName(m));
        if (!j.contains(key) || !j[key].is_object())
            throw bad("has no \"" + key + "\" object of per-class thresholds");
        const auto& per = j[key];
        for (auto it = per.begin(); it != per.end(); ++it)
            if (!classIndex(it.key()))
                throw bad("\"" + key + "\" names no class " + quote(it.key()));
        for (int c = 0; c < kNumClasses; ++c) {
            const std::string name(kClassNames[static_cast<std::size_t>(c)]);
            if (!per.contains(name)) throw bad("\"" + key + "\" lacks the class " + quote(name));
            (m == Modality::Audio ? f.thresholds.audio
                                  : f.thresholds.visual)[static_cast<std::size_t>(c)] =
                prob(per[name], "\"" + key + "\"." + name);
        }
    }
    return f;
}

ThresholdsFile readThresholdsFile(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError(path.string(), 0, "cannot be read");
    std::ostringstream s;
    s << in.rdbuf();
    return parseThresholdsJson(s.str(), path.string());
}

std::string describeThresholds(const Thresholds& th) {
    if (th.audio == th.visual) return "frame " + fixed(th.audio) + ", global " + fixed(th.global);
    return "audio " + fixed(th.audio) + ", visual " + fixed(th.visual) + ", global " +
           fixed(th.global);
}

std::string describeThresholds(const ThresholdsFile& f) {
    std::string out;
    if (f.thresholds.isUniform())
        out = describeThresholds(
            Thresholds{f.thresholds.audio[0], f.thresholds.visual[0], f.thresholds.global});
    else
        out = "per-class thresholds (global " + fixed(f.thresholds.global) + ")";
    if (!f.source.empty()) out += " from " + f.source;
    if (!f.mode.empty()) out += " [" + f.mode;
    if (!f.split.empty())
        out += ", calibrated on the " + f.split + " split" +
               (f.run.empty() ? std::string() : " of run " + f.run);
    if (!f.mode.empty()) out += "]";
    return out;
}

}  // namespace avvp::core
