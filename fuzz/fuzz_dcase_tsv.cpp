// DCASE-style event lists (core/formats/dcase_tsv).
#include "core/error.h"
#include "core/formats/dcase_tsv.h"
#include "fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        (void)avvp::core::parseDcaseTsv(avvp::fuzz::text(data, size), "fuzz.tsv",
                                        avvp::core::Modality::Audio);
    } catch (const avvp::core::InputError&) {
    }
    return 0;
}
