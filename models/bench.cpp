// `avvp bench` (LibTorch): forward throughput and train-step time, with same-run
// baselines (literal CLAP frontend; the PyTorch reference model via Python).
#include "models/bench.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/options.h"
#include "models/model_impl.h"
#include "models/runtime.h"

#ifndef AVVP_SOURCE_DIR
#define AVVP_SOURCE_DIR ""
#endif

namespace avvp::models {

namespace {

using Clock = std::chrono::steady_clock;

void sync(const torch::Device& d) {
    if (d.is_cuda()) torch::cuda::synchronize(d.index());
}

// The best time of `fn` after one warm-up run: at least `minRepeats` runs and
// `minSeconds`, but a single timed run when the warm-up alone took over 3 s (the slow
// baselines). The minimum, not the median: on a shared machine other processes only ever
// add time, so the fastest run is the best estimate of the code's own cost.
double bestTime(const std::function<void()>& fn, const torch::Device& d, double minSeconds,
                int minRepeats) {
    const auto w0 = Clock::now();
    fn();  // warm-up
    sync(d);
    if (std::chrono::duration<double>(Clock::now() - w0).count() > 3.0) minRepeats = 1;
    std::vector<double> times;
    const auto start = Clock::now();
    while (static_cast<int>(times.size()) < minRepeats ||
           std::chrono::duration<double>(Clock::now() - start).count() < minSeconds) {
        const auto t0 = Clock::now();
        fn();
        sync(d);
        times.push_back(std::chrono::duration<double>(Clock::now() - t0).count());
    }
    return *std::min_element(times.begin(), times.end());
}

NetInputs randomInputs(const ModelConfig& c, std::int64_t b, const torch::Device& d) {
    NetInputs in;
    in.audio = torch::randn({b, c.audioRows, c.audioDim}).to(d);
    in.visual = torch::randn({b, c.visualRows, c.visualDim}).to(d);
    if (c.useMotion) in.motion = torch::randn({b, 10, c.motionDim}).to(d);
    return in;
}

std::string join(const std::vector<int>& v) {
    std::string s;
    for (std::size_t i = 0; i < v.size(); ++i) s += (i ? "," : "") + std::to_string(v[i]);
    return s;
}

// "tsam,cmim,plsim,sloss" minus the switched-off modules ("none" when all are off).
std::string linkSwitches(const ModelConfig& c) {
    std::string s;
    for (const char* m : {"tsam", "cmim", "plsim", "sloss"})
        if (switchOn(c, m)) s += (s.empty() ? "" : ",") + std::string(m);
    return s.empty() ? "none" : s;
}

// Runs the PyTorch reference bench script and collects its rows.
void pytorchBaseline(const BenchOptions& o, const torch::Device& d, BenchReport& r,
                     const std::function<void(const std::string&)>& onStep) {
    namespace fs = std::filesystem;
    std::string script = o.pytorchScript;
    if (script.empty()) {
        const fs::path p = fs::path(AVVP_SOURCE_DIR) / "tools/pytorch_reference/bench_reference.py";
        if (fs::exists(p)) script = p.string();
    }
    if (o.python.empty()) {
        r.pytorchNote = "PyTorch baseline not requested";
        return;
    }
    if (script.empty() || !fs::exists(script)) {
        r.pytorchNote = "PyTorch baseline skipped: bench_reference.py not found (--pytorch-script)";
        return;
    }
    if (!fs::exists(o.python)) {
        r.pytorchNote = "PyTorch baseline skipped: " + o.python + " not found";
        return;
    }
    const auto& c = o.model;
    const std::string cmd =
        "'" + o.python + "' '" + script + "' --variant " + c.variant +
        (c.variant == "link" ? " --switches " + linkSwitches(c) : std::string()) + " --device " +
        (d.is_cuda() ? d.str() : "cpu") + " --threads " + std::to_string(r.threads) + " --hidden " +
        std::to_string(c.hidden) + " --layers " + std::to_string(c.layers) + " --heads " +
        std::to_string(c.heads) + " --ff " + std::to_string(c.ff) + " --audio " +
        std::to_string(c.audioRows) + "," + std::to_string(c.audioDim) + " --visual " +
        std::to_string(c.visualRows) + "," + std::to_string(c.visualDim) + " --motion " +
        std::to_string(c.useMotion ? c.motionDim : 0) + " --batches " + join(o.batches) +
        " --train-batch " + std::to_string(o.trainBatch) + " --literal-max-batch " +
        std::to_string(o.literalMaxBatch) + " --min-seconds " + std::to_string(o.minSeconds) +
        " --min-repeats " + std::to_string(o.minRepeats) + " 2>&1";
    if (onStep) onStep("PyTorch reference (" + o.python + ")");
    FILE* p = ::popen(cmd.c_str(), "r");
    if (!p) {
        r.pytorchNote = "PyTorch baseline skipped: cannot start " + o.python;
        return;
    }
    std::string out;
    std::array<char, 4096> buf{};
    while (std::fgets(buf.data(), static_cast<int>(buf.size()), p)) {
        const std::string line = buf.data();
        out += line;
        try {
            const auto j = nlohmann::json::parse(line);
            if (j.contains("torch")) {
                r.pytorchVersion = j["torch"].get<std::string>();
                continue;
            }
            BenchRow row;
            row.variant = c.variant;
            row.impl = "pytorch";
            row.what = j.at("what").get<std::string>();
            row.frontend = j.at("frontend").get<std::string>();
            row.batch = j.at("batch").get<int>();
            row.seconds = j.at("seconds").get<double>();
            row.videosPerSecond = j.value("videos_per_s", 0.0);
            row.note = j.value("note", "");
            r.rows.push_back(row);
            if (onStep)
                onStep("pytorch " + row.what + " " + row.frontend + " batch " +
                       std::to_string(row.batch));
        } catch (const nlohmann::json::exception&) {
            // not a result line (a warning); kept in `out` for the note
        }
    }
    const int status = ::pclose(p);
    if (status != 0) {
        const auto nl = out.find_last_of('\n', out.size() > 1 ? out.size() - 2 : 0);
        r.pytorchNote = "PyTorch baseline failed: " +
                        (out.find("No module named 'torch'") != std::string::npos
                             ? o.python + " has no torch (apt-get install python3-torch)"
                             : out.substr(nl == std::string::npos ? 0 : nl + 1));
    }
}

}  // namespace

BenchReport runBench(const BenchOptions& o, const std::function<void(const std::string&)>& onStep) {
    const torch::Device d(resolveDevice(o.device));
    BenchReport r;
    r.device = d.str();
    r.torchVersion = TORCH_VERSION;
    r.threads = at::get_num_threads();
    torch::manual_seed(o.seed);
    auto folded = makeNetwork(o.model);
    folded->to(d);
    for (const auto& p : folded->parameters()) r.parameters += p.numel();
    auto* valor = dynamic_cast<ValorNet*>(folded.get());
    const bool clap = o.model.audioRows == 64 && valor && o.model.variant == "valor";

    torch::NoGradGuard noGrad;
    folded->eval();
    for (int b : o.batches) {
        auto in = randomInputs(o.model, b, d);
        for (const bool literal : {false, true}) {
            if (literal && !clap) continue;
            BenchRow row{
                o.model.variant, "avvp", "forward", literal ? "literal" : "folded", b, 0, 0, ""};
            if (literal && !d.is_cuda() && b > o.literalMaxBatch) {
                row.note = "literal CLAP frontend skipped above batch " +
                           std::to_string(o.literalMaxBatch) + " on CPU";
                r.rows.push_back(row);
                continue;
            }
            if (onStep) onStep("forward " + row.frontend + " batch " + std::to_string(b));
            if (valor) valor->setLiteralClap(literal);
            row.seconds = bestTime([&] { folded->forward(in); }, d, o.minSeconds, o.minRepeats);
            row.videosPerSecond = b / row.seconds;
            r.rows.push_back(row);
        }
        if (valor) valor->setLiteralClap(false);
    }

    {
        torch::AutoGradMode grad(true);
        folded->train();
        torch::optim::AdamW opt(
            folded->parameters(),
            torch::optim::AdamWOptions(3e-4).betas({0.5, 0.999}).eps(1e-8).weight_decay(1e-3));
        const std::int64_t b = o.trainBatch;
        auto in = randomInputs(o.model, b, d);
        Targets t;
        t.weak = (torch::rand({b, 25}) < 0.1).to(torch::kFloat32).to(d);
        t.pseudoAudio = (torch::rand({b, 10, 25}) < 0.1).to(torch::kFloat32).to(d);
        t.pseudoVisual = (torch::rand({b, 10, 25}) < 0.1).to(torch::kFloat32).to(d);
        // As in training: the stored pseudo labels are PLSIM's labels (LINK).
        in.pseudoAudio = t.pseudoAudio;
        in.pseudoVisual = t.pseudoVisual;
        for (const bool literal : {false, true}) {
            if (literal && !clap) continue;
            if (onStep) onStep(std::string("train step ") + (literal ? "literal" : "folded"));
            if (valor) valor->setLiteralClap(literal);
            auto step = [&] {
                opt.zero_grad();
                auto l = folded->loss(folded->forward(in), t);
                l.total.backward();
                torch::nn::utils::clip_grad_norm_(folded->parameters(), 1.0);
                opt.step();
            };
            BenchRow row{o.model.variant,
                         "avvp",
                         "train_step",
                         literal ? "literal" : "folded",
                         static_cast<int>(b),
                         0,
                         0,
                         ""};
            row.seconds = bestTime(step, d, o.minSeconds, o.minRepeats);
            row.videosPerSecond = static_cast<double>(b) / row.seconds;
            r.rows.push_back(row);
        }
        if (valor) valor->setLiteralClap(false);
    }
    folded.reset();
    if (o.model.variant == "valor" || o.model.variant == "link")
        pytorchBaseline(o, d, r, onStep);
    else
        r.pytorchNote = "no PyTorch reference for " + o.model.variant;
    return r;
}

ModelConfig benchConfig(const std::string& variant) {
    auto c = defaultConfig(variant);
    if (variant != "han") c.useMotion = true;  // CLAP tokens + CLIP + motion
    return c;
}

namespace {

constexpr const char* kUsage = R"(usage: avvp bench [options]

Measures each variant (random weights and inputs): forward throughput (videos/s, eval
mode, no gradients; LINK's two passes with its self labels included) at each batch size
and the time of one training step (forward, loss, backward, clip, AdamW) at the train
batch. Variants run at the spec's sizes: valor, link, leap on CLAP tokens + CLIP +
motion (H 256, 4 layers, 8 heads, ff 1024), han on VGGish + ResNet152 + motion (H 512, 1
layer, 1 head, ff 512). Baselines in the same run: VALOR++ for every variant (x valor),
the literal CLAP frontend of VALOR++ (bicubic interpolation to 2 x 1024 positions before
fc_a, as VALOR computes it), and the PyTorch reference models of valor and link
(tools/pytorch_reference/bench_reference.py, run with --python). Ratios are ours /
theirs in throughput (> 1: we are faster).

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
  --literal-max-batch N largest literal-frontend batch on CPU (memory)   [default: 64]
  --python PATH         Python with torch for the baseline; "" skips it
                                                          [default: /usr/bin/python3]
  --pytorch-script P    bench_reference.py               [default: the source tree's]
  --json FILE           also write the rows as JSON
  --threads N           CPU threads, 0 = all                            [default: 0]
  --quiet               no step lines on stderr
)";

double find(const std::vector<BenchRow>& rows, const std::string& variant, const std::string& impl,
            const std::string& what, const std::string& frontend, int batch) {
    for (const auto& x : rows)
        if (x.variant == variant && x.impl == impl && x.what == what && x.frontend == frontend &&
            x.batch == batch)
            return x.videosPerSecond;
    return 0.0;
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

}  // namespace

int benchCommand(int argc, char** argv) {
    const core::Options opt(argc, argv,
                            {"variant", "variants", "device", "batches", "train-batch", "hidden",
                             "layers", "heads", "ff", "audio", "visual", "min-seconds",
                             "literal-max-batch", "python", "pytorch-script", "json", "threads"},
                            {"no-motion", "quiet", "no-tsam", "no-cmim", "no-plsim", "no-sloss"});
    if (opt.help()) {
        std::fputs(kUsage, stdout);
        return 0;
    }
    if (opt.has("variant") && opt.has("variants"))
        throw core::UsageError("give --variant or --variants, not both");
    const auto variants = splitList(opt.get("variants", opt.get("variant", "valor,link,leap,han")));
    std::vector<ModelConfig> configs;
    for (const auto& v : variants) {
        ModelConfig c;
        try {
            c = benchConfig(v);
        } catch (const std::invalid_argument& e) {
            throw core::UsageError(std::string(e.what()) + " (link, valor, leap, han)");
        }
        c.hidden = static_cast<int>(opt.getInt("hidden", c.hidden, 1, 65536));
        c.layers = static_cast<int>(opt.getInt("layers", c.layers, 0, 64));
        c.heads = static_cast<int>(opt.getInt("heads", c.heads, 1, 1024));
        c.ff = static_cast<int>(opt.getInt("ff", c.ff, 1, 1 << 20));
        if (opt.has("no-motion")) c.useMotion = false;
        if (auto a = opt.get("audio")) {
            const auto k = core::audioFeatureFromName(*a);
            if (!k) throw core::UsageError("--audio takes clap|vggish");
            c.audioFeature = std::string(core::featureName(*k));
            c.audioRows = core::standardShape(*k).rows;
            c.audioDim = core::standardShape(*k).dim;
        }
        if (auto a = opt.get("visual")) {
            const auto k = core::visualFeatureFromName(*a);
            if (!k) throw core::UsageError("--visual takes clip|resnet");
            c.visualFeature = std::string(core::featureName(*k));
            c.visualRows = core::standardShape(*k).rows;
            c.visualDim = core::standardShape(*k).dim;
        }
        for (const char* m : {"tsam", "cmim", "plsim", "sloss"})
            if (opt.has(std::string("no-") + m) && v == "link") setSwitch(c, m, false);
        try {
            validateConfig(c);
        } catch (const std::invalid_argument& e) {
            throw core::UsageError(v + ": " + e.what());
        }
        configs.push_back(c);
    }
    BenchOptions o;
    o.device = opt.get("device", "auto");
    o.batches.clear();
    for (const auto& item : splitList(opt.get("batches", "1,64,1200"))) {
        int b = 0;
        try {
            b = std::stoi(item);
        } catch (const std::exception&) {
            throw core::UsageError("--batches takes a comma-separated list of sizes, not '" + item +
                                   "'");
        }
        if (b < 1) throw core::UsageError("--batches: sizes must be positive");
        o.batches.push_back(b);
    }
    o.trainBatch = static_cast<int>(opt.getInt("train-batch", 64, 1, 1 << 20));
    o.minSeconds = opt.getDouble("min-seconds", 1.0, 0.0, 3600.0);
    o.literalMaxBatch = static_cast<int>(opt.getInt("literal-max-batch", 64, 0, 1 << 20));
    o.python = opt.get("python", o.python);
    o.pytorchScript = opt.get("pytorch-script", "");
    setCpuThreads(static_cast<int>(opt.getInt("threads", 0, 0, 4096)));

    const bool quiet = opt.has("quiet");
    std::vector<BenchReport> reports;
    std::vector<BenchRow> rows;
    for (const auto& c : configs) {
        o.model = c;
        reports.push_back(runBench(o, [&](const std::string& s) {
            if (!quiet) std::fprintf(stderr, "avvp bench: %s: %s\n", c.variant.c_str(), s.c_str());
        }));
        rows.insert(rows.end(), reports.back().rows.begin(), reports.back().rows.end());
    }

    const auto& first = reports.front();
    std::printf("device %s, %d CPU threads, LibTorch %s\n", first.device.c_str(), first.threads,
                first.torchVersion.c_str());
    for (std::size_t i = 0; i < configs.size(); ++i) {
        const auto& c = configs[i];
        const auto& r = reports[i];
        std::printf(
            "\n%s: %s + %s%s, H %d, %d layers, %d heads, ff %d: %.2f M parameters; "
            "PyTorch baseline: %s\n",
            c.variant.c_str(), c.audioFeature.c_str(), c.visualFeature.c_str(),
            c.useMotion ? " + motion" : "", c.hidden, c.layers, c.heads, c.ff,
            static_cast<double>(r.parameters) / 1e6,
            r.pytorchVersion.empty() ? r.pytorchNote.c_str()
                                     : ("torch " + r.pytorchVersion).c_str());
        std::printf("%-8s %-11s %-8s %6s %12s %11s %10s %13s %20s\n", "impl", "what", "frontend",
                    "batch", "best ms", "videos/s", "x valor", "avvp/literal", "avvp/pytorch");
        for (const auto& x : r.rows) {
            if (x.seconds <= 0) {
                std::printf("%-8s %-11s %-8s %6d   (%s)\n", x.impl.c_str(), x.what.c_str(),
                            x.frontend.c_str(), x.batch, x.note.c_str());
                continue;
            }
            std::string vsValor, vsLiteral, vsPytorch;
            if (x.impl == "avvp" && x.frontend == "folded") {
                if (c.variant != "valor")
                    vsValor = ratio(x.videosPerSecond,
                                    find(rows, "valor", "avvp", x.what, "folded", x.batch));
                vsLiteral = ratio(x.videosPerSecond,
                                  find(rows, c.variant, "avvp", x.what, "literal", x.batch));
                const auto lit =
                    ratio(x.videosPerSecond,
                          find(rows, c.variant, "pytorch", x.what, "literal", x.batch), " lit");
                const auto fold =
                    ratio(x.videosPerSecond,
                          find(rows, c.variant, "pytorch", x.what, "folded", x.batch), " fold");
                vsPytorch = lit + (lit.empty() || fold.empty() ? "" : " ") + fold;
            }
            std::printf("%-8s %-11s %-8s %6d %12.2f %11.1f %10s %13s %20s\n", x.impl.c_str(),
                        x.what.c_str(), x.frontend.c_str(), x.batch, x.seconds * 1e3,
                        x.videosPerSecond, vsValor.c_str(), vsLiteral.c_str(), vsPytorch.c_str());
        }
        if (!r.pytorchNote.empty() && !r.pytorchVersion.empty())
            std::printf("note: %s\n", r.pytorchNote.c_str());
    }
    if (auto f = opt.get("json")) {
        nlohmann::json j;
        j["device"] = first.device;
        j["threads"] = first.threads;
        j["libtorch"] = first.torchVersion;
        for (std::size_t i = 0; i < configs.size(); ++i) {
            const auto& r = reports[i];
            j["variants"].push_back({{"variant", configs[i].variant},
                                     {"pytorch", r.pytorchVersion},
                                     {"pytorch_note", r.pytorchNote},
                                     {"parameters", r.parameters},
                                     {"config", nlohmann::json::parse(configToJson(configs[i]))}});
        }
        for (const auto& x : rows)
            j["rows"].push_back({{"variant", x.variant},
                                 {"impl", x.impl},
                                 {"what", x.what},
                                 {"frontend", x.frontend},
                                 {"batch", x.batch},
                                 {"seconds", x.seconds},
                                 {"videos_per_s", x.videosPerSecond},
                                 {"note", x.note}});
        std::ofstream out(*f);
        out << j.dump(1) << '\n';
        if (!out) throw core::InputError(*f, 0, "write failed");
    }
    return 0;
}

}  // namespace avvp::models
