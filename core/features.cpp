#include "core/features.h"

namespace avvp::core {

FeatureShape standardShape(AudioFeature k) {
    return k == AudioFeature::ClapTokens ? kClapTokensShape : kVggishShape;
}

FeatureShape standardShape(VisualFeature k) {
    return k == VisualFeature::Clip ? kClipShape : kResnetShape;
}

std::string_view featureName(AudioFeature k) {
    return k == AudioFeature::ClapTokens ? "clap" : "vggish";
}

std::string_view featureName(VisualFeature k) {
    return k == VisualFeature::Clip ? "clip" : "resnet";
}

std::optional<AudioFeature> audioFeatureFromName(std::string_view name) {
    if (name == "clap") return AudioFeature::ClapTokens;
    if (name == "vggish") return AudioFeature::Vggish;
    return std::nullopt;
}

std::optional<VisualFeature> visualFeatureFromName(std::string_view name) {
    if (name == "clip") return VisualFeature::Clip;
    if (name == "resnet") return VisualFeature::Resnet;
    return std::nullopt;
}

std::optional<AudioFeature> audioFeatureFromRows(std::int64_t rows) {
    if (rows == kClapTokensShape.rows) return AudioFeature::ClapTokens;
    if (rows == kVggishShape.rows) return AudioFeature::Vggish;
    return std::nullopt;
}

std::optional<VisualFeature> visualFeatureFromRows(std::int64_t rows) {
    if (rows == kResnetShape.rows) return VisualFeature::Resnet;
    if (rows == kClipShape.rows) return VisualFeature::Clip;
    return std::nullopt;
}

}  // namespace avvp::core
