#pragma once
// Translated display names of the store's enumerations (class names stay LLP's).
#include <QString>
#include <optional>

#include "core/llp_dataset.h"
#include "core/store/records.h"

namespace avvp::ui {

QString splitLabel(std::optional<core::Split> split);  // "train", ..., "own" (no split)
QString modalityLabel(core::Modality m);               // "Audio", "Visual"
QString sourceLabel(store::Source s);                  // "Ground truth", ...
QString className(int cls);                            // "Dog" (LLP's spelling)
QString reviewLabel(store::Review r);
// "4.0–5.5 s" (milliseconds shown in seconds, one decimal, or three when needed).
QString formatSpan(std::int64_t onsetMs, std::int64_t offsetMs);
QString formatTime(double seconds);  // "0:04.250"

}  // namespace avvp::ui
