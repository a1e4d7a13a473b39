#include "app/workspace/demo_project.h"

#include <QProcess>
#include <QStringList>
#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>

#include "app/workspace/feature_extraction.h"
#include "app/workspace/project_io.h"
#include "core/error.h"
#include "core/formats/label_io.h"
#include "core/media/label_video.h"
#include "core/prediction.h"
#include "core/store/label_exchange.h"
#include "core/store/llp_import.h"
#include "core/store/store.h"
#include "core/synth.h"

namespace avvp::workspace {

namespace fs = std::filesystem;

namespace {

// Bump when the demo's content changes; an older cache is rebuilt (edits included).
constexpr const char* kStamp = "avvp-studio demo 2 (a long video)";

std::string readStamp(const fs::path& p) {
    std::error_code ec;
    const auto n = fs::file_size(p, ec);
    if (ec || n > 256) return {};
    std::string s(n, '\0');
    std::ifstream in(p, std::ios::binary);
    in.read(s.data(), static_cast<std::streamsize>(n));
    return s;
}

void removeStore(const fs::path& store) {
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"})
        fs::remove(store.string() + suffix, ec);
}

// Deterministic noise in [0, 1) from a key (splitmix64).
double noise(std::uint64_t key) {
    std::uint64_t z = key + 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    return static_cast<double>(z >> 11) / 9007199254740992.0;
}

// Picks test videos with ground truth in both modalities, half of them non-aligned.
// Test videos with audio and visual ground truth and no footage of their own (the
// synthetic dataset's videos come with theirs), half of them non-aligned; videos rendered
// into `dir` before count as without footage, so a missing one is made again.
std::vector<store::VideoSummary> pickVideos(const store::Store& s, int count, const fs::path& dir) {
    store::VideoFilter f;
    f.split = core::Split::Test;
    f.hasGroundTruth = true;
    std::vector<store::VideoSummary> nonAligned, aligned;
    for (auto& v : s.videos(f)) {
        if (v.gtEvents[0] == 0 || v.gtEvents[1] == 0) continue;
        if (!v.video.mediaPath.empty() && fs::path(v.video.mediaPath).parent_path() != dir)
            continue;
        (v.nonAligned ? nonAligned : aligned).push_back(std::move(v));
    }
    std::vector<store::VideoSummary> out;
    for (std::size_t i = 0;
         static_cast<int>(out.size()) < count && (i < nonAligned.size() || i < aligned.size());
         ++i) {
        if (i < nonAligned.size()) out.push_back(nonAligned[i]);
        if (static_cast<int>(out.size()) < count && i % 2 == 1 && i / 2 < aligned.size())
            out.push_back(aligned[i / 2]);
    }
    return out;
}

void renderVideos(store::Store& s, const fs::path& dir, int count, DemoProject& out,
                  core::Progress& progress) {
    fs::create_directories(dir);
    {
        std::ofstream readme(dir / "README.md", std::ios::binary | std::ios::trunc);
        readme
            << "# SYNTHETIC demo videos (avvp-studio)\n\n"
               "Rendered from the LLP ground-truth labels of these test videos: a coloured shape\n"
               "per visual event, a tone per audio event. They are not the real YouTube videos.\n";
    }
    const auto videos = pickVideos(s, count, dir);
    int done = 0;
    for (const auto& v : videos) {
        progress.step(static_cast<double>(done) /
                          static_cast<double>(std::max<std::size_t>(1, videos.size())),
                      "rendering synthetic videos");
        const fs::path file = dir / (v.video.filename + ".mp4");
        if (!fs::exists(file)) {
            std::vector<media::LabelSpan> spans;
            store::EventFilter ef;
            ef.source = store::Source::GroundTruth;
            for (const auto& e : s.events(v.video.id, ef))
                spans.push_back({e.modality, e.cls, e.onsetMs, e.offsetMs});
            const fs::path part = dir / (v.video.filename + ".part.mp4");
            media::renderLabelVideo(
                part, spans,
                static_cast<double>(v.video.durationMs > 0 ? v.video.durationMs : 10000) / 1000.0);
            fs::rename(part, file);
            ++out.videosRendered;
        }
        s.setMedia(v.video.id, file.string());
        ++done;
    }
}

// `avvp synth --out DIR --videos N --render`: a synthetic dataset with videos, when the
// build has it. False when the command is missing or refuses --render.
bool synthWithVideos(const fs::path& avvp, const fs::path& out, int videos) {
    if (avvp.empty() || !fs::exists(avvp)) return false;
    std::error_code ec;
    fs::remove_all(out, ec);
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(QString::fromStdString(avvp.string()),
            {QStringLiteral("synth"), QStringLiteral("--out"), QString::fromStdString(out.string()),
             QStringLiteral("--videos"), QString::number(videos), QStringLiteral("--render"),
             QStringLiteral("--quiet")});
    if (!p.waitForFinished(300000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        fs::remove_all(out, ec);
        return false;
    }
    return true;
}

void importSynth(store::Store& s, const fs::path& synth) {
    store::Store::Transaction tx(s);
    if (fs::is_directory(synth / "labels"))
        store::importLlp(s, store::LlpFiles::inFolder(synth / "labels"));
    if (fs::is_directory(synth / "features")) store::importFeatures(s, synth / "features");
    for (const char* sub : {"videos", "media", "."})
        if (fs::is_directory(synth / sub)) {
            const auto r = store::importMedia(s, synth / sub, false);
            if (r.mediaMatched > 0) break;
        }
    tx.commit();
}

// The long video of the demo: one SYNTHETIC video of `seconds` with events at real times,
// many heard-and-seen classes seen at other times (core::synthLongVideos, the seed of the
// demo model's training data), rendered into `dir`, its labels imported as ground truth (a
// video of no split, like a user's own) with its real duration. Returns its id.
store::VideoId addLongVideo(store::Store& s, const fs::path& dir, double seconds,
                            core::Progress& progress) {
    core::SynthOptions so;
    so.seed = 1;
    so.misaligned = 0.5;
    const auto videos = core::synthLongVideos(so, 1, seconds);
    const fs::path media = dir / "videos";
    {
        core::ProgressRange rendering(progress, 0.0, 0.9, "rendering a long SYNTHETIC video");
        media::renderSynthLongVideos(media, videos, {.width = 320, .height = 180}, &rendering);
    }
    const fs::path labels = dir / "labels.json";
    core::writeSynthLongLabels(labels, dir / "timeline.json", videos, media);
    store::LabelImportOptions o;
    o.addVideos = true;
    store::importLabels(s, core::readLabelFiles(core::LabelFormat::Json, {labels}), o);
    const auto v = s.videoByName(videos.front().id);
    if (!v) throw std::runtime_error("the long demo video was not imported");
    // The media engine's duration, as every import of videos records it.
    s.setMedia(v->id, v->mediaPath, probeMediaMs(v->mediaPath));
    return v->id;
}

// The stand-in predictions: per test video, probabilities near the ground truth with
// misses, false alarms and blur; thresholded into prediction events by the store.
void addDemoRun(store::Store& s) {
    store::Model m;
    m.name = "synthetic-stand-in";
    m.variant = "synthetic";
    m.config = R"({"synthetic": true, "note": "ground truth with noise, not a trained model"})";
    store::Run run;
    run.name = kDemoRunName;
    run.model = s.addModel(m);
    run.params = R"({"synthetic": true, "seed": 7})";
    const auto runId = s.addRun(run);
    store::VideoFilter f;
    f.split = core::Split::Test;
    const auto videos = s.videos(f);
    store::EventFilter ef;
    ef.split = core::Split::Test;
    ef.source = store::Source::GroundTruth;
    std::map<store::VideoId, std::vector<store::Event>> gt;
    for (auto& e : s.events(ef)) gt[e.video].push_back(std::move(e));
    std::vector<store::SegmentProbabilities> probs;
    probs.reserve(videos.size());
    const int T = core::kLlpSegments, C = core::kNumClasses;
    for (const auto& v : videos) {
        store::SegmentProbabilities p;
        p.video = v.video.id;
        p.segments = T;
        p.frame.assign(core::frameSize(T), 0.0F);
        p.global.assign(static_cast<std::size_t>(C), 0.0F);
        std::vector<float> on(p.frame.size(), 0.0F);
        for (const auto& e : gt[v.video.id])
            for (int t = static_cast<int>(e.onsetMs / 1000); t < T && t * 1000 < e.offsetMs; ++t)
                on[core::frameIndex(t, e.modality, e.cls)] = 1.0F;
        for (int t = 0; t < T; ++t)
            for (int mod = 0; mod < 2; ++mod)
                for (int c = 0; c < C; ++c) {
                    const auto i = core::frameIndex(t, static_cast<core::Modality>(mod), c);
                    const std::uint64_t key =
                        (static_cast<std::uint64_t>(v.video.id) * 1000003ULL + i) * 7ULL;
                    const double u = noise(key), w = noise(key + 1);
                    double prob;
                    if (on[i] > 0)
                        prob = w < 0.15 ? 0.2 + 0.25 * u : 0.55 + 0.42 * u;  // 15 % misses
                    else if (core::hasClass(v.video.weak, c))
                        prob = w < 0.12
                                   ? 0.5 + 0.3 * u
                                   : 0.05 + 0.3 * u * u;  // confusions within the video's classes
                    else
                        prob = 0.01 + 0.08 * u * u;
                    p.frame[i] = static_cast<float>(prob);
                }
        for (int c = 0; c < C; ++c) {
            float g = 0;
            for (int t = 0; t < T; ++t)
                for (int mod = 0; mod < 2; ++mod)
                    g = std::max(g,
                                 p.frame[core::frameIndex(t, static_cast<core::Modality>(mod), c)]);
            p.global[static_cast<std::size_t>(c)] = g;
        }
        probs.push_back(std::move(p));
    }
    s.putProbabilities(runId, probs, true);
}

}  // namespace

DemoProject ensureDemoProject(const DemoOptions& options, core::Progress* progress) {
    core::Progress none;
    core::Progress& p = progress ? *progress : none;
    DemoProject out;
    fs::create_directories(options.folder);
    out.store = options.folder / "demo.avvpstore";
    const fs::path stampFile = options.folder / "demo.stamp";
    const fs::path videoDir = options.folder / "videos";
    const fs::path synthDir = options.folder / "synth";
    const bool valid = fs::exists(out.store) && readStamp(stampFile) == kStamp;
    if (options.reset || !valid) {
        std::error_code ec;
        fs::remove(stampFile, ec);
        removeStore(out.store);
        fs::remove_all(videoDir, ec);
        fs::remove_all(synthDir, ec);
        fs::remove_all(options.folder / "long", ec);
        fs::remove_all(featureFolder(out.store), ec);
    }
    try {
        auto s = store::Store::open(out.store);
        if (!valid || options.reset) {
            out.created = true;
            p.step(0.0, "importing the LLP annotations");
            {
                struct Import final : core::Progress {  // one stage name for every step
                    explicit Import(core::Progress& parent)
                        : core::Progress(parent), range(parent, 0.0, 0.3) {}
                    void report(double f, std::string_view) override {
                        range.report(f, "importing the LLP annotations");
                    }
                    core::ProgressRange range;
                } import(p);
                store::Store::Transaction tx(*s);
                store::importLlp(*s, store::LlpFiles::inFolder(options.llp), &import);
                tx.commit();
            }
            p.step(0.3, "synthetic dataset (avvp synth --render)");
            if (synthWithVideos(options.avvp, synthDir, options.synthVideos)) {
                importSynth(*s, synthDir);
                out.synthImported = true;
            }
            if (options.longVideoSeconds > 0) {
                core::ProgressRange part(p, 0.3, 0.33);
                out.longVideo =
                    addLongVideo(*s, options.folder / "long", options.longVideoSeconds, part);
                // Its features, with the stand-in encoders `avvp synth` wrote beside the
                // dataset (they read the rendered class strip and tones), as Extract
                // Features makes them; the demo model's run then covers it window by window.
                const fs::path encoders = synthDir / "encoders";
                if (fs::exists(encoders / "manifest.json")) {
                    core::ProgressRange extracting(p, 0.33, 0.35,
                                                   "features of the long video (SYNTHETIC)");
                    ExtractionRequest r;
                    r.encoders = encoders;
                    r.videos = {*out.longVideo};
                    r.device = "cpu";
                    runExtraction(out.store, r, extracting);
                }
            }
            p.step(0.35, "synthetic predictions");
            addDemoRun(*s);
        }
        // Rendered videos: (re)made when missing, also for an existing cache.
        p.throwIfCancelled();
        core::ProgressRange rendering(p, 0.4, 1.0);
        renderVideos(*s, videoDir, options.renderedVideos, out, rendering);
        for (const auto& v : s->videos())
            if (!v.video.mediaPath.empty() && fs::exists(v.video.mediaPath))
                out.playable.push_back(v.video.filename);
        out.synthImported = out.synthImported || fs::is_directory(synthDir);
    } catch (...) {
        if (out.created) removeStore(out.store);
        throw;
    }
    if (out.created) {
        std::ofstream stamp(stampFile, std::ios::binary | std::ios::trunc);
        stamp << kStamp;
    }
    out.note = out.synthImported ? "demo: LLP annotations, SYNTHETIC dataset and videos (one "
                                   "of 90 s), SYNTHETIC predictions"
                                 : "demo: LLP annotations, SYNTHETIC videos and predictions";
    p.report(1.0, "ready");
    return out;
}

}  // namespace avvp::workspace
