#pragma once
// Labels between the store and the label-file formats (core/formats): which events an
// export takes, and how an imported document replaces events in the store.
#include <optional>
#include <string>
#include <vector>

#include "core/formats/label_document.h"
#include "core/store/import_report.h"
#include "core/store/store.h"

namespace avvp::store {

// The events an export takes.
struct LabelSelection {
    std::optional<Source> source = Source::GroundTruth;  // nullopt: every source (for JSON)
    std::optional<RunId> run = {};                       // predictions (and corrections) of one run
    std::optional<std::string> annotator = {};           // corrections of one annotator
    std::optional<core::Split> split = {};               // default: every video
    std::vector<std::string> videos = {};                // default: every video (of the split)
    // The final labels: the ground truth with the accepted corrections applied (`source`
    // and `run` are then ignored; `annotator` limits the corrections to one annotator's).
    // A correction counts as accepted unless it was accepted from a prediction that is
    // now marked rejected; corrections drawn by hand and those accepted from a
    // prediction count, predictions themselves never do (an accepted one is already
    // there as its correction). A correction the same as a ground-truth event (or an
    // earlier correction: modality, class, onset, offset) is written once. A video covers
    // a modality when it has dense ground truth or a correction of it.
    bool finalLabels = false;
};

// Whether a correction counts as accepted in the final labels (LabelSelection::
// finalLabels): `origin` is the prediction it was accepted from, if any.
bool countsAsAccepted(const Event& correction, const std::optional<Event>& origin);

// Every selected video (also those without events) with its split, duration, media,
// weak labels and events; the events carry their provenance (source, run name,
// annotator), which the JSON format writes. A video "covers" a modality when it has
// dense ground truth for it (ground-truth exports) or always (other sources).
core::LabelDocument exportLabels(Store& store, const LabelSelection& selection);

struct LabelImportOptions {
    Source source = Source::GroundTruth;  // what the document's events become
    std::string run = {};                 // predictions: the run's name (created when absent)
    std::string annotator = {};           // corrections: whose (default: the store's annotator)
    // Create videos the store does not know (no split unless the document gives one);
    // otherwise they are reported as orphans and skipped.
    bool addVideos = false;
    // Events that name their own source, run and annotator (JSON) keep them; false puts
    // every event under `source` / `run` / `annotator` above.
    bool keepProvenance = true;
};

// For every video of the document and every modality it covers, replaces the store's
// events of the target source (ground truth; the run's predictions; the annotator's
// corrections) with the document's; events that carry their own provenance (JSON) go to
// theirs. Splits, durations, media and weak labels the document gives are updated. One
// transaction: an InputError (file:line, e.g. a prediction without a run) leaves the store
// unchanged. Importing the same document again changes nothing.
ImportReport importLabels(Store& store, const core::LabelDocument& doc,
                          const LabelImportOptions& options, core::Progress* progress = nullptr);

}  // namespace avvp::store
