#include "ui/dialogs/export_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QToolButton>
#include <QVBoxLayout>

#include "core/store/store.h"
#include "ui/jobs/job.h"
#include "ui/labels.h"
#include "ui/session.h"

namespace avvp::ui {

namespace {

struct ExportResult {
    QStringList files;
    std::size_t videos = 0;
    std::size_t merged = 0;
    std::size_t rounded = 0;
};

}  // namespace

ExportDialog::ExportDialog(Session* session, JobManager* jobs, const QString& currentVideo,
                           QWidget* parent)
    : QDialog(parent), session_(session), jobs_(jobs), currentVideo_(currentVideo) {
    setWindowTitle(tr("Export labels"));
    format_ = new QComboBox(this);
    for (const auto& f : core::labelFormats())
        format_->addItem(
            QStringLiteral("%1 — %2").arg(
                QString::fromLatin1(f.name.data(), static_cast<qsizetype>(f.name.size())),
                QString::fromLatin1(f.description.data(),
                                    static_cast<qsizetype>(f.description.size()))),
            static_cast<int>(f.format));
    source_ = new QComboBox(this);
    source_->addItem(tr("Ground truth"), QStringLiteral("gt"));
    for (const auto& r : session_->runs())
        source_->addItem(tr("Predictions of run %1").arg(QString::fromStdString(r.name)),
                         QStringLiteral("pred:%1").arg(r.id));
    source_->addItem(tr("Corrections (all annotators)"), QStringLiteral("corr"));
    source_->addItem(tr("Corrections by %1").arg(session_->annotator()),
                     QStringLiteral("corr:") + session_->annotator());
    source_->addItem(tr("Everything, with provenance (JSON)"), QStringLiteral("all"));
    scope_ = new QComboBox(this);
    if (!currentVideo_.isEmpty())
        scope_->addItem(tr("This video (%1)").arg(currentVideo_), QStringLiteral("video"));
    for (auto s : core::kSplits)
        scope_->addItem(tr("The %1 split").arg(splitLabel(s)),
                        QString::fromLatin1(core::splitName(s).data()));
    scope_->addItem(tr("Every video"), QStringLiteral("all"));
    output_ = new QLineEdit(this);
    auto* browse = new QToolButton(this);
    browse->setText(tr("Browse…"));
    hint_ = new QLabel(this);
    hint_->setWordWrap(true);
    hint_->setStyleSheet(QStringLiteral("color: palette(mid);"));
    status_ = new QLabel(this);
    status_->setWordWrap(true);
    status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    progress_ = new QProgressBar(this);
    progress_->setRange(0, 1000);
    progress_->hide();

    auto* outRow = new QHBoxLayout;
    outRow->addWidget(output_, 1);
    outRow->addWidget(browse);
    auto* form = new QFormLayout;
    form->addRow(tr("Format:"), format_);
    form->addRow(tr("Events:"), source_);
    form->addRow(tr("Videos:"), scope_);
    form->addRow(tr("Output:"), outRow);
    auto* buttons = new QDialogButtonBox(this);
    export_ = buttons->addButton(tr("Export"), QDialogButtonBox::AcceptRole);
    cancel_ = buttons->addButton(tr("Cancel export"), QDialogButtonBox::ActionRole);
    cancel_->setEnabled(false);
    auto* close = buttons->addButton(QDialogButtonBox::Close);
    auto* lay = new QVBoxLayout(this);
    lay->addLayout(form);
    lay->addWidget(hint_);
    lay->addWidget(progress_);
    lay->addWidget(status_);
    lay->addStretch(1);
    lay->addWidget(buttons);

    connect(browse, &QToolButton::clicked, this, &ExportDialog::browse);
    connect(export_, &QPushButton::clicked, this, [this] { startExport(); });
    connect(cancel_, &QPushButton::clicked, this, [this] {
        if (job_) job_->cancel();
    });
    connect(close, &QPushButton::clicked, this, &QDialog::reject);
    connect(format_, &QComboBox::currentIndexChanged, this, &ExportDialog::suggestOutput);
    connect(scope_, &QComboBox::currentIndexChanged, this, &ExportDialog::suggestOutput);
    connect(source_, &QComboBox::currentIndexChanged, this, [this] {
        if (source_->currentData().toString() == QLatin1String("all"))
            setFormat(core::LabelFormat::Json);
    });
    const int last =
        QSettings()
            .value(QStringLiteral("export/format"), static_cast<int>(core::LabelFormat::Eaf))
            .toInt();
    format_->setCurrentIndex(std::max(0, format_->findData(last)));
    suggestOutput();
    resize(560, 300);
}

core::LabelFormat ExportDialog::format() const {
    return static_cast<core::LabelFormat>(format_->currentData().toInt());
}

void ExportDialog::setFormat(core::LabelFormat f) {
    format_->setCurrentIndex(format_->findData(static_cast<int>(f)));
}

void ExportDialog::suggestOutput() {
    const auto f = format();
    const auto& info = core::labelFormatInfo(f);
    QString base = QSettings().value(QStringLiteral("export/folder")).toString();
    if (base.isEmpty()) base = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    if (base.isEmpty()) base = QDir::homePath();
    const QString scope = scope_->currentData().toString() == QLatin1String("video")
                              ? currentVideo_
                              : scope_->currentData().toString();
    const QString name =
        QStringLiteral("avvp_%1_%2").arg(scope, QString::fromLatin1(info.name.data()));
    output_->setText(
        QDir(base).filePath(f == core::LabelFormat::Json ? name + QStringLiteral(".json") : name));
    switch (f) {
        case core::LabelFormat::Llp:
            hint_->setText(
                tr("AVVP_eval_audio.csv / AVVP_eval_visual.csv and the weak-label files; events "
                   "widen to whole seconds."));
            break;
        case core::LabelFormat::Dcase:
            hint_->setText(
                tr("audio.tsv and visual.tsv: filename, onset, offset, event_label (DCASE style; "
                   "sed_eval scores these differently from AVVP)."));
            break;
        case core::LabelFormat::Eaf:
            hint_->setText(
                tr("One .eaf per video for ELAN: a tier per modality × class with the 25 classes "
                   "as a controlled vocabulary; overlaps merged."));
            break;
        case core::LabelFormat::TextGrid:
            hint_->setText(
                tr("One .TextGrid per video for Praat: an interval tier per modality × class, gaps "
                   "filled with empty intervals."));
            break;
        case core::LabelFormat::Audacity:
            hint_->setText(
                tr("<video>.audio.txt and <video>.visual.txt label tracks for Audacity and Sonic "
                   "Visualiser."));
            break;
        case core::LabelFormat::Json:
            hint_->setText(
                tr("One JSON file with every event and its provenance (source, run, annotator, "
                   "review)."));
            break;
    }
}

void ExportDialog::browse() {
    const bool file = format() == core::LabelFormat::Json;
    const QString path = file
                             ? QFileDialog::getSaveFileName(this, tr("Export to file"),
                                                            output_->text(), tr("JSON (*.json)"))
                             : QFileDialog::getExistingDirectory(this, tr("Export into folder"),
                                                                 QFileInfo(output_->text()).path());
    if (!path.isEmpty()) output_->setText(path);
}

std::optional<store::LabelSelection> ExportDialog::selection(QString* why) const {
    store::LabelSelection sel;
    const QString src = source_->currentData().toString();
    if (src == QLatin1String("gt")) {
        sel.source = store::Source::GroundTruth;
    } else if (src.startsWith(QLatin1String("pred:"))) {
        sel.source = store::Source::Prediction;
        sel.run = src.mid(5).toLongLong();
    } else if (src.startsWith(QLatin1String("corr"))) {
        sel.source = store::Source::Correction;
        if (src.startsWith(QLatin1String("corr:"))) sel.annotator = src.mid(5).toStdString();
    } else {
        sel.source.reset();
        if (format() != core::LabelFormat::Json) {
            *why = tr(
                "Every source at once keeps its provenance only in JSON: choose the JSON format.");
            return std::nullopt;
        }
    }
    const QString scope = scope_->currentData().toString();
    if (scope == QLatin1String("video"))
        sel.videos = {currentVideo_.toStdString()};
    else if (scope != QLatin1String("all"))
        sel.split = core::splitFromName(scope.toStdString());
    return sel;
}

Job* ExportDialog::startExport() {
    if (job_ || !session_->isOpen()) return nullptr;
    QString why;
    const auto sel = selection(&why);
    const QString out = output_->text().trimmed();
    if (!sel) {
        status_->setText(why);
        return nullptr;
    }
    if (out.isEmpty()) {
        status_->setText(tr("Choose where to write the files."));
        return nullptr;
    }
    const auto fmt = format();
    QSettings().setValue(QStringLiteral("export/format"), static_cast<int>(fmt));
    QSettings().setValue(QStringLiteral("export/folder"), QFileInfo(out).path());
    const QString path = session_->path();
    const std::string annotator = session_->annotator().toStdString();
    export_->setEnabled(false);
    cancel_->setEnabled(true);
    progress_->setValue(0);
    progress_->show();
    status_->setText(tr("Exporting…"));
    written_.clear();
    const QString formatName = QString::fromLatin1(core::labelFormatInfo(fmt).name.data());
    job_ = jobs_->run<ExportResult>(
        tr("Export %1 to %2").arg(formatName, QFileInfo(out).fileName()),
        [path, annotator, sel, fmt, out](JobContext& ctx) {
            auto store =
                store::Store::open(path.toStdString(), {.annotator = annotator, .create = false});
            ctx.progress(QStringLiteral("reading the store"), 0.0);
            const auto doc = store::exportLabels(*store, *sel);
            ctx.checkCancelled();
            const auto r = core::writeLabelFiles(
                fmt, doc, out.toStdString(), [&ctx](std::size_t done, std::size_t total) {
                    ctx.checkCancelled();
                    ctx.progress(
                        QStringLiteral("writing"),
                        total ? 0.1 + 0.9 * static_cast<double>(done) / static_cast<double>(total)
                              : 1.0);
                });
            ExportResult res;
            for (const auto& f : r.files) res.files << QString::fromStdString(f.string());
            res.videos = doc.videos.size();
            res.merged = r.merged;
            res.rounded = r.rounded;
            return res;
        },
        [self = QPointer<ExportDialog>(this), out](ExportResult& r) {
            auto* d = self.data();
            if (!d) return;
            d->written_ = r.files;
            QString text = tr("Wrote %n file(s) for %1 video(s) to %2.", nullptr,
                              static_cast<int>(r.files.size()))
                               .arg(r.videos)
                               .arg(QDir::toNativeSeparators(out));
            if (r.merged)
                text += QLatin1Char(' ') +
                        tr("%n overlapping event(s) merged (the format forbids overlaps).", nullptr,
                           static_cast<int>(r.merged));
            if (r.rounded)
                text += QLatin1Char(' ') + tr("%n event(s) widened to whole seconds.", nullptr,
                                              static_cast<int>(r.rounded));
            d->status_->setText(text);
        },
        [self = QPointer<ExportDialog>(this)](const QString& error) {
            if (auto* d = self.data()) d->status_->setText(tr("Export failed: %1").arg(error));
        });
    connect(job_, &Job::progressChanged, this,
            [this](const QString&, double f) { progress_->setValue(static_cast<int>(f * 1000)); });
    connect(job_, &Job::ended, this, [this](Job* j) {
        if (j->state() == Job::State::Cancelled)
            status_->setText(tr("Export cancelled; files written so far stay."));
        progress_->hide();
        export_->setEnabled(true);
        cancel_->setEnabled(false);
        job_ = nullptr;
    });
    return job_;
}

}  // namespace avvp::ui
