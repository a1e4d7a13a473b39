#pragma once
// Import of LLP data into the store: any subset of the six annotation files, a feature
// folder in VALOR's layout and a folder of videos. Every file is parsed before the store
// is touched and everything is written in one transaction, so a malformed file (reported
// with file:line) leaves the store unchanged. Importing the same data again changes
// nothing (event ids stay).
#include <array>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "core/store/import_report.h"
#include "core/store/store.h"

namespace avvp::store {

struct LlpFiles {
    std::optional<std::filesystem::path> train = {}, val = {}, test = {}, full = {}, audio = {},
                                         visual = {};

    // Those of the six standard file names that the folder holds; throws InputError when
    // it holds none.
    static LlpFiles inFolder(const std::filesystem::path& folder);
    bool empty() const;
};

// Split files (train, val, test) create the videos (10 s each) with their split and weak
// labels; the full file adds its weak labels to known videos (and, given alone, creates
// videos without a split). A dense file is the ground truth of its modality for every
// video it names and every val and test video (LLP annotates those densely; a video with
// no row has no event of that modality); rows naming no known video are reported as
// orphans, zero-length and reversed rows are reported and skipped.
ImportReport importLlp(Store& store, const LlpFiles& files, core::Progress* progress = nullptr);

// A feature folder in VALOR's layout: every folder under `root` (up to three levels deep)
// holding `<11-char id>.npy` files is one feature kind, named by its path relative to
// root ("audio", "visual", "motion", "feats/CLAP", ...). Records, per video, the file and
// its shape (from the .npy header). Files naming no video and videos missing a kind are
// reported.
ImportReport importFeatures(Store& store, const std::filesystem::path& root,
                            core::Progress* progress = nullptr);

// The duration of a media file in milliseconds, as the media engine reads it (0 when the
// file declares none). The store does not read media itself (it does not link FFmpeg):
// callers pass one, e.g. media::probe(file).duration. Throws (an InputError naming the
// file and why) when the file cannot be read as media (truncated, not a video, ...).
using MediaProbe = std::function<std::int64_t(const std::filesystem::path&)>;

// The duration a video takes from media lasting `probedMs`: that, except for an LLP clip
// (Video::isLlpClip) whose media lasts at most 10 s + core::kLlpClipToleranceMs, which
// stays 10 s. 0 when probedMs is 0 (unknown).
std::int64_t mediaDurationMs(const Video& video, std::int64_t probedMs);

// A folder of videos named `<id>.mp4|mkv|webm` (id: the 11-char YouTube id or the full
// LLP filename). Files naming no video are reported, or, with addVideos, added as the
// user's own videos (no split, named by the file name without extension).
//
// With `probe`, every file that adds a video, is linked to a video anew (relinked) or
// names a video of unknown duration is read first (outside the write transaction) and
// gives its videos their real duration (mediaDurationMs: LLP clips stay 10 s). A file
// that cannot be read as media is refused: listed in the report (AnomalyKind::Refused,
// with the cause) and nothing changes for it. Without `probe`, durations are left alone.
ImportReport importMedia(Store& store, const std::filesystem::path& folder, bool addVideos = false,
                         core::Progress* progress = nullptr, const MediaProbe& probe = {});

// ---- Ground truth an import removes -------------------------------------------------------
//
// An import replaces the ground truth of every video and modality its files cover (the
// rule above and in importLabels), so a header-only or truncated file deletes events. The
// front ends ask first: they snapshot the ground truth, import inside a transaction, and
// commit only when nothing was removed or the user agreed (`avvp import --replace`, the
// GUI's confirmation); otherwise the transaction rolls back and the store is unchanged.

// The store's ground-truth events (class, onset, offset) per video and modality.
struct GroundTruthSnapshot {
    std::map<std::pair<VideoId, int>, std::vector<std::tuple<int, std::int64_t, std::int64_t>>>
        events;
};
GroundTruthSnapshot snapshotGroundTruth(const Store& store);

// What an import removed: the events of `before` that the store no longer holds (an event
// whose class or times changed counts as removed), per modality, and the videos they
// belong to.
struct GroundTruthRemoval {
    std::array<std::int64_t, 2> events = {0, 0};  // per core::Modality
    std::int64_t videos = 0;                      // videos that lose events
    std::vector<std::string> firstVideos;         // the first few of them (file names)

    bool empty() const { return events[0] + events[1] == 0; }
    // "12 audio and 3 visual ground-truth events of 4 videos (a, b, c, ...)".
    std::string text() const;
};
GroundTruthRemoval groundTruthRemoved(const Store& store, const GroundTruthSnapshot& before,
                                      std::size_t maxVideos = 5);

}  // namespace avvp::store
