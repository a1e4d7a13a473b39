#pragma once
// Label files of every supported format, read into and written from a LabelDocument,
// with the file layout of each format:
//
//   format    files                                          one file holds
//   llp       AVVP_eval_audio.csv, AVVP_eval_visual.csv,     a modality of all videos
//             AVVP_<split>.csv, AVVP_dataset_full.csv        (dense rows, integer seconds)
//   dcase     audio.tsv, visual.tsv                          a modality of all videos
//   eaf       <video>.eaf                                    one video
//   textgrid  <video>.TextGrid                               one video
//   audacity  <video>.audio.txt, <video>.visual.txt          a modality of one video
//   json      any name (.json)                               everything
//
// Writers take a folder (json: a file). Readers take files or folders (every file of
// the format in the folder, by name).
#include <array>
#include <filesystem>
#include <functional>
#include <optional>
#include <string_view>
#include <vector>

#include "core/formats/label_document.h"
#include "core/progress.h"

namespace avvp::core {

enum class LabelFormat { Llp, Dcase, Eaf, TextGrid, Audacity, Json };

struct LabelFormatInfo {
    LabelFormat format;
    std::string_view name;       // as the CLI spells it
    std::string_view extension;  // of its files, with the dot
    std::string_view description;
};
const std::array<LabelFormatInfo, 6>& labelFormats();
const LabelFormatInfo& labelFormatInfo(LabelFormat f);
std::optional<LabelFormat> labelFormatFromName(std::string_view name);

struct LabelReadOptions {
    // The modality of files that hold one and do not name it (dcase, llp dense,
    // audacity); default: from the file name ("audio" or "visual" in it).
    std::optional<Modality> modality;
};

// Throws InputError (file:line) on the first malformed file; tolerated oddities are in
// the document's notes.
LabelDocument readLabelFiles(LabelFormat format, const std::vector<std::filesystem::path>& inputs,
                             const LabelReadOptions& options = {});

struct LabelWriteOptions {
    // eaf, textgrid: only the tiers that hold events. A modality the video covers
    // (LabelVideo::covers) without any event keeps one empty tier named after the modality
    // ("audio"), so that reading the file back still says "no audio event here"; a
    // modality it does not cover gets no tier at all. Default: all 50 tiers.
    bool omitEmptyTiers = false;
    // llp: the weak-label files (AVVP_<split>.csv) list the classes of the video's events
    // in the document (for a video covering both modalities; otherwise its weak labels
    // and those classes), so that the weak and the dense files agree. Default: the
    // document's weak labels as they are.
    bool weakFromEvents = false;
};

struct LabelWriteResult {
    std::vector<std::filesystem::path> files;
    std::size_t merged = 0;   // overlapping same-class events merged (eaf, textgrid)
    std::size_t rounded = 0;  // events widened to whole seconds (llp)
};

// Creates the folder (or the json file's folder) when needed. Throws InputError when a
// file cannot be written or a video name cannot be a file name. `progress` hears the
// fraction of videos written ("video 64 of 1200") for the formats with a file per video;
// cancelling it stops between videos (core::Cancelled; the files written so far stay).
LabelWriteResult writeLabelFiles(LabelFormat format, const LabelDocument& doc,
                                 const std::filesystem::path& out, Progress* progress = nullptr,
                                 const LabelWriteOptions& options = {});

// The weak labels of a video that agree with its events: the classes of its events when
// it covers both modalities, else its weak labels and those classes
// (LabelWriteOptions::weakFromEvents).
ClassSet weakFromEvents(const LabelVideo& video);

// Dense LLP rows (integer seconds, onset rounded down, offset up) of one modality, and
// how many events that widened.
std::vector<DenseLabelRow> denseRows(const LabelDocument& doc, Modality m,
                                     std::size_t* rounded = nullptr);

}  // namespace avvp::core
