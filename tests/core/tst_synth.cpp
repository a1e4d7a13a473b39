// The synthetic LLP generator: determinism, the misaligned fraction, the files it writes
// (readable by the LLP readers, the feature dataset and `avvp eval`), pseudo-label noise.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/evaluation.h"
#include "core/feature_dataset.h"
#include "core/llp_dataset.h"
#include "core/synth.h"
#include "tests/test_util.h"

namespace fs = std::filesystem;
using namespace avvp::core;

namespace {

SynthOptions small(std::uint64_t seed = 1) {
    SynthOptions o;
    o.videos = 40;
    o.seed = seed;
    o.audio = AudioFeature::Vggish;
    o.visual = VisualFeature::Clip;
    o.motion = true;
    return o;
}

LabelGrid grid(const std::vector<Event>& events) {
    LabelGrid g;
    for (const auto& e : events) g.fill(e);
    return g;
}

}  // namespace

TEST(Synth, IsDeterministicPerSeed) {
    const SynthGenerator a(small(1)), b(small(1)), c(small(2));
    ASSERT_EQ(a.videos().size(), 40U);
    for (std::size_t i = 0; i < a.videos().size(); ++i) {
        EXPECT_EQ(a.videos()[i].weak, b.videos()[i].weak);
        EXPECT_EQ(a.videos()[i].audio, b.videos()[i].audio);
        EXPECT_EQ(a.videos()[i].pseudoVisual, b.videos()[i].pseudoVisual);
    }
    EXPECT_EQ(a.features(7).audio, b.features(7).audio);
    EXPECT_EQ(a.features(7).motion, b.features(7).motion);
    EXPECT_NE(a.features(7).audio, c.features(7).audio);
    bool differ = false;
    for (std::size_t i = 0; i < a.videos().size(); ++i)
        differ |= a.videos()[i].weak != c.videos()[i].weak;
    EXPECT_TRUE(differ);
}

TEST(Synth, LabelsAreConsistent) {
    auto o = small();
    o.videos = 400;
    const SynthGenerator g(o);
    std::size_t n[3] = {0, 0, 0};
    for (const auto& v : g.videos()) {
        ++n[static_cast<int>(v.split)];
        EXPECT_EQ(v.filename.size(), 16U);
        EXPECT_EQ(featureId(v.filename).size(), 11U);
        ClassSet fromEvents = 0;
        for (const auto& e : v.audio) fromEvents |= ClassSet{1} << e.cls;
        for (const auto& e : v.visual) fromEvents |= ClassSet{1} << e.cls;
        EXPECT_EQ(fromEvents, v.weak) << v.filename;
        for (const auto& e : v.audio)
            EXPECT_TRUE(e.onset >= 0 && e.onset < e.offset && e.offset <= 10);
        // Pseudo labels never name a class outside the weak labels (VALOR filters them).
        for (int c = 0; c < kNumClasses; ++c)
            if (!hasClass(v.weak, c)) {
                EXPECT_FALSE(v.pseudoAudio.any(c));
                EXPECT_FALSE(v.pseudoVisual.any(c));
            }
    }
    EXPECT_EQ(n[0], 280U);
    EXPECT_EQ(n[1], 60U);
    EXPECT_EQ(n[2], 60U);
    // Pseudo labels are noisy but close to the truth.
    long agree = 0, cells = 0;
    for (const auto& v : g.videos()) {
        const auto truth = grid(v.audio);
        for (int c = 0; c < kNumClasses; ++c)
            for (int t = 0; t < 10; ++t)
                if (hasClass(v.weak, c)) {
                    agree += truth.at(c, t) == v.pseudoAudio.at(c, t);
                    ++cells;
                }
    }
    const double rate = static_cast<double>(agree) / static_cast<double>(cells);
    EXPECT_GT(rate, 0.8);
    EXPECT_LT(rate, 0.99);
}

TEST(Synth, MisalignedFractionFollowsTheOption) {
    for (double f : {0.0, 0.5, 1.0}) {
        auto o = small();
        o.videos = 600;
        o.misaligned = f;
        const SynthGenerator g(o);
        std::size_t av = 0, mis = 0, differ = 0;
        for (const auto& v : g.videos()) {
            av += static_cast<std::size_t>(v.audioVisualClasses);
            mis += static_cast<std::size_t>(v.misalignedClasses);
            for (const auto& a : v.audio)
                for (const auto& b : v.visual)
                    if (a.cls == b.cls && a != b) ++differ;
        }
        EXPECT_EQ(mis, differ);
        ASSERT_GT(av, 300U);
        EXPECT_NEAR(static_cast<double>(mis) / static_cast<double>(av), f, 0.06) << f;
    }
}

TEST(Synth, FeaturesCarryTheClassPrototypes) {
    // A visual-only class must not show in the audio stream: audio rows of a segment with
    // no audio event are uncorrelated with the rows of a segment that has one.
    auto o = small();
    o.noise = 0.0;
    const SynthGenerator g(o);
    const auto f = g.features(0);
    EXPECT_EQ(f.audio.size(), 10U * 128U);
    EXPECT_EQ(f.visual.size(), 10U * 768U);
    EXPECT_EQ(f.motion.size(), 10U * 512U);
    // CLIP rows are L2-normalised.
    double n2 = 0;
    for (int i = 0; i < 768; ++i)
        n2 += static_cast<double>(f.visual[static_cast<std::size_t>(i)]) *
              f.visual[static_cast<std::size_t>(i)];
    EXPECT_NEAR(n2, 1.0, 1e-5);
    auto o2 = o;
    o2.audio = AudioFeature::ClapTokens;
    o2.visual = VisualFeature::Resnet;
    const auto f2 = SynthGenerator(o2).features(0);
    EXPECT_EQ(f2.audio.size(), 64U * 768U);
    EXPECT_EQ(f2.visual.size(), 80U * 2048U);
}

TEST(Synth, WritesAnLlpFolderAndFeatures) {
    const avvp::test::TempDir tmp("avvp_synth");
    const fs::path dir = tmp / "data";
    const auto sum = writeSynthDataset(dir, small());
    EXPECT_EQ(sum.videos[0] + sum.videos[1] + sum.videos[2], 40U);
    const auto llp = loadLlpFolder(dir / "labels");
    EXPECT_EQ(llp.count(Split::Train), sum.videos[0]);
    EXPECT_EQ(llp.count(Split::Test), sum.videos[2]);
    EXPECT_TRUE(fs::exists(dir / "timeline.json"));
    EXPECT_TRUE(fs::exists(dir / "README.md"));
    // The dense val/test labels are exactly the generator's events.
    const SynthGenerator g(small());
    std::size_t rows = 0;
    for (const auto& v : g.videos())
        if (v.split != Split::Train) rows += v.audio.size();
    EXPECT_EQ(readDenseLabels(dir / "labels" / LlpFileNames::audio).rows.size(), rows);
    // Every split has its features.
    const FeatureDataset ds(dir / "features",
                            featureVideos(readWeakLabels(dir / "labels" / LlpFileNames::test)));
    EXPECT_EQ(ds.spec().audio, AudioFeature::Vggish);
    EXPECT_TRUE(ds.spec().motion);
    EXPECT_TRUE(ds.spec().pseudo);
    const auto f = ds.load(0);
    EXPECT_EQ(f.pseudoAudio.size(), 250U);
    // A non-empty folder is refused.
    EXPECT_THROW(writeSynthDataset(dir, small()), InputError);
}

TEST(Synth, RefusesBadOptions) {
    auto o = small();
    o.videos = 2;
    EXPECT_THROW(SynthGenerator{o}, InputError);
    o = small();
    o.misaligned = 1.5;
    EXPECT_THROW(SynthGenerator{o}, InputError);
}

// Long videos of `avvp synth --render --seconds N`: events at real times within the video,
// non-aligned heard-and-seen classes, deterministic, and labels a JSON reader takes.
TEST(Synth, LongVideosHaveEventsAtRealTimes) {
    auto o = small(9);
    o.misaligned = 0.5;
    const auto a = synthLongVideos(o, 4, 90.0), b = synthLongVideos(o, 4, 90.0);
    ASSERT_EQ(a.size(), 4U);
    int offGrid = 0, misaligned = 0, events = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const auto& v = a[i];
        EXPECT_EQ(v.id.size(), 11U);
        EXPECT_EQ(v.id.rfind("long", 0), 0U);
        EXPECT_EQ(v.durationMs, 90000);
        EXPECT_EQ(v.audio, b[i].audio);
        EXPECT_EQ(v.visual, b[i].visual);
        for (const auto* list : {&v.audio, &v.visual}) {
            for (std::size_t k = 0; k < list->size(); ++k) {
                const auto& e = (*list)[k];
                ++events;
                EXPECT_TRUE(e.onsetMs >= 0 && e.onsetMs < e.offsetMs && e.offsetMs <= 90000);
                offGrid += e.onsetMs % 1000 != 0 ? 1 : 0;
                if (k > 0 && (*list)[k - 1].cls == e.cls) {
                    EXPECT_LT((*list)[k - 1].offsetMs, e.onsetMs) << "same-class spans overlap";
                }
            }
        }
        for (const auto& e : v.audio) {
            bool same = false, seen = false;
            for (const auto& f : v.visual)
                if (f.cls == e.cls) {
                    seen = true;
                    same |= f == e;
                }
            misaligned += seen && !same ? 1 : 0;
        }
    }
    EXPECT_GE(events, 4 * 10) << "about one draw per 6 s";
    EXPECT_GE(offGrid, events * 9 / 10) << "times are not on second boundaries";
    EXPECT_GT(misaligned, 0) << "heard-and-seen classes seen at other times";
    EXPECT_NE(synthLongVideos(small(10), 1, 90.0)[0].audio, a[0].audio);
    EXPECT_THROW(synthLongVideos(o, 1, 9.5), InputError);
    EXPECT_THROW(synthLongVideos(o, 0, 20), InputError);

    const avvp::test::TempDir dir("synth_long_labels");
    writeSynthLongLabels(dir / "labels.json", dir / "timeline.json", a, dir.path());
    std::ifstream in(dir / "labels.json");
    const auto doc = nlohmann::json::parse(in);
    EXPECT_EQ(doc["format"], "avvp-labels");
    ASSERT_EQ(doc["videos"].size(), 4U);
    const auto& v0 = doc["videos"][0];
    EXPECT_EQ(v0["filename"], a[0].id);
    EXPECT_DOUBLE_EQ(v0["duration"].get<double>(), 90.0);
    EXPECT_EQ(v0["media"], (dir / (a[0].id + ".mp4")).string());
    EXPECT_EQ(v0["events"].size(), a[0].audio.size() + a[0].visual.size());
    const auto& e0 = v0["events"][0];
    EXPECT_EQ(e0["modality"], "audio");
    EXPECT_DOUBLE_EQ(e0["onset"].get<double>(), static_cast<double>(a[0].audio[0].onsetMs) / 1000);
    std::ifstream tin(dir / "timeline.json");
    const auto timeline = nlohmann::json::parse(tin);
    EXPECT_EQ(timeline["synthetic"], true);
    EXPECT_EQ(timeline["videos"].size(), 4U);
}

// The class strip lies inside the centred square (CLIP's centre crop keeps it), its cells
// do not overlap, and the tones stay below 8 kHz (16 kHz audio).
TEST(Synth, StripAndTonesFitTheStandInEncoders) {
    for (int c = 0; c < kNumClasses; ++c) {
        const auto s = synthStripCell(c);
        EXPECT_TRUE(s.x0 >= 0 && s.x1 <= 1 && s.y0 >= 0 && s.y1 <= 1 && s.x0 < s.x1 && s.y0 < s.y1);
        for (int d = 0; d < c; ++d) {
            const auto t = synthStripCell(d);
            EXPECT_TRUE(s.x0 >= t.x1 || t.x0 >= s.x1 || s.y0 >= t.y1 || t.y0 >= s.y1) << c << d;
        }
        EXPECT_LT(synthClassPitch(c), 7000.0);
        if (c > 0) {
            EXPECT_GT(synthClassPitch(c) / synthClassPitch(c - 1), 1.1);
        }
    }
}
