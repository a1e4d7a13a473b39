// `avvp infer`: options, help and the progress line around models::infer (a split of
// 10 s clips) and models::predictWindowed (the videos of a feature folder's index.tsv, any
// length, in 10-segment windows). `avvp infer --store` is in libavvp_workspace_cli.so
// (infer_store_command.cpp).
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

#include "app/cli/cli_output.h"
#include "app/cli/model_options.h"
#include "app/cli/models_plugin.h"
#include "core/error.h"
#include "core/features.h"
#include "core/llp_dataset.h"
#include "core/llp_files.h"
#include "core/npy.h"
#include "core/prediction.h"
#include "core/progress.h"
#include "core/quote.h"
#include "models/model_api.h"
#include "models/windowed_run.h"

namespace avvp::app {

namespace {

constexpr const char* kInferUsage =
    R"(usage: avvp infer --checkpoint C --features DIR --split S --out DIR [options]
       avvp infer --checkpoint C --features DIR --out DIR [options]
       avvp infer --checkpoint C --store S [VIDEO...] [options]

With --split: predicts every 10 s clip of a split and writes
  DIR/pred_audio.csv, DIR/pred_visual.csv   LLP dense predictions (what avvp eval scores;
                                            a cell is on when frame_prob >= 0.5 and
                                            global_prob >= 0.5)
  DIR/frame_prob.npy    (N, 10, 2, 25) float32: video, segment, modality (0 audio,
                        1 visual), class in LLP order
  DIR/global_prob.npy   (N, 25) float32
  DIR/videos.txt        the N filenames in row order

Without --split: predicts every video listed in DIR/index.tsv (what `avvp features`
writes), of any length: a video runs over its consecutive 10-segment windows (the last
one padded, as its features are) and its results cover the whole video, T = its
segments. Every window has its own video-level gate (global_prob, the 0.5 rule per
window); events are found on the whole grid, so one continuing over a window border is
one event. Writes
  DIR/videos.tsv        video, segments, windows, duration (s), one row per video
  DIR/frame_prob/<video>.npy   (T, 2, 25) float32
  DIR/global_prob/<video>.npy  (W, 25) float32: window w gates segments [10w, 10w+10)
  DIR/pred_audio.tsv, DIR/pred_visual.tsv   the events in seconds over the whole video
                        (DCASE layout: filename, onset, offset, event_label; `avvp
                        import --format dcase` reads them)
  DIR/pred_audio.csv, DIR/pred_visual.csv   LLP dense rows of the videos of 10 s or less
                        only (LLP's format holds 10-segment clips; longer videos are left
                        out, with a note)

With --store S: runs the model over videos of a label store (their recorded features,
any length) and stores the result as a new run, as the app's "Run" does (see
`avvp infer --store S --help`).

Only the features are read (and zero-shot segment embeddings): never the pseudo-label
folders, and the split's weak labels never reach the model.

options:
  --split S              a split file (filename, event_labels), or train|val|test
                         for the split file in --labels
  --labels DIR           LLP folder for a split name
  --checkpoint-format F  auto | native | pytorch                   [default: auto]
  --variant V, --heads N, --norm post|pre   for a PyTorch state_dict (it has no
                         config; auto: link / leap by their keys, else valor)
                                                               [auto, 8, post]
  --zs-audio DIR  --zs-visual DIR   folders of <id>.npy segment embeddings (10, d) or
                         (64, d) for a zero-shot label source (below)
  --batch N              videos (10 s clips) or windows per forward pass  [default: 64]
  --device D  [auto]   --threads N  [0 = all]   --quiet

)";

namespace fs = std::filesystem;

// One video of index.tsv with its window files.
struct IndexVideo {
    std::string id;
    double duration = 0;                                 // seconds, 0 when unknown
    std::map<int, std::pair<std::string, int>> windows;  // start -> (name, valid segments)
};

// The videos of <features>/index.tsv in order of first appearance.
std::vector<IndexVideo> readIndex(const fs::path& features) {
    const auto file = features / "index.tsv";
    std::ifstream in(file);
    if (!in)
        throw core::InputError(file.string(), 0,
                               "cannot read the feature index (written by avvp features)");
    std::string line;
    std::getline(in, line);
    if (line.rfind("name\tvideo\tstart\tend\tvalid_segments", 0) != 0)
        throw core::InputError(file.string(), 1,
                               "not a feature index: the header must be name, video, start, end, "
                               "valid_segments, duration");
    std::vector<IndexVideo> videos;
    std::map<std::string, std::size_t> byVideo;
    int n = 1;
    while (std::getline(in, line)) {
        ++n;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty()) continue;
        std::istringstream ss(line);
        std::string name, video, start, end, valid, duration;
        std::getline(ss, name, '\t');
        std::getline(ss, video, '\t');
        std::getline(ss, start, '\t');
        std::getline(ss, end, '\t');
        std::getline(ss, valid, '\t');
        std::getline(ss, duration, '\t');
        int s0 = 0, s1 = 0, v = 0;
        double d = 0;
        try {
            std::size_t a = 0, b = 0, c = 0;
            s0 = std::stoi(start, &a);
            s1 = std::stoi(end, &b);
            v = std::stoi(valid, &c);
            d = duration.empty() ? 0.0 : std::stod(duration);
            if (a != start.size() || b != end.size() || c != valid.size())
                throw std::invalid_argument("trailing text");
        } catch (const std::exception&) {
            throw core::InputError(file.string(), n,
                                   "start, end and valid_segments must be whole numbers");
        }
        if (name.empty() || video.empty() || s0 < 0 || s0 % core::kWindowSegments != 0 ||
            s1 != s0 + core::kWindowSegments || v < 1 || v > core::kWindowSegments)
            throw core::InputError(file.string(), n,
                                   "a window row needs a name, a video, start = 10 k, end = start "
                                   "+ 10 and 1 to 10 valid segments");
        const auto [it, fresh] = byVideo.emplace(video, videos.size());
        if (fresh) {
            videos.push_back({fs::path(video).stem().string(), d, {}});
        }
        auto& iv = videos[it->second];
        if (!iv.windows.emplace(s0, std::pair{name, v}).second)
            throw core::InputError(file.string(), n,
                                   "window " + start + "-" + end + " of " + video + " twice");
    }
    if (videos.empty()) throw core::InputError(file.string(), 0, "the index lists no video");
    return videos;
}

// The windowed inputs of index videos: files under <features>/<kind>/<name>.npy.
models::WindowedVideo windowedVideo(const fs::path& features, const IndexVideo& v, bool motion) {
    models::WindowedVideo w;
    w.name = v.id;
    w.segments = 0;
    int expect = 0;
    for (const auto& [start, window] : v.windows) {
        if (start != expect)
            throw core::InputError((features / "index.tsv").string(), 0,
                                   v.id + ": window " + std::to_string(expect) + "-" +
                                       std::to_string(expect + core::kWindowSegments) +
                                       " is missing");
        expect += core::kWindowSegments;
        w.segments = start + window.second;
        w.audio.push_back(features / core::FeatureFolders::audio / (window.first + ".npy"));
        w.visual.push_back(features / core::FeatureFolders::visual / (window.first + ".npy"));
        if (motion)
            w.motion.push_back(features / core::FeatureFolders::motion / (window.first + ".npy"));
    }
    return w;
}

std::string seconds(double s) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3f", s);
    std::string t = buf;
    while (t.back() == '0') t.pop_back();
    if (t.back() == '.') t.pop_back();
    return t;
}

int inferWindowed(const Options& opt) {
    const fs::path features = opt.require("features");
    const fs::path out = opt.require("out");
    if (opt.has("zs-audio") || opt.has("zs-visual"))
        throw UsageError("a zero-shot label source (--zs-audio / --zs-visual) needs --split");
    const auto index = readIndex(features);
    auto lo = loadOptions(opt);
    // A PyTorch state_dict does not say which feature kinds it was trained on: the files do.
    {
        const auto& first = index.front().windows.begin()->second.first;
        if (!lo.audioFeature)
            if (const auto k = core::audioFeatureFromRows(
                    core::readNpyHeader(features / core::FeatureFolders::audio / (first + ".npy"))
                        .shape.at(0)))
                lo.audioFeature = std::string(core::featureName(*k));
        if (!lo.visualFeature)
            if (const auto k = core::visualFeatureFromRows(
                    core::readNpyHeader(features / core::FeatureFolders::visual / (first + ".npy"))
                        .shape.at(0)))
                lo.visualFeature = std::string(core::featureName(*k));
    }
    models::Model model = [&] {
        try {
            return models::Model::load(opt.require("checkpoint"), lo);
        } catch (const core::InputError& e) {
            throw withLoadHints(e);
        }
    }();
    try {
        model.setLabelSource(labelSource(opt));
    } catch (const std::invalid_argument& e) {
        throw core::InputError("label source", 0, e.what());
    }
    std::vector<models::WindowedVideo> videos;
    std::vector<double> durations;
    for (const auto& v : index) {
        videos.push_back(windowedVideo(features, v, model.config().useMotion));
        durations.push_back(v.duration);
    }
    core::ProgressLine line("avvp infer", !opt.has("quiet"));
    models::WindowedRunOptions wo;
    wo.batch = static_cast<int>(opt.getInt("batch", 64, 1, 1 << 20));
    wo.progress = &line;
    const auto result = models::predictWindowed(model, videos, wo);
    line.finish();
    if (!result.skipped.empty()) {
        for (const auto& s : result.skipped)
            std::fprintf(stderr, "avvp infer: error: %s\n", core::oneLine(s).c_str());
        if (result.skipped.size() == videos.size())
            throw core::InputError((features / "index.tsv").string(), 0,
                                   "no video could be predicted");
    }

    std::error_code ec;
    fs::create_directories(out / "frame_prob", ec);
    if (!ec) fs::create_directories(out / "global_prob", ec);
    if (ec) throw core::InputError(out.string(), 0, "cannot create: " + ec.message());
    const core::Thresholds th;
    core::PredictionSet clips;
    // Every file is written whole or not at all (a full disk leaves no cut file): the .npy
    // files one by one, the tables once complete.
    std::ostringstream list;
    list << "video\tsegments\twindows\tduration\n";
    std::ostringstream tsv[2];
    for (auto& t : tsv) t << "filename\tonset\toffset\tevent_label\n";
    std::size_t predicted = 0, long_ = 0;
    for (std::size_t i = 0; i < videos.size(); ++i) {
        const auto& p = result.videos[i];
        if (!p) continue;
        ++predicted;
        const auto& id = videos[i].name;
        const auto T = static_cast<std::int64_t>(p->segments);
        const auto W = static_cast<std::int64_t>(p->global.size()) / core::kNumClasses;
        core::writeNpy(out / "frame_prob" / (id + ".npy"), p->frame, {T, 2, core::kNumClasses});
        core::writeNpy(out / "global_prob" / (id + ".npy"), p->global, {W, core::kNumClasses});
        const double duration = durations[i] > 0 ? durations[i] : static_cast<double>(T);
        list << id << '\t' << T << '\t' << W << '\t' << seconds(duration) << '\n';
        bool any[2] = {false, false};
        for (const auto& s : core::thresholdSpans(p->frame, p->global, p->segments, th)) {
            const auto m = static_cast<std::size_t>(s.modality);
            any[m] = true;
            tsv[m] << id << '\t' << seconds(s.onset) << '\t'
                   << seconds(std::min<double>(s.offset, duration)) << '\t'
                   << core::kClassNames[static_cast<std::size_t>(s.cls)] << '\n';
        }
        for (std::size_t m = 0; m < 2; ++m)
            if (!any[m]) tsv[m] << id << "\t\t\t\n";  // a video without events
        if (p->segments == core::kLlpSegments)
            clips.add(id, p->frame, p->global);
        else
            ++long_;
    }
    const auto pa = out / "pred_audio.csv", pv = out / "pred_visual.csv";
    auto text = [](const fs::path& file, const std::ostringstream& t) {
        writeFileWith(file.string(), [&](std::ostream& o) { o << t.view(); });
    };
    text(out / "videos.tsv", list);
    text(out / "pred_audio.tsv", tsv[0]);
    text(out / "pred_visual.tsv", tsv[1]);
    writeFileWith(pa.string(), [&](std::ostream& o) {
        core::writeDenseLabels(o, clips.rows(core::Modality::Audio, th));
    });
    writeFileWith(pv.string(), [&](std::ostream& o) {
        core::writeDenseLabels(o, clips.rows(core::Modality::Visual, th));
    });
    std::printf("predicted %zu videos of %s (%zu of other than 10 segments):\n", predicted,
                (features / "index.tsv").string().c_str(), long_);
    for (const char* f : {"videos.tsv", "frame_prob/", "global_prob/", "pred_audio.tsv",
                          "pred_visual.tsv", "pred_audio.csv", "pred_visual.csv"})
        std::printf("  %s\n", (out / f).string().c_str());
    if (long_ > 0)
        std::printf(
            "note: the LLP CSVs hold the %zu clip(s) of 10 segments only (LLP's format "
            "is 10 s clips); every video's events are in pred_*.tsv\n",
            clips.size());
    return result.skipped.empty() ? 0 : 2;
}

}  // namespace

int inferCommand(int argc, char** argv) {
    auto valued = kCommonValued;
    valued.insert(kLoadValued.begin(), kLoadValued.end());
    valued.insert({"features", "split", "labels", "out", "variant", "store"});
    valued.insert(kLabelSourceValued.begin(), kLabelSourceValued.end());
    const Options opt(argc, argv, valued, {"quiet"});
    applyThreads(opt);
    if (opt.help()) {
        std::fputs(kInferUsage, stdout);
        std::fputs(kLabelSourceUsage, stdout);
        std::fputs(kZeroShotOptionsUsage, stdout);
        return 0;
    }
    models::InferOptions o;
    if (opt.has("store"))
        throw UsageError("--store runs in the store plugin (run it as avvp infer --store S ...)");
    if (!opt.has("split")) {
        if (opt.has("labels")) throw UsageError("--labels names a split's folder: give --split");
        return inferWindowed(opt);
    }
    o.checkpoint = opt.require("checkpoint");
    o.features = opt.require("features");
    o.out = opt.require("out");
    const std::string split = opt.require("split");
    if (auto s = core::splitFromName(split)) {
        if (!opt.has("labels"))
            throw UsageError("--split " + split +
                             " names a split: give --labels DIR too (or a split file)");
        o.split = core::splitFile(opt.require("labels"), *s);
    } else {
        o.split = split;
    }
    o.load = loadOptions(opt);
    o.labels = labelSource(opt);
    o.zeroShot = zeroShotFolders(opt, o.labels);
    o.batch = static_cast<int>(opt.getInt("batch", 64, 1, 1 << 20));
    core::ProgressLine line("avvp infer", !opt.has("quiet"));
    o.progress = &line;
    models::InferResult r;
    try {
        r = models::infer(o);
    } catch (const core::InputError& e) {
        throw withLoadHints(e);
    }
    line.finish();
    std::printf("predicted %zu videos of %s:\n", r.videos, o.split.string().c_str());
    for (const auto& f : r.files) std::printf("  %s\n", f.string().c_str());
    return 0;
}

}  // namespace avvp::app
