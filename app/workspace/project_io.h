#pragma once
// Imports into and exports out of the project, as plain functions a job runs on its own
// store connection (the GUI's connection sees the commit on its next poll): LLP
// annotation folders, label files of any core/formats format, a folder of videos, a VALOR
// feature folder; labels of a selection written in any format.
#include <QString>
#include <QStringList>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/formats/label_io.h"
#include "core/progress.h"
#include "core/store/import_report.h"
#include "core/store/label_exchange.h"
#include "core/store/llp_import.h"

namespace avvp::workspace {

struct ImportRequest {
    enum class Kind { Llp, Media, Features, LabelFiles };
    Kind kind = Kind::Llp;
    std::filesystem::path folder;              // Llp, Media, Features
    bool addUnmatchedVideos = false;           // Media: videos matching none become own videos
    std::vector<std::filesystem::path> files;  // LabelFiles
    core::LabelFormat format = core::LabelFormat::Json;
    store::LabelImportOptions labels;  // LabelFiles: ground truth or whose corrections
};

// Asked, inside the import's transaction, whether ground-truth events may be deleted
// (LLP dense files and ground-truth label files replace the ground truth of what they
// cover: a header-only or truncated file deletes it); true commits, false rolls back.
using ConfirmGroundTruthRemoval = std::function<bool(const store::GroundTruthRemoval&)>;

// An import rolled back because it would delete ground truth and was not confirmed.
class ImportDeclined : public std::runtime_error {
  public:
    explicit ImportDeclined(store::GroundTruthRemoval removal);
    const store::GroundTruthRemoval& removal() const { return removal_; }

  private:
    store::GroundTruthRemoval removal_;
};

// Runs one import in one transaction (a cancelled or failed import changes nothing).
// Videos (Kind::Media) get their real duration from the media engine (probeMediaMs);
// a file that is no readable media is refused and listed in the report. An import that
// would delete ground-truth events commits only when `confirm` agrees; otherwise (no
// `confirm`, or it says no) it throws ImportDeclined and the store is unchanged. The GUI
// confirms in two steps: a first run that declines and keeps the removal, a question,
// then the same import again with a `confirm` that agrees.
store::ImportReport runImport(const std::filesystem::path& store, const std::string& annotator,
                              const ImportRequest& request, core::Progress& progress,
                              const ConfirmGroundTruthRemoval& confirm = {});

// A media file's duration in ms as the media engine reads it (media::probe, checking the
// file is whole), the store::MediaProbe of every import of videos (also the demo
// project's). Throws media::MediaError naming the file and why (missing, truncated, not
// media).
std::int64_t probeMediaMs(const std::filesystem::path& file);

// The label format of a file by its extension (.eaf, .TextGrid, .tsv, .json, .txt, .csv).
std::optional<core::LabelFormat> labelFormatOfFile(const QString& path);

struct ExportRequest {
    store::LabelSelection selection;
    core::LabelFormat format = core::LabelFormat::Json;
    std::filesystem::path output;          // a folder, or the .json file
    core::LabelWriteOptions options = {};  // empty tiers, LLP weak labels
};

struct ExportResult {
    QStringList files;
    std::size_t videos = 0;
    std::size_t merged = 0;   // overlapping events merged (formats that forbid overlaps)
    std::size_t rounded = 0;  // events widened to whole seconds (LLP)
};

// Writes the labels of the selection; cancelling stops between videos (the files written
// so far stay).
ExportResult runExport(const std::filesystem::path& store, const std::string& annotator,
                       const ExportRequest& request, core::Progress& progress);

}  // namespace avvp::workspace
