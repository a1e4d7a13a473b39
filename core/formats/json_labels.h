#pragma once
// Our JSON label format: everything the store knows about a video's labels, for scripts.
//
//   {"format": "avvp-labels", "version": 1,
//    "videos": [{"filename": "-0A9suni5YA_30_40", "split": "test", "duration": 10,
//                "media": "/data/videos/-0A9suni5YA.mp4", "weak_labels": ["Speech"],
//                "annotated": ["audio", "visual"],
//                "events": [{"modality": "audio", "class": "Speech", "onset": 0,
//                            "offset": 1.5, "source": "ground_truth", "run": "",
//                            "annotator": "", "review": ""}]}]}
//
// Times are seconds (numbers, read to the nearest millisecond). Only "filename" and, per
// event, "modality", "class", "onset" and "offset" are required. Provenance: "source"
// (ground_truth, prediction, correction), "run" (a prediction's run; the run a correction
// was accepted from), "annotator" (who made or last edited it; a prediction's reviewer),
// "review" (a prediction's: accepted, rejected). "annotated" lists the
// modalities the file labels for the video (default: both).
#include <iosfwd>
#include <string>
#include <string_view>

#include "core/formats/label_document.h"

namespace avvp::core {

// Throws InputError naming the file, the line and the JSON path of the bad value.
LabelDocument parseJsonLabels(std::string_view text, const std::string& name);

void writeJsonLabels(std::ostream& out, const LabelDocument& doc);

}  // namespace avvp::core
