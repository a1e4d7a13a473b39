// Audacity label tracks (core/formats/audacity_labels).
#include <vector>

#include "core/error.h"
#include "core/formats/audacity_labels.h"
#include "fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::vector<avvp::core::Anomaly> notes;
    try {
        (void)avvp::core::parseAudacityLabels(avvp::fuzz::text(data, size), "fuzz.audio.txt",
                                              avvp::core::Modality::Audio, &notes);
    } catch (const avvp::core::InputError&) {
    }
    return 0;
}
