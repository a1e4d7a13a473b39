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
#include <QSettings>
#include <QSlider>
#include <QVBoxLayout>

#include "core/store/store.h"
#include "ui/jobs/job.h"
#include "ui/models/model_runner.h"
#include "ui/session.h"

namespace avvp::ui {

ModelPanel::ModelPanel(Session* session, JobManager* jobs, QWidget* parent)
    : QWidget(parent), session_(session), jobs_(jobs) {
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
    form->addRow(reset);
    lay->addWidget(th);
    lay->addStretch(1);

    path_->setText(QSettings().value(QStringLiteral("models/checkpoint")).toString());
    connect(browse, &QPushButton::clicked, this, &ModelPanel::browse);
    connect(load, &QPushButton::clicked, this, [this] { loadCheckpoint(path_->text()); });
    connect(path_, &QLineEdit::returnPressed, this, [this] { loadCheckpoint(path_->text()); });
    connect(run_, &QPushButton::clicked, this, &ModelPanel::startRun);
    connect(cancel_, &QPushButton::clicked, this, [this] {
        if (runJob_) runJob_->cancel();
    });
    connect(reset, &QPushButton::clicked, this, &ModelPanel::resetThresholds);
    connect(session_, &Session::runChanged, this, &ModelPanel::syncSliders);
    connect(session_, &Session::thresholdsChanged, this, &ModelPanel::syncSliders);
    syncSliders();
}

QString ModelPanel::configText() const {
    return config_->toPlainText();
}

QString ModelPanel::status() const {
    return status_->text();
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
    loadCheckpoint(file);
}

Job* ModelPanel::loadCheckpoint(const QString& path) {
    if (path.isEmpty()) {
        setStatus(tr("Choose a checkpoint first."), true);
        return nullptr;
    }
    path_->setText(path);
    setStatus(tr("Loading %1…").arg(QFileInfo(path).fileName()));
    const std::string device = device_->currentText().toStdString();
    using Loaded = std::pair<SharedModel, QString>;
    return jobs_->run<Loaded>(
        tr("Load model %1").arg(QFileInfo(path).fileName()),
        [path, device](JobContext& ctx) {
            ctx.progress(tr("loading"), 0.2);
            auto m = ui::loadModel(path.toStdString(), device);
            return Loaded{m, QString::fromStdString(describeModel(*m))};
        },
        [this, path](Loaded& loaded) {
            model_ = loaded.first;
            checkpoint_ = path;
            config_->setPlainText(QFileInfo(path).fileName() + QLatin1Char('\n') + loaded.second);
            QSettings().setValue(QStringLiteral("models/checkpoint"), path);
            setStatus(tr("Model loaded: %1").arg(QFileInfo(path).fileName()));
            emit modelLoaded(path);
            forwardCurrent();
        },
        [this](const QString& error) {
            setStatus(tr("Cannot load the model: %1").arg(error), true);
            emit loadFailed(error);
        });
}

void ModelPanel::startRun() {
    runModel(static_cast<Scope>(scope_->currentIndex()), runName_->text());
}

bool ModelPanel::canRun() {
    if (!model_) {
        setStatus(tr("Load a model first."), true);
        return false;
    }
    if (!session_->isOpen()) {
        setStatus(tr("Open a project first."), true);
        return false;
    }
    if (Job* j = runJob_.data(); j && j->running()) {
        setStatus(tr("A model run is already under way."), true);
        return false;
    }
    return true;
}

Job* ModelPanel::runModel(Scope scope, const QString& runName) {
    if (!canRun()) return nullptr;
    RunRequest req;
    req.runName = runName.toStdString();
    switch (scope) {
        case Scope::CurrentVideo:
            if (!video_) {
                setStatus(tr("No current video."), true);
                return nullptr;
            }
            req.videos = {*video_};
            break;
        case Scope::Selection:
            if (selection_) req.videos = selection_();
            if (req.videos.empty()) {
                setStatus(tr("No videos selected in the browser."), true);
                return nullptr;
            }
            break;
        case Scope::Train:
            req.split = core::Split::Train;
            break;
        case Scope::Val:
            req.split = core::Split::Val;
            break;
        case Scope::Test:
            req.split = core::Split::Test;
            break;
        case Scope::All:
            break;
    }
    return startRunJob(std::move(req), scope_->itemText(static_cast<int>(scope)));
}

Job* ModelPanel::runModelOn(std::vector<store::VideoId> videos, const QString& runName,
                            const QString& what) {
    if (!canRun()) return nullptr;
    if (videos.empty()) {
        setStatus(tr("No videos to run the model on."), true);
        return nullptr;
    }
    RunRequest req;
    req.videos = std::move(videos);
    req.runName = runName.toStdString();
    return startRunJob(std::move(req), what);
}

Job* ModelPanel::startRunJob(RunRequest req, const QString& what) {
    req.store = session_->path().toStdString();
    req.model = model_;
    req.checkpoint = checkpoint_.toStdString();
    setStatus(tr("Running on %1…").arg(what));
    progress_->setValue(0);
    run_->setEnabled(false);
    cancel_->setEnabled(true);
    runJob_ = jobs_->run<RunSummary>(
        tr("Run %1 on %2").arg(QString::fromStdString(model_->config().variant), what),
        [req](JobContext& ctx) { return ui::runModel(req, ctx); },
        [this](RunSummary& r) {
            session_->refresh();
            session_->setRun(r.run);
            QString text = tr("Run \"%1\": %n videos predicted.", nullptr, r.videos)
                               .arg(QString::fromStdString(r.name));
            if (!r.skipped.empty())
                text += QLatin1Char(' ') +
                        tr("%n skipped (first: %1).", nullptr, static_cast<int>(r.skipped.size()))
                            .arg(QString::fromStdString(r.skipped.front()));
            setStatus(text);
            emit runFinished(r.run, r.videos);
        },
        [this](const QString& error) {
            setStatus(tr("The model run failed: %1").arg(error), true);
            emit runFailed(error);
        });
    Job* job = runJob_;
    connect(job, &Job::progressChanged, this,
            [this](const QString&, double f) { progress_->setValue(static_cast<int>(f * 1000)); });
    connect(job, &Job::ended, this, [this](Job* j) {
        run_->setEnabled(true);
        cancel_->setEnabled(false);
        if (j->state() == Job::State::Cancelled) {
            setStatus(tr("The model run was cancelled; nothing was stored."));
            progress_->setValue(0);
        } else {
            progress_->setValue(1000);
        }
    });
    return job;
}

void ModelPanel::setCurrentVideo(std::optional<store::VideoId> video) {
    video_ = video;
    forwardCurrent();
}

void ModelPanel::forwardCurrent() {
    if (Job* j = forwardJob_.data(); j && j->running()) j->cancel();
    if (!model_ || !video_ || !session_->isOpen()) {
        emit outputsUnavailable(!model_ ? tr("Load a model (Models panel) to see what it computes "
                                             "for the current video.")
                                        : tr("No current video."));
        return;
    }
    const auto v = session_->store()->video(*video_);
    if (!v) return;
    const QString filename = QString::fromStdString(v->filename);
    const std::string storePath = session_->path().toStdString();
    const auto id = *video_;
    const int serial = ++forwardSerial_;
    auto model = model_;
    const QString description = QStringLiteral("%1 (%2)").arg(
        QFileInfo(checkpoint_).fileName(), QString::fromStdString(model_->config().variant));
    using Out = std::shared_ptr<const models::Outputs>;
    forwardJob_ = jobs_->run<Out>(
        tr("Forward pass of %1").arg(filename),
        [storePath, id, model](JobContext& ctx) {
            ctx.checkCancelled();
            auto store = store::Store::open(storePath);
            return Out(std::make_shared<models::Outputs>(forwardVideo(*model, *store, id)));
        },
        [this, serial, filename, description](Out& out) {
            if (serial == forwardSerial_) emit outputsReady(filename, description, out);
        },
        [this, serial, filename](const QString& error) {
            if (serial == forwardSerial_)
                emit outputsUnavailable(tr("No forward pass for %1: %2").arg(filename, error));
        });
}

void ModelPanel::onSlider() {
    for (int i = 0; i < 3; ++i)
        values_[i]->setText(QString::number(sliders_[i]->value() / 100.0, 'f', 2));
    if (syncing_) return;
    ViewThresholds t;
    t.audio = static_cast<float>(sliders_[0]->value()) / 100.0F;
    t.visual = static_cast<float>(sliders_[1]->value()) / 100.0F;
    t.global = static_cast<float>(sliders_[2]->value()) / 100.0F;
    session_->setThresholds(t);
}

void ModelPanel::resetThresholds() {
    session_->setThresholds(std::nullopt);
}

void ModelPanel::syncSliders() {
    syncing_ = true;
    ViewThresholds t;
    if (session_->thresholds()) {
        t = *session_->thresholds();
    } else if (const auto r = session_->currentRun()) {
        t.audio = t.visual = r->frameThreshold;
        t.global = r->globalThreshold;
    }
    const float v[3] = {t.audio, t.visual, t.global};
    for (int i = 0; i < 3; ++i) sliders_[i]->setValue(static_cast<int>(std::lround(v[i] * 100)));
    syncing_ = false;
    for (int i = 0; i < 3; ++i)
        values_[i]->setText(QString::number(sliders_[i]->value() / 100.0, 'f', 2));
}

}  // namespace avvp::ui
