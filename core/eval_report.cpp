#include "core/eval_report.h"

#include <cstdio>
#include <nlohmann/json.hpp>
#include <ostream>

namespace avvp::core {

namespace {

std::string fixed(double v, int decimals) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

void writeTenValues(std::ostream& out, const LevelScores& s, double scale, int decimals) {
    for (int i = 0; i < kNumMetrics; ++i) out << fixed(scale * s.segment[i], decimals) << '\t';
    for (int i = 0; i < kNumMetrics; ++i)
        out << fixed(scale * s.event[i], decimals) << (i + 1 < kNumMetrics ? "\t" : "\n");
}

const std::array<const char*, 3> kModalityColumns = {"audio", "visual", "audio_visual"};

}  // namespace

void writeEvalTsv(std::ostream& out, const EvalResult& r) {
    out << kEvalTsvHeader << '\n';
    writeTenValues(out, r.dataset, 1.0, 6);
}

void writeEvalText(std::ostream& out, const EvalResult& r, const std::string& title,
                   bool perClass) {
    char line[256];
    out << title << '\n';
    out << "protocol: " << r.protocol << ", " << r.videos.size() << " videos";
    if (r.anyLength())
        out << " of " << r.minSegments
            << (r.minSegments == r.maxSegments ? "" : "-" + std::to_string(r.maxSegments))
            << " segments";
    out << ", F-score in %\n\n";
    std::snprintf(line, sizeof line, "%-9s %8s %8s %8s %8s %9s\n", "level", "Audio", "Visual", "AV",
                  "Type@AV", "Event@AV");
    out << line;
    auto row = [&](const char* name, const std::array<double, kNumMetrics>& v) {
        std::snprintf(line, sizeof line, "%-9s %8.2f %8.2f %8.2f %8.2f %9.2f\n", name, v[0], v[1],
                      v[2], v[3], v[4]);
        out << line;
    };
    row("Segment", r.dataset.segment);
    row("Event", r.dataset.event);
    if (!perClass) return;
    out << "\nper class (F in %, counts pooled over videos)\n";
    std::snprintf(line, sizeof line, "%-24s %7s %7s %7s   %7s %7s %7s\n", "class", "seg A", "seg V",
                  "seg AV", "evt A", "evt V", "evt AV");
    out << line;
    for (int c = 0; c < kNumClasses; ++c) {
        std::snprintf(line, sizeof line, "%-24s %7.2f %7.2f %7.2f   %7.2f %7.2f %7.2f\n",
                      std::string(kClassNames[static_cast<std::size_t>(c)]).c_str(),
                      100 * r.segmentClass[0][c].f1(), 100 * r.segmentClass[1][c].f1(),
                      100 * r.segmentClass[2][c].f1(), 100 * r.eventClass[0][c].f1(),
                      100 * r.eventClass[1][c].f1(), 100 * r.eventClass[2][c].f1());
        out << line;
    }
}

void writeEvalJson(std::ostream& out, const EvalResult& r, const std::string& title) {
    using nlohmann::json;
    auto level = [](const std::array<double, kNumMetrics>& v) {
        json j;
        for (int i = 0; i < kNumMetrics; ++i) j[kMetricNames[static_cast<std::size_t>(i)]] = v[i];
        return j;
    };
    json j;
    j["title"] = title;
    j["protocol"] = r.protocol;
    j["videos"] = r.videos.size();
    if (r.anyLength()) j["segments"] = {{"min", r.minSegments}, {"max", r.maxSegments}};
    j["segment"] = level(r.dataset.segment);
    j["event"] = level(r.dataset.event);
    json classes = json::array();
    for (int c = 0; c < kNumClasses; ++c) {
        json jc;
        jc["class"] = kClassNames[static_cast<std::size_t>(c)];
        for (const auto& [name, counts] :
             {std::pair{"segment", &r.segmentClass}, std::pair{"event", &r.eventClass}}) {
            for (int m = 0; m < 3; ++m) {
                const auto& k = (*counts)[m][c];
                jc[name][kModalityColumns[static_cast<std::size_t>(m)]] = {
                    {"tp", k.tp},
                    {"fp", k.fp},
                    {"fn", k.fn},
                    {"f", k.active() ? json(100 * k.f1()) : json(nullptr)}};
            }
        }
        classes.push_back(std::move(jc));
    }
    j["per_class"] = std::move(classes);
    out << j.dump(2) << '\n';
}

void writePerVideoTsv(std::ostream& out, const EvalResult& r) {
    out << "filename\t" << kEvalTsvHeader << '\n';
    for (std::size_t i = 0; i < r.videos.size(); ++i) {
        out << r.videos[i] << '\t';
        writeTenValues(out, r.perVideo[i], 100.0, 4);
    }
}

void writePerClassTsv(std::ostream& out, const EvalResult& r) {
    out << "class";
    for (const char* level : {"seg", "evt"})
        for (const char* m : {"a", "v", "av"})
            out << '\t' << level << '_' << m << "_f\t" << level << '_' << m << "_tp\t" << level
                << '_' << m << "_fp\t" << level << '_' << m << "_fn";
    out << '\n';
    for (int c = 0; c < kNumClasses; ++c) {
        out << kClassNames[static_cast<std::size_t>(c)];
        for (const auto* counts : {&r.segmentClass, &r.eventClass})
            for (int m = 0; m < 3; ++m) {
                const auto& k = (*counts)[m][c];
                // A class that occurs in neither prediction nor ground truth has no F.
                out << '\t' << (k.active() ? fixed(100 * k.f1(), 4) : std::string("-")) << '\t'
                    << k.tp << '\t' << k.fp << '\t' << k.fn;
            }
        out << '\n';
    }
}

}  // namespace avvp::core
