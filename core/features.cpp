#include "core/features.h"
#include "core/quote.h"

#include <stdexcept>

#include "core/taxonomy.h"

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

std::string featureWindowName(std::string_view id, int window, int windows) {
    if (windows <= 1) return std::string(id);
    const int start = window * kWindowSegments;
    return std::string(id) + "_" + std::to_string(start) + "_" +
           std::to_string(start + kWindowSegments);
}

std::string featureWindowPath(std::string_view firstWindowPath, int window) {
    constexpr std::string_view suffix = "_0_10.npy";
    if (firstWindowPath.size() <= suffix.size() || !firstWindowPath.ends_with(suffix))
        throw std::invalid_argument("not the file of a first feature window (<id>_0_10.npy): " +
                                    quote(firstWindowPath));
    const auto stem = firstWindowPath.substr(0, firstWindowPath.size() - suffix.size());
    const int start = window * kWindowSegments;
    return std::string(stem) + "_" + std::to_string(start) + "_" +
           std::to_string(start + kWindowSegments) + ".npy";
}

}  // namespace avvp::core
