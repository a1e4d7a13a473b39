#pragma once
// The uncertainty queue (issue 18, item 2): the cells of a model run (video x modality x
// class x 1 s segment) ranked by how much a person's look is worth. Three reasons, each
// a term of one score (README "Uncertainty queue"):
//
//   near threshold  the probabilities are close to flipping the cell's decision: margin m
//                   is how far they are from it (on: min(p - t, g - G); off: the largest
//                   shortfall of p below t and g below G, the frame threshold t of the
//                   cell's class and modality and the global gate G); the term is
//                   1 - m / window for m < window, else 0;
//   audio-visual    the class is predicted in this segment on one modality and not on the
//                   other (a non-aligned case): both cells of the pair get the term 1;
//   reference       the prediction disagrees with the reference labels of the video's
//                   modality (a person's corrections applied to the ground truth: the
//                   store's final labels); the term is 1, and the reason names which
//                   ("vs ground truth" or "vs correction").
//
//   score = near + audio-visual + 2 x reference
//
// Cells with a score of 0 are not queued. Order: score descending, then margin ascending,
// then video, segment, modality and class. Pure C++: the store reads the inputs
// (core/store/uncertainty_queue.h), the CLI and the GUI show the result.
#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/calibration.h"
#include "core/label_grid.h"
#include "core/progress.h"
#include "core/taxonomy.h"

namespace avvp::core {

// Reasons, a bit set.
enum QueueReason : unsigned {
    kQueueNear = 1U,
    kQueueAudioVisual = 2U,
    kQueueVsGroundTruth = 4U,
    kQueueVsCorrection = 8U,
};

// "near threshold, audio-visual, vs ground truth" (the CLI's and the panel's text).
std::string queueReasonText(unsigned reasons);

// One video's probabilities and its reference labels.
struct QueueVideo {
    std::string name;
    int segments = kLlpSegments;
    std::vector<float> frame;   // frameSize(segments), core::frameIndex layout
    std::vector<float> global;  // 25, or 25 per 10-segment window
    // The reference per modality (audio, visual); none: no reference for that modality.
    std::array<std::optional<LabelGrid>, 2> reference;
    // Whether the reference of a modality holds a person's corrections (the reason then
    // reads "vs correction"), else it is the ground truth.
    std::array<bool, 2> corrected = {false, false};
};

struct QueueOptions {
    ClassThresholds thresholds;  // what made the run's events
    float nearWindow = 0.1F;     // the margin under which "near threshold" counts
    std::optional<int> cls;      // only this class
    std::optional<Modality> modality;
    std::size_t limit = 0;  // the first N items; 0: all
    double nearWeight = 1.0, audioVisualWeight = 1.0, referenceWeight = 2.0;
};

struct QueueItem {
    std::size_t video = 0;  // index into the videos ranked
    Modality modality = Modality::Audio;
    int cls = 0;
    int segment = 0;
    float probability = 0.0F;  // the frame probability of the cell
    float global = 0.0F;       // the class's global probability gating it
    float threshold = 0.0F;    // the cell's frame threshold
    bool predicted = false;    // the cell is on
    double margin = 0.0;       // how far from flipping
    unsigned reasons = 0;
    double score = 0.0;
};

// Ranks every cell of `videos` (throws std::invalid_argument naming a video whose sizes do
// not fit). `progress` hears one step per video and may cancel.
std::vector<QueueItem> rankQueue(const std::vector<QueueVideo>& videos, const QueueOptions& options,
                                 Progress* progress = nullptr);

// The videos ranked by the sum of their items' scores (the queue's first look per video).
struct QueueVideoRank {
    std::size_t video = 0;
    double score = 0.0;
    int items = 0;
    unsigned reasons = 0;
};
std::vector<QueueVideoRank> rankQueueVideos(const std::vector<QueueItem>& items);

}  // namespace avvp::core
