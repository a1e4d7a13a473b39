// `avvp agreement`: how far two annotators of a label store are apart (issue 18, item 3).
// Part of the store plugin (libavvp_store_cli.so); the scoring is the store's
// annotatorAgreement (core/store/annotator_agreement.h) over the AVVP scorer.
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "app/cli/cli_output.h"
#include "app/cli/options.h"
#include "app/cli/store_guard.h"
#include "app/common/paths.h"
#include "core/error.h"
#include "core/eval_report.h"
#include "core/quote.h"
#include "core/store/annotator_agreement.h"

namespace avvp::app {

namespace {

const std::string kAgreementUsage =
    R"(usage: avvp agreement --store PATH --annotators A,B [--split S] [options]

How far two annotators are apart. An annotator's labels of a video are that annotator's
final labels: the store's ground truth with the annotator's accepted corrections applied
(what avvp export --source final --annotator NAME writes). A is the reference:
  - the ten AVVP scores of B's labels against A's, computed as avvp eval --store scores a
    set against the ground truth (every video of the split, each over its own one-second
    segments; events widened to whole seconds);
  - Cohen's kappa per class and modality over the one-second segments of every video
    (the segment x class cells of both annotators), and overall per modality (every
    class's cells pooled); "undefined" where both annotators label the class the same in
    every segment (kappa = 0/0);
  - the videos ranked by disagreement: the segment x class cells (audio + visual) where
    A and B differ.

options:
  --annotators A,B   the reference annotator and the compared one (required)
  --split S          train | val | test | all                           [default: test]
  --only-edited      only the videos both annotators corrected
  --format F         text | tsv | json                                  [default: text]
  --top N            text format: how many ranked videos to list (0: all) [default: 20]
  --store PATH       the label store (required; only read)

Formats: text (tables), tsv (three tables separated by a blank line: the ten scores as
avvp eval --format tsv writes them; modality, class, segments, a_on, b_on, both_on,
observed, kappa with class "all" for the overall row; rank, video, segments,
audio_cells, visual_cells, cells), json (the same as one object).

Exit codes: 0 computed, 2 bad input or usage (an annotator without corrections is named
with the annotators the store has), 1 a database failure.
)";

std::string kappaText(const core::KappaCounts& k) {
    const auto v = k.kappa();
    if (!v) return "undefined";
    char b[32];
    std::snprintf(b, sizeof b, "%.3f", *v);
    return b;
}

nlohmann::json kappaJson(const core::KappaCounts& k) {
    const auto v = k.kappa();
    return {
        {"segments", k.cells},      {"a_on", k.reference},
        {"b_on", k.other},          {"both_on", k.both},
        {"observed", k.observed()}, {"kappa", v ? nlohmann::json(*v) : nlohmann::json(nullptr)}};
}

void writeText(std::ostream& out, const store::StoreAgreement& s, const std::string& title,
               std::size_t top) {
    const auto& r = s.result;
    core::writeEvalText(out, r.scores, title, false);
    char line[256];
    out << "\nCohen's kappa over one-second segments (A's labels against B's)\n";
    std::snprintf(line, sizeof line, "%-24s %9s %9s %9s %10s\n", "class", "segments", "A on",
                  "B on", "kappa");
    for (int m = 0; m < 2; ++m) {
        out << '\n' << (m == 0 ? "audio" : "visual") << '\n' << line;
        int undefined = 0;
        for (int c = 0; c < core::kNumClasses; ++c) {
            const auto& k = r.perClass[static_cast<std::size_t>(m)][static_cast<std::size_t>(c)];
            undefined += k.kappa() ? 0 : 1;
            char row[256];
            std::snprintf(row, sizeof row, "%-24s %9ld %9ld %9ld %10s\n",
                          std::string(core::kClassNames[static_cast<std::size_t>(c)]).c_str(),
                          k.cells, k.reference, k.other, kappaText(k).c_str());
            out << row;
        }
        const auto& k = r.overall[static_cast<std::size_t>(m)];
        char row[256];
        std::snprintf(row, sizeof row, "%-24s %9ld %9ld %9ld %10s\n", "overall (pooled)", k.cells,
                      k.reference, k.other, kappaText(k).c_str());
        out << row;
        if (undefined > 0)
            out << "note: kappa is undefined for " << undefined
                << " classes both annotators label the same in every segment (both constant)\n";
    }
    long differing = 0;
    for (const auto& v : r.ranked) differing += v.total() > 0 ? 1 : 0;
    out << "\nvideos by disagreement (differing segment x class cells): " << differing << " of "
        << r.ranked.size() << " videos differ\n";
    std::size_t shown = 0;
    for (const auto& v : r.ranked) {
        if (v.total() == 0 || (top > 0 && shown >= top)) break;
        ++shown;
        std::snprintf(line, sizeof line, "%4zu  %-40s %6ld  (audio %ld, visual %ld)\n", shown,
                      v.video.c_str(), v.total(), v.cells[0], v.cells[1]);
        out << line;
    }
    if (static_cast<long>(shown) < differing)
        out << "  ... " << differing - static_cast<long>(shown) << " more (--top 0 lists all)\n";
    if (s.leftOut > 0)
        out << "\n--only-edited: " << s.leftOut
            << " videos of the split not corrected by both are left out\n";
}

void writeTsv(std::ostream& out, const store::StoreAgreement& s) {
    const auto& r = s.result;
    core::writeEvalTsv(out, r.scores);
    out << "\nmodality\tclass\tsegments\ta_on\tb_on\tboth_on\tobserved\tkappa\n";
    auto row = [&](const char* m, const std::string& cls, const core::KappaCounts& k) {
        const auto v = k.kappa();
        out << m << '\t' << cls << '\t' << k.cells << '\t' << k.reference << '\t' << k.other << '\t'
            << k.both << '\t' << k.observed() << '\t'
            << (v ? std::to_string(*v) : std::string("undefined")) << '\n';
    };
    for (int m = 0; m < 2; ++m) {
        const char* name = m == 0 ? "audio" : "visual";
        for (int c = 0; c < core::kNumClasses; ++c)
            row(name, std::string(core::kClassNames[static_cast<std::size_t>(c)]),
                r.perClass[static_cast<std::size_t>(m)][static_cast<std::size_t>(c)]);
        row(name, "all", r.overall[static_cast<std::size_t>(m)]);
    }
    out << "\nrank\tvideo\tsegments\taudio_cells\tvisual_cells\tcells\n";
    std::size_t rank = 0;
    for (const auto& v : r.ranked)
        out << ++rank << '\t' << v.video << '\t' << v.segments << '\t' << v.cells[0] << '\t'
            << v.cells[1] << '\t' << v.total() << '\n';
}

void writeJson(std::ostream& out, const store::StoreAgreement& s, const std::string& title,
               const std::string& a, const std::string& b) {
    using nlohmann::json;
    const auto& r = s.result;
    std::stringstream scores;
    core::writeEvalJson(scores, r.scores, title);
    json j;
    j["reference"] = a;
    j["other"] = b;
    j["split"] = s.splitText;
    j["videos"] = r.ranked.size();
    if (s.leftOut > 0) j["left_out"] = s.leftOut;
    j["scores"] = json::parse(scores.str());
    for (int m = 0; m < 2; ++m) {
        json k;
        k["overall"] = kappaJson(r.overall[static_cast<std::size_t>(m)]);
        json classes = json::object();
        for (int c = 0; c < core::kNumClasses; ++c)
            classes[std::string(core::kClassNames[static_cast<std::size_t>(c)])] =
                kappaJson(r.perClass[static_cast<std::size_t>(m)][static_cast<std::size_t>(c)]);
        k["per_class"] = std::move(classes);
        j["kappa"][m == 0 ? "audio" : "visual"] = std::move(k);
    }
    json ranked = json::array();
    for (const auto& v : r.ranked)
        ranked.push_back({{"video", v.video},
                          {"segments", v.segments},
                          {"audio_cells", v.cells[0]},
                          {"visual_cells", v.cells[1]},
                          {"cells", v.total()}});
    j["ranked"] = std::move(ranked);
    out << j.dump(2) << '\n';
}

}  // namespace

int agreementCommand(int argc, char** argv) {
    return guarded("agreement", kAgreementUsage, argc, argv, [&] {
        const Options o(argc, argv, {"store", "annotators", "split", "format", "top"},
                        {"only-edited", "quiet"});
        const std::string format = o.get("format", "text");
        if (format != "text" && format != "tsv" && format != "json")
            throw UsageError("--format must be text, tsv or json, not " + core::quote(format));
        const auto names = o.require("annotators");
        const auto comma = names.find(',');
        store::AgreementRequest req;
        if (comma != std::string::npos) {
            req.reference = names.substr(0, comma);
            req.other = names.substr(comma + 1);
        }
        if (comma == std::string::npos || req.reference.empty() || req.other.empty() ||
            req.other.find(',') != std::string::npos)
            throw UsageError("--annotators takes two names A,B, not " + core::quote(names));
        const auto split = o.get("split", "test");
        if (split != "all") {
            req.split = core::splitFromName(split);
            if (!req.split)
                throw UsageError("--split must be train, val, test or all, not " +
                                 core::quote(split));
        }
        req.onlyEdited = o.has("only-edited");
        std::size_t top = 20;
        if (const auto t = o.get("top")) {
            char* end = nullptr;
            const long v = std::strtol(t->c_str(), &end, 10);
            if (t->empty() || *end != '\0' || v < 0)
                throw UsageError("--top must be a count (0: all), not " + core::quote(*t));
            top = static_cast<std::size_t>(v);
        }
        if (!o.has("store")) throw UsageError("missing required option --store");
        const auto s = openExistingStore(o.require("store"), true);
        const auto result = store::annotatorAgreement(*s, req);
        const std::string title =
            "AVVP agreement of " + core::quote(req.other) + " against " +
            core::quote(req.reference) + " (the reference) in " + s->path().string() + " on " +
            (req.split ? "the " + result.splitText + " split" : "all videos") +
            (req.onlyEdited ? ", videos both corrected" : "");
        if (format == "tsv")
            writeTsv(std::cout, result);
        else if (format == "json")
            writeJson(std::cout, result, title, req.reference, req.other);
        else
            writeText(std::cout, result, title, top);
        std::cout.flush();
        return 0;
    });
}

}  // namespace avvp::app
