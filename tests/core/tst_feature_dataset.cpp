// Feature folders in VALOR's layout: kinds by shape, and a clear error for every kind of
// bad input (missing folder or file, unknown rows, dtype, NaN, pseudo labels not 0/1).
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>

#include "core/error.h"
#include "core/feature_dataset.h"
#include "core/npy.h"
#include "tests/test_util.h"

namespace fs = std::filesystem;
using namespace avvp::core;
using avvp::test::errorOf;

namespace {

class Features : public ::testing::Test {
  protected:
    void SetUp() override {
        for (const char* f : {"audio", "visual", "pseudo_audio", "pseudo_visual"})
            fs::create_directories(root_ / f);
        for (const char* id : {"aaaaaaaaaaa", "bbbbbbbbbbb"}) write(id, {64, 768}, {10, 768});
    }

    void write(const std::string& id, FeatureShape a, FeatureShape v) {
        writeNpy(root_ / "audio" / (id + ".npy"),
                 std::vector<float>(static_cast<std::size_t>(a.rows * a.dim), 0.5F),
                 {a.rows, a.dim});
        writeNpy(root_ / "visual" / (id + ".npy"),
                 std::vector<float>(static_cast<std::size_t>(v.rows * v.dim), 0.25F),
                 {v.rows, v.dim});
        std::vector<std::int64_t> p(250, 0);
        p[3] = 1;
        writeNpy(root_ / "pseudo_audio" / (id + ".npy"), p, {10, 25});
        writeNpy(root_ / "pseudo_visual" / (id + ".npy"), p, {10, 25});
    }
    std::vector<FeatureVideo> videos() const {
        return {{"aaaaaaaaaaa_0_10", "aaaaaaaaaaa", 1}, {"bbbbbbbbbbb_30_40", "bbbbbbbbbbb", 2}};
    }
    avvp::test::TempDir tmp_{"avvp_feat"};
    fs::path root_ = tmp_.path();
};

}  // namespace

TEST_F(Features, KindsFollowTheRows) {
    EXPECT_EQ(audioFeatureFromRows(64), AudioFeature::ClapTokens);
    EXPECT_EQ(audioFeatureFromRows(10), AudioFeature::Vggish);
    EXPECT_EQ(visualFeatureFromRows(10), VisualFeature::Clip);
    EXPECT_EQ(visualFeatureFromRows(80), VisualFeature::Resnet);
    EXPECT_FALSE(audioFeatureFromRows(80));
    const FeatureDataset ds(root_, videos());
    EXPECT_EQ(ds.spec().audio, AudioFeature::ClapTokens);
    EXPECT_EQ(ds.spec().visual, VisualFeature::Clip);
    EXPECT_FALSE(ds.spec().motion);
    EXPECT_TRUE(ds.spec().pseudo);
    const auto f = ds.load(1);
    EXPECT_EQ(f.audio.size(), 64U * 768U);
    EXPECT_EQ(f.visual[0], 0.25F);
    EXPECT_EQ(f.pseudoAudio[3], 1.0F);
    EXPECT_TRUE(f.motion.empty());
}

TEST_F(Features, MotionIsUsedWhenPresent) {
    fs::create_directories(root_ / "motion");
    for (const char* id : {"aaaaaaaaaaa", "bbbbbbbbbbb"})
        writeNpy(root_ / "motion" / (std::string(id) + ".npy"), std::vector<float>(5120, 1.0F),
                 {10, 512});
    const FeatureDataset ds(root_, videos());
    EXPECT_TRUE(ds.spec().motion);
    EXPECT_EQ(ds.load(0).motion.size(), 5120U);
    const FeatureDataset off(root_, videos(), {StreamUse::Off, StreamUse::Off});
    EXPECT_FALSE(off.spec().motion);
    EXPECT_FALSE(off.spec().pseudo);
}

TEST_F(Features, MissingFoldersAndFiles) {
    EXPECT_NE(errorOf([&] {
                  FeatureDataset(root_, videos(), {StreamUse::Required, StreamUse::Auto});
              }).find("motion: missing folder"),
              std::string::npos);
    fs::remove(root_ / "visual/bbbbbbbbbbb.npy");
    EXPECT_NE(
        errorOf([&] { FeatureDataset(root_, videos()); }).find("visual/bbbbbbbbbbb.npy: missing"),
        std::string::npos);
    fs::remove_all(root_ / "audio");
    EXPECT_NE(errorOf([&] { FeatureDataset(root_, videos()); }).find("audio: missing folder"),
              std::string::npos);
}

// StreamUse::AnyVideo: pseudo labels are used when any video has a file of them (then all
// must), and left out, not missing, when none has.
TEST_F(Features, PseudoLabelsOfAnyVideo) {
    const FeatureDatasetOptions any{StreamUse::Off, StreamUse::AnyVideo};
    EXPECT_TRUE(FeatureDataset(root_, videos(), any).spec().pseudo);
    fs::remove(root_ / "pseudo_audio/bbbbbbbbbbb.npy");
    fs::remove(root_ / "pseudo_visual/bbbbbbbbbbb.npy");
    fs::remove(root_ / "pseudo_audio/aaaaaaaaaaa.npy");
    EXPECT_NE(errorOf([&] {
                  FeatureDataset(root_, videos(), any);
              }).find("pseudo_audio/aaaaaaaaaaa.npy: missing"),
              std::string::npos);
    fs::remove(root_ / "pseudo_visual/aaaaaaaaaaa.npy");
    EXPECT_FALSE(FeatureDataset(root_, videos(), any).spec().pseudo);
    // Auto still asks for every file once the folders exist.
    EXPECT_NE(errorOf([&] { FeatureDataset(root_, videos()); }).find("missing"), std::string::npos);
}

TEST_F(Features, UnknownRowsAndMixedShapes) {
    write("aaaaaaaaaaa", {32, 768}, {10, 768});
    EXPECT_NE(errorOf([&] {
                  FeatureDataset(root_, videos());
              }).find("audio features with 32 rows: expected 64 (CLAP token maps) or 10 (VGGish)"),
              std::string::npos);
    write("aaaaaaaaaaa", {64, 768}, {10, 768});
    write("bbbbbbbbbbb", {10, 128}, {10, 768});  // another kind than the first video
    const FeatureDataset ds(root_, videos());
    EXPECT_NE(errorOf([&] { ds.load(1); }).find("shape (10, 128), expected (64, 768)"),
              std::string::npos);
}

TEST_F(Features, BadValuesAndDtypes) {
    std::vector<float> a(64 * 768, 0.0F);
    a[770] = std::nanf("");
    writeNpy(root_ / "audio/aaaaaaaaaaa.npy", a, {64, 768});
    const FeatureDataset ds(root_, videos());
    EXPECT_NE(errorOf([&] { ds.load(0); }).find("NaN at element [1, 2]"), std::string::npos);

    // int32 is not a feature dtype.
    std::string header = "{'descr': '<i4', 'fortran_order': False, 'shape': (10, 768), }";
    header.append(64 - (10 + header.size() + 1) % 64, ' ');
    std::ofstream out(root_ / "visual/bbbbbbbbbbb.npy", std::ios::binary);
    out << "\x93NUMPY" << '\x01' << '\x00' << static_cast<char>(header.size() + 1) << '\x00'
        << header << '\n'
        << std::string(10 * 768 * 4, '\0');
    out.close();
    EXPECT_NE(errorOf([&] { ds.load(1); }).find("unsupported dtype '<i4'"), std::string::npos);

    std::vector<std::int64_t> p(250, 0);
    p[7] = 2;
    writeNpy(root_ / "pseudo_visual/aaaaaaaaaaa.npy", p, {10, 25});
    writeNpy(root_ / "audio/aaaaaaaaaaa.npy", std::vector<float>(64 * 768, 0.0F), {64, 768});
    EXPECT_NE(
        errorOf([&] { ds.load(0); }).find("pseudo labels must be 0 or 1; element [0, 7] is 2"),
        std::string::npos);
}
