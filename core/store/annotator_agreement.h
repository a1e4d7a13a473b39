#pragma once
// Agreement between two annotators of a store (issue 18, item 3): an annotator's labels of
// a video are that annotator's final labels (LabelSelection::finalLabels: the ground truth
// with the annotator's accepted corrections applied, as `avvp export --source final
// --annotator NAME` writes them), scored by core::computeAgreement with the first
// annotator as the reference.
#include <optional>
#include <string>
#include <vector>

#include "core/agreement.h"
#include "core/progress.h"
#include "core/store/store.h"

namespace avvp::store {

// Everyone with a correction in the store, sorted.
std::vector<std::string> correctionAnnotators(const Store& store);

struct AgreementRequest {
    std::string reference;             // A
    std::string other;                 // B
    std::optional<core::Split> split;  // every video when unset
    bool onlyEdited = false;           // only videos both annotators corrected
};

struct StoreAgreement {
    core::AgreementResult result;
    std::string splitText;  // "test", "all"
    // With onlyEdited: how many videos of the split were left out (not corrected by both).
    std::size_t leftOut = 0;
};

// Throws core::InputError naming the store when an annotator has no correction in it (the
// message lists those who have), or when no video is left to compare.
StoreAgreement annotatorAgreement(Store& store, const AgreementRequest& request,
                                  core::Progress* progress = nullptr);

}  // namespace avvp::store
