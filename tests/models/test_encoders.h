#pragma once
// TorchScript encoder folders made from C++ for tests and benchmarks (no Python): tiny
// encoders whose outputs are simple functions of their inputs, so a test can compute
// what they must return, and dummy encoders as costly as CLIP ViT-L/14 and HTS-AT (random
// weights) for throughput measurements. Plain types only: callers need no LibTorch.
#include <cstdint>
#include <filesystem>
#include <span>
#include <vector>

namespace avvp::test {

struct TinyEncoderOptions {
    bool image = true;
    bool audio = true;
    int imageSize = 32;
    std::int64_t dim = 12;
    int framesPerSecond = 1;
    bool l2Normalize = false;
    int imageBatch = 4;
    int sampleRate = 8000;
    double seconds = 10.0;
    std::int64_t tokens = 64;  // audio output (tokens, width)
    std::int64_t width = 16;
    // Dimension written into the manifest (-1: the real one), to test mismatches.
    std::int64_t manifestDim = -1;
};

// Writes folder/manifest.json, image.pt and audio.pt. The image module maps each image to
// out[j] = mean of channel (j % 3) * (1 + 0.01 j); the audio module maps the samples to
// out[i][j] = mean square (energy) of the i-th of `tokens` equal chunks * (1 + j / width).
void writeTinyEncoders(const std::filesystem::path& folder, const TinyEncoderOptions& o = {});

// What the tiny modules return, computed without LibTorch.
std::vector<float> tinyImageFeatures(std::span<const float> images, std::int64_t count, int size,
                                     std::int64_t dim);
std::vector<float> tinyAudioFeatures(std::span<const float> samples, std::int64_t tokens,
                                     std::int64_t width);

// Dummy encoders with random weights and about the cost of the real ones: a ViT-L/14
// image tower (patch 14, width 1024, 16 heads, MLP 4096, `imageLayers` layers, one
// weight set shared by all layers to keep the file small) projecting to 768, and an
// audio transformer (256 tokens, width 768, 4 layers) returning (64, 768).
void writeDummyEncoders(const std::filesystem::path& folder, int imageLayers = 24);

}  // namespace avvp::test
