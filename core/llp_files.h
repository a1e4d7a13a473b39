#pragma once
// Readers and writers of the six LLP annotation files (tab-separated, one header line):
// weak-label files (filename, event_labels) and dense files (filename, onset, offset,
// event_labels). Readers tolerate the anomalies of the real files and report them;
// malformed input throws InputError naming file, line and reason.
#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "core/taxonomy.h"

namespace avvp::core {

struct WeakLabelRow {
    std::string filename;
    ClassSet classes = 0;
    long line = 0;  // 1-based line in the file (the header is line 1); 0 when not from a file
};

struct DenseLabelRow {
    std::string filename;
    int onset = 0;
    int offset = 0;  // exclusive
    int cls = 0;
    long line = 0;
};

enum class AnomalyKind {
    ZeroLength,      // onset == offset: adds nothing
    Reversed,        // onset > offset: adds nothing
    Overlap,         // same video and class, rows overlap: they union
    Touching,        // same video and class, one row ends where the next starts: they merge
    Orphan,          // filename matches no video of the known splits: ignored when scoring
    DuplicateVideo,  // a weak-label file lists a filename twice
    DuplicateClass,  // a weak-label row names a class twice
    EmptyLabels,     // a weak-label row names no class
    Ignored,         // a part of the input a reader does not use (a tier, a file)
    Missing,         // something expected is absent (a video's media or feature file)
    Refused,         // an input that was not imported, with its cause (unreadable media)
};
std::string_view anomalyName(AnomalyKind k);

struct Anomaly {
    AnomalyKind kind;
    std::string file;
    long line = 0;
    std::string detail;
};

struct WeakLabelFile {
    std::string path;
    std::vector<WeakLabelRow> rows;
    std::vector<Anomaly> anomalies;
};

struct DenseLabelFile {
    std::string path;
    std::vector<DenseLabelRow> rows;
    std::vector<Anomaly> anomalies;
};

struct DenseReadOptions {
    // Times must lie in [0, maxTime]; LLP videos are 10 s.
    int maxTime = kLlpSegments;
};

// Reads a whole file as UTF-8 text; throws InputError when it is missing or unreadable.
std::string readTextFile(const std::filesystem::path& path);

WeakLabelFile parseWeakLabels(std::string_view text, const std::string& name);
WeakLabelFile readWeakLabels(const std::filesystem::path& path);

DenseLabelFile parseDenseLabels(std::string_view text, const std::string& name,
                                const DenseReadOptions& options = {});
DenseLabelFile readDenseLabels(const std::filesystem::path& path,
                               const DenseReadOptions& options = {});

// Orphan rows: filenames that are not among the given videos.
std::vector<Anomaly> findOrphans(const DenseLabelFile& file,
                                 const std::unordered_set<std::string>& videos);

void writeWeakLabels(std::ostream& out, const std::vector<WeakLabelRow>& rows);
void writeDenseLabels(std::ostream& out, const std::vector<DenseLabelRow>& rows);
void writeWeakLabels(const std::filesystem::path& path, const std::vector<WeakLabelRow>& rows);
void writeDenseLabels(const std::filesystem::path& path, const std::vector<DenseLabelRow>& rows);

// Comma-separated class names in canonical order, as the LLP files write them.
std::string formatClassSet(ClassSet classes);

// The YouTube id that names a video's feature files (VALOR: the first 11 characters).
std::string_view featureId(std::string_view filename);

// An LLP clip's name: <11-char id>_<start>_<end> with end = start + 10 (whole seconds).
bool isLlpClipName(std::string_view filename);

// The length an LLP clip keeps whatever its media file lasts (10 s): a clip's media that
// lasts at most kLlpClipToleranceMs longer (codec padding, a rounded cut) is still a 10 s
// clip; longer media is taken at its real length.
inline constexpr std::int64_t kLlpClipMs = std::int64_t{kLlpSegments} * 1000;
inline constexpr std::int64_t kLlpClipToleranceMs = 1000;

}  // namespace avvp::core
