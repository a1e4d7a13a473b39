// The benchmark (LibTorch): forward throughput and train-step time, with same-run
// baselines (literal CLAP frontend; the PyTorch reference model via Python).
#include "models/bench.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/progress.h"
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

// The shell command that runs tools/pytorch_reference/bench_reference.py on the options'
// model and sizes. Its flags are that script's command line, not ours (check_layers.cmake
// exempts exactly this function from the no-CLI-text rule of models/).
std::string referenceCommandLine(const BenchOptions& o, const std::string& script,
                                 const torch::Device& d, int threads) {
    const auto& c = o.model;
    return "'" + o.python + "' '" + script + "' --variant " + c.variant +
           (c.variant == "link" ? " --switches " + linkSwitches(c) : std::string()) + " --device " +
           (d.is_cuda() ? d.str() : "cpu") + " --threads " + std::to_string(threads) +
           " --hidden " + std::to_string(c.hidden) + " --layers " + std::to_string(c.layers) +
           " --heads " + std::to_string(c.heads) + " --ff " + std::to_string(c.ff) + " --audio " +
           std::to_string(c.audioRows) + "," + std::to_string(c.audioDim) + " --visual " +
           std::to_string(c.visualRows) + "," + std::to_string(c.visualDim) + " --motion " +
           std::to_string(c.useMotion ? c.motionDim : 0) + " --batches " + join(o.batches) +
           " --train-batch " + std::to_string(o.trainBatch) + " --literal-max-batch " +
           std::to_string(o.literalMaxBatch) + " --min-seconds " + std::to_string(o.minSeconds) +
           " --min-repeats " + std::to_string(o.minRepeats) + " 2>&1";
}

// Runs the PyTorch reference bench script and collects its rows.
void pytorchBaseline(const BenchOptions& o, const torch::Device& d, BenchReport& r,
                     const std::function<void(const std::string&)>& onStep, double fraction) {
    namespace fs = std::filesystem;
    std::string script = o.pytorchScript;
    if (script.empty()) {
        const fs::path p = fs::path(AVVP_SOURCE_DIR) / "tools/pytorch_reference/bench_reference.py";
        if (fs::exists(p)) script = p.string();
    }
    if (o.python.empty()) {
        r.pytorch = PytorchBaseline::NotRequested;
        r.pytorchNote = "PyTorch baseline not requested";
        return;
    }
    if (script.empty() || !fs::exists(script)) {
        r.pytorch = PytorchBaseline::NoScript;
        r.pytorchNote = "PyTorch baseline skipped: bench_reference.py not found";
        return;
    }
    if (!fs::exists(o.python)) {
        r.pytorch = PytorchBaseline::NoPython;
        r.pytorchNote = "PyTorch baseline skipped: " + o.python + " not found";
        return;
    }
    const auto& c = o.model;
    const std::string cmd = referenceCommandLine(o, script, d, r.threads);
    if (onStep) onStep("PyTorch reference (" + o.python + ")");
    core::report(o.progress, fraction, "PyTorch reference");
    FILE* p = ::popen(cmd.c_str(), "r");
    if (!p) {
        r.pytorch = PytorchBaseline::NoPython;
        r.pytorchNote = "PyTorch baseline skipped: cannot start " + o.python;
        return;
    }
    r.pytorch = PytorchBaseline::Measured;
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
        r.pytorch = PytorchBaseline::Failed;
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
    const bool reference = o.model.variant == "valor" || o.model.variant == "link";

    // Progress counts measurements: a forward per batch and frontend, a train step per
    // frontend, the PyTorch baseline as one; cancelling stops before the next.
    const std::size_t frontends = clap ? 2 : 1;
    const double total = static_cast<double>(o.batches.size() * frontends + frontends +
                                             (reference && !o.python.empty() ? 1 : 0));
    int done = 0;
    auto start = [&](const std::string& stage) {
        core::throwIfCancelled(o.progress);
        if (onStep) onStep(stage);
        core::report(o.progress, done++ / total, stage);
    };

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
                ++done;
                continue;
            }
            start("forward " + row.frontend + " batch " + std::to_string(b));
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
            start(std::string("train step ") + (literal ? "literal" : "folded"));
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
    if (reference) {
        core::throwIfCancelled(o.progress);
        pytorchBaseline(o, d, r, onStep, done / total);
    } else {
        r.pytorch = PytorchBaseline::NoReference;
        r.pytorchNote = "no PyTorch reference for " + o.model.variant;
    }
    core::report(o.progress, 1.0, "done");
    return r;
}

ModelConfig benchConfig(const std::string& variant) {
    auto c = defaultConfig(variant);
    if (variant != "han") c.useMotion = true;  // CLAP tokens + CLIP + motion
    return c;
}

}  // namespace avvp::models
