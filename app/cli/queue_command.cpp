// `avvp queue`: the uncertainty queue of a model run (issue 18, item 2): the cells (video x
// modality x class x 1 s segment) ranked by how much a person's look is worth. Part of the
// store plugin (libavvp_store_cli.so); the ranking is core::rankQueue over the store's
// inputs (core/store/uncertainty_queue.h), the same code as the app's Queue dock.
#include <cstdio>
#include <filesystem>
#include <iostream>

#include <nlohmann/json.hpp>

#include "app/cli/cli_output.h"
#include "app/cli/options.h"
#include "app/cli/store_guard.h"
#include "core/error.h"
#include "core/progress.h"
#include "core/quote.h"
#include "core/store/uncertainty_queue.h"

namespace avvp::app {

namespace {

const std::string kQueueUsage =
    R"(usage: avvp queue --store PATH --run NAME [--split S] [--class NAME]
                  [--modality audio|visual] [--limit N] [--format text|tsv|json]

The uncertainty queue: the cells of a model run (video x modality x class x one-second
segment) ranked by how much a person's look is worth. A cell is queued for any of:
  near threshold  its probabilities are within --window of flipping its decision (the
                  thresholds that made the run's events: the applied calibrated ones, else
                  the run's own); term 1 - margin / window
  audio-visual    the class is predicted in the segment on one modality and not on the
                  other (a non-aligned case); term 1, on both cells
  vs ground truth / vs correction
                  the prediction differs from the video's reference labels (the ground
                  truth with the accepted corrections applied); term 2
score = near + audio-visual + 2 x reference; order: score, then the smaller margin.

options:
  --run NAME         the run whose probabilities        [default: the only run, if one]
  --split S          train | val | test | all                        [default: all]
  --class NAME       only this class (e.g. Dog)
  --modality M       audio | visual: only this modality's cells (the audio-visual reason
                     still compares with the other one)
  --limit N          the first N cells (0: all)                      [default: 50]
  --window W         the near-threshold margin, in (0, 1)            [default: 0.1]
  --format F         text | tsv | json                               [default: text]
  --quiet            no progress line
  --store PATH       the label store (required; only read)

Columns: rank, video, modality, class, segment (its onset in seconds), probability (the
cell's frame probability), predicted (0/1), score, reason.
Exit codes: 0 listed, 2 bad input or usage, 1 a database failure.
)";

using json = nlohmann::ordered_json;

std::string fixed(double v, int digits) {
    char b[32];
    std::snprintf(b, sizeof b, "%.*f", digits, v);
    return b;
}

std::string className(int c) {
    return std::string(core::kClassNames[static_cast<std::size_t>(c)]);
}

const char* modalityText(core::Modality m) {
    return m == core::Modality::Audio ? "audio" : "visual";
}

}  // namespace

int queueCommand(int argc, char** argv) {
    return guarded("queue", kQueueUsage, argc, argv, [&] {
        const Options o(argc, argv,
                        {"store", "run", "split", "class", "modality", "limit", "window", "format"},
                        {"quiet"});
        const std::string format = o.get("format", "text");
        if (format != "text" && format != "tsv" && format != "json")
            throw UsageError("--format must be text, tsv or json, not " + core::quote(format));
        store::QueueRequest req;
        const auto split = o.get("split", "all");
        if (split != "all") {
            req.split = core::splitFromName(split);
            if (!req.split)
                throw UsageError("--split must be train, val, test or all, not " +
                                 core::quote(split));
        }
        if (const auto c = o.get("class")) {
            req.cls = core::classIndex(*c);
            if (!req.cls)
                throw UsageError("--class must be one of the 25 LLP classes (e.g. Dog), not " +
                                 core::quote(*c));
        }
        if (const auto m = o.get("modality")) {
            if (*m == "audio")
                req.modality = core::Modality::Audio;
            else if (*m == "visual")
                req.modality = core::Modality::Visual;
            else
                throw UsageError("--modality must be audio or visual, not " + core::quote(*m));
        }
        req.limit = static_cast<std::size_t>(o.getInt("limit", 50, 0, 1L << 40));
        req.nearWindow = static_cast<float>(o.getDouble("window", 0.1, 1e-6, 0.999999));
        if (!o.has("store")) throw UsageError("missing required option --store");
        const auto s = openExistingStore(o.require("store"), true);
        const auto runs = s->runs();
        if (const auto name = o.get("run")) {
            req.run = s->requireRun(*name).id;
        } else if (runs.size() == 1) {
            req.run = runs.front().id;
        } else {
            std::string runNames;
            for (const auto& r : runs) runNames += (runNames.empty() ? "" : ", ") + r.name;
            throw UsageError(runs.empty() ? "the store holds no run to rank"
                                          : "--run is required: the store holds several runs (" +
                                                runNames + ")");
        }
        core::ProgressLine progress("avvp queue", !o.has("quiet"));
        const auto q = store::uncertaintyQueue(*s, req, &progress);
        progress.finish();
        const auto& items = q.items;
        if (format == "json") {
            json j;
            j["store"] = s->path().string();
            j["run"] = q.run;
            j["thresholds"] = q.thresholds;
            j["split"] = split;
            j["videos"] = q.videos.size();
            j["cells"] = q.cells;
            j["score"] =
                "near threshold (1 - margin / window) + audio-visual (1) + 2 x "
                "reference disagreement";
            j["window"] = req.nearWindow;
            json list = json::array();
            for (std::size_t i = 0; i < items.size(); ++i) {
                const auto& it = items[i];
                list.push_back({{"rank", i + 1},
                                {"video", q.videos[it.video]},
                                {"modality", modalityText(it.modality)},
                                {"class", className(it.cls)},
                                {"segment", it.segment},
                                {"probability", it.probability},
                                {"global", it.global},
                                {"threshold", it.threshold},
                                {"predicted", it.predicted},
                                {"margin", it.margin},
                                {"score", it.score},
                                {"reason", core::queueReasonText(it.reasons)}});
            }
            j["items"] = std::move(list);
            std::cout << j.dump(2) << '\n';
        } else if (format == "tsv") {
            std::cout << "rank\tvideo\tmodality\tclass\tsegment\tprobability\tpredicted\tscore\t"
                         "reason\n";
            for (std::size_t i = 0; i < items.size(); ++i) {
                const auto& it = items[i];
                std::cout << i + 1 << '\t' << q.videos[it.video] << '\t'
                          << modalityText(it.modality) << '\t' << className(it.cls) << '\t'
                          << it.segment << '\t' << fixed(it.probability, 4) << '\t'
                          << (it.predicted ? 1 : 0) << '\t' << fixed(it.score, 4) << '\t'
                          << core::queueReasonText(it.reasons) << '\n';
            }
        } else {
            std::cout << "uncertainty queue of run " << q.run << " in " << s->path().string()
                      << " (" << (req.split ? "the " + split + " split" : std::string("all videos"))
                      << ": " << q.videos.size() << " videos, " << q.cells
                      << " cells; thresholds: " << q.thresholds << ")\n";
            if (items.empty()) std::cout << "nothing queued\n";
            char line[512];
            if (!items.empty()) {
                std::snprintf(line, sizeof line, "%5s  %-24s %-7s %-24s %4s %6s %6s %5s  %s\n",
                              "rank", "video", "modal.", "class", "seg", "prob", "margin", "score",
                              "reason");
                std::cout << line;
            }
            for (std::size_t i = 0; i < items.size(); ++i) {
                const auto& it = items[i];
                std::snprintf(line, sizeof line,
                              "%5zu  %-24s %-7s %-24s %4d %6.3f %6.3f %5.2f  %s%s\n", i + 1,
                              q.videos[it.video].c_str(), modalityText(it.modality),
                              className(it.cls).c_str(), it.segment, it.probability, it.margin,
                              it.score, it.predicted ? "predicted; " : "not predicted; ",
                              core::queueReasonText(it.reasons).c_str());
                std::cout << line;
            }
        }
        std::cout.flush();
        return 0;
    });
}

}  // namespace avvp::app
