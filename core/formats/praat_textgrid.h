#pragma once
// Praat TextGrid files (text format, long or short; UTF-8 or UTF-16 with a byte-order
// mark). We write one IntervalTier per modality x class ("audio/Speech", ...), each
// covering the whole time axis: the events as intervals labelled with the class, empty
// intervals filling the gaps, as Praat requires. Reading takes every IntervalTier whose
// name is "<modality>/<class>" or just "<modality>" (the label then names the class);
// other tiers are reported and ignored.
#include <iosfwd>
#include <string>
#include <string_view>

#include "core/formats/label_document.h"

namespace avvp::core {

// Throws InputError (file:line) on a malformed file.
LabelVideo parseTextGrid(std::string_view bytes, const std::string& name,
                         std::vector<Anomaly>* notes = nullptr);

// Writes the long text format. The time axis runs from 0 to the video's duration (or
// the last event's end when that is later or the duration is unknown; 10 s when there
// is neither). Same-class overlapping events of a modality are merged; returns how
// many were merged away.
struct TextGridWriteOptions {
    // Only the tiers that hold events; a covered modality without events keeps one empty
    // tier named after it ("audio"). See LabelWriteOptions::omitEmptyTiers.
    bool omitEmptyTiers = false;
};
std::size_t writeTextGrid(std::ostream& out, const LabelVideo& video,
                          const TextGridWriteOptions& options = {});

}  // namespace avvp::core
