#pragma once
// What an import did: counts and the tolerated anomalies of the input (file and line).
#include <cstdint>
#include <string>
#include <vector>

#include "core/llp_files.h"

namespace avvp::store {

struct ImportReport {
    std::vector<std::string> filesRead;
    std::int64_t videosAdded = 0;
    std::int64_t videosUpdated = 0;     // split, weak labels, duration or media changed
    std::int64_t labelSetsChanged = 0;  // (video, modality) event sets replaced
    std::int64_t eventsImported = 0;    // events in the input that were stored
    std::int64_t featuresRecorded = 0;
    std::int64_t mediaMatched = 0;
    std::vector<core::Anomaly> anomalies;

    bool changed() const { return videosAdded + videosUpdated + labelSetsChanged > 0; }
    void merge(const ImportReport& other);
};

}  // namespace avvp::store
