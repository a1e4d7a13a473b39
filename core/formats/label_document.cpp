#include "core/formats/label_document.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <tuple>

namespace avvp::core {

void LabelDocument::syncIndex() const {
    bool stale = index_.size() != videos.size();
    if (!stale && !videos.empty()) {
        const auto it = index_.find(videos.back().filename);
        stale = it == index_.end() || it->second != videos.size() - 1;
    }
    if (!stale) return;
    index_.clear();
    for (std::size_t i = 0; i < videos.size(); ++i) index_.emplace(videos[i].filename, i);
}

LabelVideo& LabelDocument::video(std::string_view filename) {
    syncIndex();
    if (const auto it = index_.find(std::string(filename)); it != index_.end())
        return videos[it->second];
    LabelVideo v;
    v.filename = std::string(filename);
    v.covers = {false, false};
    videos.push_back(std::move(v));
    index_.emplace(videos.back().filename, videos.size() - 1);
    return videos.back();
}

const LabelVideo* LabelDocument::find(std::string_view filename) const {
    syncIndex();
    const auto it = index_.find(std::string(filename));
    return it == index_.end() ? nullptr : &videos[it->second];
}

std::size_t LabelDocument::eventCount() const {
    std::size_t n = 0;
    for (const auto& v : videos) n += v.events.size();
    return n;
}

std::string formatSeconds(std::int64_t ms) {
    std::string out = ms < 0 ? "-" : "";
    const auto a = ms < 0 ? -ms : ms;
    out += std::to_string(a / 1000);
    if (const auto frac = a % 1000; frac != 0) {
        std::string digits = std::to_string(frac);
        digits.insert(0, 3 - digits.size(), '0');
        while (digits.back() == '0') digits.pop_back();
        out += '.';
        out += digits;
    }
    return out;
}

std::optional<std::int64_t> parseSeconds(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    if (!text.empty() && text.front() == '+') text.remove_prefix(1);
    if (text.empty()) return std::nullopt;
    double s = 0;
    const auto* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, s);
    // About 30 years: far beyond any video, far below int64 milliseconds.
    if (ec != std::errc{} || ptr != end || !std::isfinite(s) || s < 0 || s > 1e9)
        return std::nullopt;
    return std::llround(s * 1000.0);
}

std::string tierName(Modality m, int cls) {
    return std::string(modalityName(m)) + "/" +
           std::string(kClassNames.at(static_cast<std::size_t>(cls)));
}

std::optional<TierName> parseTierName(std::string_view name) {
    const auto slash = name.find('/');
    const auto head = name.substr(0, slash);
    TierName t;
    if (head == "audio")
        t.modality = Modality::Audio;
    else if (head == "visual")
        t.modality = Modality::Visual;
    else
        return std::nullopt;
    if (slash != std::string_view::npos) {
        t.cls = classIndex(name.substr(slash + 1));
        if (!t.cls) return std::nullopt;
    }
    return t;
}

void sortEvents(std::vector<LabelEvent>& events) {
    std::stable_sort(events.begin(), events.end(), [](const LabelEvent& a, const LabelEvent& b) {
        return std::tuple(a.modality, a.cls, a.onsetMs, a.offsetMs) <
               std::tuple(b.modality, b.cls, b.onsetMs, b.offsetMs);
    });
}

std::size_t mergeOverlaps(std::vector<LabelEvent>& events) {
    sortEvents(events);
    std::vector<LabelEvent> out;
    out.reserve(events.size());
    for (auto& e : events) {
        if (!out.empty() && out.back().modality == e.modality && out.back().cls == e.cls &&
            e.onsetMs < out.back().offsetMs) {
            out.back().offsetMs = std::max(out.back().offsetMs, e.offsetMs);
            continue;
        }
        out.push_back(std::move(e));
    }
    const auto merged = events.size() - out.size();
    events = std::move(out);
    return merged;
}

}  // namespace avvp::core
