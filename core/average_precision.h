#pragma once
// Threshold-free evaluation from stored probabilities (issue 20, item 2): per-class
// average precision and precision-recall curves at segment level.
//
// Cells: every 1 s segment of every video, per class. The score of an audio (visual)
// cell is its frame probability; an audio-visual cell scores the smaller of the two and
// is positive when both audio and visual ground truth hold the class. The global
// (video-level) gate is not applied: AP measures the ranking of the segment
// probabilities themselves.
//
// AP is the area under the step-interpolated precision-recall curve, as scikit-learn's
// average_precision_score: with the cells sorted by score, high to low, and one operating
// point per distinct score (ties taken together), AP = sum_k (R_k - R_{k-1}) P_k, R_0 = 0.
// A class with no positive cell has no AP (NaN) and is left out of the mean (mAP).
#include <array>
#include <ostream>
#include <span>
#include <string>
#include <vector>

#include "core/calibration.h"

namespace avvp::core {

inline constexpr const char* kSegmentApProtocol = "segment-level AP, 1 s segments";

struct PrPoint {
    double threshold = 0.0;  // the cell is on when its score reaches it
    double precision = 1.0;
    double recall = 0.0;
};

// One point per distinct score, from the highest down.
std::vector<PrPoint> precisionRecallCurve(std::span<const float> scores,
                                          std::span<const char> labels);
// NaN when no label is positive.
double averagePrecision(std::span<const float> scores, std::span<const char> labels);

// "audio", "visual", "audio-visual".
inline constexpr std::array<const char*, 3> kApModalities = {"audio", "visual", "audio-visual"};

struct ApClass {
    int modality = 0;  // index into kApModalities
    int cls = 0;
    long positives = 0, cells = 0;
    double ap = 0.0;  // NaN without positives
    std::vector<PrPoint> curve;
};

struct ApReport {
    std::string protocol = kSegmentApProtocol;
    int videos = 0;
    std::vector<ApClass> classes;     // modality-major, 25 per modality
    std::array<double, 3> map{};      // mean over the classes with positives (NaN: none)
    std::array<int, 3> scored{};      // how many classes have positives
    std::array<double, 3> microAp{};  // AP of all classes' cells pooled
    std::array<std::vector<PrPoint>, 3> microCurve;  // at most ~500 points each
};

ApReport segmentAveragePrecision(const std::vector<ScoredVideo>& videos);

// Per modality the mAP and micro AP, then per class AP (text, for the terminal).
void writeApText(std::ostream& out, const ApReport& r, const std::string& title);
// One row per modality and class: modality, class, positives, cells, ap.
void writeApTsv(std::ostream& out, const ApReport& r);
// Every class's curve: modality, class, threshold, precision, recall (the pooled curve of
// a modality under the class "all").
void writePrTsv(std::ostream& out, const ApReport& r);
// The pooled precision-recall curve of each modality, titled with the protocol, its legend
// giving mAP and micro AP (an SVG document, 720 x 540).
void writePrSvg(std::ostream& out, const ApReport& r, const std::string& title);

}  // namespace avvp::core
