#pragma once
// Plain values the label store hands out and takes in (no Qt types): videos, events with
// their provenance, history entries, model runs, evaluations, probabilities.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/llp_dataset.h"
#include "core/taxonomy.h"

namespace avvp::store {

using VideoId = std::int64_t;
using EventId = std::int64_t;
using EditId = std::int64_t;
using ModelId = std::int64_t;
using RunId = std::int64_t;
using EvaluationId = std::int64_t;

// Milliseconds since 1970-01-01 UTC.
using Timestamp = std::int64_t;

// Where an event comes from.
enum class Source : std::uint8_t { GroundTruth = 0, Prediction = 1, Correction = 2 };
inline constexpr std::array<Source, 3> kSources = {Source::GroundTruth, Source::Prediction,
                                                   Source::Correction};
std::string_view sourceName(Source s);  // "ground_truth", "prediction", "correction"
// Also accepts the short forms "gt", "pred", "corr".
std::optional<Source> sourceFromName(std::string_view name);

// The review state of a predicted event (accept / reject in the annotation workflow).
enum class Review : std::uint8_t { None = 0, Accepted = 1, Rejected = 2 };
std::string_view reviewName(Review r);

struct Video {
    VideoId id = 0;
    std::string filename = {};              // LLP: <11-char YouTube id>_<start>_<end>
    std::optional<core::Split> split = {};  // none for the user's own videos
    std::int64_t durationMs = 0;            // 0 when unknown
    std::string mediaPath = {};             // "" when no media file is known
    core::ClassSet weak = 0;                // video-level (weak) labels
    // Dense ground truth exists for audio / visual (even when it holds no event).
    std::array<bool, 2> groundTruth = {false, false};
    Timestamp addedAt = 0;

    bool hasGroundTruth(core::Modality m) const { return groundTruth[static_cast<std::size_t>(m)]; }
    // The length on the timeline and in scoring: the duration, or LLP's 10 s when unknown.
    std::int64_t lengthMs() const { return core::lengthMs(durationMs); }
    int segments() const { return core::segmentCount(durationMs); }
    // An LLP clip (10 s long): a video of a split, or one named like LLP's clips
    // (<11-char id>_<start>_<start + 10>).
    bool isLlpClip() const { return split.has_value() || core::isLlpClipName(filename); }
    // The latest time an event of the video may end: its duration; LLP's 10 s for a clip
    // of unknown duration; nullopt (any time) for another video of unknown duration, which
    // keeps the length its labels give it.
    std::optional<std::int64_t> eventLimitMs() const {
        if (durationMs > 0) return durationMs;
        if (isLlpClip()) return core::kLlpClipMs;
        return std::nullopt;
    }
};

// A row of the video browser: the video plus counts for its columns and filters.
struct VideoSummary {
    Video video;
    std::array<int, 2> gtEvents = {0, 0};  // per modality
    int predictionEvents = 0;
    int correctionEvents = 0;
    bool hasProbabilities = false;  // per-segment probabilities of some run
    // Audio and visual labels (of the filter's label source) disagree: some class is
    // heard where it is not seen or seen where it is not heard.
    bool nonAligned = false;
    std::vector<std::string> features = {};  // feature kinds available ("audio", "visual", ...)
};

struct VideoFilter {
    std::optional<core::Split> split = {};
    bool withoutSplit = false;  // only videos in no split (the user's own)
    // The class occurs: in the weak labels or in events of `labelSource` (of
    // `modality` when set).
    std::optional<int> cls = {};
    // Alone: the video has events of `labelSource` in this modality.
    std::optional<core::Modality> modality = {};
    std::optional<bool> hasGroundTruth = {};  // dense ground truth of any modality
    std::optional<bool> hasPredictions = {};  // prediction events or probabilities (of `run`)
    std::optional<RunId> run = {};
    bool nonAlignedOnly = false;
    std::string text = {};  // substring of the filename (case-sensitive)
    Source labelSource = Source::GroundTruth;
};

struct NewVideo {
    std::string filename = {};
    std::optional<core::Split> split = {};
    std::int64_t durationMs = 0;
    std::string mediaPath = {};
};

// A feature file of a video (VALOR layout: <root>/<kind>/<11-char id>.npy).
struct Feature {
    std::string kind = {};  // the folder: "audio", "visual", "motion", ...
    std::string path = {};
    std::vector<std::int64_t> shape = {};  // from the .npy header
};

struct Event {
    EventId id = 0;
    VideoId video = 0;
    core::Modality modality = core::Modality::Audio;
    int cls = 0;
    std::int64_t onsetMs = 0;
    std::int64_t offsetMs = 0;  // exclusive
    Source source = Source::GroundTruth;
    std::optional<RunId> run = {};       // predictions: their run; corrections accepted from one
    std::string annotator = {};          // who made or last edited it ("" for imports and models)
    std::optional<EventId> origin = {};  // a correction accepted from this predicted event
    Review review = Review::None;
    Timestamp createdAt = 0;
    Timestamp modifiedAt = 0;

    bool operator==(const Event&) const = default;
};

struct EventFilter {
    std::optional<VideoId> video = {};
    std::optional<core::Split> split = {};
    std::optional<Source> source = {};
    std::optional<RunId> run = {};
    std::optional<std::string> annotator = {};
    std::optional<core::Modality> modality = {};
};

// An event to store in bulk (imports, model output).
struct NewEvent {
    core::Modality modality = core::Modality::Audio;
    int cls = 0;
    std::int64_t onsetMs = 0;
    std::int64_t offsetMs = 0;
    // Provenance beyond what the group says (Store::replaceEvents): a prediction's review
    // and reviewer, the run a correction was accepted from, an edited event's annotator.
    Review review = Review::None;
    std::string annotator = {};
    std::optional<RunId> run = {};
};

enum class HistoryState : std::uint8_t {
    Done = 0,     // applied; the next undo candidate when it is the latest
    Undone = 1,   // on the redo stack
    Dropped = 2,  // undone and then superseded by a new edit: kept for the record only
};

// One entry of an annotator's edit history (one edit or one batch of edits).
struct HistoryEntry {
    EditId id = 0;
    std::string kind = {};  // "add", "move", ..., or "batch"
    std::string description = {};
    std::string annotator = {};
    Timestamp at = 0;
    HistoryState state = HistoryState::Done;
    Timestamp stateAt = 0;             // when it was last undone / redone
    std::vector<EventId> events = {};  // the events it changed
};

struct Model {
    ModelId id = 0;
    std::string name = {};     // unique
    std::string variant = {};  // "link", "valor", "leap", "han", ...
    std::string checkpoint = {};
    std::string config = {};  // JSON
    Timestamp createdAt = 0;
};

struct Run {
    RunId id = 0;
    std::string name = {};  // unique
    std::optional<ModelId> model = {};
    std::string params = {};  // JSON
    float frameThreshold = 0.5F;
    float globalThreshold = 0.5F;
    Timestamp createdAt = 0;
};

// A named float32 array in C order that a model run computed for one video (its batch
// dimension is 1), e.g. "frame_att" (1, 10, 2, 25).
struct OutputArray {
    std::string name;
    std::vector<std::int64_t> shape = {};
    std::vector<float> data = {};
    bool operator==(const OutputArray&) const = default;
};

// Per-segment probabilities of one video from one run: frame is T x 2 x 25 (index
// core::frameIndex(t, modality, class)), global 25 (video-level).
struct SegmentProbabilities {
    VideoId video = 0;
    int segments = core::kLlpSegments;
    std::vector<float> frame = {};
    // 25 values, or 25 per model window (core::windowCount(segments)) for a video run in
    // windows: window w's gate applies to segments [10 w, 10 w + 10) (core::thresholdGrids).
    std::vector<float> global = {};
};

// The ten AVVP scores of a prediction or correction set against the ground truth.
struct Evaluation {
    EvaluationId id = 0;
    std::optional<RunId> run = {};
    Source source = Source::Prediction;
    std::string annotator = {};
    std::string split = {};     // "test", "val", ... or a description of the video set
    std::string protocol = {};  // e.g. core::kAvvpProtocol
    int videos = 0;
    std::array<double, 10> scores{};  // segment A, V, AV, Type, Event; event level likewise
    std::string details = {};         // JSON (per class counts, ...)
    Timestamp createdAt = 0;
};

struct StoreInfo {
    std::string path = {};
    int schemaVersion = 0;
    std::string annotator = {};
    std::int64_t videos = 0;
    std::array<std::int64_t, 4> videosPerSplit{};  // train, val, test, none
    std::array<std::int64_t, 3> eventsPerSource{};
    std::int64_t edits = 0;
    std::int64_t runs = 0;
    std::int64_t models = 0;
    std::int64_t evaluations = 0;
};

}  // namespace avvp::store
