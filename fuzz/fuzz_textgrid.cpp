// Praat TextGrid files (core/formats/praat_textgrid): UTF-8 and UTF-16 text.
#include <vector>

#include "core/error.h"
#include "core/formats/praat_textgrid.h"
#include "fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::vector<avvp::core::Anomaly> notes;
    try {
        (void)avvp::core::parseTextGrid(avvp::fuzz::text(data, size), "fuzz.TextGrid", &notes);
    } catch (const avvp::core::InputError&) {
    }
    return 0;
}
