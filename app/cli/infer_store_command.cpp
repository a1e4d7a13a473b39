// `avvp infer --store S`: a model run over videos of a label store, stored as a new run,
// the same workflow as the app's model run (workspace::runModel: windowed over videos of
// any length, the probabilities, prediction events and research outputs in one
// transaction). It lives in libavvp_workspace_cli.so, which links the application layer's
// workflow library (Qt Sql for the store, LibTorch through libavvp_models.so), so that
// `avvp infer` on feature folders keeps starting without Qt.
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <memory>
#include <stdexcept>
#include <string>

#include "app/cli/cli_output.h"
#include "app/cli/model_options.h"
#include "app/cli/options.h"
#include "app/workspace/model_runs.h"
#include "core/error.h"
#include "core/llp_dataset.h"
#include "core/progress.h"
#include "core/quote.h"
#include "core/store/store.h"

namespace avvp::app {

namespace {

constexpr const char* kUsage =
    R"(usage: avvp infer --checkpoint C --store S [VIDEO...] [options]

Runs the model over videos of the label store S and stores the result as a new run (as
the app's model run does): the per-second probabilities over each whole video, the
prediction events (thresholds 0.5) and the outputs the research views draw. The inputs
are the feature files the store records for each video (`avvp import features`, or the
app's Extract Features); a video longer than 10 s runs over its consecutive 10-segment
windows, each with its own video-level gate, and its events join across window borders.
Videos without usable features are listed and skipped. Nothing is stored when the run
fails.

VIDEO...                 file names of the store's videos (default: --split, else all)

options:
  --split S              train | val | test: the videos of that split
  --run-name N           the run's name      [default: <variant> <checkpoint> <date time>]
  --annotator A          who runs it                              [default: $USER]
  --batch N              windows per forward pass                 [default: 16]
  --no-outputs           store the probabilities only (no research outputs)
  --checkpoint-format F, --variant V, --heads N, --norm N   as for avvp infer
  --device D  [auto]   --threads N  [0 = all]   --quiet
)";

int inferStoreCommand(int argc, char** argv) {
    auto valued = kCommonValued;
    valued.insert(kLoadValued.begin(), kLoadValued.end());
    valued.insert({"store", "split", "run-name", "annotator", "variant"});
    const Options opt(argc, argv, valued, {"quiet", "no-outputs"}, true);
    applyThreads(opt);
    if (opt.help()) {
        std::fputs(kUsage, stdout);
        return 0;
    }
    for (const char* o : {"features", "out", "labels"})
        if (opt.has(o)) throw UsageError(std::string("--store takes no --") + o);
    workspace::RunRequest req;
    req.store = opt.require("store");
    if (const auto problem = storeUrlProblem(req.store.string()); !problem.empty())
        throw UsageError(problem);
    req.checkpoint = opt.require("checkpoint");
    if (const auto s = opt.get("split")) {
        req.split = core::splitFromName(*s);
        if (!req.split)
            throw UsageError("--split must be train, val or test, not " + core::quote(*s));
    }
    const char* user = std::getenv("USER");
    req.annotator = opt.get("annotator", user && *user ? user : "avvp");
    req.runName = opt.get("run-name", "");
    req.batch = static_cast<int>(opt.getInt("batch", 16, 1, 1 << 20));
    req.storeOutputs = !opt.has("no-outputs");
    {
        store::Store::Options so;
        so.create = false;
        so.annotator = req.annotator;
        const auto store = store::Store::open(req.store, so);
        for (const auto& name : opt.positional()) {
            const auto v = store->videoByName(name);
            if (!v) throw core::InputError(req.store.string(), 0, "no video named " + name);
            req.videos.push_back(v->id);
        }
    }
    try {
        req.model = std::make_shared<const models::Model>(
            models::Model::load(req.checkpoint, loadOptions(opt)));
    } catch (const core::InputError& e) {
        throw withLoadHints(e);
    }
    core::ProgressLine line("avvp infer", !opt.has("quiet"));
    const auto r = workspace::runModel(req, line);
    line.finish();
    std::printf("stored run %lld \"%s\": %d video(s) in %s\n", static_cast<long long>(r.run),
                r.name.c_str(), r.videos, req.store.string().c_str());
    for (const auto& s : r.skipped) std::printf("  skipped %s\n", s.c_str());
    return 0;
}

}  // namespace

}  // namespace avvp::app

extern "C" __attribute__((visibility("default"))) int avvp_workspace_main(int argc, char** argv) {
    using namespace avvp::app;
    const std::string cmd = argc > 0 ? argv[0] : "";
    return runPluginCommand(cmd, cmd + " --store S --help", [&] {
        if (cmd == "infer") return inferStoreCommand(argc, argv);
        std::fprintf(stderr, "avvp: unknown store-run command %s\n",
                     avvp::core::quote(cmd).c_str());
        return 2;
    });
}
