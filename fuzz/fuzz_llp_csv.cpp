// LLP CSV files (core/llp_files): the weak-label and the dense-label readers.
#include "core/error.h"
#include "core/llp_files.h"
#include "fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto t = avvp::fuzz::text(data, size);
    try {
        (void)avvp::core::parseWeakLabels(t, "fuzz.csv");
    } catch (const avvp::core::InputError&) {
    }
    try {
        (void)avvp::core::parseDenseLabels(t, "fuzz.csv");
    } catch (const avvp::core::InputError&) {
    }
    return 0;
}
