#pragma once
// An LLP annotation folder (the six files of AVVP-ECCV20) loaded into one list of videos
// with their split, weak labels and dense audio / visual events, plus every anomaly found.
#include <array>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/event.h"
#include "core/llp_files.h"

namespace avvp::core {

enum class Split : std::uint8_t { Train = 0, Val = 1, Test = 2 };
inline constexpr std::array<Split, 3> kSplits = {Split::Train, Split::Val, Split::Test};
std::string_view splitName(Split s);
std::optional<Split> splitFromName(std::string_view name);

// The standard file names inside an LLP folder.
struct LlpFileNames {
    static constexpr const char* train = "AVVP_train.csv";
    static constexpr const char* val = "AVVP_val_pd.csv";
    static constexpr const char* test = "AVVP_test_pd.csv";
    static constexpr const char* full = "AVVP_dataset_full.csv";
    static constexpr const char* audio = "AVVP_eval_audio.csv";
    static constexpr const char* visual = "AVVP_eval_visual.csv";
};
// Path of a split's weak-label file in an LLP folder.
std::filesystem::path splitFile(const std::filesystem::path& folder, Split s);

struct LlpVideo {
    std::string filename;
    Split split = Split::Train;
    ClassSet weak = 0;
    std::vector<Event> audio;  // rows as in the file (may be empty, reversed, overlapping)
    std::vector<Event> visual;
};

struct LlpDataset {
    std::filesystem::path folder;
    std::vector<LlpVideo> videos;  // train, val, test, each in file order
    std::vector<Anomaly> anomalies;
    std::vector<std::string> filesRead;
    std::size_t audioRows = 0, visualRows = 0;

    std::size_t count(Split s) const;
    std::vector<const LlpVideo*> split(Split s) const;
};

// Loads whatever of the six files the folder holds (at least one split file is needed,
// else InputError). Malformed files throw InputError; anomalies are collected.
LlpDataset loadLlpFolder(const std::filesystem::path& folder);

}  // namespace avvp::core
