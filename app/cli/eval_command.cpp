#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>

#include "app/cli/cli_output.h"
#include "app/cli/commands.h"
#include "app/cli/options.h"
#include "app/common/paths.h"
#include "core/error.h"
#include "core/eval_report.h"
#include "core/evaluation.h"
#include "core/llp_dataset.h"
#include "core/quote.h"

namespace avvp::app {

namespace {

constexpr const char* kUsage = R"(usage: avvp eval --pred-audio PA --pred-visual PV [options]

Scores audio and visual event predictions (LLP dense CSV: filename, onset, offset,
event_labels) against ground truth with the AVVP protocol of the public reference
implementation: segment- and event-level F for audio, visual, audio-visual, Type@AV
and Event@AV, averaged over every video of the split in file order.

options:
  --split S          split file (filename, event_labels), or train|val|test for the
                     split file in the LLP folder                    [default: test]
  --gt-audio GA      audio ground truth     [default: LLP folder AVVP_eval_audio.csv]
  --gt-visual GV     visual ground truth    [default: LLP folder AVVP_eval_visual.csv]
  --pred-audio PA    predicted audio events (required)
  --pred-visual PV   predicted visual events (required)
  --llp DIR          LLP annotation folder for the defaults [default: bundled copy]
  --format F         text | tsv | json                                [default: text]
  --per-video FILE   also write each video's ten scores (TSV)
  --per-class FILE   also write per class F and TP/FP/FN counts (TSV)
  --quiet            text format: leave out the notes on anomalous rows

The CSV files hold LLP's 10 s clips (times past 10 s are refused). With --store PATH
it scores a model run's predictions (or the corrections) held in a label store against
the store's ground truth instead, videos of any length included, each over its own
one-second segments: avvp eval --store PATH --help.

Exit codes: 0 scored, 2 bad input or usage (one line on stderr names file:line and why).
)";

std::filesystem::path resolveSplit(const std::string& s, const std::filesystem::path& llp) {
    if (auto split = core::splitFromName(s)) return core::splitFile(llp, *split);
    return s;
}

}  // namespace

int evalCommand(int argc, char** argv) {
    try {
        const Options opt(argc, argv,
                          {"split", "gt-audio", "gt-visual", "pred-audio", "pred-visual", "llp",
                           "format", "per-video", "per-class"},
                          {"quiet"});
        if (opt.help()) {
            std::fputs(kUsage, stdout);
            return 0;
        }
        const std::string format = opt.get("format", "text");
        if (format != "text" && format != "tsv" && format != "json")
            throw UsageError("--format must be text, tsv or json, not " + core::quote(format));
        const std::filesystem::path llp =
            opt.has("llp") ? std::filesystem::path(opt.require("llp")) : defaultLlpFolder();
        const auto splitPath = resolveSplit(opt.get("split", "test"), llp);
        const auto gtAudioPath = opt.get("gt-audio", (llp / core::LlpFileNames::audio).string());
        const auto gtVisualPath = opt.get("gt-visual", (llp / core::LlpFileNames::visual).string());
        const auto predAudioPath = opt.require("pred-audio");
        const auto predVisualPath = opt.require("pred-visual");

        const auto split = core::readWeakLabels(splitPath);
        const auto gtA = core::readDenseLabels(gtAudioPath);
        const auto gtV = core::readDenseLabels(gtVisualPath);
        const auto pA = core::readDenseLabels(predAudioPath);
        const auto pV = core::readDenseLabels(predVisualPath);

        auto videos = core::videoNames(split);
        // A mean over no videos is undefined (the reference divides by zero); do not
        // print a score for it.
        if (videos.empty()) throw core::InputError(split.path, 0, "holds no videos to score");
        const auto result =
            core::evaluateRows(std::move(videos), pA.rows, pV.rows, gtA.rows, gtV.rows);

        if (auto f = opt.get("per-video"))
            writeFileWith(*f, [&](std::ostream& o) { core::writePerVideoTsv(o, result); });
        if (auto f = opt.get("per-class"))
            writeFileWith(*f, [&](std::ostream& o) { core::writePerClassTsv(o, result); });

        const std::string title = "AVVP evaluation of " + predAudioPath + " + " + predVisualPath +
                                  " on " + splitPath.string();
        if (format == "tsv") {
            core::writeEvalTsv(std::cout, result);
        } else if (format == "json") {
            core::writeEvalJson(std::cout, result, title);
        } else {
            core::writeEvalText(std::cout, result, title, false);
            if (!opt.has("quiet")) {
                std::unordered_set<std::string> names(result.videos.begin(), result.videos.end());
                std::map<std::string, std::vector<core::Anomaly>> notes;
                for (const auto* f : {&gtA, &gtV, &pA, &pV}) {
                    auto& n = notes[f->path];
                    n = f->anomalies;
                    auto orphans = core::findOrphans(*f, names);
                    n.insert(n.end(), orphans.begin(), orphans.end());
                }
                notes[split.path] = split.anomalies;
                printAnomalyNotes(std::cout, notes,
                                  "notes (tolerated as the reference does; rows outside the split "
                                  "are ignored):",
                                  "row outside the split");
            }
        }
        std::cout.flush();
        return 0;
    } catch (const UsageError& e) {
        std::fprintf(stderr, "avvp eval: %s (see avvp eval --help)\n",
                     core::oneLine(e.what()).c_str());
        return 2;
    } catch (const core::InputError& e) {
        std::fprintf(stderr, "avvp eval: error: %s\n", core::oneLine(e.what()).c_str());
        return 2;
    }
}

}  // namespace avvp::app
