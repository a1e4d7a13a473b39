// Batching with background prefetch, training, prediction and inference to files (LibTorch).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <deque>
#include <fstream>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <thread>

#include "core/error.h"
#include "core/evaluation.h"
#include "core/llp_dataset.h"
#include "core/npy.h"
#include "core/output_file.h"
#include "models/link.h"
#include "models/model_impl.h"
#include "models/runtime.h"

namespace avvp::models {

namespace fs = std::filesystem;
using core::InputError;

namespace {
// Tensors of a training step or a batched forward pass are allocated and freed in the
// same sizes again and again. glibc returns such memory to the kernel as soon as the top
// of the heap is 2 x the mmap threshold free (dynamic thresholds), and every reuse then
// page-faults fresh pages (a tenth of the CPU time at batch 64 in a `perf` profile, and
// the output zeroing of most gradient products). Keep up to 512 MiB of freed heap and
// serve blocks up to 32 MiB (glibc's largest mmap threshold) from it instead.
void keepTensorMemory() {
#if defined(__GLIBC__)
    static std::once_flag once;
    std::call_once(once, [] {
        mallopt(M_MMAP_THRESHOLD, 32 << 20);
        mallopt(M_TRIM_THRESHOLD, 512 << 20);
    });
#endif
}
}  // namespace

void setCpuThreads(int threads) {
    if (threads <= 0) threads = static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
    at::set_num_threads(threads);
    keepTensorMemory();
}

namespace {

// ---- batches ------------------------------------------------------------------------

struct Batch {
    std::vector<std::size_t> index;  // dataset rows
    NetInputs in;
    Targets targets;
};

struct LoaderOptions {
    bool pin = false;
    // Training: the stored pseudo labels also go into the network's inputs (PLSIM). Never
    // at inference or validation, where the network uses its own label source.
    bool feedPseudo = false;
    const ZeroShotEmbeddings* zsAudio = nullptr;
    const ZeroShotEmbeddings* zsVisual = nullptr;
};

// Reads batches of a dataset in a background thread, a few batches ahead of the
// consumer (a bounded queue), so that file reading overlaps the model's work. Errors in
// the reader (a bad file) are re-thrown from next().
class BatchLoader {
  public:
    BatchLoader(const core::FeatureDataset& data, std::vector<std::size_t> order, int batch,
                const LoaderOptions& options, std::size_t ahead = 3)
        : data_(data),
          order_(std::move(order)),
          batch_(static_cast<std::size_t>(batch)),
          options_(options),
          ahead_(ahead) {
        thread_ = std::thread([this] { produce(); });
    }
    ~BatchLoader() {
        {
            std::lock_guard lock(mutex_);
            stop_ = true;
        }
        cv_.notify_all();
        thread_.join();
    }
    BatchLoader(const BatchLoader&) = delete;
    BatchLoader& operator=(const BatchLoader&) = delete;

    std::size_t batches() const { return (order_.size() + batch_ - 1) / batch_; }

    std::optional<Batch> next() {
        std::unique_lock lock(mutex_);
        cv_.wait(lock, [&] { return !queue_.empty() || finished_; });
        if (!queue_.empty()) {
            Batch b = std::move(queue_.front());
            queue_.pop_front();
            cv_.notify_all();
            return b;
        }
        if (error_) std::rethrow_exception(error_);
        return std::nullopt;
    }

  private:
    Batch load(std::size_t first) const {
        const auto& spec = data_.spec();
        Batch b;
        const std::size_t n = std::min(batch_, order_.size() - first);
        b.index.assign(order_.begin() + static_cast<std::ptrdiff_t>(first),
                       order_.begin() + static_cast<std::ptrdiff_t>(first + n));
        const auto B = static_cast<std::int64_t>(n);
        auto alloc = [&](std::int64_t r, std::int64_t d) { return torch::empty({B, r, d}); };
        b.in.audio = alloc(spec.audioShape.rows, spec.audioShape.dim);
        b.in.visual = alloc(spec.visualShape.rows, spec.visualShape.dim);
        if (spec.motion) b.in.motion = alloc(spec.motionShape.rows, spec.motionShape.dim);
        b.targets.weak = torch::zeros({B, core::kNumClasses});
        if (spec.pseudo) {
            b.targets.pseudoAudio = alloc(core::kLlpSegments, core::kNumClasses);
            b.targets.pseudoVisual = alloc(core::kLlpSegments, core::kNumClasses);
        }
        const auto* zsA = options_.zsAudio && options_.zsAudio->used() ? options_.zsAudio : nullptr;
        const auto* zsV =
            options_.zsVisual && options_.zsVisual->used() ? options_.zsVisual : nullptr;
        if (zsA) b.in.zsAudio = alloc(zsA->rows, zsA->dim);
        if (zsV) b.in.zsVisual = alloc(zsV->rows, zsV->dim);
        auto put = [](torch::Tensor& t, std::int64_t i, const std::vector<float>& v) {
            std::memcpy(t[i].data_ptr<float>(), v.data(), v.size() * sizeof(float));
        };
        for (std::int64_t i = 0; i < B; ++i) {
            const auto row = b.index[static_cast<std::size_t>(i)];
            const auto f = data_.load(row);
            put(b.in.audio, i, f.audio);
            put(b.in.visual, i, f.visual);
            if (spec.motion) put(b.in.motion, i, f.motion);
            if (spec.pseudo) {
                put(b.targets.pseudoAudio, i, f.pseudoAudio);
                put(b.targets.pseudoVisual, i, f.pseudoVisual);
            }
            if (zsA) put(b.in.zsAudio, i, zsA->load(data_.videos()[row]));
            if (zsV) put(b.in.zsVisual, i, zsV->load(data_.videos()[row]));
            const auto weak = data_.videos()[row].weak;
            auto w = b.targets.weak[i];
            for (int c = 0; c < core::kNumClasses; ++c)
                if (core::hasClass(weak, c)) w[c] = 1.0F;
        }
        if (options_.pin) {
            for (auto* t : {&b.in.audio, &b.in.visual, &b.in.motion, &b.in.zsAudio, &b.in.zsVisual,
                            &b.targets.weak, &b.targets.pseudoAudio, &b.targets.pseudoVisual})
                if (t->defined()) *t = t->pin_memory();
        }
        if (options_.feedPseudo) {
            b.in.pseudoAudio = b.targets.pseudoAudio;
            b.in.pseudoVisual = b.targets.pseudoVisual;
        }
        return b;
    }

    void produce() {
        try {
            for (std::size_t first = 0; first < order_.size(); first += batch_) {
                {
                    std::unique_lock lock(mutex_);
                    cv_.wait(lock, [&] { return stop_ || queue_.size() < ahead_; });
                    if (stop_) break;
                }
                Batch b = load(first);
                std::lock_guard lock(mutex_);
                queue_.push_back(std::move(b));
                cv_.notify_all();
            }
        } catch (...) {
            std::lock_guard lock(mutex_);
            error_ = std::current_exception();
        }
        std::lock_guard lock(mutex_);
        finished_ = true;
        cv_.notify_all();
    }

    const core::FeatureDataset& data_;
    std::vector<std::size_t> order_;
    std::size_t batch_;
    LoaderOptions options_;
    std::size_t ahead_;
    std::mutex mutex_;
    std::condition_variable cv_;
    std::deque<Batch> queue_;
    bool stop_ = false, finished_ = false;
    std::exception_ptr error_;
    std::thread thread_;
};

NetInputs toDevice(const NetInputs& in, const torch::Device& d) {
    NetInputs o;
    const bool async = d.is_cuda();
    auto mv = [&](const torch::Tensor& t) { return t.defined() ? t.to(d, async) : t; };
    o.audio = mv(in.audio);
    o.visual = mv(in.visual);
    o.motion = mv(in.motion);
    o.pseudoAudio = mv(in.pseudoAudio);
    o.pseudoVisual = mv(in.pseudoVisual);
    o.zsAudio = mv(in.zsAudio);
    o.zsVisual = mv(in.zsVisual);
    return o;
}

Targets toDevice(const Targets& t, const torch::Device& d) {
    const bool async = d.is_cuda();
    auto mv = [&](const torch::Tensor& x) { return x.defined() ? x.to(d, async) : x; };
    return {mv(t.weak), mv(t.pseudoAudio), mv(t.pseudoVisual)};
}

std::vector<std::size_t> iota(std::size_t n) {
    std::vector<std::size_t> v(n);
    for (std::size_t i = 0; i < n; ++i) v[i] = i;
    return v;
}

// Fisher-Yates with mt19937_64 (fully specified by the standard, so the order is the
// same everywhere for a seed and epoch).
std::vector<std::size_t> shuffled(std::size_t n, std::uint64_t seed, int epoch) {
    auto v = iota(n);
    std::mt19937_64 rng(seed * 0x9E3779B97F4A7C15ULL + static_cast<std::uint64_t>(epoch));
    for (std::size_t i = n; i > 1; --i) std::swap(v[i - 1], v[rng() % i]);
    return v;
}

struct EvalPass {
    core::PredictionSet predictions;
    std::map<std::string, double> loss;  // empty when the data has no pseudo labels
};

// Eval-mode pass over a dataset: probabilities (and the loss when labels allow).
// The network never gets the stored pseudo labels here (feedPseudo off): LINK's PLSIM uses
// its own label source; the labels serve only as the loss's targets.
EvalPass evalPass(Network& net, const torch::Device& device, const core::FeatureDataset& data,
                  int batch, bool withLoss, core::Progress* progress,
                  const ZeroShotFolders& zeroShot = {}) {
    torch::NoGradGuard g;
    net.eval();
    EvalPass r;
    withLoss = withLoss && data.spec().pseudo;
    const ZeroShotEmbeddings zsA(net.labelSource().audio ? zeroShot.audio : fs::path(),
                                 data.videos());
    const ZeroShotEmbeddings zsV(net.labelSource().visual ? zeroShot.visual : fs::path(),
                                 data.videos());
    LoaderOptions lo;
    lo.pin = device.is_cuda();
    lo.zsAudio = &zsA;
    lo.zsVisual = &zsV;
    BatchLoader loader(data, iota(data.size()), batch, lo);
    std::size_t done = 0;
    std::map<std::string, double> sums;
    while (auto b = loader.next()) {
        if (core::cancelled(progress)) break;
        auto out = net.forward(toDevice(b->in, device));
        if (withLoss) {
            auto l = net.loss(out, toDevice(b->targets, device));
            const auto n = static_cast<double>(b->index.size());
            sums["total"] += l.total.item<double>() * n;
            for (const auto& [k, t] : l.terms) sums[k] += t.item<double>() * n;
        }
        // One host copy per batch: no per-video round trips. global_prob, the MMIL head's
        // attention-weighted sum over time and modality, can exceed 1 (up to 2; the loss
        // clamps it too); clamping changes no decision at a threshold below 1. NaN stays NaN
        // (and is refused by PredictionSet). ui::segmentProbabilities does the same.
        auto frame = out.at("frame_prob").to(torch::kCPU, torch::kFloat32).contiguous();
        auto global =
            out.at("global_prob").clamp(0.0, 1.0).to(torch::kCPU, torch::kFloat32).contiguous();
        const auto fs = frame[0].numel(), gs = global[0].numel();
        for (std::size_t i = 0; i < b->index.size(); ++i) {
            const float* f = frame.data_ptr<float>() + static_cast<std::int64_t>(i) * fs;
            const float* gl = global.data_ptr<float>() + static_cast<std::int64_t>(i) * gs;
            r.predictions.add(data.videos()[b->index[i]].filename, {f, f + fs}, {gl, gl + gs});
        }
        done += b->index.size();
        core::report(progress, static_cast<double>(done) / static_cast<double>(data.size()),
                     "video " + std::to_string(done) + " of " + std::to_string(data.size()));
    }
    for (const auto& [k, v] : sums)
        r.loss[k] = v / static_cast<double>(std::max<std::size_t>(1, done));
    return r;
}

// ---- optimizer and its state (for resuming) ------------------------------------------

// AdamW (VALOR++, LINK, LEAP) or Adam (HAN), with the learning rate set once per epoch.
class Optimizer {
  public:
    Optimizer(const TrainOptions& o, std::vector<torch::Tensor> params)
        : adam_(o.optimizer == "adam") {
        if (adam_)
            opt_ = std::make_unique<torch::optim::Adam>(params, torch::optim::AdamOptions(o.lrMax)
                                                                    .betas({o.beta1, o.beta2})
                                                                    .eps(o.eps)
                                                                    .weight_decay(o.weightDecay));
        else
            opt_ = std::make_unique<torch::optim::AdamW>(params, torch::optim::AdamWOptions(o.lrMax)
                                                                     .betas({o.beta1, o.beta2})
                                                                     .eps(o.eps)
                                                                     .weight_decay(o.weightDecay));
    }
    torch::optim::Optimizer& get() { return *opt_; }
    void setLr(double lr) {
        for (auto& group : opt_->param_groups()) {
            if (adam_)
                static_cast<torch::optim::AdamOptions&>(group.options()).lr(lr);
            else
                static_cast<torch::optim::AdamWOptions&>(group.options()).lr(lr);
        }
    }

    std::map<std::string, torch::Tensor> state(Network& net) {
        return adam_ ? stateOf<torch::optim::AdamParamState>(net)
                     : stateOf<torch::optim::AdamWParamState>(net);
    }
    void restore(Network& net, const std::map<std::string, torch::Tensor>& saved,
                 const torch::Device& d, const std::string& file) {
        if (adam_)
            restoreAs<torch::optim::AdamParamState>(net, saved, d, file);
        else
            restoreAs<torch::optim::AdamWParamState>(net, saved, d, file);
    }

  private:
    template <typename State>
    std::map<std::string, torch::Tensor> stateOf(Network& net) {
        std::map<std::string, torch::Tensor> out;
        auto& state = opt_->state();
        for (const auto& p : net.named_parameters()) {
            auto it = state.find(c10::guts::to_string(p.value().unsafeGetTensorImpl()));
            if (it == state.end()) continue;
            auto& s = static_cast<State&>(*it->second);
            out[p.key() + ".exp_avg"] = s.exp_avg();
            out[p.key() + ".exp_avg_sq"] = s.exp_avg_sq();
            out[p.key() + ".step"] = torch::tensor(static_cast<double>(s.step()));
        }
        return out;
    }

    template <typename State>
    void restoreAs(Network& net, const std::map<std::string, torch::Tensor>& saved,
                   const torch::Device& d, const std::string& file) {
        for (const auto& p : net.named_parameters()) {
            auto a = saved.find(p.key() + ".exp_avg");
            auto b = saved.find(p.key() + ".exp_avg_sq");
            auto s = saved.find(p.key() + ".step");
            // Parameters that never had a gradient (unused by this configuration) have no state.
            if (a == saved.end() && b == saved.end() && s == saved.end()) continue;
            if (a == saved.end() || b == saved.end() || s == saved.end())
                throw InputError(file, 0, "optimizer state for " + p.key() + " is incomplete");
            if (a->second.sizes() != p.value().sizes() || b->second.sizes() != p.value().sizes())
                throw InputError(file, 0,
                                 "optimizer state for " + p.key() + " has the wrong shape");
            auto st = std::make_unique<State>();
            st->step(static_cast<std::int64_t>(s->second.item<double>()));
            st->exp_avg(a->second.to(d).clone());
            st->exp_avg_sq(b->second.to(d).clone());
            opt_->state()[c10::guts::to_string(p.value().unsafeGetTensorImpl())] = std::move(st);
        }
    }

    bool adam_;
    std::unique_ptr<torch::optim::Optimizer> opt_;
};

nlohmann::json scoresJson(const core::LevelScores& s) {
    nlohmann::json j;
    for (int m = 0; m < core::kNumMetrics; ++m) {
        j[std::string("seg_") + core::kMetricNames[static_cast<std::size_t>(m)]] =
            s.segment[static_cast<std::size_t>(m)];
        j[std::string("evt_") + core::kMetricNames[static_cast<std::size_t>(m)]] =
            s.event[static_cast<std::size_t>(m)];
    }
    return j;
}

}  // namespace

double learningRate(const TrainOptions& o, int epoch) {
    if (o.schedule == "step")
        return o.lrMax * std::pow(o.stepGamma, (epoch - 1) / std::max(1, o.stepEvery));
    return warmupCosineLr(epoch, o.epochs, o.warmupEpochs, o.lrMax, o.lrMin);
}

core::PredictionSet predict(const Model& model, const core::FeatureDataset& data, int batch,
                            core::Progress* progress, const ZeroShotFolders& zeroShot) {
    checkFeatures(model.config(), data.spec(), data.root().string());
    auto& m = model.impl();
    return evalPass(*m.net, m.device, data, batch, false, progress, zeroShot).predictions;
}

// ---- training ------------------------------------------------------------------------------

TrainResult train(const TrainOptions& o) {
    if (o.epochs < 1)
        throw InputError("epochs", 0, "must be at least 1, not " + std::to_string(o.epochs));
    if (o.batch < 1)
        throw InputError("batch", 0, "must be at least 1, not " + std::to_string(o.batch));
    if (o.optimizer != "adamw" && o.optimizer != "adam")
        throw InputError("optimizer", 0, "must be adamw or adam, not '" + o.optimizer + "'");
    if (o.schedule != "warmup-cosine" && o.schedule != "step")
        throw InputError("schedule", 0, "must be warmup-cosine or step, not '" + o.schedule + "'");
    const auto trainSplit = core::readWeakLabels(o.labels / core::LlpFileNames::train);
    const auto valSplit = core::readWeakLabels(o.labels / core::LlpFileNames::val);
    const auto gtA = core::readDenseLabels(o.labels / core::LlpFileNames::audio);
    const auto gtV = core::readDenseLabels(o.labels / core::LlpFileNames::visual);
    const auto valVideos = core::videoNames(valSplit);
    if (valVideos.empty()) throw InputError(valSplit.path, 0, "holds no videos to validate on");

    const core::FeatureDataset trainData(o.features, core::featureVideos(trainSplit),
                                         {o.motion, core::StreamUse::Required});
    const fs::path lastPath = o.out / "last.ckpt", bestPath = o.out / "best.ckpt";
    const fs::path historyPath = o.out / "history.jsonl";
    const torch::Device device(resolveDevice(o.device));

    ModelConfig config = o.model;
    int startEpoch = 1, bestEpoch = 0;
    double bestScore = -1.0;
    LoadedCheckpoint resumed;
    if (o.resume) {
        LoadOptions lo;
        lo.format = CheckpointFormat::Native;
        lo.device = o.device;
        resumed = readCheckpoint(lastPath, lo);
        config = resumed.config;
        if (resumed.training.json.empty())
            throw InputError(lastPath.string(), 0, "holds no training state to resume from");
        const auto st = nlohmann::json::parse(resumed.training.json);
        startEpoch = st.at("epoch").get<int>() + 1;
        bestEpoch = st.at("best_epoch").get<int>();
        bestScore = st.at("best_score").get<double>();
        if (startEpoch > o.epochs)
            throw InputError(lastPath.string(), 0,
                             "already trained " + std::to_string(startEpoch - 1) +
                                 " epochs; resuming it needs more epochs than that");
        checkFeatures(config, trainData.spec(), o.features.string());
    } else {
        if (fs::exists(lastPath))
            throw InputError(
                o.out.string(), 0,
                "already holds a training run (last.ckpt); resume it or choose a new output "
                "folder");
        adoptFeatures(config, trainData.spec());
        try {
            adoptClassEmbeddings(config, o.classEmbeddings);
        } catch (const std::invalid_argument& e) {
            throw InputError("class embeddings", 0, e.what());
        }
    }
    config.provenance.features = o.features.string();
    config.provenance.labels = o.labels.string();
    config.provenance.seed = o.seed;
    std::error_code ec;
    fs::create_directories(o.out, ec);
    if (ec) throw InputError(o.out.string(), 0, "cannot create: " + ec.message());

    // The validation loss reads the val videos' pseudo labels. When none of them has any
    // (pseudo labels made for the training split only, as `avvp pseudo-labels` does by
    // default), validation goes on without the loss; some present and some missing is an
    // error that names the first missing file.
    const core::FeatureDataset valData(
        o.features, core::featureVideos(valSplit),
        {config.useMotion ? core::StreamUse::Required : core::StreamUse::Off,
         core::StreamUse::AnyVideo});
    checkFeatures(config, valData.spec(), o.features.string());

    // LINK validated with its own labels (no zero-shot source) feeds PLSIM, for half of the
    // videos, the labels that path gives it at inference: with the stored pseudo labels
    // alone (model.md 3.3) the self-label path collapses (docs/models.md, reproduce).
    if (!o.resume && config.variant == "link" && switchOn(config, "plsim") &&
        !config.params.count("plsim_self_mix") && !o.valLabels.audio && !o.valLabels.visual)
        config.params["plsim_self_mix"] = 0.5;
    torch::manual_seed(o.seed);
    std::shared_ptr<Network> net;
    try {
        net = makeNetwork(config);
    } catch (const std::invalid_argument& e) {
        throw InputError("model config", 0, e.what());
    }
    if (o.resume)
        loadWeights(*net, resumed.weights, lastPath.string());
    else
        net->setClassEmbeddings(o.classEmbeddings);
    net->setLabelSource(o.valLabels);
    net->to(device);
    Optimizer opt(o, net->parameters());
    if (o.resume) opt.restore(*net, resumed.training.optimizer, device, lastPath.string());

    TrainResult result;
    result.best = bestPath;
    result.last = lastPath;
    for (int epoch = startEpoch; epoch <= o.epochs; ++epoch) {
        const auto t0 = std::chrono::steady_clock::now();
        const double lr = learningRate(o, epoch);
        opt.setLr(lr);
        // Dropout and order depend only on (seed, epoch): a resumed run repeats them.
        torch::manual_seed(o.seed * 1000003ULL + static_cast<std::uint64_t>(epoch));
        net->train();
        LoaderOptions lo;
        lo.pin = device.is_cuda();
        lo.feedPseudo = true;  // PLSIM's labels at training time: the stored pseudo labels
        BatchLoader loader(trainData, shuffled(trainData.size(), o.seed, epoch), o.batch, lo);
        std::map<std::string, double> sums;
        std::size_t seen = 0;
        bool cancelled = false;
        while (auto b = loader.next()) {
            if (core::cancelled(o.progress)) {
                cancelled = true;
                break;
            }
            opt.get().zero_grad();
            auto out = net->forward(toDevice(b->in, device));
            auto l = net->loss(out, toDevice(b->targets, device));
            l.total.backward();
            if (o.clipNorm > 0) torch::nn::utils::clip_grad_norm_(net->parameters(), o.clipNorm);
            opt.get().step();
            const auto n = static_cast<double>(b->index.size());
            sums["total"] += l.total.item<double>() * n;
            for (const auto& [k, t] : l.terms) sums[k] += t.item<double>() * n;
            seen += b->index.size();
            core::report(
                o.progress,
                (epoch - 1 + static_cast<double>(seen) / static_cast<double>(trainData.size())) /
                    o.epochs,
                "epoch " + std::to_string(epoch) + "/" + std::to_string(o.epochs));
        }
        if (cancelled) {
            result.cancelled = true;
            break;
        }
        EpochReport rep;
        rep.epoch = epoch;
        rep.epochs = o.epochs;
        rep.lr = lr;
        for (const auto& [k, v] : sums) rep.trainLoss[k] = v / static_cast<double>(seen);
        rep.scalars = net->scalars();
        // Validation: cancellable, reported as the end of the epoch.
        std::optional<core::ProgressRange> valProgress;
        if (o.progress)
            valProgress.emplace(
                *o.progress, static_cast<double>(epoch) / o.epochs,
                static_cast<double>(epoch) / o.epochs,
                "epoch " + std::to_string(epoch) + "/" + std::to_string(o.epochs) + " validation");
        auto val = evalPass(*net, device, valData, o.batch, true,
                            valProgress ? &*valProgress : nullptr, o.valZeroShot);
        if (core::cancelled(o.progress)) {
            result.cancelled = true;
            break;
        }
        rep.valLoss = val.loss;
        const auto grids =
            core::gridsFromPredictions(valVideos, val.predictions, gtA.rows, gtV.rows);
        rep.val = core::evaluate(valVideos, grids).dataset;
        const double score = rep.val.segment[core::kTypeAv];
        rep.best = score > bestScore;  // strictly better: the first best wins
        auto& prov = net->mutableConfig().provenance;
        prov.epochs = epoch;
        if (rep.best) {
            bestScore = score;
            bestEpoch = epoch;
            prov.bestEpoch = epoch;
            prov.bestScore = score;
            writeCheckpoint(bestPath, *net);
        }
        rep.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

        nlohmann::json h = {{"epoch", epoch},
                            {"lr", lr},
                            {"train_loss", rep.trainLoss},
                            {"val_loss", rep.valLoss},
                            {"val", scoresJson(rep.val)},
                            {"best", rep.best},
                            {"seconds", rep.seconds}};
        if (!rep.scalars.empty()) h["scalars"] = rep.scalars;
        TrainingState state;
        state.json = nlohmann::json{
            {"epoch", epoch},
            {"best_epoch", bestEpoch},
            {"best_score", bestScore},
            {"seed",
             o.seed}}.dump();
        state.optimizer = opt.state(*net);
        prov.bestEpoch = bestEpoch;
        prov.bestScore = bestScore;
        writeCheckpoint(lastPath, *net, &state);
        {
            std::ofstream hist(historyPath, std::ios::app);
            hist << h.dump() << '\n';
            if (!hist) throw InputError(historyPath.string(), 0, "write failed");
        }
        ++result.epochsRun;
        result.lastEpoch = epoch;
        if (o.onEpoch) o.onEpoch(rep);
    }
    result.bestEpoch = bestEpoch;
    result.bestScore = bestScore;
    return result;
}

// ---- inference to files -------------------------------------------------------------------

InferResult infer(const InferOptions& o) {
    const auto split = core::readWeakLabels(o.split);
    // A PyTorch state_dict does not say which feature kinds it was trained on: the data do.
    LoadOptions lo = o.load;
    {
        const core::FeatureDataset peek(o.features, core::featureVideos(split),
                                        {core::StreamUse::Auto, core::StreamUse::Off});
        if (!lo.audioFeature) lo.audioFeature = std::string(core::featureName(peek.spec().audio));
        if (!lo.visualFeature)
            lo.visualFeature = std::string(core::featureName(peek.spec().visual));
    }
    Model model = Model::load(o.checkpoint, lo);
    try {
        model.setLabelSource(o.labels);
    } catch (const std::invalid_argument& e) {
        throw InputError("label source", 0, e.what());
    }
    const auto& c = model.config();
    // Only the features: the pseudo-label folders are never opened (StreamUse::Off), and the
    // split's weak labels never reach the network.
    const core::FeatureDataset data(
        o.features, core::featureVideos(split),
        {c.useMotion ? core::StreamUse::Required : core::StreamUse::Off, core::StreamUse::Off});
    const auto preds = predict(model, data, o.batch, o.progress, o.zeroShot);
    if (core::cancelled(o.progress)) return {};
    std::error_code ec;
    fs::create_directories(o.out, ec);
    if (ec) throw InputError(o.out.string(), 0, "cannot create: " + ec.message());
    InferResult r;
    r.videos = preds.size();
    const auto pa = o.out / "pred_audio.csv", pv = o.out / "pred_visual.csv";
    core::writeDenseLabels(pa, preds.rows(core::Modality::Audio, o.thresholds));
    core::writeDenseLabels(pv, preds.rows(core::Modality::Visual, o.thresholds));
    const auto N = static_cast<std::int64_t>(preds.size());
    const std::int64_t T = core::kLlpSegments, C = core::kNumClasses;
    std::vector<float> frame(static_cast<std::size_t>(N * T * 2 * C)),
        global(static_cast<std::size_t>(N * C));
    for (std::int64_t v = 0; v < N; ++v)
        for (int t = 0; t < T; ++t)
            for (int m = 0; m < 2; ++m)
                for (int k = 0; k < C; ++k)
                    frame[static_cast<std::size_t>(v) * core::frameSize(T) +
                          core::frameIndex(t, static_cast<core::Modality>(m), k)] =
                        preds.frameProb(static_cast<std::size_t>(v), t,
                                        static_cast<core::Modality>(m), k);
    for (std::int64_t v = 0; v < N; ++v)
        for (int k = 0; k < C; ++k)
            global[static_cast<std::size_t>(v * C + k)] =
                preds.globalProb(static_cast<std::size_t>(v), k);
    core::writeNpy(o.out / "frame_prob.npy", frame, {N, T, 2, C});
    core::writeNpy(o.out / "global_prob.npy", global, {N, C});
    core::writeFileWith(o.out / "videos.txt", [&](std::ostream& ids) {
        for (const auto& v : preds.videos()) ids << v << '\n';
    });
    r.files = {pa, pv, o.out / "frame_prob.npy", o.out / "global_prob.npy", o.out / "videos.txt"};
    return r;
}

}  // namespace avvp::models
