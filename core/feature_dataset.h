#pragma once
// A feature folder in VALOR's layout (core/features.h) joined with the videos of a split:
// checks up front that every video has its files and that the folder holds one feature
// kind per stream, then loads one video at a time with every array validated (dtype,
// shape, NaN / Inf, pseudo labels in {0, 1}). Loading is const and thread-safe, so a
// prefetching reader can call it from another thread.
#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "core/features.h"
#include "core/llp_files.h"
#include "core/taxonomy.h"

namespace avvp::core {

struct FeatureVideo {
    std::string filename;  // LLP filename, e.g. "BjCEufrlXm4_20_30"
    std::string id;        // the 11-char feature id
    ClassSet weak = 0;     // video-level labels (0 when unknown)
};

// The videos of a weak-label (split) file, in file order.
std::vector<FeatureVideo> featureVideos(const WeakLabelFile& split);

struct FeatureSpec {
    AudioFeature audio = AudioFeature::ClapTokens;
    FeatureShape audioShape;
    VisualFeature visual = VisualFeature::Clip;
    FeatureShape visualShape;
    bool motion = false;
    FeatureShape motionShape;
    bool pseudo = false;  // both pseudo-label folders are used
};

struct VideoFeatures {
    std::vector<float> audio, visual, motion;      // rows × dim, C order (motion empty if unused)
    std::vector<float> pseudoAudio, pseudoVisual;  // 10 × 25 of 0 / 1 (empty if unused)
};

enum class StreamUse : std::uint8_t {
    Auto,      // used when its folder exists
    Required,  // its folder and every video's file must exist
    Off,       // ignored
    // Used when any of the videos has a file of it (then every video must): the
    // validation videos' pseudo labels, often made for the training videos only.
    AnyVideo,
};

struct FeatureDatasetOptions {
    StreamUse motion = StreamUse::Auto;
    StreamUse pseudo = StreamUse::Auto;
};

class FeatureDataset {
  public:
    // Throws InputError naming the first missing folder or file, or the first file whose
    // kind or shape differs from the first video's.
    FeatureDataset(std::filesystem::path root, std::vector<FeatureVideo> videos,
                   const FeatureDatasetOptions& options = {});

    const std::filesystem::path& root() const { return root_; }
    const FeatureSpec& spec() const { return spec_; }
    const std::vector<FeatureVideo>& videos() const { return videos_; }
    std::size_t size() const { return videos_.size(); }

    std::filesystem::path file(const char* folder, std::size_t i) const;
    VideoFeatures load(std::size_t i) const;

  private:
    std::filesystem::path root_;
    std::vector<FeatureVideo> videos_;
    FeatureSpec spec_;
};

// Reads a feature array and checks it: float32 / float64 / int64, exactly `rows × dim`
// (rows < 0 or dim < 0 accept any), finite. Returns the values as float32.
std::vector<float> loadFeatureArray(const std::filesystem::path& file, std::int64_t rows,
                                    std::int64_t dim);
// Reads segment pseudo labels: (10, 25), every value 0 or 1.
std::vector<float> loadPseudoLabels(const std::filesystem::path& file);

}  // namespace avvp::core
