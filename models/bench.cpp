// The benchmark (LibTorch): forward throughput and train-step time, with same-run
// baselines (literal CLAP frontend; the PyTorch reference model via Python).
#include "models/bench.h"

#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>

#include "core/progress.h"
#include "core/quote.h"
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

// The shell command that runs tools/pytorch_reference/bench_reference.py as a server
// (--serve) on the options' model and sizes. Its flags are that script's command line, not ours
// (check_layers.cmake exempts exactly this function from the no-CLI-text rule of models/).
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
           " --min-repeats " + std::to_string(o.minRepeats) + " --serve 2>&1";
}

// The PyTorch reference bench script as a server (bench_reference.py --serve): one JSON
// request per line on its stdin, one JSON row per line on its stdout. A socket pair rather
// than pipes, so that writing to a server that died fails (MSG_NOSIGNAL) instead of
// raising SIGPIPE.
class ReferenceServer {
  public:
    ReferenceServer() = default;
    ReferenceServer(const ReferenceServer&) = delete;
    ReferenceServer& operator=(const ReferenceServer&) = delete;
    ~ReferenceServer() { close(); }

    bool start(const std::string& command) {
        int fds[2];
        if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) return false;
        pid_ = ::fork();
        if (pid_ < 0) {
            ::close(fds[0]);
            ::close(fds[1]);
            return false;
        }
        if (pid_ == 0) {
            ::dup2(fds[1], 0);
            ::dup2(fds[1], 1);
            ::execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
            ::_exit(127);
        }
        ::close(fds[1]);
        fd_ = fds[0];
        return true;
    }

    bool send(const std::string& line) {
        const std::string data = line + "\n";
        std::size_t sent = 0;
        while (sent < data.size()) {
            const auto n = ::send(fd_, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) return false;
            sent += static_cast<std::size_t>(n);
        }
        return true;
    }

    // The next line (without its newline); nullopt at the end of the output.
    std::optional<std::string> readLine() {
        for (;;) {
            if (const auto nl = buffer_.find('\n'); nl != std::string::npos) {
                std::string line = buffer_.substr(0, nl);
                buffer_.erase(0, nl + 1);
                output_ += line + "\n";
                return line;
            }
            char chunk[4096];
            const auto n = fd_ < 0 ? 0 : ::read(fd_, chunk, sizeof chunk);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) {
                if (buffer_.empty()) return std::nullopt;
                std::string line;
                line.swap(buffer_);
                output_ += line + "\n";
                return line;
            }
            buffer_.append(chunk, static_cast<std::size_t>(n));
        }
    }

    // The next JSON object it prints (lines that are not, such as warnings, are skipped;
    // output() keeps them); nullopt when it ended first.
    std::optional<nlohmann::json> readJson() {
        while (auto line = readLine()) {
            try {
                auto j = nlohmann::json::parse(*line);
                if (j.is_object()) return j;
            } catch (const nlohmann::json::exception&) {
            }
        }
        return std::nullopt;
    }

    // Ends the server (end of its input, then its exit); its exit status.
    int close() {
        if (fd_ >= 0) {
            ::shutdown(fd_, SHUT_WR);
            while (readLine()) {
            }
            ::close(fd_);
            fd_ = -1;
        }
        if (pid_ <= 0) return status_;
        int status = 0;
        while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
        }
        pid_ = -1;
        status_ = status;
        return status_;
    }

    const std::string& output() const { return output_; }

    // What its first line said of torch.compile: whether it can be had, and if not why.
    bool compiles = false;
    std::string compileNote;

  private:
    pid_t pid_ = -1;
    int fd_ = -1;
    int status_ = 0;
    std::string buffer_, output_;
};

// The last non-empty line of a process's output, on one line.
std::string lastLine(std::string out) {
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
    const auto nl = out.find_last_of('\n');
    return core::oneLine(nl == std::string::npos ? out : out.substr(nl + 1));
}

// Starts the PyTorch reference server when the options ask for it and it can run: then
// the report says "Measured" and the server has printed its version line.
std::unique_ptr<ReferenceServer> startReference(
    const BenchOptions& o, const torch::Device& d, BenchReport& r,
    const std::function<void(const std::string&)>& onStep) {
    namespace fs = std::filesystem;
    std::string script = o.pytorchScript;
    if (script.empty()) {
        const fs::path p = fs::path(AVVP_SOURCE_DIR) / "tools/pytorch_reference/bench_reference.py";
        if (fs::exists(p)) script = p.string();
    }
    if (o.python.empty()) {
        r.pytorch = PytorchBaseline::NotRequested;
        r.pytorchNote = "PyTorch baseline not requested";
        return nullptr;
    }
    if (script.empty() || !fs::exists(script)) {
        r.pytorch = PytorchBaseline::NoScript;
        r.pytorchNote = "PyTorch baseline skipped: bench_reference.py not found";
        return nullptr;
    }
    if (!fs::exists(o.python)) {
        r.pytorch = PytorchBaseline::NoPython;
        r.pytorchNote = "PyTorch baseline skipped: " + o.python + " not found";
        return nullptr;
    }
    if (onStep) onStep("PyTorch reference (" + o.python + ")");
    auto server = std::make_unique<ReferenceServer>();
    if (!server->start(referenceCommandLine(o, script, d, r.threads))) {
        r.pytorch = PytorchBaseline::NoPython;
        r.pytorchNote = "PyTorch baseline skipped: cannot start " + o.python;
        return nullptr;
    }
    const auto hello = server->readJson();
    if (!hello || !hello->contains("torch")) {
        server->close();
        r.pytorch = PytorchBaseline::Failed;
        const auto& out = server->output();
        r.pytorchNote = "PyTorch baseline failed: " +
                        (out.find("No module named 'torch'") != std::string::npos
                             ? o.python + " has no torch (apt-get install python3-torch)"
                             : lastLine(out));
        return nullptr;
    }
    r.pytorch = PytorchBaseline::Measured;
    r.pytorchVersion = (*hello)["torch"].get<std::string>();
    server->compiles = hello->value("compile", false);
    server->compileNote =
        hello->value("compile_note", std::string("the reference offers no torch.compile"));
    return server;
}

double median(std::vector<double> v) {
    if (v.empty()) return 0.0;
    std::sort(v.begin(), v.end());
    const auto n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

void finishRow(BenchRow& row) {
    row.seconds = median(row.roundSeconds);
    row.videosPerSecond = row.seconds > 0 ? row.batch / row.seconds : 0.0;
}

// One measurement: what, frontend, batch.
struct Measurement {
    std::string what, frontend;
    int batch = 0;
    std::string stage() const {
        return what == "forward" ? "forward " + frontend + " batch " + std::to_string(batch)
                                 : "train step " + frontend;
    }
};

}  // namespace

PairedRatio pairedRatio(const BenchRow& ours, const BenchRow& theirs) {
    PairedRatio p;
    const auto n = ours.roundSeconds.size();
    if (n == 0 || n != theirs.roundSeconds.size()) return p;
    std::vector<double> ratios;
    for (std::size_t i = 0; i < n; ++i) {
        if (ours.roundSeconds[i] <= 0 || theirs.roundSeconds[i] <= 0) return p;
        ratios.push_back(theirs.roundSeconds[i] / ours.roundSeconds[i]);  // same batch
    }
    p.median = median(ratios);
    p.min = *std::min_element(ratios.begin(), ratios.end());
    p.max = *std::max_element(ratios.begin(), ratios.end());
    p.rounds = static_cast<int>(n);
    return p;
}

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
    const int rounds = std::max(1, o.rounds);

    // The measurements, in order: forward per batch and frontend, a train step per
    // frontend. The literal CLAP frontend is skipped on the CPU above literalMaxBatch
    // (forward and train step alike: it holds (B, 768, 2, 1024) floats).
    std::vector<Measurement> plan;
    std::vector<BenchRow> skipped;
    for (int b : o.batches)
        for (const bool literal : {false, true})
            if (!literal || clap) plan.push_back({"forward", literal ? "literal" : "folded", b});
    for (const bool literal : {false, true})
        if (!literal || clap)
            plan.push_back({"train_step", literal ? "literal" : "folded", o.trainBatch});
    std::vector<Measurement> measured;
    for (const auto& m : plan) {
        if (m.frontend == "literal" && !d.is_cuda() && m.batch > o.literalMaxBatch) {
            BenchRow row{o.model.variant, "avvp", m.what, m.frontend, m.batch, 0, 0, "", {}};
            row.note = "literal CLAP frontend skipped above batch " +
                       std::to_string(o.literalMaxBatch) + " on CPU";
            skipped.push_back(row);
        } else {
            measured.push_back(m);
        }
    }

    std::unique_ptr<ReferenceServer> server;
    if (reference) {
        core::throwIfCancelled(o.progress);
        server = startReference(o, d, r, onStep);
    } else {
        r.pytorch = PytorchBaseline::NoReference;
        r.pytorchNote = "no PyTorch reference for " + o.model.variant;
    }
    // The reference has the literal frontend for valor only.
    auto referenceHas = [&](const Measurement& m) {
        return server && (m.frontend == "folded" || o.model.variant == "valor");
    };

    // Progress counts measurement rounds of ours; cancelling stops before the next.
    const double total = static_cast<double>(measured.size() * static_cast<std::size_t>(rounds));
    int done = 0;
    auto startRound = [&](const std::string& stage) {
        core::throwIfCancelled(o.progress);
        if (onStep) onStep(stage);
        core::report(o.progress, done++ / total, stage);
    };
    // The compiled reference is measured while it is asked for, this torch has it and none
    // of its measurements has failed (compiledNote says why not).
    bool compiled = o.pytorchCompiled && server && server->compiles;
    if (o.pytorchCompiled && server && !compiled)
        r.compiledNote = "no torch.compile rows: " + server->compileNote;
    auto theirs = [&](const Measurement& m, BenchRow& row, int round, bool compiledRow) {
        if (!referenceHas(m) || r.pytorch != PytorchBaseline::Measured) return;
        if (compiledRow && !compiled) return;
        if (onStep && round == 0)
            onStep(std::string(compiledRow ? "pytorch compiled " : "pytorch ") + m.what + " " +
                   m.frontend + " batch " + std::to_string(m.batch));
        nlohmann::json request = {{"what", m.what}, {"frontend", m.frontend}, {"batch", m.batch}};
        if (compiledRow) request["compiled"] = true;
        std::optional<nlohmann::json> reply;
        if (server->send(request.dump())) reply = server->readJson();
        if (!reply || !reply->contains("seconds")) {
            server->close();
            r.pytorch = PytorchBaseline::Failed;
            r.pytorchNote = "PyTorch baseline failed: " + lastLine(server->output());
            return;
        }
        const auto seconds = reply->at("seconds").get<double>();
        const auto note = reply->value("note", std::string());
        if (compiledRow && seconds <= 0) {  // no torch.compile, or it failed here
            compiled = false;
            r.compiledNote = "torch.compile rows stopped at " + m.stage() + ": " + note;
            return;
        }
        row.roundSeconds.push_back(seconds);
        if (!note.empty()) row.note = note;
    };

    // One measurement, `rounds` times: ours, then the reference's (eager, then compiled),
    // in turn.
    std::vector<BenchRow> ours, refs;
    auto measure = [&](const Measurement& m, const std::function<void()>& fn) {
        BenchRow row{o.model.variant, "avvp", m.what, m.frontend, m.batch, 0, 0, "", {}};
        BenchRow ref{o.model.variant, "pytorch", m.what, m.frontend, m.batch, 0, 0, "", {}};
        BenchRow comp{
            o.model.variant, "pytorch-compiled", m.what, m.frontend, m.batch, 0, 0, "", {}};
        for (int k = 0; k < rounds; ++k) {
            startRound(m.stage());
            if (valor) valor->setLiteralClap(m.frontend == "literal");
            row.roundSeconds.push_back(bestTime(fn, d, o.minSeconds, o.minRepeats));
            if (valor) valor->setLiteralClap(false);
            theirs(m, ref, k, false);
            theirs(m, comp, k, true);
        }
        finishRow(row);
        ours.push_back(row);
        for (auto* x : {&ref, &comp})
            if (!x->roundSeconds.empty()) {
                finishRow(*x);
                refs.push_back(*x);
            }
    };
    {
        torch::NoGradGuard noGrad;
        folded->eval();
        NetInputs in;
        int inputBatch = -1;
        for (const auto& m : measured) {
            if (m.what != "forward") continue;
            if (m.batch != inputBatch) {
                in = randomInputs(o.model, m.batch, d);
                inputBatch = m.batch;
            }
            measure(m, [&] { folded->forward(in); });
        }
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
        auto step = [&] {
            opt.zero_grad();
            auto l = folded->loss(folded->forward(in), t);
            l.total.backward();
            torch::nn::utils::clip_grad_norm_(folded->parameters(), 1.0);
            opt.step();
        };
        for (const auto& m : measured) {
            if (m.what != "train_step") continue;
            measure(m, step);
        }
    }
    folded.reset();
    if (server) {
        const int status = server->close();
        if (r.pytorch == PytorchBaseline::Measured && status != 0) {
            r.pytorch = PytorchBaseline::Failed;
            r.pytorchNote = "PyTorch baseline failed: exit status " + std::to_string(status);
        }
    }
    // Rows in the plan's order: ours (measured or skipped), then the reference's.
    for (const auto& m : plan) {
        for (const auto* list : {&ours, &skipped})
            for (const auto& x : *list)
                if (x.what == m.what && x.frontend == m.frontend && x.batch == m.batch)
                    r.rows.push_back(x);
    }
    for (const auto& m : plan) {
        for (const auto& x : refs)
            if (x.what == m.what && x.frontend == m.frontend && x.batch == m.batch)
                r.rows.push_back(x);
        if (m.frontend == "literal" && !d.is_cuda() && m.batch > o.literalMaxBatch && server &&
            o.model.variant == "valor" && r.pytorch == PytorchBaseline::Measured) {
            BenchRow row{o.model.variant, "pytorch", m.what, m.frontend, m.batch, 0, 0, "", {}};
            row.note = "literal CLAP frontend skipped above batch " +
                       std::to_string(o.literalMaxBatch) + " on CPU";
            r.rows.push_back(row);
        }
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
