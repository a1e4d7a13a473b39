// NumPy .npy arrays (core/npy).
#include "core/error.h"
#include "core/npy.h"
#include "fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        (void)avvp::core::parseNpy(avvp::fuzz::bytes(data, size), "fuzz.npy");
    } catch (const avvp::core::InputError&) {
    }
    return 0;
}
