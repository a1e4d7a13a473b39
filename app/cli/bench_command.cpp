// `avvp bench`: options, help, the step lines and progress line, and the table (and JSON)
// of models::runBench's measurements for each variant.
#include <algorithm>
#include <cstdio>
#include <exception>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "app/cli/models_plugin.h"
#include "app/cli/options.h"
#include "core/error.h"
#include "core/features.h"
#include "core/output_file.h"
#include "core/progress.h"
#include "core/quote.h"
#include "models/bench.h"
#include "models/model_api.h"

namespace avvp::app {

namespace {

using models::BenchRow;

constexpr const char* kUsage = R"(usage: avvp bench [options]

Measures each variant (random weights and inputs): forward throughput (videos/s, eval
mode, no gradients; LINK's two passes with its self labels included) at each batch size
and the time of one training step (forward, loss, backward, clip, AdamW) at the train
batch. Variants run at the spec's sizes: valor, link, leap on CLAP tokens + CLIP +
motion (H 256, 4 layers, 8 heads, ff 1024), han on VGGish + ResNet152 + motion (H 512, 1
layer, 1 head, ff 512). Baselines in the same run: VALOR++ for every variant (x valor),
the literal CLAP frontend of VALOR++ (bicubic interpolation to 2 x 1024 positions before
fc_a, as VALOR computes it), and the PyTorch reference models of valor and link
(tools/pytorch_reference/bench_reference.py, run with --python as a server whose
measurements alternate with ours, round by round; with --pytorch-compile also under
torch.compile). Ratios are ours / theirs in throughput (> 1: we are faster).

options:
  --variants LIST       comma-separated                   [default: valor,link,leap,han]
  --variant V           one variant (same as --variants V)
  --device D            auto | cpu | cuda[:N]                           [default: auto]
  --batches LIST        forward batch sizes                       [default: 1,64,1200]
  --train-batch N       [64]
  --hidden N  --layers N  --heads N  --ff N   override the variants' sizes
  --audio clap|vggish  --visual clip|resnet  --no-motion   override the features
  --no-tsam --no-cmim --no-plsim --no-sloss   LINK without a module
  --min-seconds X       time per measurement after a warm-up run        [default: 1]
  --rounds N            each measurement N times, ours and PyTorch's in turn
                        (A B A B); rows give the median, ratios the median and
                        range of the rounds' ratios                      [default: 3]
  --literal-max-batch N largest literal-frontend batch on CPU, forward and
                        train step (memory; 0: none)                    [default: 64]
  --python PATH         Python with torch for the baseline; "" skips it
                                                          [default: /usr/bin/python3]
  --pytorch-compile     also the reference under torch.compile (PyTorch 2.0 or
                        later), in turn with ours and the eager one (A B C)
  --pytorch-script P    bench_reference.py               [default: the source tree's]
  --json FILE           also write the rows as JSON
  --threads N           CPU threads, 0 = all                            [default: 0]
  --quiet               no step lines on stderr
)";

const BenchRow* findRow(const std::vector<BenchRow>& rows, const std::string& variant,
                        const std::string& impl, const std::string& what,
                        const std::string& frontend, int batch) {
    for (const auto& x : rows)
        if (x.variant == variant && x.impl == impl && x.what == what && x.frontend == frontend &&
            x.batch == batch)
            return &x;
    return nullptr;
}

double find(const std::vector<BenchRow>& rows, const std::string& variant, const std::string& impl,
            const std::string& what, const std::string& frontend, int batch) {
    const auto* x = findRow(rows, variant, impl, what, frontend, batch);
    return x ? x->videosPerSecond : 0.0;
}

std::vector<std::string> splitList(const std::string& list) {
    std::vector<std::string> out;
    for (std::size_t s = 0; s <= list.size();) {
        const auto e = std::min(list.find(',', s), list.size());
        out.push_back(list.substr(s, e - s));
        s = e + 1;
    }
    return out;
}

std::string ratio(double a, double b, const char* suffix = "") {
    if (a <= 0 || b <= 0) return "";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2fx%s", a / b, suffix);
    return buf;
}

// Ours against a row measured in turn with ours: the median of the rounds' ratios and,
// with several rounds, their range: "2.41x (2.30-2.52) fold".
std::string pairedText(const BenchRow& ours, const BenchRow* theirs, const char* suffix) {
    if (!theirs || theirs->seconds <= 0 || ours.seconds <= 0) return "";
    const auto p = models::pairedRatio(ours, *theirs);
    if (p.rounds == 0) return ratio(ours.videosPerSecond, theirs->videosPerSecond, suffix);
    char buf[64];
    if (p.rounds == 1)
        std::snprintf(buf, sizeof buf, "%.2fx%s", p.median, suffix);
    else
        std::snprintf(buf, sizeof buf, "%.2fx (%.2f-%.2f)%s", p.median, p.min, p.max, suffix);
    return buf;
}

// The non-empty texts, separated by spaces.
std::string join(const std::vector<std::string>& parts) {
    std::string s;
    for (const auto& p : parts)
        if (!p.empty()) s += (s.empty() ? "" : " ") + p;
    return s;
}

// The variants to measure with the size, feature and switch options applied.
std::vector<models::ModelConfig> benchConfigs(const Options& opt) {
    if (opt.has("variant") && opt.has("variants"))
        throw UsageError("give --variant or --variants, not both");
    const auto variants = splitList(opt.get("variants", opt.get("variant", "valor,link,leap,han")));
    std::vector<models::ModelConfig> configs;
    for (const auto& v : variants) {
        models::ModelConfig c;
        try {
            c = models::benchConfig(v);
        } catch (const std::invalid_argument& e) {
            throw UsageError(std::string(e.what()) + " (link, valor, leap, han)");
        }
        c.hidden = static_cast<int>(opt.getInt("hidden", c.hidden, 1, 65536));
        c.layers = static_cast<int>(opt.getInt("layers", c.layers, 0, 64));
        c.heads = static_cast<int>(opt.getInt("heads", c.heads, 1, 1024));
        c.ff = static_cast<int>(opt.getInt("ff", c.ff, 1, 1 << 20));
        if (opt.has("no-motion")) c.useMotion = false;
        if (auto a = opt.get("audio")) {
            const auto k = core::audioFeatureFromName(*a);
            if (!k) throw UsageError("--audio takes clap|vggish");
            c.audioFeature = std::string(core::featureName(*k));
            c.audioRows = core::standardShape(*k).rows;
            c.audioDim = core::standardShape(*k).dim;
        }
        if (auto a = opt.get("visual")) {
            const auto k = core::visualFeatureFromName(*a);
            if (!k) throw UsageError("--visual takes clip|resnet");
            c.visualFeature = std::string(core::featureName(*k));
            c.visualRows = core::standardShape(*k).rows;
            c.visualDim = core::standardShape(*k).dim;
        }
        for (const char* m : {"tsam", "cmim", "plsim", "sloss"})
            if (opt.has(std::string("no-") + m) && v == "link") models::setSwitch(c, m, false);
        try {
            models::validateConfig(c);
        } catch (const std::invalid_argument& e) {
            throw UsageError(v + ": " + e.what());
        }
        configs.push_back(c);
    }
    return configs;
}

void printTable(const models::ModelConfig& c, const models::BenchReport& r,
                const std::vector<BenchRow>& rows) {
    std::printf(
        "\n%s: %s + %s%s, H %d, %d layers, %d heads, ff %d: %.2f M parameters; "
        "PyTorch baseline: %s\n",
        c.variant.c_str(), c.audioFeature.c_str(), c.visualFeature.c_str(),
        c.useMotion ? " + motion" : "", c.hidden, c.layers, c.heads, c.ff,
        static_cast<double>(r.parameters) / 1e6,
        r.pytorchVersion.empty() ? r.pytorchNote.c_str() : ("torch " + r.pytorchVersion).c_str());
    std::printf("%-16s %-11s %-8s %6s %12s %11s %10s %13s  %s\n", "impl", "what", "frontend",
                "batch", "median ms", "videos/s", "x valor", "avvp/literal",
                "avvp/pytorch (paired rounds: median (min-max))");
    for (const auto& x : r.rows) {
        if (x.seconds <= 0) {
            std::printf("%-16s %-11s %-8s %6d   (%s)\n", x.impl.c_str(), x.what.c_str(),
                        x.frontend.c_str(), x.batch, x.note.c_str());
            continue;
        }
        std::string vsValor, vsLiteral, vsPytorch;
        if (x.impl == "avvp" && x.frontend == "folded") {
            if (c.variant != "valor")
                vsValor = ratio(x.videosPerSecond,
                                find(rows, "valor", "avvp", x.what, "folded", x.batch));
            vsLiteral =
                ratio(x.videosPerSecond, find(rows, c.variant, "avvp", x.what, "literal", x.batch));
            // Ours folded against their literal model: two measurements, not taken in
            // turn, so the ratio of the medians (no range).
            const auto lit =
                ratio(x.videosPerSecond,
                      find(rows, c.variant, "pytorch", x.what, "literal", x.batch), " lit");
            const auto fold = pairedText(
                x, findRow(rows, c.variant, "pytorch", x.what, "folded", x.batch), " fold");
            vsPytorch = join(
                {lit, fold,
                 pairedText(x,
                            findRow(rows, c.variant, "pytorch-compiled", x.what, "folded", x.batch),
                            " fold compiled")});
        }
        if (x.impl == "avvp" && x.frontend == "literal")  // in turn with theirs
            vsPytorch = join(
                {pairedText(x, findRow(rows, c.variant, "pytorch", x.what, "literal", x.batch),
                            " lit"),
                 pairedText(
                     x, findRow(rows, c.variant, "pytorch-compiled", x.what, "literal", x.batch),
                     " lit compiled")});
        std::printf("%-16s %-11s %-8s %6d %12.2f %11.1f %10s %13s  %s\n", x.impl.c_str(),
                    x.what.c_str(), x.frontend.c_str(), x.batch, x.seconds * 1e3, x.videosPerSecond,
                    vsValor.c_str(), vsLiteral.c_str(), vsPytorch.c_str());
    }
    if (!r.pytorchNote.empty() && !r.pytorchVersion.empty())
        std::printf("note: %s\n", r.pytorchNote.c_str());
    if (!r.compiledNote.empty()) std::printf("note: %s\n", r.compiledNote.c_str());
}

void writeJson(const std::string& file, const std::vector<models::ModelConfig>& configs,
               const std::vector<models::BenchReport>& reports, const std::vector<BenchRow>& rows) {
    const auto& first = reports.front();
    nlohmann::json j;
    j["device"] = first.device;
    j["threads"] = first.threads;
    j["libtorch"] = first.torchVersion;
    for (std::size_t i = 0; i < configs.size(); ++i) {
        const auto& r = reports[i];
        j["variants"].push_back(
            {{"variant", configs[i].variant},
             {"pytorch", r.pytorchVersion},
             {"pytorch_note", r.pytorchNote},
             {"pytorch_compiled_note", r.compiledNote},
             {"parameters", r.parameters},
             {"config", nlohmann::json::parse(models::configToJson(configs[i]))}});
    }
    for (const auto& x : rows)
        j["rows"].push_back({{"variant", x.variant},
                             {"impl", x.impl},
                             {"what", x.what},
                             {"frontend", x.frontend},
                             {"batch", x.batch},
                             {"seconds", x.seconds},
                             {"videos_per_s", x.videosPerSecond},
                             {"round_seconds", x.roundSeconds},
                             {"note", x.note}});
    core::writeFileWith(file, [&](std::ostream& out) { out << j.dump(1) << '\n'; });
}

}  // namespace

int benchCommand(int argc, char** argv) {
    const Options opt(
        argc, argv,
        {"variant", "variants", "device", "batches", "train-batch", "hidden", "layers", "heads",
         "ff", "audio", "visual", "min-seconds", "literal-max-batch", "python", "pytorch-script",
         "json", "threads", "rounds"},
        {"no-motion", "quiet", "no-tsam", "no-cmim", "no-plsim", "no-sloss", "pytorch-compile"});
    if (opt.help()) {
        std::fputs(kUsage, stdout);
        return 0;
    }
    const auto configs = benchConfigs(opt);
    models::BenchOptions o;
    o.device = opt.get("device", "auto");
    o.batches.clear();
    for (const auto& item : splitList(opt.get("batches", "1,64,1200"))) {
        int b = 0;
        try {
            b = std::stoi(item);
        } catch (const std::exception&) {
            throw UsageError("--batches takes a comma-separated list of sizes, not " +
                             core::quote(item));
        }
        if (b < 1) throw UsageError("--batches: sizes must be positive");
        o.batches.push_back(b);
    }
    o.trainBatch = static_cast<int>(opt.getInt("train-batch", 64, 1, 1 << 20));
    o.minSeconds = opt.getDouble("min-seconds", 1.0, 0.0, 3600.0);
    o.literalMaxBatch = static_cast<int>(opt.getInt("literal-max-batch", 64, 0, 1 << 20));
    o.rounds = static_cast<int>(opt.getInt("rounds", 3, 1, 1000));
    o.python = opt.get("python", o.python);
    o.pytorchCompiled = opt.has("pytorch-compile");
    o.pytorchScript = opt.get("pytorch-script", "");
    models::setCpuThreads(static_cast<int>(opt.getInt("threads", 0, 0, 4096)));

    const bool quiet = opt.has("quiet");
    core::ProgressLine line("avvp bench", !quiet);
    std::vector<models::BenchReport> reports;
    std::vector<BenchRow> rows;
    for (std::size_t i = 0; i < configs.size(); ++i) {
        const auto& c = configs[i];
        const auto n = static_cast<double>(configs.size());
        core::ProgressRange part(line, static_cast<double>(i) / n, static_cast<double>(i + 1) / n,
                                 c.variant);
        o.model = c;
        o.progress = &part;
        reports.push_back(models::runBench(o, [&](const std::string& s) {
            if (quiet) return;
            line.clear();
            std::fprintf(stderr, "avvp bench: %s: %s\n", c.variant.c_str(),
                         core::oneLine(s).c_str());
        }));
        auto& r = reports.back();
        if (r.pytorch == models::PytorchBaseline::NoScript) r.pytorchNote += " (--pytorch-script)";
        rows.insert(rows.end(), r.rows.begin(), r.rows.end());
    }
    line.finish();

    const auto& first = reports.front();
    std::printf("device %s, %d CPU threads, LibTorch %s\n", first.device.c_str(), first.threads,
                first.torchVersion.c_str());
    for (std::size_t i = 0; i < configs.size(); ++i) printTable(configs[i], reports[i], rows);
    if (auto f = opt.get("json")) writeJson(*f, configs, reports, rows);
    return 0;
}

}  // namespace avvp::app
