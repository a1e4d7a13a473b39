#pragma once
// TorchScript feature encoders (CLIP image, CLAP audio, or any encoder with the same
// contract) loaded from a folder the user chooses. Plain types only: no LibTorch types,
// so Qt code and the FFmpeg-based CLI plugin include it freely.
//
// The folder holds `manifest.json` and the TorchScript files it names:
//
//   {
//     "format": "avvp-encoders", "version": 1,
//     "image": {
//       "name": "CLIP ViT-L/14 image encoder (projected)",
//       "file": "clip_vit_l14_image.pt",
//       "input":  { "size": 224, "mean": [0.48145466, 0.4578275, 0.40821073],
//                   "std": [0.26862954, 0.26130258, 0.27577711], "frames_per_second": 1 },
//       "output": { "dim": 768, "l2_normalize": true },
//       "layout": "clip", "folder": "visual", "batch": 10
//     },
//     "audio": {
//       "name": "LAION-CLAP HTS-AT token map",
//       "file": "clap_htsat_audio.pt",
//       "input":  { "sample_rate": 48000, "seconds": 10 },
//       "output": { "shape": [64, 768] },
//       "layout": "clap-tokens", "folder": "audio"
//     }
//   }
//
// Contract of the modules: the image module's forward takes a float32 tensor
// (N, 3, size, size), normalised as `input` says, and returns (N, dim); the audio
// module's forward takes (1, round(seconds * sample_rate)) mono samples in [-1, 1] and
// returns (1, *shape) or (*shape). Either part may be absent. One window of 10
// one-second segments gives an image feature array of (10 * frames_per_second, dim)
// (CLIP: (10, 768); ResNet layout: (80, 2048)) and an audio array of `shape`.
#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "models/export.h"

namespace avvp::models {

struct ImageEncoderSpec {
    std::string name;
    std::filesystem::path file;  // resolved against the folder
    int size = 224;
    std::array<float, 3> mean{0.48145466f, 0.4578275f, 0.40821073f};
    std::array<float, 3> std{0.26862954f, 0.26130258f, 0.27577711f};
    int framesPerSecond = 1;
    std::int64_t dim = 768;
    bool l2Normalize = false;  // normalise each frame's vector after the module
    std::string layout = "clip";
    std::string folder = "visual";
    int batch = 10;  // frames per forward call
};

struct AVVP_MODELS_API AudioEncoderSpec {
    std::string name;
    std::filesystem::path file;
    int sampleRate = 48000;
    double seconds = 10.0;
    std::vector<std::int64_t> shape{64, 768};
    std::string layout = "clap-tokens";
    std::string folder = "audio";

    std::int64_t samples() const;     // round(seconds * sampleRate)
    std::int64_t outputSize() const;  // product of shape
};

struct EncoderManifest {
    std::filesystem::path folder;
    std::optional<ImageEncoderSpec> image;
    std::optional<AudioEncoderSpec> audio;
};

// Reads and checks `folder/manifest.json` (and that the files it names exist). Throws
// core::InputError naming the manifest, the line for syntax errors, and the field.
AVVP_MODELS_API EncoderManifest readEncoderManifest(const std::filesystem::path& folder);

// The loaded encoders on one device. Not thread-safe: one caller at a time.
class AVVP_MODELS_API EncoderSet {
  public:
    // `device`: "auto" (CUDA when available), "cpu", "cuda" or "cuda:N". Throws
    // core::InputError for a bad manifest or module, std::invalid_argument for a device
    // that is not there.
    explicit EncoderSet(const std::filesystem::path& folder, const std::string& device = "auto");
    ~EncoderSet();
    EncoderSet(const EncoderSet&) = delete;
    EncoderSet& operator=(const EncoderSet&) = delete;

    const EncoderManifest& manifest() const;
    const std::string& device() const;  // the resolved device, e.g. "cpu", "cuda:0"

    // `count` images, (count, 3, size, size) floats -> (count, dim) floats. Throws
    // core::InputError when the module's output does not match the manifest.
    std::vector<float> encodeImages(std::span<const float> images, std::int64_t count);
    // One window of mono samples (spec.samples() of them) -> product(shape) floats.
    std::vector<float> encodeAudio(std::span<const float> samples);

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace avvp::models
