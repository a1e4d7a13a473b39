#pragma once
// The 25 LLP event classes in canonical order (the index is the model's output index)
// and the two modalities.
#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace avvp::core {

inline constexpr int kNumClasses = 25;
// LLP videos are 10 s long and are parsed in ten one-second segments.
inline constexpr int kLlpSegments = 10;
// Models see videos in windows of ten one-second segments (LLP's length); a longer video
// is cut into consecutive windows from t = 0, the last one padded (features, model runs).
inline constexpr int kWindowSegments = 10;

// The one-second segments of a video `durationMs` long: ceil(duration / 1 s), at least one;
// LLP's ten when the duration is unknown (0 or less).
constexpr int segmentCount(std::int64_t durationMs) {
    if (durationMs <= 0) return kLlpSegments;
    return static_cast<int>((durationMs + 999) / 1000);
}
// The length of a video in ms, LLP's 10 s when unknown.
constexpr std::int64_t lengthMs(std::int64_t durationMs) {
    return durationMs > 0 ? durationMs : std::int64_t{kLlpSegments} * 1000;
}
// The model windows of `segments` segments: ceil(segments / 10), at least one.
constexpr int windowCount(int segments) {
    return segments <= 0 ? 1 : (segments + kWindowSegments - 1) / kWindowSegments;
}

inline constexpr std::array<std::string_view, kNumClasses> kClassNames = {"Speech",
                                                                          "Car",
                                                                          "Cheering",
                                                                          "Dog",
                                                                          "Cat",
                                                                          "Frying_(food)",
                                                                          "Basketball_bounce",
                                                                          "Fire_alarm",
                                                                          "Chainsaw",
                                                                          "Cello",
                                                                          "Banjo",
                                                                          "Singing",
                                                                          "Chicken_rooster",
                                                                          "Violin_fiddle",
                                                                          "Vacuum_cleaner",
                                                                          "Baby_laughter",
                                                                          "Accordion",
                                                                          "Lawn_mower",
                                                                          "Motorcycle",
                                                                          "Helicopter",
                                                                          "Acoustic_guitar",
                                                                          "Telephone_bell_ringing",
                                                                          "Baby_cry_infant_cry",
                                                                          "Blender",
                                                                          "Clapping"};

// Index of a class by its exact LLP name, or nullopt.
std::optional<int> classIndex(std::string_view name);

// A set of classes as a bit mask (bit c = class c).
using ClassSet = std::uint32_t;
inline constexpr bool hasClass(ClassSet s, int c) {
    return ((s >> c) & 1U) != 0;
}

enum class Modality : std::uint8_t { Audio = 0, Visual = 1 };
inline constexpr std::array<Modality, 2> kModalities = {Modality::Audio, Modality::Visual};
std::string_view modalityName(Modality m);

}  // namespace avvp::core
