#pragma once
// DCASE-style event lists (the sound-event-detection format of DCASE task 4 and sed_eval):
// a tab-separated file with the header `filename onset offset event_label`, times in
// seconds (decimals allowed), one row per event. The format has no modality column, so
// a file holds the events of one modality (the caller says which). A row with a
// filename and empty onset, offset and label says that the file has no events.
#include <iosfwd>
#include <string>
#include <string_view>

#include "core/formats/label_document.h"

namespace avvp::core {

// Throws InputError (file:line) on a malformed file.
LabelDocument parseDcaseTsv(std::string_view text, const std::string& name, Modality m);

// The events of modality m of every video, in document order, each video's sorted by onset.
void writeDcaseTsv(std::ostream& out, const LabelDocument& doc, Modality m);

}  // namespace avvp::core
