#include "app/workspace/model_runs.h"

#include <QDateTime>
#include <algorithm>
#include <cmath>
#include <sstream>

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

// The store's feature file of a kind for a video, or "".
std::string featurePath(const std::vector<store::Feature>& features, const std::string& kind) {
    for (const auto& f : features)
        if (f.kind == kind) return f.path;
    return {};
}

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

}  // namespace

models::Inputs videoInputs(const store::Store& store, store::VideoId id,
                           const models::ModelConfig& c) {
    const auto video = store.video(id);
    if (!video) throw core::InputError(store.path().string(), 0, "no such video");
    const auto features = store.features(id);
    auto load = [&](const char* kind, std::int64_t rows, std::int64_t dim) {
        const std::string path = featurePath(features, kind);
        if (path.empty())
            throw core::InputError(
                video->filename, 0,
                std::string("no ") + kind + " features recorded (import a feature folder)");
        // A batch of one.
        return models::Array{{1, rows, dim}, core::loadFeatureArray(path, rows, dim)};
    };
    models::Inputs in;
    in.audio = load(core::FeatureFolders::audio, c.audioRows, c.audioDim);
    in.visual = load(core::FeatureFolders::visual, c.visualRows, c.visualDim);
    if (c.useMotion)
        in.motion = load(core::FeatureFolders::motion, core::kLlpSegments, c.motionDim);
    return in;
}

namespace {

const models::Array& output(const models::Outputs& out, const char* name) {
    const auto it = out.find(name);
    if (it == out.end())
        throw std::runtime_error(std::string("the model gave no ") + name + " output");
    return it->second;
}

}  // namespace

models::Outputs forwardVideo(const models::Model& model, const store::Store& store,
                             store::VideoId video) {
    return model.forward(videoInputs(store, video, model.config()));
}

std::string modelName(const models::ModelConfig& config, const fs::path& checkpoint) {
    return config.variant + " " + checkpoint.filename().string() + " (" +
           checkpoint.parent_path().filename().string() + ")";
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

std::optional<models::Outputs> runOutputs(const store::Store& store, store::RunId run,
                                          store::VideoId video) {
    const auto stored = store.runOutputs(run, video);
    if (stored.empty()) return std::nullopt;
    models::Outputs out;
    for (const auto& o : stored) out[o.name] = models::Array{o.shape, o.data};
    if (const auto p = store.probabilities(run, video)) {
        out["frame_prob"] = models::Array{{1, p->segments, 2, core::kNumClasses}, p->frame};
        out["global_prob"] = models::Array{{1, core::kNumClasses}, p->global};
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
    std::vector<store::SegmentProbabilities> probs;
    std::vector<std::pair<store::VideoId, std::vector<store::OutputArray>>> outputs;
    const auto batchSize = static_cast<std::size_t>(std::max(1, request.batch));
    progress.step(0.0, "predicting");
    for (std::size_t start = 0; start < ids.size(); start += batchSize) {
        progress.throwIfCancelled();
        models::Inputs batch;
        std::vector<store::VideoId> inBatch;
        for (std::size_t i = start; i < std::min(ids.size(), start + batchSize); ++i) {
            // A video without usable features is skipped (and listed), not fatal.
            models::Inputs one;
            try {
                one = videoInputs(*store, ids[i], cfg);
            } catch (const std::exception& e) {
                out.skipped.push_back(e.what());
                continue;
            }
            appendBatch(batch, std::move(one));
            inBatch.push_back(ids[i]);
        }
        if (!inBatch.empty()) {
            const auto result = model.forward(batch);
            for (auto& p : segmentProbabilities(output(result, "frame_prob"),
                                                output(result, "global_prob"), inBatch))
                probs.push_back(std::move(p));
            if (request.storeOutputs)
                for (std::size_t b = 0; b < inBatch.size(); ++b)
                    outputs.emplace_back(inBatch[b], videoOutputs(result, b, inBatch.size()));
        }
        const auto done = std::min(ids.size(), start + batchSize);
        progress.report(0.95 * static_cast<double>(done) / static_cast<double>(ids.size()),
                        "video " + std::to_string(done) + " of " + std::to_string(ids.size()));
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
                   ? cfg.variant + " " + fs::path(request.checkpoint).filename().string() + " " +
                         QDateTime::currentDateTime()
                             .toString(QStringLiteral("yyyy-MM-dd hh:mm:ss"))
                             .toStdString()
                   : request.runName;
    run.model = store->addModel(m);
    run.frameThreshold = request.frameThreshold;
    run.globalThreshold = request.globalThreshold;
    run.params = "{\"videos\": " + std::to_string(probs.size()) + ", \"device\": \"" +
                 model.device() + "\"}";
    out.run = store->addRun(run);
    out.name = run.name;
    store->putProbabilities(out.run, probs, true);
    for (const auto& [video, arrays] : outputs)
        if (!arrays.empty()) store->putRunOutputs(out.run, video, arrays);
    progress.throwIfCancelled();
    tx.commit();
    out.videos = static_cast<int>(probs.size());
    progress.report(1.0, "done");
    return out;
}

}  // namespace avvp::workspace
