#pragma once
// The feature kinds of VALOR's layout (docs/model.md section 1) and the folders a
// feature root holds. One `.npy` per video and stream, named `<11-char id>.npy`:
//
//   <root>/audio/<id>.npy          CLAP token maps (64, 768) or VGGish (10, 128)
//   <root>/visual/<id>.npy         CLIP ViT-L/14 (10, 768) or ResNet152 (80, 2048)
//   <root>/motion/<id>.npy         R(2+1)D-18 (10, 512), optional
//   <root>/pseudo_audio/<id>.npy   segment pseudo labels (10, 25) int64 {0,1}
//   <root>/pseudo_visual/<id>.npy  segment pseudo labels (10, 25) int64 {0,1}
//
// Like VALOR, the frontend is chosen by the number of rows: 64 rows are CLAP tokens,
// 80 rows are ResNet frames; 10 rows are per-segment vectors (VGGish / CLIP). The
// feature width is free (recorded in a model's config and checked against it).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace avvp::core {

struct FeatureFolders {
    static constexpr const char* audio = "audio";
    static constexpr const char* visual = "visual";
    static constexpr const char* motion = "motion";
    static constexpr const char* pseudoAudio = "pseudo_audio";
    static constexpr const char* pseudoVisual = "pseudo_visual";
};

enum class AudioFeature : std::uint8_t { ClapTokens, Vggish };
enum class VisualFeature : std::uint8_t { Clip, Resnet };

struct FeatureShape {
    std::int64_t rows = 0;
    std::int64_t dim = 0;
};

// The standard shapes of model.md section 1.
inline constexpr FeatureShape kClapTokensShape{64, 768};
inline constexpr FeatureShape kVggishShape{10, 128};
inline constexpr FeatureShape kClipShape{10, 768};
inline constexpr FeatureShape kResnetShape{80, 2048};
inline constexpr FeatureShape kMotionShape{10, 512};
inline constexpr int kResnetFramesPerSegment = 8;

FeatureShape standardShape(AudioFeature k);
FeatureShape standardShape(VisualFeature k);

// "clap" / "vggish", "clip" / "resnet"; parsing accepts exactly these names.
std::string_view featureName(AudioFeature k);
std::string_view featureName(VisualFeature k);
std::optional<AudioFeature> audioFeatureFromName(std::string_view name);
std::optional<VisualFeature> visualFeatureFromName(std::string_view name);

// Videos longer than one model window (core::kWindowSegments) have one feature file per
// 10-segment window, named as `avvp features` writes them (LLP's naming):
//   <id>_0_10.npy, <id>_10_20.npy, ...  (the last window padded)
// while a video of one window keeps <id>.npy. The label store records such a video's
// features of a kind as the path of window 0 with the shape {windows, rows, dim}.
// The name (without .npy) of window `window` of `windows`.
std::string featureWindowName(std::string_view id, int window, int windows);
// The file of window `window`, given the file of window 0 (<dir>/<id>_0_10.npy): the same
// folder, <id>_<10 w>_<10 w + 10>.npy. Throws std::invalid_argument when the path does not
// end in _0_10.npy.
std::string featureWindowPath(std::string_view firstWindowPath, int window);

// The kind a (rows, dim) array is, by its rows; nullopt for a row count no frontend takes.
std::optional<AudioFeature> audioFeatureFromRows(std::int64_t rows);
std::optional<VisualFeature> visualFeatureFromRows(std::int64_t rows);

}  // namespace avvp::core
