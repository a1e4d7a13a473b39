#pragma once
// Renders an EvalResult for people and scripts: the paper-style text table, the
// two-line TSV, JSON (with per class counts), and per-video / per-class TSV tables.
#include <iosfwd>
#include <string>

#include "core/evaluation.h"

namespace avvp::core {

// The TSV header of `avvp eval --format tsv`.
inline constexpr const char* kEvalTsvHeader =
    "seg_a\tseg_v\tseg_av\tseg_type\tseg_event\tevt_a\tevt_v\tevt_av\tevt_type\tevt_event";

void writeEvalTsv(std::ostream& out, const EvalResult& r);
void writeEvalText(std::ostream& out, const EvalResult& r, const std::string& title, bool perClass);
void writeEvalJson(std::ostream& out, const EvalResult& r, const std::string& title);
// One row per video: filename and the ten scores in percent.
void writePerVideoTsv(std::ostream& out, const EvalResult& r);
// One row per class: F (percent, pooled over videos) and counts for A / V / AV per level.
void writePerClassTsv(std::ostream& out, const EvalResult& r);

}  // namespace avvp::core
