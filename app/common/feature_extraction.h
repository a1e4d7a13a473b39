#pragma once
// Feature extraction of one video with TorchScript encoders (models/encoders.h), in
// VALOR's layout, one 10-segment window at a time: what `avvp features` runs for each video
// it is given and what the app's Extract Features job (app/workspace/feature_extraction.h)
// runs for the videos of a project. No Qt (core/media for decoding, the models facade for
// the encoders), so the CLI plugin and the workflow library share it.
//
//   FeatureExtractor x(encoderFolder, "auto");          // loads the manifest's modules
//   auto v = x.extract(videoFile, id, out, {}, &progress);  // <out>/<folder>/<name>.npy.part
//   v.commit();                                          // renamed into place
//
// Windows (core::kWindowSegments segments from t = 0, the last one padded) are written as
// <id>_0_10.npy, <id>_10_20.npy, ... for a video of several windows and as <id>.npy for
// one window (core::featureWindowName). Every file is first written as `<file>.part`; the
// caller renames the files of a video with commit() or removes them with discard(), so a
// cancelled or failed extraction leaves no half-written feature file. extract() itself
// removes what it wrote when it throws (an error, or core::Cancelled between windows).
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/progress.h"

namespace avvp::models {
class EncoderSet;
struct EncoderManifest;
}  // namespace avvp::models

namespace avvp::app {

// Which encoders run (`avvp features --only`).
enum class FeatureStreams { Both, Visual, Audio };

// One feature file of a video: the manifest's folder (the feature kind: "visual",
// "audio"), the final path and the array's shape.
struct FeatureFile {
    std::string kind;
    std::filesystem::path path;
    std::vector<std::int64_t> shape;
};

struct ExtractedWindow {
    std::string name;  // file name without .npy: <id>, or <id>_<start>_<end>
    int start = 0;     // first segment
    int end = 0;       // one past the last segment (start + 10)
    int valid = 0;     // segments inside the video
};

struct ExtractedVideo {
    std::filesystem::path video;
    std::string id;
    double duration = 0.0;  // seconds, from the media
    std::vector<ExtractedWindow> windows;
    // Per kind (image encoder's folder first), in window order. Written as `<path>.part`
    // until commit().
    std::vector<FeatureFile> files;
    bool skipped = false;      // every file was there already (nothing written)
    bool silentAudio = false;  // no audio stream: its audio features are those of silence
    // The decode check made before anything is written (core/media/decode_check.h): the
    // smaller of the fractions of the expected video frames and audio seconds the decoders
    // returned (of the streams the encoders use), the decode errors, and a summary
    // ("98.8 % of the video frames (79 of 80), ..., 1 decode error"). Empty when skipped.
    double decodedFraction = 1.0;
    std::int64_t decodeErrors = 0;
    std::string decodeSummary;

    // Renames the `.part` files into place (throws core::InputError naming the file that
    // cannot be renamed) / removes them. Both do nothing once either was called.
    void commit();
    void discard();
    bool pending() const { return pending_; }

  private:
    friend class FeatureExtractor;
    bool pending_ = false;
};

// Time spent, summed over the videos extracted (the CLI's summary).
struct ExtractionTimings {
    double loadSeconds = 0.0;
    double decodeSeconds = 0.0;  // decoding + preprocessing
    double encodeSeconds = 0.0;  // the encoders
};

class FeatureExtractor {
  public:
    // Loads the encoders of `encoders` (its manifest.json) on `device` ("auto", "cpu",
    // "cuda", "cuda:N"). Throws core::InputError for a missing or bad manifest or module,
    // std::invalid_argument for an unknown device or a stream the folder has no encoder
    // for (FeatureStreams::Audio without an audio encoder, ...).
    explicit FeatureExtractor(const std::filesystem::path& encoders,
                              const std::string& device = "auto",
                              FeatureStreams streams = FeatureStreams::Both);
    ~FeatureExtractor();
    FeatureExtractor(const FeatureExtractor&) = delete;
    FeatureExtractor& operator=(const FeatureExtractor&) = delete;

    const models::EncoderManifest& manifest() const;
    const std::string& device() const;  // the resolved device, e.g. "cpu"
    bool image() const { return image_; }
    bool audio() const { return audio_; }
    // The folders (feature kinds) this extractor writes, image first.
    std::vector<std::string> kinds() const;
    const ExtractionTimings& timings() const { return timings_; }

    // Options::minDecoded's default: refuse a video with under 90 % of it decoded.
    static constexpr double kDefaultMinDecoded = 0.9;

    struct Options {
        bool overwrite = false;  // false: a video whose files all exist is skipped
        // The one-second segments to cover (the windows follow); default: the media's.
        std::optional<int> segments = {};
        // A video whose decoded fraction (ExtractedVideo::decodedFraction) is below this is
        // refused (core::InputError naming the video, the fractions and the decode
        // errors) and nothing is written for it: a damaged file. 0 accepts any.
        double minDecoded = kDefaultMinDecoded;
    };

    // Extracts one video as `id` into `out`/<kind>/ (the folders must exist).
    // `progress` hears the fraction of this video done and "window k of W"; it is checked
    // for cancellation between windows (core::Cancelled). Throws core::InputError
    // (media::MediaError) naming the video: not media, no video stream for the image
    // encoder, a damaged video (below Options::minDecoded), an encoder output that does
    // not fit the manifest, ...
    ExtractedVideo extract(const std::filesystem::path& video, const std::string& id,
                           const std::filesystem::path& out, const Options& options,
                           core::Progress* progress = nullptr);

  private:
    std::unique_ptr<models::EncoderSet> encoders_;
    bool image_ = false;
    bool audio_ = false;
    ExtractionTimings timings_;
};

// Writes <out>/index.tsv (name, video, start, end, valid_segments, duration), keeping
// the rows of earlier runs for videos not among `videos`. Written under a temporary name
// and renamed. Throws core::InputError when it cannot be written.
void writeFeatureIndex(const std::filesystem::path& out, const std::vector<ExtractedVideo>& videos);

}  // namespace avvp::app
