// `avvp adjudicate`: two annotators' labels of a video (or of every video of a split)
// merged into a new correction set (issue 18, item 4): agreed labels stand, each
// disagreement takes the preferred annotator's side unless picked otherwise, and the set
// is saved with its provenance as one undoable edit. The workflow is the application
// layer's (app/workspace/adjudication.h); this command lives in libavvp_workspace_cli.so.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "app/cli/model_options.h"
#include "app/cli/options.h"
#include "app/workspace/adjudication.h"
#include "core/error.h"
#include "core/llp_dataset.h"
#include "core/progress.h"
#include "core/quote.h"
#include "core/store/pg_dialect.h"
#include "core/store/store.h"

namespace avvp::app {

namespace {

constexpr const char* kUsage =
    R"(usage: avvp adjudicate --store S --annotators A,B (--video NAME | --all) [options]
       avvp adjudicate --undo --store S [--as SET]

Adjudicates two annotators' labels: each annotator's lane of a video is their final labels
(the ground truth with their accepted corrections, as `avvp export --source final
--annotator A` writes them). Labels in both lanes stand; where the lanes differ (labels of
one modality and class whose times overlap, from either lane) the preferred annotator's
labels stand unless an event or a cell is picked. The result is saved as the corrections
of SET, one undoable edit of SET's history whose description records the adjudicator and,
for every label, the annotator and event it came from.

options:
  --annotators A,B       the two annotators (each with corrections in the store)
  --video NAME           the video to adjudicate
  --all                  every video of --split instead
  --split S              train | val | test | all (with --all)            [default: all]
  --as SET               the adjudicated set's name            [default: adjudicated]
  --prefer A|B           whose labels stand where nobody picked  [default: the first]
  --pick ID[,ID...]      store event ids whose lane wins their disagreement
  --pick-cell WHO:MODALITY:CLASS:SECOND[-SECOND][,...]
                         whose value one-second cells take (with --video), e.g.
                         bob:visual:Dog:3-5
  --annotator NAME       the adjudicator recorded in the note      [default: $USER]
  --dry-run              show the decisions, save nothing
  --undo                 take back SET's latest save
  --quiet                no progress line
)";

std::vector<std::string> splitList(const std::string& s, char sep) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (true) {
        const auto p = s.find(sep, start);
        out.push_back(s.substr(start, p == std::string::npos ? p : p - start));
        if (p == std::string::npos) break;
        start = p + 1;
    }
    return out;
}

std::string seconds(std::int64_t ms) {
    char b[32];
    std::snprintf(b, sizeof b, "%.3g", static_cast<double>(ms) / 1000.0);
    return b;
}

std::string label(const workspace::LaneEvent& e) {
    return std::string(core::modalityName(e.modality)) + " " +
           std::string(core::kClassNames[e.cls]) + " " + seconds(e.onsetMs) + "-" +
           seconds(e.offsetMs) + " #" + std::to_string(e.id);
}

void printDecisions(const workspace::Adjudication& adj) {
    std::printf("%s: %s (A) against %s (B)\n", adj.videoName.c_str(), adj.annotatorA.c_str(),
                adj.annotatorB.c_str());
    for (const auto& item : adj.items) {
        if (item.agreed) {
            std::printf("  agreed  %s\n", label(item.a.front()).c_str());
            continue;
        }
        std::string a, b;
        for (const auto& e : item.a) a += (a.empty() ? "" : "; ") + label(e);
        for (const auto& e : item.b) b += (b.empty() ? "" : "; ") + label(e);
        std::printf("  %s%s  A: %s | B: %s\n", item.side == workspace::Side::A ? "A" : "B",
                    item.picked ? " picked" : "       ", a.empty() ? "-" : a.c_str(),
                    b.empty() ? "-" : b.c_str());
    }
    for (const auto& c : adj.cells)
        std::printf("  cell %s %s %d s: %s\n", std::string(core::modalityName(c.modality)).c_str(),
                    std::string(core::kClassNames[c.cls]).c_str(), c.second,
                    adj.annotator(c.side).c_str());
}

int adjudicateCommand(int argc, char** argv) {
    const Options opt(
        argc, argv,
        {"store", "annotators", "video", "split", "as", "prefer", "pick", "pick-cell", "annotator"},
        {"all", "dry-run", "undo", "quiet"});
    if (opt.help()) {
        std::fputs(kUsage, stdout);
        return 0;
    }
    const std::filesystem::path path = opt.require("store");
    const std::string setName = opt.get("as", "adjudicated");
    if (setName.empty()) throw UsageError("--as needs a name");
    if (!store::isPostgresUrl(path.string()) && !std::filesystem::exists(path))
        throw core::InputError(path.string(), 0, "no such label store");
    if (opt.has("undo")) {
        const auto entry = workspace::undoAdjudication(path, setName);
        std::printf("undone edit %lld of %s (%zu events)\n", static_cast<long long>(entry.id),
                    core::quote(setName).c_str(), entry.events.size());
        return 0;
    }
    const auto names = splitList(opt.require("annotators"), ',');
    if (names.size() != 2 || names[0].empty() || names[1].empty())
        throw UsageError("--annotators needs two names A,B, not " +
                         core::quote(opt.require("annotators")));
    workspace::Side prefer = workspace::Side::A;
    if (const auto p = opt.get("prefer")) {
        if (*p == names[1])
            prefer = workspace::Side::B;
        else if (*p != names[0])
            throw UsageError("--prefer must be " + core::quote(names[0]) + " or " +
                             core::quote(names[1]) + ", not " + core::quote(*p));
    }
    if (opt.has("all") == opt.has("video")) throw UsageError("give either --video NAME or --all");
    if (opt.has("pick-cell") && !opt.has("video")) throw UsageError("--pick-cell needs --video");

    store::Store::Options so;
    so.create = false;
    so.readOnly = true;
    if (const auto a = opt.get("annotator")) so.annotator = *a;
    const auto store = store::Store::open(path, so);
    const std::string adjudicator = store->annotator();

    std::vector<store::VideoId> videos;
    if (const auto name = opt.get("video")) {
        const auto v = store->videoByName(*name);
        if (!v)
            throw core::InputError(path.string(), 0, "has no video named " + core::quote(*name));
        videos.push_back(v->id);
    } else {
        const auto s = opt.get("split", "all");
        store::VideoFilter f;
        if (s != "all") {
            const auto split = core::splitFromName(s);
            if (!split)
                throw UsageError("--split must be train, val, test or all, not " + core::quote(s));
            f.split = split;
        }
        for (const auto& v : store->videos(f)) videos.push_back(v.video.id);
    }

    std::vector<store::EventId> picks;
    if (const auto p = opt.get("pick"))
        for (const auto& id : splitList(*p, ',')) {
            char* end = nullptr;
            const long long n = std::strtoll(id.c_str(), &end, 10);
            if (id.empty() || *end != '\0' || n <= 0)
                throw UsageError("--pick takes event ids, not " + core::quote(id));
            const auto e = store->event(n);
            if (!e) throw core::InputError(path.string(), 0, "has no event " + core::quote(id));
            picks.push_back(n);
        }
    std::vector<workspace::CellPick> cells;
    if (const auto p = opt.get("pick-cell"))
        for (const auto& spec : splitList(*p, ',')) {
            const auto parts = splitList(spec, ':');
            const auto bad = [&](const std::string& why) {
                return UsageError("--pick-cell " + core::quote(spec) + ": " + why +
                                  " (WHO:MODALITY:CLASS:SECOND[-SECOND])");
            };
            if (parts.size() != 4) throw bad("four fields");
            workspace::CellPick c;
            if (parts[0] == names[0])
                c.side = workspace::Side::A;
            else if (parts[0] == names[1])
                c.side = workspace::Side::B;
            else
                throw bad("WHO must be " + core::quote(names[0]) + " or " + core::quote(names[1]));
            if (parts[1] == "audio")
                c.modality = core::Modality::Audio;
            else if (parts[1] == "visual")
                c.modality = core::Modality::Visual;
            else
                throw bad("MODALITY must be audio or visual");
            const auto cls = core::classIndex(parts[2]);
            if (!cls) throw bad("unknown class " + core::quote(parts[2]));
            c.cls = *cls;
            const auto range = splitList(parts[3], '-');
            char* e1 = nullptr;
            char* e2 = nullptr;
            const long from = std::strtol(range[0].c_str(), &e1, 10);
            const long to = range.size() > 1 ? std::strtol(range[1].c_str(), &e2, 10) : from;
            if (range[0].empty() || *e1 != '\0' || (range.size() > 1 && *e2 != '\0') ||
                range.size() > 2 || to < from || from < 0)
                throw bad("SECOND must be a second or a range FROM-TO");
            for (long t = from; t <= to; ++t) {
                c.second = static_cast<int>(t);
                cells.push_back(c);
            }
        }

    workspace::requireAnnotators(*store, names[0], names[1]);
    core::ProgressLine line("avvp adjudicate", !opt.has("quiet") && videos.size() > 50);
    std::vector<workspace::Adjudication> adjudications;
    std::size_t agreed = 0, disagreements = 0, picked = 0;
    for (std::size_t i = 0; i < videos.size(); ++i) {
        auto adj =
            workspace::prepareAdjudication(*store, videos[i], names[0], names[1], prefer, false);
        adjudications.push_back(std::move(adj));
        if (i % 50 == 0)
            line.update(static_cast<double>(i) / static_cast<double>(videos.size()),
                        std::to_string(i) + "/" + std::to_string(videos.size()) + " videos");
    }
    line.finish();
    for (const auto id : picks) {
        const auto video = store->event(id)->video;
        bool found = false;
        for (auto& adj : adjudications)
            if (adj.video == video) {
                workspace::pickEvent(adj, id);
                found = true;
            }
        if (!found)
            throw core::InputError(
                path.string(), 0,
                "event " + std::to_string(id) + " is not in the videos adjudicated");
    }
    for (const auto& c : cells) workspace::pickCell(adjudications.front(), c);
    for (const auto& adj : adjudications)
        for (const auto& item : adj.items) {
            agreed += item.agreed ? 1 : 0;
            disagreements += item.agreed ? 0 : 1;
            picked += item.picked ? 1 : 0;
        }
    if (opt.has("video") || opt.has("dry-run"))
        for (const auto& adj : adjudications)
            if (opt.has("video") || std::any_of(adj.items.begin(), adj.items.end(),
                                                [](const auto& item) { return !item.agreed; }))
                printDecisions(adj);
    std::printf("%zu video(s): %zu agreed label(s), %zu disagreement(s), %zu picked\n",
                adjudications.size(), agreed, disagreements, picked);
    if (opt.has("dry-run")) return 0;
    const auto saved = workspace::saveAdjudication(path, adjudicator, setName, adjudications);
    if (saved.edit == 0) {
        std::printf("set %s unchanged: it already holds these labels\n",
                    core::quote(setName).c_str());
        return 0;
    }
    std::printf("saved set %s by %s (edit %lld): %d label(s) added, %d removed in %d video(s)\n",
                core::quote(setName).c_str(), core::quote(adjudicator).c_str(),
                static_cast<long long>(saved.edit), saved.added, saved.removed, saved.videos);
    return 0;
}

}  // namespace

}  // namespace avvp::app

extern "C" __attribute__((visibility("default"))) int avvp_adjudicate_main(int argc, char** argv) {
    using namespace avvp::app;
    const std::string cmd = argc > 0 ? argv[0] : "";
    return runPluginCommand(cmd, cmd + " --help", [&] { return adjudicateCommand(argc, argv); });
}
