#pragma once
// Inter-annotator agreement of two label sets over the same videos: the ten AVVP scores of
// one set against the other (the reference) from the AVVP scorer itself (evaluateRows,
// exactly as `avvp eval` scores predictions against ground truth), Cohen's kappa per class
// and modality over one-second segments, and the videos ranked by disagreement.
#include <array>
#include <optional>
#include <string>
#include <vector>

#include "core/evaluation.h"
#include "core/llp_files.h"
#include "core/taxonomy.h"

namespace avvp::core {

// Two raters' binary labels over n cells (segment x class): how many each turned on and
// how many both did.
struct KappaCounts {
    long cells = 0;
    long reference = 0;  // cells the reference (A) labels on
    long other = 0;      // cells the other rater (B) labels on
    long both = 0;       // cells both label on

    KappaCounts& operator+=(const KappaCounts& o) {
        cells += o.cells;
        reference += o.reference;
        other += o.other;
        both += o.both;
        return *this;
    }
    // The share of cells both raters label alike (1 when there are no cells).
    double observed() const;
    // Cohen's kappa (po - pe) / (1 - pe) with pe = pA pB + (1 - pA)(1 - pB); nullopt when
    // it is undefined: no cells, or both raters constant and equal (pe = 1).
    std::optional<double> kappa() const;
    long disagreements() const { return reference + other - 2 * both; }
};

struct VideoDisagreement {
    std::string video;
    int segments = kLlpSegments;
    std::array<long, 2> cells = {0, 0};  // differing segment x class cells, audio / visual
    long total() const { return cells[0] + cells[1]; }
};

struct AgreementResult {
    // The ten AVVP scores of the other set (as the prediction) against the reference (as
    // the ground truth), per video and per class as `avvp eval` reports them.
    EvalResult scores;
    // Cohen's kappa inputs per modality (0 audio, 1 visual) and class, pooled over the
    // segments of every video; `overall` pools every class of a modality.
    std::array<std::array<KappaCounts, kNumClasses>, 2> perClass{};
    std::array<KappaCounts, 2> overall{};
    // Every video, most differing cells first (then in the input order).
    std::vector<VideoDisagreement> ranked;
};

// `videos` with each one's segment count (10 for LLP clips); rows as denseRows() gives them.
AgreementResult computeAgreement(std::vector<std::string> videos, const std::vector<int>& segments,
                                 const std::vector<DenseLabelRow>& referenceAudio,
                                 const std::vector<DenseLabelRow>& referenceVisual,
                                 const std::vector<DenseLabelRow>& otherAudio,
                                 const std::vector<DenseLabelRow>& otherVisual);

}  // namespace avvp::core
