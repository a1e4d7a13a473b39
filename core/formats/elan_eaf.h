#pragma once
// ELAN annotation files (.eaf, EAF 3.0). ELAN forbids overlapping annotations inside a
// tier, so we write one time-aligned tier per modality x class ("audio/Speech", ...),
// all of one linguistic type whose controlled vocabulary is the 25 LLP classes; one
// file per video. Reading takes every tier named "<modality>/<class>" or "<modality>"
// (the annotation value then names the class); other tiers and dependent (reference)
// annotations are reported and ignored.
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include "core/formats/label_document.h"

namespace avvp::core {

// Throws InputError (file:line) on malformed XML or annotations.
LabelVideo parseEaf(std::string_view text, const std::string& name,
                    std::vector<Anomaly>* notes = nullptr);

struct EafWriteOptions {
    std::string date;  // xsd:dateTime; empty = now (UTC)
    std::string author = "AVVP Studio";
    // Only the tiers that hold events; a covered modality without events keeps one empty
    // tier named after it ("audio"). See LabelWriteOptions::omitEmptyTiers.
    bool omitEmptyTiers = false;
};

// Same-class overlapping events of a modality are merged; returns how many were merged
// away.
std::size_t writeEaf(std::ostream& out, const LabelVideo& video,
                     const EafWriteOptions& options = {});

}  // namespace avvp::core
