#include "ui/panels/model_panel.h"

#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSlider>
#include <QVBoxLayout>
#include <cmath>

#include "ui/document.h"

namespace avvp::ui {

ModelPanel::ModelPanel(Document* document, QWidget* parent) : QWidget(parent), doc_(document) {
    setObjectName(QStringLiteral("modelPanel"));
    auto* lay = new QVBoxLayout(this);
    lay->setContentsMargins(4, 4, 4, 4);

    auto* pick = new QHBoxLayout;
    path_ = new QLineEdit(this);
    path_->setPlaceholderText(tr("checkpoint (.ckpt, or a PyTorch state_dict)"));
    auto* browse = new QPushButton(tr("Browse…"), this);
    auto* load = new QPushButton(tr("Load"), this);
    device_ = new QComboBox(this);
    device_->addItems({QStringLiteral("auto"), QStringLiteral("cpu"), QStringLiteral("cuda")});
    device_->setToolTip(tr("auto: CUDA when available, else the CPU"));
    pick->addWidget(path_, 1);
    pick->addWidget(browse);
    pick->addWidget(device_);
    pick->addWidget(load);
    lay->addLayout(pick);
    config_ = new QPlainTextEdit(this);
    config_->setReadOnly(true);
    config_->setPlaceholderText(tr("No model loaded."));
    config_->setMaximumHeight(110);
    lay->addWidget(config_);

    auto* runRow = new QHBoxLayout;
    scope_ = new QComboBox(this);
    scope_->addItems({tr("current video"), tr("selected videos"), tr("train split"),
                      tr("val split"), tr("test split"), tr("all videos")});
    scope_->setCurrentIndex(static_cast<int>(Scope::Test));
    runName_ = new QLineEdit(this);
    runName_->setPlaceholderText(tr("run name (default: model and time)"));
    run_ = new QPushButton(tr("Run"), this);
    cancel_ = new QPushButton(tr("Cancel"), this);
    cancel_->setEnabled(false);
    runRow->addWidget(new QLabel(tr("Run on"), this));
    runRow->addWidget(scope_);
    runRow->addWidget(runName_, 1);
    runRow->addWidget(run_);
    runRow->addWidget(cancel_);
    lay->addLayout(runRow);
    progress_ = new QProgressBar(this);
    progress_->setRange(0, 1000);
    progress_->setTextVisible(false);
    progress_->setMaximumHeight(8);
    lay->addWidget(progress_);
    status_ = new QLabel(this);
    status_->setWordWrap(true);
    status_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    lay->addWidget(status_);

    auto* th = new QGroupBox(tr("Thresholds (prediction rows)"), this);
    auto* form = new QFormLayout(th);
    const QString names[3] = {tr("Audio frame"), tr("Visual frame"), tr("Global (video)")};
    for (int i = 0; i < 3; ++i) {
        sliders_[i] = new QSlider(Qt::Horizontal, th);
        sliders_[i]->setRange(1, 99);
        sliders_[i]->setValue(50);
        values_[i] = new QLabel(QStringLiteral("0.50"), th);
        auto* row = new QHBoxLayout;
        row->addWidget(sliders_[i], 1);
        row->addWidget(values_[i]);
        form->addRow(names[i], row);
        connect(sliders_[i], &QSlider::valueChanged, this, &ModelPanel::onSlider);
    }
    auto* reset = new QPushButton(tr("Stored predictions"), th);
    reset->setToolTip(
        tr("Show the run's stored prediction events (those you accept or reject) again"));
    apply_ = new QPushButton(tr("Apply to run"), th);
    apply_->setToolTip(
        tr("Re-threshold the run's stored prediction events with these "
           "thresholds and store them with the run"));
    auto* thButtons = new QHBoxLayout;
    thButtons->addWidget(reset);
    thButtons->addWidget(apply_);
    form->addRow(thButtons);
    lay->addWidget(th);
    lay->addStretch(1);

    connect(browse, &QPushButton::clicked, this, &ModelPanel::browse);
    connect(load, &QPushButton::clicked, this, [this] { requestLoad(path_->text()); });
    connect(path_, &QLineEdit::returnPressed, this, [this] { requestLoad(path_->text()); });
    connect(run_, &QPushButton::clicked, this,
            [this] { requestRun(static_cast<Scope>(scope_->currentIndex()), runName_->text()); });
    connect(cancel_, &QPushButton::clicked, this, &ModelPanel::cancelRequested);
    connect(reset, &QPushButton::clicked, this, &ModelPanel::resetThresholds);
    connect(apply_, &QPushButton::clicked, this, [this] {
        const auto run = doc_->run();
        if (!run) return;
        core::Thresholds t;
        t.audio = static_cast<float>(sliders_[0]->value()) / 100.0F;
        t.visual = static_cast<float>(sliders_[1]->value()) / 100.0F;
        t.global = static_cast<float>(sliders_[2]->value()) / 100.0F;
        emit applyThresholdsRequested(*run, t);
    });
    connect(doc_, &Document::runChanged, this, &ModelPanel::syncSliders);
    connect(doc_, &Document::thresholdsChanged, this, &ModelPanel::syncSliders);
    syncSliders();
}

QString ModelPanel::configText() const {
    return config_->toPlainText();
}

QString ModelPanel::status() const {
    return status_->text();
}

void ModelPanel::setCheckpointPath(const QString& path) {
    path_->setText(path);
}

void ModelPanel::setStatus(const QString& text, bool error) {
    status_->setText(text);
    status_->setStyleSheet(error ? QStringLiteral("color: #b00020;") : QString());
}

void ModelPanel::browse() {
    const QString file =
        QFileDialog::getOpenFileName(this, tr("Open a checkpoint"), QFileInfo(path_->text()).path(),
                                     tr("Checkpoints (*.ckpt *.pt *.pth);;All files (*)"));
    if (file.isEmpty()) return;
    path_->setText(file);
    requestLoad(file);
}

bool ModelPanel::requestLoad(const QString& path) {
    if (path.isEmpty()) {
        setStatus(tr("Choose a checkpoint first."), true);
        return false;
    }
    path_->setText(path);
    setStatus(tr("Loading %1…").arg(QFileInfo(path).fileName()));
    emit loadRequested(path, device_->currentText(),
                       tr("Load model %1").arg(QFileInfo(path).fileName()));
    return true;
}

void ModelPanel::showModel(const QString& checkpoint, const QString& variant,
                           const QString& description) {
    hasModel_ = true;
    model_ = variant;
    path_->setText(checkpoint);
    config_->setPlainText(QFileInfo(checkpoint).fileName() + QLatin1Char('\n') + description);
    setStatus(tr("Model loaded: %1").arg(QFileInfo(checkpoint).fileName()));
}

void ModelPanel::showLoadFailed(const QString& error) {
    setStatus(tr("Cannot load the model: %1").arg(error), true);
}

bool ModelPanel::canRun() {
    if (!hasModel_) {
        setStatus(tr("Load a model first."), true);
        return false;
    }
    if (!doc_->isOpen()) {
        setStatus(tr("Open a project first."), true);
        return false;
    }
    if (running_) {
        setStatus(tr("A model run is already under way."), true);
        return false;
    }
    return true;
}

bool ModelPanel::requestRun(Scope scope, const QString& runName) {
    if (!canRun()) return false;
    std::vector<store::VideoId> videos;
    std::optional<core::Split> split;
    switch (scope) {
        case Scope::CurrentVideo:
            if (!video_) {
                setStatus(tr("No current video."), true);
                return false;
            }
            videos = {*video_};
            break;
        case Scope::Selection:
            if (selection_) videos = selection_();
            if (videos.empty()) {
                setStatus(tr("No videos selected in the browser."), true);
                return false;
            }
            break;
        case Scope::Train:
            split = core::Split::Train;
            break;
        case Scope::Val:
            split = core::Split::Val;
            break;
        case Scope::Test:
            split = core::Split::Test;
            break;
        case Scope::All:
            break;
    }
    return emitRun(std::move(videos), split, runName, scope_->itemText(static_cast<int>(scope)));
}

bool ModelPanel::requestRunOn(std::vector<store::VideoId> videos, const QString& runName,
                              const QString& what) {
    if (!canRun()) return false;
    if (videos.empty()) {
        setStatus(tr("No videos to run the model on."), true);
        return false;
    }
    return emitRun(std::move(videos), std::nullopt, runName, what);
}

bool ModelPanel::emitRun(std::vector<store::VideoId> videos, std::optional<core::Split> split,
                         const QString& runName, const QString& what) {
    setStatus(tr("Running on %1…").arg(what));
    emit runRequested(videos, split, runName, tr("Run %1 on %2").arg(model_, what));
    return true;
}

void ModelPanel::showRunStarted() {
    running_ = true;
    progress_->setValue(0);
    run_->setEnabled(false);
    cancel_->setEnabled(true);
}

void ModelPanel::showRunProgress(double fraction, const QString& text) {
    progress_->setValue(static_cast<int>(fraction * 1000));
    if (!text.isEmpty()) setStatus(text);
}

void ModelPanel::showRunNote(const QString& note) {
    setStatus(note);
}

void ModelPanel::showRunFinished(const QString& runName, int videos, const QStringList& skipped) {
    QString text = tr("Run \"%1\": %n videos predicted.", nullptr, videos).arg(runName);
    if (!skipped.isEmpty())
        text += QLatin1Char(' ') +
                tr("%n skipped (first: %1).", nullptr, static_cast<int>(skipped.size()))
                    .arg(skipped.front());
    setStatus(text);
    endRun(1000);
}

void ModelPanel::showRunFailed(const QString& error) {
    setStatus(tr("The model run failed: %1").arg(error), true);
    endRun(1000);
}

void ModelPanel::showRunCancelled() {
    setStatus(tr("The model run was cancelled; nothing was stored."));
    endRun(0);
}

void ModelPanel::endRun(int progress) {
    running_ = false;
    run_->setEnabled(true);
    cancel_->setEnabled(false);
    progress_->setValue(progress);
}

void ModelPanel::setCurrentVideo(std::optional<store::VideoId> video) {
    video_ = video;
}

void ModelPanel::onSlider() {
    for (int i = 0; i < 3; ++i)
        values_[i]->setText(QString::number(sliders_[i]->value() / 100.0, 'f', 2));
    if (syncing_) return;
    core::Thresholds t;
    t.audio = static_cast<float>(sliders_[0]->value()) / 100.0F;
    t.visual = static_cast<float>(sliders_[1]->value()) / 100.0F;
    t.global = static_cast<float>(sliders_[2]->value()) / 100.0F;
    doc_->setThresholds(t);
}

void ModelPanel::resetThresholds() {
    doc_->setThresholds(std::nullopt);
}

void ModelPanel::syncSliders() {
    syncing_ = true;
    core::Thresholds t;
    if (doc_->thresholds()) {
        t = *doc_->thresholds();
    } else if (const auto r = doc_->currentRun()) {
        t = core::Thresholds::frame(r->frameThreshold, r->globalThreshold);
    }
    const float v[3] = {t.audio, t.visual, t.global};
    for (int i = 0; i < 3; ++i) sliders_[i]->setValue(static_cast<int>(std::lround(v[i] * 100)));
    syncing_ = false;
    apply_->setEnabled(doc_->run().has_value());
    for (int i = 0; i < 3; ++i)
        values_[i]->setText(QString::number(sliders_[i]->value() / 100.0, 'f', 2));
}

}  // namespace avvp::ui
