#include "core/taxonomy.h"

namespace avvp::core {

std::optional<int> classIndex(std::string_view name) {
    for (int c = 0; c < kNumClasses; ++c)
        if (kClassNames[static_cast<std::size_t>(c)] == name) return c;
    return std::nullopt;
}

std::string_view modalityName(Modality m) {
    return m == Modality::Audio ? "audio" : "visual";
}

}  // namespace avvp::core
