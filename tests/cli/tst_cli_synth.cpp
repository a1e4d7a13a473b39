// `avvp synth` as a user runs it: the SYNTHETIC stand-in encoders beside the dataset,
// `--render --seconds N` for long videos with their labels file, and bad --seconds.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

#include "tests/cli/cli_runner.h"
#include "tests/test_util.h"

namespace fs = std::filesystem;
using namespace avvp::test;

namespace {

RunResult run(const std::string& args, const fs::path& scratch) {
    return runShell(quote(kAvvp.string()) + " " + args, scratch);
}

}  // namespace

TEST(CliSynth, WritesSyntheticStandInEncoders) {
    const TempDir dir("cli_synth_encoders");
    const auto out = dir / "data";
    const auto r =
        run("synth --quiet --videos 3 --seed 2 --out " + quote(out.string()), dir.path());
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("SYNTHETIC stand-in encoders"), std::string::npos) << r.out;
    const auto manifest = nlohmann::json::parse(readAll(out / "encoders" / "manifest.json"));
    EXPECT_EQ(manifest["format"], "avvp-encoders");
    EXPECT_NE(manifest["image"]["name"].get<std::string>().find("SYNTHETIC"), std::string::npos);
    EXPECT_EQ(manifest["audio"]["output"]["shape"], nlohmann::json({64, 768}));
    EXPECT_EQ(manifest["image"]["output"]["dim"], 768);
    EXPECT_TRUE(fs::exists(out / "encoders" / "synthetic_image.pt"));
    EXPECT_TRUE(fs::exists(out / "encoders" / "synthetic_audio.pt"));
    // --no-encoders leaves them out; synth-encoders writes them for an existing dataset.
    const auto bare = dir / "bare";
    ASSERT_EQ(run("synth --quiet --no-encoders --videos 3 --audio vggish --visual resnet --out " +
                      quote(bare.string()),
                  dir.path())
                  .code,
              0);
    EXPECT_FALSE(fs::exists(bare / "encoders"));
    const auto e = run("synth-encoders --dataset " + quote(bare.string()), dir.path());
    ASSERT_EQ(e.code, 0) << e.err;
    const auto m2 = nlohmann::json::parse(readAll(bare / "encoders" / "manifest.json"));
    EXPECT_EQ(m2["audio"]["output"]["shape"], nlohmann::json({10, 128}));
    EXPECT_EQ(m2["image"]["output"]["dim"], 2048);
    EXPECT_EQ(m2["image"]["input"]["frames_per_second"], 8);
    const auto missing =
        run("synth-encoders --dataset " + quote((dir / "nowhere").string()), dir.path());
    EXPECT_EQ(missing.code, 2);
    EXPECT_NE(missing.err.find("class_emb"), std::string::npos) << missing.err;
}

#ifndef AVVP_HEADLESS_BUILD
TEST(CliSynth, RendersLongVideosWithTheirLabels) {
    const TempDir dir("cli_synth_long");
    const auto out = dir / "long";
    const auto r =
        run("synth --quiet --no-encoders --videos 3 --seed 4 --render --seconds 25 "
            "--out " +
                quote(out.string()),
            dir.path());
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("of 25 s"), std::string::npos) << r.out;
    const auto labels = nlohmann::json::parse(readAll(out / "videos" / "labels.json"));
    ASSERT_EQ(labels["videos"].size(), 3U);
    for (const auto& v : labels["videos"]) {
        EXPECT_DOUBLE_EQ(v["duration"].get<double>(), 25.0);
        const fs::path media = v["media"].get<std::string>();
        ASSERT_TRUE(fs::exists(media)) << media;
        const auto p = run("probe " + quote(media.string()), dir.path());
        EXPECT_EQ(p.code, 0) << p.err;
        EXPECT_NE(p.out.find("duration: 25.000 s"), std::string::npos) << p.out;
        for (const auto& e : v["events"]) EXPECT_LE(e["offset"].get<double>(), 25.0);
    }
    EXPECT_TRUE(fs::exists(out / "videos" / "timeline.json"));

    for (const char* bad :
         {"--seconds 9", "--seconds abc", "--seconds -5", "--seconds 20-10", "--seconds 10-x"}) {
        const auto b = run(std::string("synth --quiet --videos 3 --render ") + bad + " --out " +
                               quote((dir / "bad").string()),
                           dir.path());
        EXPECT_EQ(b.code, 2) << bad;
        EXPECT_NE(b.err.find("--seconds "), std::string::npos) << b.err;
        EXPECT_TRUE(b.err.find("must be a number of seconds from 10 to 86400") !=
                        std::string::npos ||
                    b.err.find("the range's end is below its start") != std::string::npos)
            << b.err;
        EXPECT_FALSE(fs::exists(dir / "bad")) << "nothing written on bad usage";
    }
    const auto noRender = run(
        "synth --quiet --videos 3 --seconds 20 --out " + quote((dir / "bad").string()), dir.path());
    EXPECT_EQ(noRender.code, 2);
    EXPECT_NE(noRender.err.find("--seconds needs --render"), std::string::npos) << noRender.err;
}

// --seconds MIN-MAX: each video's length drawn from the range (on a 0.2 s grid), and the
// rendered file lasts exactly that long.
TEST(CliSynth, RendersLongVideosOfLengthsInARange) {
    const TempDir dir("cli_synth_range");
    const auto out = dir / "range";
    const auto r =
        run("synth --quiet --no-encoders --videos 3 --seed 4 --render --seconds 10-14 "
            "--out " +
                quote(out.string()),
            dir.path());
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("of 10-14 s"), std::string::npos) << r.out;
    const auto labels = nlohmann::json::parse(readAll(out / "videos" / "labels.json"));
    ASSERT_EQ(labels["videos"].size(), 3U);
    std::set<double> lengths;
    for (const auto& v : labels["videos"]) {
        const double d = v["duration"].get<double>();
        EXPECT_GE(d, 10.0);
        EXPECT_LE(d, 14.0);
        lengths.insert(d);
        EXPECT_NEAR(d * 5.0, std::round(d * 5.0), 1e-9) << d;
        for (const auto& e : v["events"]) EXPECT_LE(e["offset"].get<double>(), d);
        const auto p = run("probe " + quote(v["media"].get<std::string>()), dir.path());
        char want[64];
        std::snprintf(want, sizeof want, "duration: %.3f s", d);
        EXPECT_NE(p.out.find(want), std::string::npos) << p.out << " wants " << want;
    }
    EXPECT_GT(lengths.size(), 1U) << "the lengths are drawn, not all the same";
}
#endif
