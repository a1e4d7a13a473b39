// The paper's tables on synthetic data (no LibTorch here: the facade, core's synth and
// scorer).
#include "models/reproduce.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <stdexcept>

#include "core/error.h"
#include "core/llp_dataset.h"
#include "core/prediction.h"
#include "core/synth.h"
#include "models/model_api.h"

namespace avvp::models {

namespace fs = std::filesystem;
using core::InputError;

std::vector<ReproduceRow> reproduceRows() {
    auto link = [](const char* key, const char* name, bool t, bool s, bool p, bool zs = false) {
        // T is TSAM with CMIM: the paper's TSAM section holds both modules.
        return ReproduceRow{key, name, "link", t, t, p, s, zs};
    };
    return {
        {"valor", "VALOR++", "valor"},
        {"leap", "LEAP", "leap"},
        {"han", "HAN", "han"},
        link("T", "w/ TSAM (T)", true, false, false),
        link("S", "w/ S-LOSS (S)", false, true, false),
        link("P", "w/ PLSIM (P), self labels", false, false, true),
        link("P-zs", "w/ PLSIM (P), zero-shot labels", false, false, true, true),
        link("TS", "w/ T and S", true, true, false),
        link("SP", "w/ S and P, self labels", false, true, true),
        link("SP-zs", "w/ S and P, zero-shot labels", false, true, true, true),
        link("TP", "w/ T and P, self labels", true, false, true),
        link("TP-zs", "w/ T and P, zero-shot labels", true, false, true, true),
        link("link", "LINK (T, S and P), self labels", true, true, true),
        link("link-zs", "LINK (T, S and P), zero-shot labels", true, true, true, true),
    };
}

namespace {

std::string fTag(double f) {
    char b[32];
    std::snprintf(b, sizeof b, "F%g", f);
    return b;
}

nlohmann::json scoresJson(const core::LevelScores& s) {
    nlohmann::json j;
    for (int m = 0; m < core::kNumMetrics; ++m) {
        const auto i = static_cast<std::size_t>(m);
        j[std::string("seg_") + core::kMetricNames[i]] = s.segment[i];
        j[std::string("evt_") + core::kMetricNames[i]] = s.event[i];
    }
    return j;
}

core::LevelScores scoresFrom(const nlohmann::json& j) {
    core::LevelScores s;
    for (int m = 0; m < core::kNumMetrics; ++m) {
        const auto i = static_cast<std::size_t>(m);
        s.segment[i] = j.at(std::string("seg_") + core::kMetricNames[i]).get<double>();
        s.event[i] = j.at(std::string("evt_") + core::kMetricNames[i]).get<double>();
    }
    return s;
}

// Zero-shot PLSIM labels from the synthetic class prototypes (the stand-in for class text
// embeddings), one cosine threshold for every class.
LabelSource zeroShotSource(const fs::path& dataDir, const ReproduceOptions& o) {
    const std::vector<float> thr(25, static_cast<float>(o.zeroShotThreshold));
    return {ZeroShotTable{readClassEmbedding(dataDir / "class_emb/audio.npy"), thr},
            ZeroShotTable{readClassEmbedding(dataDir / "class_emb/visual.npy"), thr}};
}

// Test-split scores of a checkpoint.
core::LevelScores testScores(const fs::path& checkpoint, const fs::path& dataDir,
                             const ReproduceRow& row, const ReproduceOptions& o) {
    LoadOptions lo;
    lo.device = o.device;
    Model model = Model::load(checkpoint, lo);
    ZeroShotFolders zs;
    if (row.zeroShot) {
        model.setLabelSource(zeroShotSource(dataDir, o));
        zs.audio = dataDir / "features/audio";
        zs.visual = dataDir / "features/visual";
    }
    const fs::path labels = dataDir / "labels";
    const auto split = core::readWeakLabels(labels / core::LlpFileNames::test);
    const auto videos = core::videoNames(split);
    const core::FeatureDataset data(
        dataDir / "features", core::featureVideos(split),
        {model.config().useMotion ? core::StreamUse::Required : core::StreamUse::Off,
         core::StreamUse::Off});
    const auto preds = predict(model, data, 64, nullptr, zs);
    const auto gtA = core::readDenseLabels(labels / core::LlpFileNames::audio);
    const auto gtV = core::readDenseLabels(labels / core::LlpFileNames::visual);
    return core::evaluate(videos, core::gridsFromPredictions(videos, preds, gtA.rows, gtV.rows))
        .dataset;
}

TrainOptions trainOptions(const ReproduceRow& row, const ReproduceOptions& o, std::uint64_t seed,
                          const fs::path& dataDir, const fs::path& runDir) {
    auto t = defaultTrainOptions(row.variant);
    t.features = dataDir / "features";
    t.labels = dataDir / "labels";
    t.out = runDir;
    t.epochs = o.epochs;
    t.seed = seed;
    t.device = o.device;
    t.lrMax = o.lr;
    t.model.hidden = o.hidden;
    if (row.variant == "han") {
        // HAN's own shape (1 layer, 1 head, ff = H), optimizer (Adam, batch 16, x 0.1 every
        // 10 epochs) at the same hidden size and peak learning rate as the others.
        t.model.layers = 1;
        t.model.heads = 1;
        t.model.ff = o.hidden;
    } else {
        t.model.layers = o.layers;
        t.model.heads = o.heads;
        t.model.ff = o.ff;
        t.batch = o.batch;
        t.warmupEpochs = o.warmup;
    }
    if (row.zeroShot) {
        // Validate (choose the checkpoint) with the label source the test will use.
        t.valLabels = zeroShotSource(dataDir, o);
        t.valZeroShot = {dataDir / "features/audio", dataDir / "features/visual"};
    }
    if (row.variant == "link") {
        setSwitch(t.model, "tsam", row.tsam);
        setSwitch(t.model, "cmim", row.cmim);
        setSwitch(t.model, "plsim", row.plsim);
        setSwitch(t.model, "sloss", row.sloss);
    }
    return t;
}

}  // namespace

std::vector<ReproduceRun> reproduce(const ReproduceOptions& o) {
    const auto all = reproduceRows();
    std::vector<ReproduceRow> rows;
    for (const auto& r : all)
        if (o.rows.empty() || std::find(o.rows.begin(), o.rows.end(), r.key) != o.rows.end())
            rows.push_back(r);
    for (const auto& k : o.rows)
        if (std::none_of(all.begin(), all.end(), [&](const auto& r) { return r.key == k; }))
            throw std::invalid_argument("unknown reproduction row '" + k + "'");
    std::error_code ec;
    fs::create_directories(o.out, ec);
    if (ec) throw InputError(o.out.string(), 0, "cannot create: " + ec.message());

    const fs::path resultsPath = o.out / "results.jsonl";
    std::vector<ReproduceRun> runs;
    {
        std::ifstream in(resultsPath);
        int line = 0;
        for (std::string l; std::getline(in, l);) {
            ++line;
            if (l.empty()) continue;
            try {
                const auto j = nlohmann::json::parse(l);
                runs.push_back({j.at("row").get<std::string>(), j.at("misaligned").get<double>(),
                                j.at("seed").get<std::uint64_t>(), scoresFrom(j.at("test")),
                                j.at("seconds").get<double>(), j.at("best_epoch").get<int>()});
            } catch (const nlohmann::json::exception& e) {
                throw InputError(resultsPath.string(), line, e.what());
            }
        }
    }
    auto done = [&](const std::string& key, double f, std::uint64_t seed) {
        return std::any_of(runs.begin(), runs.end(), [&](const ReproduceRun& r) {
            return r.row == key && r.misaligned == f && r.seed == seed;
        });
    };
    auto record = [&](const ReproduceRun& r) {
        runs.push_back(r);
        std::ofstream out(resultsPath, std::ios::app);
        nlohmann::json j = {{"row", r.row},         {"misaligned", r.misaligned},
                            {"seed", r.seed},       {"test", scoresJson(r.test)},
                            {"seconds", r.seconds}, {"best_epoch", r.bestEpoch}};
        out << j.dump() << '\n';
        if (!out) throw InputError(resultsPath.string(), 0, "write failed");
    };
    auto log = [&](const std::string& s) {
        if (o.onStep) o.onStep(s);
    };
    auto pendingRows = [&](double f, std::uint64_t seed, bool han) {
        std::vector<ReproduceRow> pending;
        for (const auto& r : rows)
            if ((r.variant == "han") == han && !done(r.key, f, seed)) pending.push_back(r);
        return pending;
    };
    // Progress: each run to do is an equal part of the whole (training is most of it).
    std::size_t total = 0, started = 0;
    for (const double f : o.misaligned)
        for (const auto seed : o.seeds)
            for (const bool han : {false, true}) total += pendingRows(f, seed, han).size();
    auto at = [&](std::size_t n) {
        return total == 0 ? 1.0 : static_cast<double>(n) / static_cast<double>(total);
    };

    for (const double f : o.misaligned) {
        for (const auto seed : o.seeds) {
            for (const bool han : {false, true}) {
                const auto pending = pendingRows(f, seed, han);
                if (pending.empty()) continue;
                char where[64];
                std::snprintf(where, sizeof where, "seed %llu, misaligned %g",
                              static_cast<unsigned long long>(seed), f);
                const std::string tag = fTag(f) + "_s" + std::to_string(seed);
                const fs::path dataDir = o.out / "data" / (tag + (han ? "_han" : ""));
                if (!fs::exists(dataDir / "labels" / core::LlpFileNames::test)) {
                    fs::remove_all(dataDir, ec);
                    core::SynthOptions so;
                    so.videos = o.videos;
                    so.seed = seed;
                    so.misaligned = f;
                    so.audio = han ? core::AudioFeature::Vggish : core::AudioFeature::ClapTokens;
                    so.visual = han ? core::VisualFeature::Resnet : core::VisualFeature::Clip;
                    so.motion = han;
                    core::step(o.progress, at(started), std::string("synthetic data, ") + where);
                    log("synth " + dataDir.string());
                    core::writeSynthDataset(dataDir, so);
                }
                for (const auto& r : pending) {
                    const fs::path runDir = o.out / "runs" / tag / r.key;
                    const auto t0 = std::chrono::steady_clock::now();
                    fs::remove_all(runDir, ec);  // an interrupted run starts again
                    log(tag + " " + r.name + ": training");
                    std::optional<core::ProgressRange> part;
                    if (o.progress)
                        part.emplace(*o.progress, at(started), at(started + 1),
                                     "row " + r.key + ", " + where);
                    auto t = trainOptions(r, o, seed, dataDir, runDir);
                    t.progress = part ? &*part : nullptr;
                    const auto trained = train(t);
                    if (trained.cancelled) {
                        // Nothing half-done stays: the run's folder, and the data unless kept.
                        fs::remove_all(runDir, ec);
                        if (!o.keepData) fs::remove_all(dataDir, ec);
                        throw core::Cancelled();
                    }
                    const auto scores = testScores(runDir / "best.ckpt", dataDir, r, o);
                    const double secs =
                        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
                            .count();
                    record({r.key, f, seed, scores, secs, trained.bestEpoch});
                    ++started;
                    core::report(o.progress, at(started), "row " + r.key + ", " + where);
                    char b[160];
                    std::snprintf(b, sizeof b,
                                  "%s %s: test seg Type@AV %.2f evt Type@AV %.2f (%.0f s)",
                                  tag.c_str(), r.name.c_str(), scores.segment[core::kTypeAv],
                                  scores.event[core::kTypeAv], secs);
                    log(b);
                }
                if (!o.keepData) fs::remove_all(dataDir, ec);
            }
        }
    }
    return runs;
}

std::string reproduceTables(const std::vector<ReproduceRun>& runs,
                            const std::vector<ReproduceRow>& rows) {
    std::set<double> fs;
    for (const auto& r : runs) fs.insert(r.misaligned);
    std::string md;
    auto stat = [](const std::vector<double>& v) {
        double mean = 0;
        for (double x : v) mean += x;
        mean /= static_cast<double>(v.size());
        double var = 0;
        for (double x : v) var += (x - mean) * (x - mean);
        const double sd = v.size() > 1 ? std::sqrt(var / static_cast<double>(v.size() - 1)) : 0.0;
        char b[48];
        std::snprintf(b, sizeof b, "%.1f ± %.1f", mean, sd);
        return std::string(b);
    };
    for (const double f : fs) {
        for (const bool event : {false, true}) {
            char h[160];
            std::snprintf(
                h, sizeof h,
                "\n**misaligned %g, %s level** (test split, F %%, mean ± std over seeds)\n\n", f,
                event ? "event" : "segment");
            md += h;
            md += "| method | A | V | AV | Type@AV | Event@AV | seeds | s / run |\n";
            md += "|---|---|---|---|---|---|---|---|\n";
            for (const auto& row : rows) {
                std::vector<const ReproduceRun*> rs;
                for (const auto& r : runs)
                    if (r.row == row.key && r.misaligned == f) rs.push_back(&r);
                if (rs.empty()) continue;
                md += "| " + row.name;
                for (int m = 0; m < core::kNumMetrics; ++m) {
                    std::vector<double> v;
                    for (const auto* r : rs)
                        v.push_back(event ? r->test.event[static_cast<std::size_t>(m)]
                                          : r->test.segment[static_cast<std::size_t>(m)]);
                    md += " | " + stat(v);
                }
                double secs = 0;
                for (const auto* r : rs) secs += r->seconds;
                char b[64];
                std::snprintf(b, sizeof b, " | %zu | %.0f |\n", rs.size(),
                              secs / static_cast<double>(rs.size()));
                md += b;
            }
        }
    }
    return md;
}

}  // namespace avvp::models
