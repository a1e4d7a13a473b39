#include "ui/dialogs/export_dialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QStandardPaths>
#include <QToolButton>
#include <QVBoxLayout>

#include "ui/document.h"
#include "ui/labels.h"

namespace avvp::ui {

ExportDialog::ExportDialog(Document* document, const QString& currentVideo, QWidget* parent)
    : QDialog(parent), doc_(document), currentVideo_(currentVideo) {
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
    source_->addItem(tr("Final labels (ground truth with the accepted corrections)"),
                     QStringLiteral("final"));
    for (const auto& r : doc_->runs())
        source_->addItem(tr("Predictions of run %1").arg(QString::fromStdString(r.name)),
                         QStringLiteral("pred:%1").arg(r.id));
    source_->addItem(tr("Corrections (all annotators)"), QStringLiteral("corr"));
    source_->addItem(tr("Corrections by %1").arg(doc_->annotator()),
                     QStringLiteral("corr:") + doc_->annotator());
    source_->addItem(tr("Everything, with provenance (JSON)"), QStringLiteral("all"));
    scope_ = new QComboBox(this);
    if (!currentVideo_.isEmpty())
        scope_->addItem(tr("This video (%1)").arg(currentVideo_), QStringLiteral("video"));
    for (auto s : core::kSplits)
        scope_->addItem(tr("The %1 split").arg(splitLabel(s)),
                        QString::fromLatin1(core::splitName(s).data()));
    scope_->addItem(tr("Every video"), QStringLiteral("all"));
    omitEmpty_ = new QCheckBox(tr("Omit empty tiers"), this);
    omitEmpty_->setToolTip(
        tr("Write only the tiers that hold events (a modality without events keeps one empty "
           "tier named after it)."));
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
    form->addRow(QString(), omitEmpty_);
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
    connect(cancel_, &QPushButton::clicked, this, &ExportDialog::cancelRequested);
    connect(close, &QPushButton::clicked, this, &QDialog::reject);
    connect(format_, &QComboBox::currentIndexChanged, this, &ExportDialog::suggestOutput);
    connect(scope_, &QComboBox::currentIndexChanged, this, &ExportDialog::suggestOutput);
    connect(source_, &QComboBox::currentIndexChanged, this, [this] {
        if (source_->currentData().toString() == QLatin1String("all"))
            setFormat(core::LabelFormat::Json);
    });
    format_->setCurrentIndex(
        std::max(0, format_->findData(static_cast<int>(core::LabelFormat::Eaf))));
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
    omitEmpty_->setEnabled(f == core::LabelFormat::Eaf || f == core::LabelFormat::TextGrid);
    const auto& info = core::labelFormatInfo(f);
    QString base = defaultFolder_;
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
    } else if (src == QLatin1String("final")) {
        sel.source = store::Source::GroundTruth;
        sel.finalLabels = true;
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

void ExportDialog::setDefaultFolder(const QString& folder) {
    defaultFolder_ = folder;
    suggestOutput();
}

bool ExportDialog::startExport() {
    if (running_ || !doc_->isOpen()) return false;
    QString why;
    const auto sel = selection(&why);
    const QString out = output_->text().trimmed();
    if (!sel) {
        status_->setText(why);
        return false;
    }
    if (out.isEmpty()) {
        status_->setText(tr("Choose where to write the files."));
        return false;
    }
    const auto fmt = format();
    status_->setText(tr("Exporting…"));
    written_.clear();
    requestedOutput_ = out;
    const QString formatName = QString::fromLatin1(core::labelFormatInfo(fmt).name.data());
    core::LabelWriteOptions options;
    options.omitEmptyTiers = omitEmpty_->isEnabled() && omitEmpty_->isChecked();
    // LLP: the weak-label files follow the exported events, except for the ground truth,
    // whose own weak labels are written (as `avvp export` does).
    options.weakFromEvents = sel->finalLabels || sel->source != store::Source::GroundTruth;
    emit exportRequested(*sel, fmt, out,
                         tr("Export %1 to %2").arg(formatName, QFileInfo(out).fileName()), options);
    return true;
}

void ExportDialog::showStarted() {
    running_ = true;
    export_->setEnabled(false);
    cancel_->setEnabled(true);
    progress_->setValue(0);
    progress_->show();
}

void ExportDialog::showProgress(double fraction) {
    progress_->setValue(static_cast<int>(fraction * 1000));
}

void ExportDialog::showFinished(const QStringList& files, std::size_t videos, std::size_t merged,
                                std::size_t rounded) {
    written_ = files;
    QString text =
        tr("Wrote %n file(s) for %1 video(s) to %2.", nullptr, static_cast<int>(files.size()))
            .arg(videos)
            .arg(QDir::toNativeSeparators(requestedOutput_));
    if (merged)
        text +=
            QLatin1Char(' ') + tr("%n overlapping event(s) merged (the format forbids overlaps).",
                                  nullptr, static_cast<int>(merged));
    if (rounded)
        text += QLatin1Char(' ') +
                tr("%n event(s) widened to whole seconds.", nullptr, static_cast<int>(rounded));
    status_->setText(text);
}

void ExportDialog::showFailed(const QString& error) {
    status_->setText(tr("Export failed: %1").arg(error));
}

void ExportDialog::showEnded(bool cancelled) {
    if (cancelled) status_->setText(tr("Export cancelled; files written so far stay."));
    progress_->hide();
    export_->setEnabled(true);
    cancel_->setEnabled(false);
    running_ = false;
}

}  // namespace avvp::ui
