// JSON label files (core/formats/json_labels, nlohmann::json).
#include "core/error.h"
#include "core/formats/json_labels.h"
#include "fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        (void)avvp::core::parseJsonLabels(avvp::fuzz::text(data, size), "fuzz.json");
    } catch (const avvp::core::InputError&) {
    }
    return 0;
}
