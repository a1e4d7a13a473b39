#pragma once
// Per-class zero-shot label rules as data (resources/zero_shot): thresholds on the encoder's
// scaled similarity and the prompts the text embeddings were made from, one row per class.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace avvp::core {

struct ZeroShotPreset {
    std::vector<float> audioThresholds, visualThresholds;  // 25 each, taxonomy order
    std::vector<std::string> audioPrompts, visualPrompts;  // 25 each
};

// Parses a preset TSV (columns class, audio_threshold, visual_threshold, audio_prompt,
// visual_prompt; each LLP class exactly once, in any order). Throws InputError naming
// file and line on anything else.
ZeroShotPreset parseZeroShotPreset(std::string_view text, const std::string& name);
ZeroShotPreset readZeroShotPreset(const std::filesystem::path& file);

}  // namespace avvp::core
