#include "app/workspace/model_runs.h"

#include <QDateTime>
#include <algorithm>
#include <cmath>
#include <sstream>

#include "app/workspace/jobs.h"
#include "core/error.h"
#include "core/feature_dataset.h"
#include "core/store/store.h"

namespace avvp::workspace {

namespace fs = std::filesystem;

SharedModel loadModel(const fs::path& checkpoint, const std::string& device) {
    models::LoadOptions o;
    o.device = device;
    return std::make_shared<const models::Model>(models::Model::load(checkpoint, o));
}

std::string describeModel(const models::Model& model) {
    const auto& c = model.config();
    std::ostringstream s;
    s << "variant " << c.variant << "  hidden " << c.hidden << "  layers " << c.layers << "  heads "
      << c.heads << "  ff " << c.ff << "  norm " << c.norm << "\n";
    s << "inputs: audio " << c.audioFeature << " (" << c.audioRows << ", " << c.audioDim
      << ")  visual " << c.visualFeature << " (" << c.visualRows << ", " << c.visualDim << ")";
    if (c.useMotion) s << "  motion (10, " << c.motionDim << ")";
    s << "\n";
    if (!c.switches.empty()) {
        s << "switches:";
        for (const auto& [k, v] : c.switches) s << ' ' << k << (v ? "=on" : "=off");
        s << "\n";
    }
    s << model.parameterCount() << " parameters, on " << model.device() << "\n";
    const auto& p = c.provenance;
    if (!p.importedFrom.empty()) s << "imported from " << p.importedFrom << "\n";
    if (p.epochs > 0)
        s << "trained " << p.epochs << " epochs (seed " << p.seed << "); these weights: epoch "
          << p.bestEpoch << ", val segment Type@AV " << p.bestScore << " %\n";
    if (!p.features.empty()) s << "features: " << p.features << "\n";
    if (!p.labels.empty()) s << "labels: " << p.labels << "\n";
    return s.str();
}

namespace {

// Appends `from` to `into` along the batch dimension.
void appendBatch(models::Array& into, models::Array&& from) {
    if (into.shape.empty()) {
        into = std::move(from);
        return;
    }
    into.shape[0] += from.shape[0];
    into.data.insert(into.data.end(), from.data.begin(), from.data.end());
}

void appendBatch(models::Inputs& into, models::Inputs&& from) {
    appendBatch(into.audio, std::move(from.audio));
    appendBatch(into.visual, std::move(from.visual));
    if (from.motion) {
        if (!into.motion) into.motion = models::Array{};
        appendBatch(*into.motion, std::move(*from.motion));
    }
}

// A part of a run's range whose stage is the run's own ("12 of 40 videos"), not the one
// of the part's work; it shares the run's cancellation.
class CountedPart final : public core::Progress {
  public:
    CountedPart(core::Progress& parent, double from, double to, std::string stage)
        : core::Progress(parent), parent_(parent), from_(from), to_(to), stage_(std::move(stage)) {}
    void report(double fraction, std::string_view) override {
        parent_.report(from_ + std::clamp(fraction, 0.0, 1.0) * (to_ - from_), stage_);
    }

  private:
    core::Progress& parent_;
    double from_, to_;
    std::string stage_;
};

std::string shapeText(const std::vector<std::int64_t>& shape) {
    std::string s = "(";
    for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
    return s + ")";
}

}  // namespace

models::WindowedVideo videoWindows(const store::Store& store, store::VideoId id,
                                   const models::ModelConfig& c) {
    const auto video = store.video(id);
    if (!video) throw core::InputError(store.path().string(), 0, "no such video");
    const auto features = store.features(id);
    models::WindowedVideo out;
    out.name = video->filename;
    // The windows of a kind: a record of shape {W, rows, dim} is W files named from the
    // window-0 file (core/features.h); {rows, dim} is one file.
    int windows = -1;
    auto files = [&](const char* kind) {
        const auto it = std::find_if(features.begin(), features.end(),
                                     [&](const store::Feature& f) { return f.kind == kind; });
        if (it == features.end())
            throw core::InputError(
                video->filename, 0,
                std::string("no ") + kind + " features recorded (import a feature folder)");
        std::vector<fs::path> paths;
        if (it->shape.size() == 3) {
            const auto w = it->shape[0];
            if (w < 1 || w > 1'000'000)
                throw core::InputError(it->path, 0,
                                       std::string(kind) + " features recorded with shape " +
                                           shapeText(it->shape) + ": no window count");
            for (int k = 0; k < static_cast<int>(w); ++k) {
                try {
                    paths.emplace_back(k == 0 ? it->path : core::featureWindowPath(it->path, k));
                } catch (const std::invalid_argument& e) {
                    throw core::InputError(it->path, 0, e.what());
                }
            }
        } else {
            paths.emplace_back(it->path);
        }
        const int n = static_cast<int>(paths.size());
        if (windows >= 0 && n != windows)
            throw core::InputError(video->filename, 0,
                                   std::string(kind) + " features have " + std::to_string(n) +
                                       " window(s), the other streams " + std::to_string(windows));
        windows = n;
        return paths;
    };
    out.audio = files(core::FeatureFolders::audio);
    out.visual = files(core::FeatureFolders::visual);
    if (c.useMotion) out.motion = files(core::FeatureFolders::motion);
    // The run covers the video's segments; without a known duration, every window.
    out.segments = video->durationMs > 0 ? video->segments() : windows * core::kWindowSegments;
    if (core::windowCount(out.segments) != windows)
        throw core::InputError(
            video->filename, 0,
            "its features have " + std::to_string(windows) + " window(s) of 10 s, its " +
                std::to_string(out.segments) + " segments need " +
                std::to_string(core::windowCount(out.segments)) + " (extract its features again)");
    return out;
}

models::Inputs videoInputs(const store::Store& store, store::VideoId id,
                           const models::ModelConfig& c) {
    const auto windows = videoWindows(store, id, c);
    models::Inputs in;
    for (int w = 0; w < core::windowCount(windows.segments); ++w)
        appendBatch(in, models::windowInputs(c, windows, w));
    return in;
}

models::Outputs forwardVideo(const models::Model& model, const store::Store& store,
                             store::VideoId video) {
    return model.forward(videoInputs(store, video, model.config()));
}

std::string modelName(const models::ModelConfig& config, const fs::path& checkpoint) {
    return config.variant + " " + checkpoint.filename().string() + " (" +
           checkpoint.parent_path().filename().string() + ")";
}

std::string defaultRunName(const models::ModelConfig& config, const fs::path& checkpoint,
                           const std::string& when) {
    return modelName(config, checkpoint) + ", " + when;
}

std::vector<store::SegmentProbabilities> segmentProbabilities(
    const models::Array& frameProb, const models::Array& globalProb,
    const std::vector<store::VideoId>& videos) {
    const auto T = static_cast<std::size_t>(core::kLlpSegments);
    const auto C = static_cast<std::size_t>(core::kNumClasses);
    const std::size_t perFrame = core::frameSize(core::kLlpSegments);
    if (frameProb.data.size() != videos.size() * perFrame ||
        globalProb.data.size() != videos.size() * C)
        throw std::runtime_error("unexpected output shapes for " + std::to_string(videos.size()) +
                                 " videos: frame_prob " + frameProb.shapeString() +
                                 ", global_prob " + globalProb.shapeString());
    std::vector<store::SegmentProbabilities> out(videos.size());
    for (std::size_t b = 0; b < videos.size(); ++b) {
        auto& p = out[b];
        p.video = videos[b];
        p.segments = static_cast<int>(T);
        const auto f = frameProb.data.begin() + static_cast<std::ptrdiff_t>(b * perFrame);
        p.frame.assign(f, f + static_cast<std::ptrdiff_t>(perFrame));
        const auto g = globalProb.data.begin() + static_cast<std::ptrdiff_t>(b * C);
        p.global.assign(g, g + static_cast<std::ptrdiff_t>(C));
        for (float& x : p.global)
            if (!std::isnan(x)) x = std::clamp(x, 0.0F, 1.0F);
    }
    return out;
}

const std::vector<std::string>& researchOutputNames() {
    // frame_prob and global_prob are not here: the run stores them as its probabilities.
    static const std::vector<std::string> names = {
        "frame_att",          "av_att",    "tsam_w_a",   "tsam_w_v",  "tsam_s_a",
        "tsam_s_v",           "cmim_a_av", "cmim_a_va",  "sloss_c",   "sloss_lambda",
        "sloss_lambda_curve", "sloss_mu",  "leap_att_a", "leap_att_v"};
    return names;
}

std::vector<store::OutputArray> videoOutputs(const models::Outputs& batch, std::size_t b,
                                             std::size_t batchSize) {
    std::vector<store::OutputArray> out;
    for (const auto& name : researchOutputNames()) {
        const auto it = batch.find(name);
        if (it == batch.end()) continue;
        const auto& a = it->second;
        store::OutputArray o;
        o.name = name;
        if (!a.shape.empty() && a.shape[0] == static_cast<std::int64_t>(batchSize) &&
            batchSize > 0) {
            const auto per = a.data.size() / batchSize;
            o.shape = a.shape;
            o.shape[0] = 1;
            const auto from = a.data.begin() + static_cast<std::ptrdiff_t>(b * per);
            o.data.assign(from, from + static_cast<std::ptrdiff_t>(per));
        } else {
            o.shape = a.shape;  // per model, not per video (sloss_mu)
            o.data = a.data;
        }
        out.push_back(std::move(o));
    }
    return out;
}

store::SegmentProbabilities segmentProbabilities(const models::WindowedPrediction& p,
                                                 store::VideoId video) {
    store::SegmentProbabilities out;
    out.video = video;
    out.segments = p.segments;
    out.frame = p.frame;
    out.global = p.global;  // clamped by predictWindowed
    return out;
}

std::vector<store::OutputArray> videoOutputs(const models::WindowedPrediction& p) {
    std::vector<store::OutputArray> out;
    for (const auto& name : researchOutputNames()) {
        const auto it = p.outputs.find(name);
        if (it == p.outputs.end()) continue;
        out.push_back({name, it->second.shape, it->second.data});
    }
    return out;
}

std::optional<models::Outputs> runOutputs(const store::Store& store, store::RunId run,
                                          store::VideoId video) {
    const auto stored = store.runOutputs(run, video);
    if (stored.empty()) return std::nullopt;
    models::Outputs out;
    for (const auto& o : stored) out[o.name] = models::Array{o.shape, o.data};
    if (const auto p = store.probabilities(run, video)) {
        out["frame_prob"] = models::Array{{1, p->segments, 2, core::kNumClasses}, p->frame};
        const auto windows = static_cast<std::int64_t>(p->global.size()) / core::kNumClasses;
        out["global_prob"] = models::Array{{windows, core::kNumClasses}, p->global};
    }
    return out;
}

RunSummary runModel(const RunRequest& request, core::Progress& progress) {
    if (!request.model) throw std::invalid_argument("no model loaded");
    const auto& model = *request.model;
    const auto& cfg = model.config();
    store::Store::Options so;
    so.annotator = request.annotator;
    so.create = false;
    auto store = store::Store::open(request.store, so);
    std::vector<store::VideoId> ids = request.videos;
    if (ids.empty()) {
        store::VideoFilter f;
        f.split = request.split;
        for (const auto& v : store->videos(f)) ids.push_back(v.video.id);
    }
    RunSummary out;
    // A video without usable features is skipped (and listed), not fatal.
    std::vector<models::WindowedVideo> videos;
    std::vector<store::VideoId> predicted;
    for (const auto id : ids) {
        try {
            videos.push_back(videoWindows(*store, id, cfg));
            predicted.push_back(id);
        } catch (const std::exception& e) {
            out.skipped.push_back(e.what());
        }
    }
    // The videos in chunks of about one batch of windows, so that the progress counts
    // videos ("12 of 40 videos") and the time left follows each forward pass.
    const std::size_t n = videos.size();
    const auto counted = [n](std::size_t done) {
        return std::to_string(done) + " of " + std::to_string(n) + " videos";
    };
    std::size_t totalWindows = 0;
    for (const auto& v : videos) totalWindows += static_cast<std::size_t>(v.audio.size());
    const double windowsTotal = static_cast<double>(std::max<std::size_t>(totalWindows, 1));
    progress.step(0.0, counted(0));
    models::WindowedRunOptions wo;
    wo.batch = request.batch;
    if (request.storeOutputs) wo.keep = researchOutputNames();
    const auto batch = static_cast<std::size_t>(std::max(request.batch, 1));
    std::vector<store::SegmentProbabilities> probs;
    std::vector<std::pair<store::VideoId, std::vector<store::OutputArray>>> outputs;
    std::size_t windowsDone = 0;
    for (std::size_t from = 0; from < n;) {
        std::size_t to = from, windows = 0;
        while (to < n && (to == from || windows < batch))
            windows += static_cast<std::size_t>(videos[to++].audio.size());
        const std::vector<models::WindowedVideo> chunk(
            videos.begin() + static_cast<std::ptrdiff_t>(from),
            videos.begin() + static_cast<std::ptrdiff_t>(to));
        // Its windows' part of the range; the stage stays the count of the run's videos.
        CountedPart part(progress, 0.95 * static_cast<double>(windowsDone) / windowsTotal,
                         0.95 * static_cast<double>(windowsDone + windows) / windowsTotal,
                         counted(from));
        wo.progress = &part;
        auto result = models::predictWindowed(model, chunk, wo);
        out.skipped.insert(out.skipped.end(), result.skipped.begin(), result.skipped.end());
        for (std::size_t i = 0; i < chunk.size(); ++i) {
            const auto& p = result.videos[i];
            if (!p) continue;
            probs.push_back(segmentProbabilities(*p, predicted[from + i]));
            if (request.storeOutputs) outputs.emplace_back(predicted[from + i], videoOutputs(*p));
        }
        windowsDone += windows;
        from = to;
        progress.step(0.95 * static_cast<double>(windowsDone) / windowsTotal, counted(to));
    }
    if (probs.empty())
        throw core::InputError(out.skipped.empty() ? request.store.string() : out.skipped.front(),
                               0, "no video to predict has usable features");
    progress.step(0.96, "storing");
    store::Store::Transaction tx(*store);
    store::Model m;
    m.name = modelName(cfg, request.checkpoint);
    m.variant = cfg.variant;
    m.checkpoint = request.checkpoint;
    m.config = models::configToJson(cfg);
    store::Run run;
    run.name = request.runName.empty()
                   ? defaultRunName(cfg, request.checkpoint,
                                    QDateTime::currentDateTime()
                                        .toString(QStringLiteral("yyyy-MM-dd hh:mm:ss"))
                                        .toStdString())
                   : request.runName;
    run.model = store->addModel(m);
    run.frameThreshold = request.frameThreshold;
    run.globalThreshold = request.globalThreshold;
    run.params = "{\"videos\": " + std::to_string(probs.size()) + ", \"device\": \"" +
                 model.device() + "\", \"windows\": \"10 s, global gate per window\"}";
    out.run = store->addRun(run);
    out.name = run.name;
    store->putProbabilities(out.run, probs, true);
    for (const auto& [video, arrays] : outputs)
        if (!arrays.empty()) store->putRunOutputs(out.run, video, arrays);
    progress.step(1.0, "storing");
    // The point of no return: a cancel that came before stores nothing, one after is
    // refused (the job ends as done, with the run stored).
    commitPoint(progress);
    tx.commit();
    out.videos = static_cast<int>(probs.size());
    return out;
}

}  // namespace avvp::workspace
