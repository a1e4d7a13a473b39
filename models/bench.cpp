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
        "'" + o.python + "' '" + script + "' --device " + (d.is_cuda() ? d.str() : "cpu") +
        " --threads " + std::to_string(r.threads) + " --hidden " + std::to_string(c.hidden) +
        " --layers " + std::to_string(c.layers) + " --heads " + std::to_string(c.heads) + " --ff " +
        std::to_string(c.ff) + " --audio " + std::to_string(c.audioRows) + "," +
        std::to_string(c.audioDim) + " --visual " + std::to_string(c.visualRows) + "," +
        std::to_string(c.visualDim) + " --motion " + std::to_string(c.useMotion ? c.motionDim : 0) +
        " --batches " + join(o.batches) + " --train-batch " + std::to_string(o.trainBatch) +
        " --literal-max-batch " + std::to_string(o.literalMaxBatch) + " --min-seconds " +
        std::to_string(o.minSeconds) + " --min-repeats " + std::to_string(o.minRepeats) + " 2>&1";
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
    const bool clap = o.model.audioRows == 64 && valor;

    torch::NoGradGuard noGrad;
    folded->eval();
    for (int b : o.batches) {
        auto in = randomInputs(o.model, b, d);
        for (const bool literal : {false, true}) {
            if (literal && !clap) continue;
            BenchRow row{"avvp", "forward", literal ? "literal" : "folded", b, 0, 0, ""};
            if (literal && !d.is_cuda() && b > o.literalMaxBatch) {
                row.note = "literal CLAP frontend skipped above batch " +
                           std::to_string(o.literalMaxBatch) + " on CPU";
                r.rows.push_back(row);
                continue;
            }
            if (onStep) onStep("forward " + row.frontend + " batch " + std::to_string(b));
            valor->setLiteralClap(literal);
            row.seconds = bestTime([&] { folded->forward(in); }, d, o.minSeconds, o.minRepeats);
            row.videosPerSecond = b / row.seconds;
            r.rows.push_back(row);
        }
        valor->setLiteralClap(false);
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
        for (const bool literal : {false, true}) {
            if (literal && !clap) continue;
            if (onStep) onStep(std::string("train step ") + (literal ? "literal" : "folded"));
            valor->setLiteralClap(literal);
            auto step = [&] {
                opt.zero_grad();
                auto l = folded->loss(folded->forward(in), t);
                l.total.backward();
                torch::nn::utils::clip_grad_norm_(folded->parameters(), 1.0);
                opt.step();
            };
            BenchRow row{
                "avvp", "train_step", literal ? "literal" : "folded", static_cast<int>(b), 0, 0,
                ""};
            row.seconds = bestTime(step, d, o.minSeconds, o.minRepeats);
            row.videosPerSecond = static_cast<double>(b) / row.seconds;
            r.rows.push_back(row);
        }
        valor->setLiteralClap(false);
    }
    folded.reset();
    pytorchBaseline(o, d, r, onStep);
    return r;
}

namespace {

constexpr const char* kUsage = R"(usage: avvp bench [options]

Measures the VALOR++ network (random weights and inputs): forward throughput
(videos/s, eval mode, no gradients) at each batch size and the time of one training
step (forward, VALOR loss, backward, clip, AdamW) at the train batch. Baselines in the
same run: the literal CLAP frontend (bicubic interpolation to 2 x 1024 positions before
fc_a, as VALOR computes it) and the PyTorch reference model
(tools/pytorch_reference/bench_reference.py, run with --python) with both frontends.
Ratios are ours / theirs in throughput (> 1: we are faster).

options:
  --variant V           model variant                                  [default: valor]
  --device D            auto | cpu | cuda[:N]                           [default: auto]
  --batches LIST        forward batch sizes                       [default: 1,64,1200]
  --train-batch N       [64]
  --hidden N [256]  --layers N [4]  --heads N [8]  --ff N [1024]
  --audio clap|vggish [clap]   --visual clip|resnet [clip]   --no-motion
  --min-seconds X       time per measurement after a warm-up run        [default: 1]
  --literal-max-batch N largest literal-frontend batch on CPU (memory)   [default: 64]
  --python PATH         Python with torch for the baseline; "" skips it
                                                          [default: /usr/bin/python3]
  --pytorch-script P    bench_reference.py               [default: the source tree's]
  --json FILE           also write the rows as JSON
  --threads N           CPU threads, 0 = all                            [default: 0]
)";

double find(const BenchReport& r, const std::string& impl, const std::string& what,
            const std::string& frontend, int batch) {
    for (const auto& x : r.rows)
        if (x.impl == impl && x.what == what && x.frontend == frontend && x.batch == batch)
            return x.videosPerSecond;
    return 0.0;
}

}  // namespace

int benchCommand(int argc, char** argv) {
    const core::Options opt(argc, argv,
                            {"variant", "device", "batches", "train-batch", "hidden", "layers",
                             "heads", "ff", "audio", "visual", "min-seconds", "literal-max-batch",
                             "python", "pytorch-script", "json", "threads"},
                            {"no-motion", "quiet"});
    if (opt.help()) {
        std::fputs(kUsage, stdout);
        return 0;
    }
    BenchOptions o;
    try {
        o.model = defaultConfig(opt.get("variant", "valor"));
    } catch (const std::invalid_argument& e) {
        throw core::UsageError(e.what());
    }
    o.model.hidden = static_cast<int>(opt.getInt("hidden", 256, 1, 65536));
    o.model.layers = static_cast<int>(opt.getInt("layers", 4, 0, 64));
    o.model.heads = static_cast<int>(opt.getInt("heads", 8, 1, 1024));
    o.model.ff = static_cast<int>(opt.getInt("ff", 1024, 1, 1 << 20));
    o.model.useMotion = !opt.has("no-motion");
    const auto ak = core::audioFeatureFromName(opt.get("audio", "clap"));
    const auto vk = core::visualFeatureFromName(opt.get("visual", "clip"));
    if (!ak || !vk) throw core::UsageError("--audio takes clap|vggish, --visual clip|resnet");
    o.model.audioFeature = std::string(core::featureName(*ak));
    o.model.audioRows = core::standardShape(*ak).rows;
    o.model.audioDim = core::standardShape(*ak).dim;
    o.model.visualFeature = std::string(core::featureName(*vk));
    o.model.visualRows = core::standardShape(*vk).rows;
    o.model.visualDim = core::standardShape(*vk).dim;
    try {
        validateConfig(o.model);
    } catch (const std::invalid_argument& e) {
        throw core::UsageError(e.what());
    }
    o.device = opt.get("device", "auto");
    o.batches.clear();
    const std::string list = opt.get("batches", "1,64,1200");
    for (std::size_t s = 0; s <= list.size();) {
        const auto e = std::min(list.find(',', s), list.size());
        const std::string item = list.substr(s, e - s);
        int b = 0;
        try {
            b = std::stoi(item);
        } catch (const std::exception&) {
            throw core::UsageError("--batches takes a comma-separated list of sizes, not '" + list +
                                   "'");
        }
        if (b < 1) throw core::UsageError("--batches: sizes must be positive");
        o.batches.push_back(b);
        s = e + 1;
    }
    o.trainBatch = static_cast<int>(opt.getInt("train-batch", 64, 1, 1 << 20));
    o.minSeconds = opt.getDouble("min-seconds", 1.0, 0.0, 3600.0);
    o.literalMaxBatch = static_cast<int>(opt.getInt("literal-max-batch", 64, 0, 1 << 20));
    o.python = opt.get("python", o.python);
    o.pytorchScript = opt.get("pytorch-script", "");
    setCpuThreads(static_cast<int>(opt.getInt("threads", 0, 0, 4096)));

    const bool quiet = opt.has("quiet");
    const auto r = runBench(o, [&](const std::string& s) {
        if (!quiet) std::fprintf(stderr, "avvp bench: %s\n", s.c_str());
    });

    const auto& c = o.model;
    std::printf("VALOR++ %s + %s%s, H %d, %d layers, %d heads, ff %d: %.2f M parameters\n",
                c.audioFeature.c_str(), c.visualFeature.c_str(), c.useMotion ? " + motion" : "",
                c.hidden, c.layers, c.heads, c.ff, static_cast<double>(r.parameters) / 1e6);
    std::printf(
        "device %s, %d CPU threads, LibTorch %s; PyTorch baseline: %s\n\n", r.device.c_str(),
        r.threads, r.torchVersion.c_str(),
        r.pytorchVersion.empty() ? r.pytorchNote.c_str() : ("torch " + r.pytorchVersion).c_str());
    std::printf("%-8s %-11s %-8s %6s %12s %11s %14s %14s\n", "impl", "what", "frontend", "batch",
                "best ms", "videos/s", "avvp/literal", "avvp/pytorch");
    for (const auto& x : r.rows) {
        if (x.seconds <= 0) {
            std::printf("%-8s %-11s %-8s %6d   (%s)\n", x.impl.c_str(), x.what.c_str(),
                        x.frontend.c_str(), x.batch, x.note.c_str());
            continue;
        }
        std::string vsLiteral = "", vsPytorch = "";
        if (x.impl == "avvp" && x.frontend == "folded") {
            const double lit = find(r, "avvp", x.what, "literal", x.batch);
            const double pyl = find(r, "pytorch", x.what, "literal", x.batch);
            const double pyf = find(r, "pytorch", x.what, "folded", x.batch);
            char b[64];
            if (lit > 0) {
                std::snprintf(b, sizeof b, "%.2fx", x.videosPerSecond / lit);
                vsLiteral = b;
            }
            if (pyl > 0 || pyf > 0) {
                std::snprintf(b, sizeof b, "%s%s", pyl > 0 ? "" : "", "");
                std::string s;
                if (pyl > 0) {
                    std::snprintf(b, sizeof b, "%.2fx lit", x.videosPerSecond / pyl);
                    s += b;
                }
                if (pyf > 0) {
                    std::snprintf(b, sizeof b, "%s%.2fx fold", s.empty() ? "" : " ",
                                  x.videosPerSecond / pyf);
                    s += b;
                }
                vsPytorch = s;
            }
        }
        std::printf("%-8s %-11s %-8s %6d %12.2f %11.1f %14s %14s\n", x.impl.c_str(), x.what.c_str(),
                    x.frontend.c_str(), x.batch, x.seconds * 1e3, x.videosPerSecond,
                    vsLiteral.c_str(), vsPytorch.c_str());
    }
    if (!r.pytorchNote.empty() && !r.pytorchVersion.empty())
        std::printf("\nnote: %s\n", r.pytorchNote.c_str());
    if (auto f = opt.get("json")) {
        nlohmann::json j;
        j["device"] = r.device;
        j["threads"] = r.threads;
        j["libtorch"] = r.torchVersion;
        j["pytorch"] = r.pytorchVersion;
        j["pytorch_note"] = r.pytorchNote;
        j["parameters"] = r.parameters;
        j["config"] = nlohmann::json::parse(configToJson(c));
        for (const auto& x : r.rows)
            j["rows"].push_back({{"impl", x.impl},
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
