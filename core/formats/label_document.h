#pragma once
// A format-neutral set of labels for some videos: what the label-file readers produce and
// the writers consume (LLP CSV, DCASE-style TSV, ELAN .eaf, Audacity label tracks, Praat
// TextGrid, JSON). Times are integer milliseconds, like the store keeps them, so that
// a round trip through any format that writes seconds with three decimals is exact.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/llp_files.h"
#include "core/taxonomy.h"

namespace avvp::core {

struct LabelEvent {
    Modality modality = Modality::Audio;
    int cls = 0;
    std::int64_t onsetMs = 0;
    std::int64_t offsetMs = 0;  // exclusive, > onsetMs
    // Provenance, carried by the JSON format only ("" where a format has none):
    // source is "ground_truth", "prediction" or "correction".
    std::string source;
    std::string run;
    std::string annotator;
    std::string review;  // predictions: "accepted", "rejected" or ""
    long line = 0;       // where it was read (0 when not read from a file)

    bool sameLabel(const LabelEvent& o) const {
        return modality == o.modality && cls == o.cls && onsetMs == o.onsetMs &&
               offsetMs == o.offsetMs;
    }
};

struct LabelVideo {
    std::string filename;          // the video's name (LLP: <11-char id>_<start>_<end>)
    std::string split;             // "train", "val", "test" or "" (unknown)
    std::int64_t durationMs = 0;   // 0 when unknown
    std::optional<ClassSet> weak;  // video-level labels, when the format has them
    std::string media;             // the media file, when known
    std::vector<LabelEvent> events;
    // The modalities this document annotates for the video: a per-video file (ELAN,
    // TextGrid, Audacity) with no event of a modality still says "nothing happens here".
    std::array<bool, 2> covers = {true, true};
    std::string file;  // where it was read
    long line = 0;

    bool covered(Modality m) const { return covers[static_cast<std::size_t>(m)]; }
};

struct LabelDocument {
    std::vector<LabelVideo> videos;
    // Tolerated oddities of the input (zero-length rows, ignored tiers, ...).
    std::vector<Anomaly> notes;

    // The video of that name, appended (covering no modality yet) when absent.
    LabelVideo& video(std::string_view filename);
    const LabelVideo* find(std::string_view filename) const;
    std::size_t eventCount() const;

  private:
    // filename -> index into videos, rebuilt when videos changed behind its back.
    mutable std::unordered_map<std::string, std::size_t> index_;
    void syncIndex() const;
};

// Milliseconds as decimal seconds with no trailing zeros: 1500 -> "1.5", 2000 -> "2".
std::string formatSeconds(std::int64_t ms);
// Decimal seconds ("1.5", "2", "1e-3", "0.30000000000000004") to the nearest millisecond;
// nullopt for anything that is not a finite number >= 0.
std::optional<std::int64_t> parseSeconds(std::string_view text);

// Tier naming of the tier formats (ELAN, TextGrid): "audio/Speech".
std::string tierName(Modality m, int cls);
struct TierName {
    Modality modality = Modality::Audio;
    std::optional<int> cls;  // a tier named just "audio" holds any class
};
std::optional<TierName> parseTierName(std::string_view name);

// Same modality and class events that overlap, merged into their union (ELAN and
// TextGrid forbid overlaps inside a tier); sorted by modality, class, onset. Returns the
// number of events that were merged away.
std::size_t mergeOverlaps(std::vector<LabelEvent>& events);

// The events of one video sorted by modality, class, onset, offset (a canonical order
// for writers and for comparing documents).
void sortEvents(std::vector<LabelEvent>& events);

}  // namespace avvp::core
