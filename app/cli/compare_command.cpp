// `avvp compare`: two model runs of a label store side by side against its ground truth
// (issue 20, item 5). Part of the store plugin (libavvp_store_cli.so); the comparison is
// the store's compareStoreRuns (core/store/run_comparison.h).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <string_view>

#include "app/cli/cli_output.h"
#include "app/cli/options.h"
#include "app/cli/store_guard.h"
#include "core/error.h"
#include "core/output_file.h"
#include "core/progress.h"
#include "core/quote.h"
#include "core/store/run_comparison.h"

namespace avvp::app {

namespace {

const std::string kCompareUsage =
    R"(usage: avvp compare --store PATH --run A --run B [--split S] [--tsv FILE] [options]

Two model runs side by side against the store's ground truth. Every segment x class cell
(one-second segments, audio and visual) of every video of the split with ground truth is
right in both runs, wrong in both, right in A only or right in B only; a run's cells are
its prediction events, exactly those avvp eval --store scores. Prints per video how many
cells only A gets right, only B gets right and both get wrong (most differing videos
first), and the totals per modality.

options:
  --run NAME         a run of the store; give it twice: A, then B (required)
  --split S          train | val | test | all                           [default: test]
  --tsv FILE         also write the per-video counts as TSV: video, segments, a_only,
                     b_only, both_wrong, both_right, then the same per modality
  --top N            how many videos to list (0: all)                   [default: 20]
  --quiet            no progress line
  --store PATH       the label store (required; only read)

Exit codes: 0 compared, 2 bad input or usage (a run the store does not hold is named with
the runs it has; a split without ground truth), 1 a database failure.
)";

void writeTsv(std::ostream& out, const store::StoreRunComparison& c) {
    out << "video\tsegments\ta_only\tb_only\tboth_wrong\tboth_right\taudio_a_only\taudio_b_only"
           "\taudio_both_wrong\tvisual_a_only\tvisual_b_only\tvisual_both_wrong\n";
    for (const auto& v : c.result.videos) {
        const auto t = v.total();
        out << v.video << '\t' << v.segments << '\t' << t.aOnly << '\t' << t.bOnly << '\t'
            << t.bothWrong << '\t' << t.bothRight;
        for (const auto& m : v.counts)
            out << '\t' << m.aOnly << '\t' << m.bOnly << '\t' << m.bothWrong;
        out << '\n';
    }
}

}  // namespace

int compareCommand(int argc, char** argv) {
    return guarded("compare", kCompareUsage, argc, argv, [&] {
        // --run may be given twice: take its values out before the one-value parser.
        std::vector<std::string> runs;
        std::vector<char*> rest;
        for (int i = 0; i < argc; ++i) {
            const std::string_view a = argv[i];
            if (i > 0 && a == "--run") {
                if (i + 1 >= argc) throw UsageError("--run needs a run name");
                runs.emplace_back(argv[++i]);
            } else if (i > 0 && a.starts_with("--run=")) {
                runs.emplace_back(a.substr(6));
            } else {
                rest.push_back(argv[i]);
            }
        }
        const Options o(static_cast<int>(rest.size()), rest.data(),
                        {"store", "split", "tsv", "top"}, {"quiet"});
        if (runs.size() != 2)
            throw UsageError("give two runs: --run A --run B (" + std::to_string(runs.size()) +
                             " given)");
        for (const auto& r : runs)
            if (r.empty()) throw UsageError("--run takes a run name, not " + core::quote(r));
        std::optional<core::Split> split;
        const auto splitName = o.get("split", "test");
        if (splitName != "all") {
            split = core::splitFromName(splitName);
            if (!split)
                throw UsageError("--split must be train, val, test or all, not " +
                                 core::quote(splitName));
        }
        const long top = o.getInt("top", 20, 0, 1L << 30);
        if (!o.has("store")) throw UsageError("missing required option --store");
        const auto s = openExistingStore(o.require("store"), true);
        const auto t0 = std::chrono::steady_clock::now();
        core::ProgressLine progress("avvp compare", !o.has("quiet"));
        const auto c = store::compareStoreRuns(*s, runs[0], runs[1], split, {}, &progress);
        progress.finish();
        const double ms =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                .count();
        if (const auto tsv = o.get("tsv"))
            core::writeFileWith(*tsv, [&](std::ostream& out) { writeTsv(out, c); });

        auto& out = std::cout;
        out << "Runs " << core::quote(c.runA) << " (A) and " << core::quote(c.runB)
            << " (B) against the ground truth of " << s->path().string() << " on "
            << (split ? "the " + c.splitText + " split" : std::string("all videos")) << ": "
            << c.result.videos.size() << " videos\n\n";
        std::vector<const core::VideoComparison*> order;
        for (const auto& v : c.result.videos) order.push_back(&v);
        std::stable_sort(order.begin(), order.end(), [](const auto* x, const auto* y) {
            const auto a = x->total(), b = y->total();
            return a.aOnly + a.bOnly > b.aOnly + b.bOnly;
        });
        char line[256];
        std::snprintf(line, sizeof line, "%-40s %8s %8s %10s\n", "video", "A only", "B only",
                      "both wrong");
        out << line;
        long shown = 0;
        for (const auto* v : order) {
            if (top > 0 && shown >= top) break;
            ++shown;
            const auto t = v->total();
            std::snprintf(line, sizeof line, "%-40s %8ld %8ld %10ld\n", v->video.c_str(), t.aOnly,
                          t.bOnly, t.bothWrong);
            out << line;
        }
        if (shown < static_cast<long>(order.size()))
            out << "  ... " << static_cast<long>(order.size()) - shown
                << " more videos (--top 0 lists all, --tsv writes all)\n";
        out << "\ntotals (segment x class cells)\n";
        std::snprintf(line, sizeof line, "%-10s %10s %10s %10s %10s %10s\n", "modality", "cells",
                      "A only", "B only", "both wrong", "both right");
        out << line;
        auto row = [&](const char* name, const core::OutcomeCounts& k) {
            std::snprintf(line, sizeof line, "%-10s %10ld %10ld %10ld %10ld %10ld\n", name,
                          k.cells(), k.aOnly, k.bOnly, k.bothWrong, k.bothRight);
            out << line;
        };
        row("audio", c.result.totals[0]);
        row("visual", c.result.totals[1]);
        row("total", c.result.total());
        std::snprintf(line, sizeof line, "\ncompared in %.1f ms\n", ms);
        out << line;
        out.flush();
        return 0;
    });
}

}  // namespace avvp::app
