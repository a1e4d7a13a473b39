#include "app/workspace/project_io.h"

#include <QFileInfo>

#include <cmath>

#include "core/media/media_info.h"
#include "core/store/llp_import.h"
#include "core/store/store.h"

namespace avvp::workspace {

namespace {

std::unique_ptr<store::Store> openExisting(const std::filesystem::path& path,
                                           const std::string& annotator) {
    return store::Store::open(path, {.annotator = annotator, .create = false});
}

}  // namespace

ImportDeclined::ImportDeclined(store::GroundTruthRemoval removal)
    : std::runtime_error("the import would delete " + removal.text() + "; nothing was changed"),
      removal_(std::move(removal)) {}

store::ImportReport runImport(const std::filesystem::path& storePath, const std::string& annotator,
                              const ImportRequest& r, core::Progress& progress,
                              const ConfirmGroundTruthRemoval& confirm) {
    auto s = openExisting(storePath, annotator);
    switch (r.kind) {
        case ImportRequest::Kind::Media:
            return store::importMedia(*s, r.folder, r.addUnmatchedVideos, &progress, probeMediaMs);
        case ImportRequest::Kind::Features:
            return store::importFeatures(*s, r.folder, &progress);
        case ImportRequest::Kind::Llp:
        case ImportRequest::Kind::LabelFiles:
            break;
    }
    // These replace ground truth: what they delete is counted and needs `confirm`.
    std::optional<core::LabelDocument> doc;
    if (r.kind == ImportRequest::Kind::LabelFiles) {
        progress.step(0.0, "reading");
        doc = core::readLabelFiles(r.format, r.files);
        progress.throwIfCancelled();
    }
    store::Store::Transaction tx(*s);
    const auto before = store::snapshotGroundTruth(*s);
    const auto report = doc ? store::importLabels(*s, *doc, r.labels, &progress)
                            : store::importLlp(*s, store::LlpFiles::inFolder(r.folder), &progress);
    auto removal = store::groundTruthRemoved(*s, before);
    if (!removal.empty() && !(confirm && confirm(removal)))
        throw ImportDeclined(std::move(removal));
    tx.commit();
    return report;
}

std::int64_t probeMediaMs(const std::filesystem::path& file) {
    return std::llround(media::probe(file, true).duration * 1000.0);
}

std::optional<core::LabelFormat> labelFormatOfFile(const QString& path) {
    const QString ext = QFileInfo(path).suffix().toLower();
    if (ext == QLatin1String("eaf")) return core::LabelFormat::Eaf;
    if (ext == QLatin1String("textgrid")) return core::LabelFormat::TextGrid;
    if (ext == QLatin1String("tsv")) return core::LabelFormat::Dcase;
    if (ext == QLatin1String("json")) return core::LabelFormat::Json;
    if (ext == QLatin1String("txt")) return core::LabelFormat::Audacity;
    if (ext == QLatin1String("csv")) return core::LabelFormat::Llp;
    return std::nullopt;
}

ExportResult runExport(const std::filesystem::path& storePath, const std::string& annotator,
                       const ExportRequest& r, core::Progress& progress) {
    auto s = openExisting(storePath, annotator);
    progress.step(0.0, "reading the store");
    const auto doc = store::exportLabels(*s, r.selection);
    progress.throwIfCancelled();
    core::ProgressRange writing(progress, 0.1, 1.0, "writing");
    const auto written = core::writeLabelFiles(r.format, doc, r.output, &writing, r.options);
    ExportResult res;
    for (const auto& f : written.files) res.files << QString::fromStdString(f.string());
    res.videos = doc.videos.size();
    res.merged = written.merged;
    res.rounded = written.rounded;
    return res;
}

}  // namespace avvp::workspace
