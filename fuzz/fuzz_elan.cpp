// ELAN annotation files (core/formats/elan_eaf, XML through pugixml).
#include <vector>

#include "core/error.h"
#include "core/formats/elan_eaf.h"
#include "fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::vector<avvp::core::Anomaly> notes;
    try {
        (void)avvp::core::parseEaf(avvp::fuzz::text(data, size), "fuzz.eaf", &notes);
    } catch (const avvp::core::InputError&) {
    }
    return 0;
}
