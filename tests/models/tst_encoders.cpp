// The TorchScript encoder facade (models/encoders.h): manifest checks with the field or
// line named, tiny encoders made here from C++ whose outputs are known, batching, L2
// normalisation, output-shape and module errors, device choice.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <functional>
#include <random>
#include <sstream>

#include "core/error.h"
#include "models/encoders.h"
#include "tests/models/test_encoders.h"

using namespace avvp::models;
using namespace avvp::test;
namespace fs = std::filesystem;

namespace {

class Encoders : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("avvp_tst_encoders_" + std::to_string(::getpid()));
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }

    // A folder with the tiny encoders whose manifest text is then edited by `edit`.
    fs::path withManifest(const std::string& name, const std::function<void(std::string&)>& edit) {
        const auto folder = dir_ / name;
        writeTinyEncoders(folder);
        std::ifstream in(folder / "manifest.json");
        std::stringstream ss;
        ss << in.rdbuf();
        std::string text = ss.str();
        edit(text);
        std::ofstream(folder / "manifest.json") << text;
        return folder;
    }

    static std::string errorOf(const fs::path& folder) {
        try {
            readEncoderManifest(folder);
        } catch (const avvp::core::InputError& e) {
            return e.what();
        }
        return "(no error)";
    }

    static void replace(std::string& s, const std::string& from, const std::string& to) {
        const auto at = s.find(from);
        ASSERT_NE(at, std::string::npos) << from;
        s.replace(at, from.size(), to);
    }

    static std::vector<float> randomData(std::size_t n, unsigned seed) {
        std::mt19937 rng(seed);
        std::normal_distribution<float> d(0.0f, 1.0f);
        std::vector<float> v(n);
        for (auto& x : v) x = d(rng);
        return v;
    }

    fs::path dir_;
};

}  // namespace

TEST_F(Encoders, ReadsTheManifest) {
    writeTinyEncoders(dir_ / "tiny", {.dim = 12, .framesPerSecond = 8, .l2Normalize = true});
    const auto m = readEncoderManifest(dir_ / "tiny");
    ASSERT_TRUE(m.image && m.audio);
    EXPECT_EQ(m.image->size, 32);
    EXPECT_EQ(m.image->dim, 12);
    EXPECT_EQ(m.image->framesPerSecond, 8);
    EXPECT_TRUE(m.image->l2Normalize);
    EXPECT_EQ(m.image->folder, "visual");
    EXPECT_FLOAT_EQ(m.image->mean[0], 0.48145466f);
    EXPECT_FLOAT_EQ(m.image->std[2], 0.27577711f);
    EXPECT_EQ(m.image->file, dir_ / "tiny" / "image.pt");
    EXPECT_EQ(m.audio->sampleRate, 8000);
    EXPECT_EQ(m.audio->samples(), 80000);
    EXPECT_EQ(m.audio->shape, (std::vector<std::int64_t>{64, 16}));
    EXPECT_EQ(m.audio->outputSize(), 64 * 16);
    EXPECT_EQ(m.audio->folder, "audio");
}

TEST_F(Encoders, ManifestErrorsNameTheFieldOrLine) {
    EXPECT_NE(errorOf(dir_ / "absent").find("no such encoder folder"), std::string::npos);
    fs::create_directories(dir_ / "empty");
    EXPECT_NE(errorOf(dir_ / "empty").find("manifest.json: cannot read"), std::string::npos);

    struct Case {
        std::string from, to, expected;
    };
    const std::vector<Case> cases = {
        {"\"format\": \"avvp-encoders\",", "\"format\": \"avvp-encoders\",,",
         "manifest.json:%LINE%: not valid JSON"},
        {"\"version\": 1", "\"version\": 1e400",
         "manifest.json: not valid JSON: number overflow parsing '1e400'"},
        {"\"avvp-encoders\"", "\"something\"", "format: must be \"avvp-encoders\""},
        {"\"version\": 1", "\"version\": 2", "version: only version 1"},
        {"\"size\": 32", "\"size\": -4", "image.input.size: must be an integer"},
        {"\"size\": 32", "\"size\": \"big\"", "image.input.size: must be an integer"},
        {"\"dim\": 12", "\"dims\": 12", "image.output.dims: unknown field"},
        {"0.26862954", "0.0", "image.input.std: values must be positive"},
        {"0.48145466,", "", "image.input.mean: must be a list of 3 numbers"},
        {"\"file\": \"image.pt\"", "\"file\": \"missing.pt\"", "image.file: no such file"},
        {"\"sample_rate\": 8000", "\"sample_rate\": 0", "audio.input.sample_rate"},
        {"\"seconds\": 10.0", "\"seconds\": -1", "audio.input.seconds: must be in (0, 600]"},
        {"\"folder\": \"audio\"", "\"folder\": \"visual\"", "audio.folder: must differ"},
        {"\"folder\": \"audio\"", "\"folder\": \"../x\"",
         "audio.folder: must be a plain folder name"},
    };
    int i = 0;
    for (const auto& c : cases) {
        std::string expected = c.expected;
        const auto folder = withManifest("case" + std::to_string(i++), [&](std::string& t) {
            const auto at = t.find(c.from);
            const auto line =
                1 + std::count(t.begin(), t.begin() + static_cast<std::ptrdiff_t>(at), '\n');
            if (const auto p = expected.find("%LINE%"); p != std::string::npos)
                expected.replace(p, 6, std::to_string(line));
            replace(t, c.from, c.to);
        });
        const auto err = errorOf(folder);
        EXPECT_NE(err.find(expected), std::string::npos) << "got: " << err;
        EXPECT_NE(err.find("manifest.json"), std::string::npos) << err;
    }
    const auto none = dir_ / "none";
    fs::create_directories(none);
    std::ofstream(none / "manifest.json") << R"({"format": "avvp-encoders", "version": 1})";
    EXPECT_NE(errorOf(none).find("names neither an image nor an audio encoder"), std::string::npos);
    // Found by fuzz/fuzz_encoder_manifest: four extents of 2^20 overflowed outputSize().
    const auto huge = dir_ / "huge";
    fs::create_directories(huge);
    std::ofstream(huge / "audio.pt") << "x";
    std::ofstream(huge / "manifest.json")
        << R"({"format": "avvp-encoders", "version": 1, "audio": {"file": "audio.pt",
              "input": {"sample_rate": 16000, "seconds": 1},
              "output": {"shape": [1048576, 1048576, 1048576, 1048576]}}})";
    EXPECT_NE(errorOf(huge).find("audio.output.shape: more than"), std::string::npos)
        << errorOf(huge);
}

// Issue 19, item 4: names and values read from the manifest are quoted in messages, control
// characters escaped (no raw ESC reaches the terminal) and long values cut.
TEST_F(Encoders, ManifestErrorsQuoteHostileValues) {
    const auto key = withManifest(
        "key", [&](std::string& t) { replace(t, "\"dim\": 12", "\"dim\\u001b[2J\": 12"); });
    auto err = errorOf(key);
    EXPECT_EQ(err.find('\x1b'), std::string::npos) << err;
    EXPECT_NE(err.find("'image.output.dim\\x1b[2J': unknown field"), std::string::npos) << err;

    const auto file = withManifest("file", [&](std::string& t) {
        replace(t, "\"file\": \"image.pt\"",
                "\"file\": \"\\u001b[2J" + std::string(10240, 'a') + "\"");
    });
    err = errorOf(file);
    EXPECT_EQ(err.find('\x1b'), std::string::npos) << err;
    EXPECT_NE(err.find("image.file: no such file: '"), std::string::npos) << err;
    EXPECT_LT(err.size(), 400u) << err.size();
}

TEST_F(Encoders, ImageFeaturesAreWhatTheModuleComputes) {
    writeTinyEncoders(dir_ / "tiny", {.dim = 12, .imageBatch = 4});
    EncoderSet set(dir_ / "tiny", "cpu");
    EXPECT_EQ(set.device(), "cpu");
    const std::int64_t n = 10;  // three forward calls of at most 4 images
    const auto images = randomData(static_cast<std::size_t>(n * 3 * 32 * 32), 1);
    const auto got = set.encodeImages(images, n);
    const auto want = tinyImageFeatures(images, n, 32, 12);
    ASSERT_EQ(got.size(), want.size());
    for (std::size_t i = 0; i < got.size(); ++i) ASSERT_NEAR(got[i], want[i], 1e-5) << i;
    EXPECT_TRUE(set.encodeImages({}, 0).empty());
    EXPECT_THROW(set.encodeImages(images, n + 1), std::invalid_argument);
}

TEST_F(Encoders, L2NormalisationWhenTheManifestAsksForIt) {
    writeTinyEncoders(dir_ / "l2", {.dim = 12, .l2Normalize = true});
    EncoderSet set(dir_ / "l2", "cpu");
    const auto images = randomData(3 * 3 * 32 * 32, 2);
    const auto got = set.encodeImages(images, 3);
    const auto raw = tinyImageFeatures(images, 3, 32, 12);
    for (int n = 0; n < 3; ++n) {
        double norm = 0, rawNorm = 0;
        for (int j = 0; j < 12; ++j) {
            norm += got[static_cast<std::size_t>(n * 12 + j)] *
                    got[static_cast<std::size_t>(n * 12 + j)];
            rawNorm += raw[static_cast<std::size_t>(n * 12 + j)] *
                       raw[static_cast<std::size_t>(n * 12 + j)];
        }
        EXPECT_NEAR(norm, 1.0, 1e-5);
        EXPECT_NEAR(got[static_cast<std::size_t>(n * 12 + 5)],
                    raw[static_cast<std::size_t>(n * 12 + 5)] / std::sqrt(rawNorm), 1e-5);
    }
}

TEST_F(Encoders, AudioFeaturesAreWhatTheModuleComputes) {
    writeTinyEncoders(dir_ / "tiny",
                      {.sampleRate = 8000, .seconds = 10.0, .tokens = 64, .width = 16});
    EncoderSet set(dir_ / "tiny", "cpu");
    const auto samples = randomData(80000, 3);
    const auto got = set.encodeAudio(samples);
    const auto want = tinyAudioFeatures(samples, 64, 16);
    ASSERT_EQ(got.size(), want.size());
    for (std::size_t i = 0; i < got.size(); ++i) ASSERT_NEAR(got[i], want[i], 1e-5) << i;
    EXPECT_THROW(set.encodeAudio(std::span<const float>(samples).first(100)),
                 std::invalid_argument);
}

TEST_F(Encoders, OutputsThatContradictTheManifestAreRefused) {
    writeTinyEncoders(dir_ / "wrong", {.dim = 12, .manifestDim = 16});
    EncoderSet set(dir_ / "wrong", "cpu");
    const auto images = randomData(2 * 3 * 32 * 32, 4);
    try {
        set.encodeImages(images, 2);
        FAIL() << "expected an InputError";
    } catch (const avvp::core::InputError& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("image.pt"), std::string::npos) << what;
        EXPECT_NE(what.find("returned (2, 12)"), std::string::npos) << what;
        EXPECT_NE(what.find("(2, 16)"), std::string::npos) << what;
    }
    // Audio shape edited in the manifest.
    const auto folder =
        withManifest("wrongaudio", [](std::string& t) { replace(t, "16\n", "32\n"); });
    EncoderSet audio(folder, "cpu");
    EXPECT_THROW(audio.encodeAudio(randomData(80000, 5)), avvp::core::InputError);
}

TEST_F(Encoders, ModulesThatAreNotTorchScriptAreRefused) {
    writeTinyEncoders(dir_ / "broken");
    std::ofstream(dir_ / "broken" / "image.pt") << "this is not a zip archive";
    try {
        EncoderSet set(dir_ / "broken", "cpu");
        FAIL() << "expected an InputError";
    } catch (const avvp::core::InputError& e) {
        EXPECT_NE(std::string(e.what()).find("image.pt: not a TorchScript module"),
                  std::string::npos)
            << e.what();
    }
}

TEST_F(Encoders, DevicesAreChecked) {
    writeTinyEncoders(dir_ / "tiny");
    EXPECT_THROW(EncoderSet(dir_ / "tiny", "gpu"), std::invalid_argument);
    EncoderSet any(dir_ / "tiny", "auto");
    EXPECT_TRUE(any.device() == "cpu" || any.device().rfind("cuda:", 0) == 0);
    if (any.device() == "cpu") {
        EXPECT_THROW(EncoderSet(dir_ / "tiny", "cuda"), std::invalid_argument);
    }
}
