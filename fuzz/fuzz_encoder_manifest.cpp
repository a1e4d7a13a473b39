// The encoder folder's manifest.json (models/encoder_manifest; no LibTorch). The reader
// takes a folder: the input is written to <tmp>/manifest.json, beside an empty module
// file "m.pt" that a manifest may name.
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "core/error.h"
#include "fuzz/fuzz_util.h"
#include "models/encoders.h"

namespace {

const std::filesystem::path& folder() {
    static const std::filesystem::path dir = [] {
        auto d = std::filesystem::temp_directory_path() /
                 ("avvp-fuzz-manifest-" + std::to_string(::getpid()));
        std::filesystem::create_directories(d);
        std::ofstream(d / "m.pt") << "x";
        return d;
    }();
    return dir;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto& dir = folder();
    {
        std::ofstream out(dir / "manifest.json", std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    }
    try {
        const auto m = avvp::models::readEncoderManifest(dir);
        // The sizes the encoders derive from the manifest must be computable too.
        if (m.audio) (void)(m.audio->samples() + m.audio->outputSize());
    } catch (const avvp::core::InputError&) {
    }
    return 0;
}
