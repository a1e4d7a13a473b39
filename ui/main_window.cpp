#include "ui/main_window.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QScreen>
#include <QScrollArea>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTimer>
#include <QToolButton>
#include <QUndoStack>
#include <QUndoView>
#include <QVBoxLayout>

#include "core/formats/label_io.h"
#include "core/store/label_exchange.h"
#include "core/store/llp_import.h"
#include "core/store/store.h"
#include "ui/dialogs/export_dialog.h"
#include "ui/dialogs/keymap_dialog.h"
#include "ui/dialogs/settings_dialog.h"
#include "ui/export/figure_export.h"
#include "ui/jobs/job.h"
#include "ui/keymap.h"
#include "ui/labels.h"
#include "ui/media/playback.h"
#include "ui/models/video_list_model.h"
#include "ui/panels/evaluation_panel.h"
#include "ui/panels/jobs_panel.h"
#include "ui/panels/model_panel.h"
#include "ui/panels/research_panel.h"
#include "ui/panels/training_panel.h"
#include "ui/panels/video_browser.h"
#include "ui/session.h"
#include "ui/synthetic.h"
#include "ui/widgets/timeline_panel.h"
#include "ui/widgets/timeline_view.h"
#include "ui/widgets/transport_bar.h"
#include "ui/widgets/video_view.h"

namespace avvp::ui {

namespace {

QString reportText(const store::ImportReport& r) {
    QString text = QCoreApplication::translate(
                       "avvp::ui::MainWindow",
                       "%1 videos added, %2 updated, %3 label sets changed, %4 events, "
                       "%5 feature files, %6 media files.")
                       .arg(r.videosAdded)
                       .arg(r.videosUpdated)
                       .arg(r.labelSetsChanged)
                       .arg(r.eventsImported)
                       .arg(r.featuresRecorded)
                       .arg(r.mediaMatched);
    if (!r.anomalies.empty())
        text +=
            QLatin1Char(' ') +
            QCoreApplication::translate("avvp::ui::MainWindow",
                                        "%n tolerated anomalies (first: %1).", nullptr,
                                        static_cast<int>(r.anomalies.size()))
                .arg(
                    QStringLiteral("%1:%2 %3")
                        .arg(QFileInfo(QString::fromStdString(r.anomalies.front().file)).fileName())
                        .arg(r.anomalies.front().line)
                        .arg(QString::fromStdString(r.anomalies.front().detail)));
    return text;
}

std::optional<core::LabelFormat> formatOfFile(const QString& path) {
    const QString ext = QFileInfo(path).suffix().toLower();
    if (ext == QLatin1String("eaf")) return core::LabelFormat::Eaf;
    if (ext == QLatin1String("textgrid")) return core::LabelFormat::TextGrid;
    if (ext == QLatin1String("tsv")) return core::LabelFormat::Dcase;
    if (ext == QLatin1String("json")) return core::LabelFormat::Json;
    if (ext == QLatin1String("txt")) return core::LabelFormat::Audacity;
    if (ext == QLatin1String("csv")) return core::LabelFormat::Llp;
    return std::nullopt;
}

}  // namespace

MainWindow::MainWindow(Session* session, JobManager* jobs, QWidget* parent)
    : QMainWindow(parent), session_(session), jobs_(jobs) {
    setObjectName(QStringLiteral("workspace"));
    resize(1440, 900);
    playback_ = new Playback(this);
    browser_ = new VideoBrowser(session_, this);
    videoView_ = new VideoView(playback_, this);
    transport_ = new TransportBar(playback_, this);
    timelinePanel_ = new TimelinePanel(session_, this);
    evaluation_ = new EvaluationPanel(session_, jobs_, this);
    jobsPanel_ = new JobsPanel(jobs_, this);
    modelPanel_ = new ModelPanel(session_, jobs_, this);
    research_ = new ResearchPanel(this);
    training_ = new TrainingPanel(jobs_, this);
    history_ = new QUndoView(session_->undoStack(), this);
    history_->setEmptyLabel(tr("<start of your history>"));

    videoTitle_ = new QLabel(this);
    videoTitle_->setTextFormat(Qt::RichText);
    videoTitle_->setContentsMargins(6, 2, 6, 2);
    auto* top = new QWidget(this);
    auto* topLay = new QVBoxLayout(top);
    topLay->setContentsMargins(0, 0, 0, 0);
    topLay->setSpacing(2);
    topLay->addWidget(videoTitle_);
    topLay->addWidget(videoView_, 1);
    topLay->addWidget(transport_);
    splitter_ = new QSplitter(Qt::Vertical, this);
    splitter_->addWidget(top);
    splitter_->addWidget(timelinePanel_);
    splitter_->setStretchFactor(0, 5);
    splitter_->setStretchFactor(1, 6);
    splitter_->setChildrenCollapsible(false);
    splitter_->setSizes({360, 480});
    connect(splitter_, &QSplitter::splitterMoved, this, [this] { splitterSetByUser_ = true; });
    setCentralWidget(splitter_);

    projectLabel_ = new QLabel(this);
    selectionLabel_ = new QLabel(this);
    // Long paths and selections must not widen the window.
    selectionLabel_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    videoTitle_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    statusBar()->addWidget(projectLabel_);
    statusBar()->addWidget(selectionLabel_, 1);
    statusBar()->addPermanentWidget(new JobStatusWidget(jobs_, this));

    buildActions();
    buildMenus();
    buildDocks();

    auto* tl = timeline();
    connect(browser_, &VideoBrowser::videoSelected, this, &MainWindow::showVideo);
    connect(playback_, &Playback::positionChanged, tl, &TimelineView::setPlayhead);
    connect(playback_, &Playback::positionChanged, this, &MainWindow::playheadChanged);
    connect(tl, &TimelineView::seekRequested, this, &MainWindow::seekTo);
    connect(videoView_, &VideoView::seekRequested, this, &MainWindow::seekTo);
    connect(tl, &TimelineView::selectionChanged, this, &MainWindow::updateSelectionInfo);
    connect(tl, &TimelineView::message, this, [this](const QString& m) { showMessage(m); });
    connect(playback_, &Playback::failed, this, [this](const QString& m) { showMessage(m, true); });
    connect(session_, &Session::editFailed, this,
            [this](const QString& m) { showMessage(m, true); });
    connect(session_, &Session::opened, this, &MainWindow::onOpened);
    connect(session_, &Session::closed, this, &MainWindow::updateTitle);
    connect(session_, &Session::changed, this, [this](const store::Change& c) {
        if (video_ && (c.external || c.videos)) {
            // Media may have been attached by an import.
            const auto v = session_->store()->video(*video_);
            if (v && QString::fromStdString(v->mediaPath) != playback_->file() &&
                !v->mediaPath.empty())
                showVideo(video_);
        }
        updateSelectionInfo();
    });
    connect(evaluation_, &EvaluationPanel::videoActivated, this, &MainWindow::selectVideo);
    // Models: the forward pass of the current video feeds the research panels, which
    // follow the playhead; a trained checkpoint goes to the Models panel.
    modelPanel_->setSelectionProvider([this] { return browser_->selectedVideos(); });
    connect(this, &MainWindow::currentVideoChanged, modelPanel_, &ModelPanel::setCurrentVideo);
    connect(modelPanel_, &ModelPanel::outputsReady, research_, &ResearchPanel::setOutputs);
    connect(modelPanel_, &ModelPanel::outputsUnavailable, research_, &ResearchPanel::clear);
    connect(this, &MainWindow::playheadChanged, research_, &ResearchPanel::setPlayhead);
    connect(training_, &TrainingPanel::useCheckpoint, this, [this](const QString& ckpt) {
        modelPanel_->loadCheckpoint(ckpt);
        if (auto* dock = findChild<QDockWidget*>(QStringLiteral("models"))) dock->raise();
    });
    connect(evaluation_, &EvaluationPanel::scoresReady, browser_, &VideoBrowser::setScores);
    browser_->restoreState();
    updateTitle();
    showVideo(std::nullopt);
    if (session_->isOpen()) onOpened();
}

MainWindow::~MainWindow() {
    playback_->close();
}

TimelineView* MainWindow::timeline() const {
    return timelinePanel_->view();
}

QAction* MainWindow::makeAction(const char* id, const QString& text,
                                const std::function<void()>& slot) {
    auto* a = new QAction(text, this);
    a->setObjectName(QString::fromLatin1(id));
    if (const auto* b = findBinding(id)) a->setShortcuts(keySequences(*b));
    a->setShortcutContext(Qt::WindowShortcut);
    connect(a, &QAction::triggered, this, [slot] { slot(); });
    addAction(a);
    actions_.insert(QString::fromLatin1(id), a);
    return a;
}

void MainWindow::buildActions() {
    auto* tl = timeline();
    makeAction("play", tr("Play / Pause"), [this] { playback_->togglePlay(); });
    makeAction("shuttleBack", tr("Back 5 s / Slower"), [this] { playback_->shuttleBack(); });
    makeAction("shuttleStop", tr("Pause"), [this] { playback_->shuttleStop(); });
    makeAction("shuttleForward", tr("Play / Faster"), [this] { playback_->shuttleForward(); });
    makeAction("segmentBack", tr("Segment Back"), [this] { stepSegments(-1); });
    makeAction("segmentForward", tr("Segment Forward"), [this] { stepSegments(1); });
    makeAction("frameBack", tr("Frame Back"), [this] { playback_->stepFrames(-1); });
    makeAction("frameForward", tr("Frame Forward"), [this] { playback_->stepFrames(1); });
    makeAction("toStart", tr("To the Start"), [this] { seekTo(0); });
    makeAction("toEnd", tr("To the End"), [this] {
        if (playback_->isOpen())
            playback_->goToEnd();
        else
            seekTo(timeline()->durationSeconds());
    });
    makeAction("cycleMode", tr("Cycle Audio / Video Checking"), [this] {
        const auto m = playback_->mode();
        playback_->setMode(m == Playback::Mode::Both        ? Playback::Mode::AudioOnly
                           : m == Playback::Mode::AudioOnly ? Playback::Mode::VideoOnly
                                                            : Playback::Mode::Both);
    });
    makeAction("previousEvent", tr("Previous Event"), [tl] { tl->selectAdjacentEvent(-1); });
    makeAction("nextEvent", tr("Next Event"), [tl] { tl->selectAdjacentEvent(1); });
    makeAction("accept", tr("Accept Prediction"), [tl] { tl->acceptSelected(); });
    makeAction("reject", tr("Reject Prediction"), [tl] { tl->rejectSelected(); });
    makeAction("relabel", tr("Relabel…"), [tl] { tl->relabelSelected(); });
    makeAction("addEvent", tr("Add Event at Playhead…"), [tl] { tl->addEventAtPlayhead(); });
    makeAction("delete", tr("Delete Events"), [tl] { tl->deleteSelected(); });
    makeAction("selectAll", tr("Select All Events"), [tl] { tl->selectAll(); });
    makeAction("clearSelection", tr("Clear Selection"), [tl] { tl->cancelOrClear(); });
    makeAction("zoomIn", tr("Zoom In"), [tl] { tl->zoomIn(); });
    makeAction("zoomOut", tr("Zoom Out"), [tl] { tl->zoomOut(); });
    makeAction("zoomFit", tr("Zoom to Fit"), [tl] { tl->zoomToFit(); });
    auto* snap = makeAction("snap", tr("Snap to Segments"), [] {});
    snap->setCheckable(true);
    snap->setChecked(timelinePanel_->snapButton()->isChecked());
    connect(snap, &QAction::toggled, timelinePanel_->snapButton(), &QToolButton::setChecked);
    connect(timelinePanel_->snapButton(), &QToolButton::toggled, snap, &QAction::setChecked);
    makeAction("previousVideo", tr("Previous Video"), [this] { browser_->step(-1); });
    makeAction("nextVideo", tr("Next Video"), [this] { browser_->step(1); });
    makeAction("find", tr("Search Videos"), [this] {
        browser_->searchEdit()->setFocus();
        browser_->searchEdit()->selectAll();
    });
    makeAction("export", tr("Export Labels…"), [this] { showExportDialog(); });
    makeAction("open", tr("Open Project…"), [this] { openProject(); });
    makeAction("new", tr("New Project…"), [this] { newProject(); });
    makeAction("keymap", tr("Keyboard Shortcuts"), [this] { showKeymap(); });

    auto* undo = session_->undoStack()->createUndoAction(this, tr("Undo"));
    undo->setShortcuts(keySequences(*findBinding("undo")));
    auto* redo = session_->undoStack()->createRedoAction(this, tr("Redo"));
    redo->setShortcuts(keySequences(*findBinding("redo")));
    addAction(undo);
    addAction(redo);
    actions_.insert(QStringLiteral("undo"), undo);
    actions_.insert(QStringLiteral("redo"), redo);
}

void MainWindow::buildMenus() {
    auto* file = menuBar()->addMenu(tr("&File"));
    file->addAction(action(QStringLiteral("new")));
    file->addAction(action(QStringLiteral("open")));
    recentMenu_ = file->addMenu(tr("Open &Recent"));
    connect(recentMenu_, &QMenu::aboutToShow, this, &MainWindow::fillRecentMenu);
    file->addAction(tr("Open the &Demo Project"), this, [this] { emit demoRequested(false); });
    file->addAction(tr("Re-create the Demo Project…"), this, [this] {
        if (QMessageBox::question(
                this, tr("Re-create the demo project"),
                tr("Delete the demo project with its edits and build it again?")) ==
            QMessageBox::Yes)
            emit demoRequested(true);
    });
    file->addSeparator();
    auto* import = file->addMenu(tr("&Import"));
    import->addAction(tr("LLP Annotation Folder…"), this, &MainWindow::importLlp);
    import->addAction(tr("Label Files (ELAN, TextGrid, DCASE, Audacity, JSON, LLP)…"), this,
                      &MainWindow::importLabelFiles);
    import->addAction(tr("Video Folder…"), this, &MainWindow::importVideos);
    import->addAction(tr("Feature Folder (VALOR layout)…"), this, &MainWindow::importFeatures);
    file->addAction(action(QStringLiteral("export")));
    file->addAction(tr("Export &Timeline Image…"), this, &MainWindow::exportTimelineDialog);
    file->addSeparator();
    auto* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    auto* edit = menuBar()->addMenu(tr("&Edit"));
    edit->addAction(action(QStringLiteral("undo")));
    edit->addAction(action(QStringLiteral("redo")));
    edit->addSeparator();
    for (const char* id : {"accept", "reject", "relabel", "addEvent", "delete", "selectAll"})
        edit->addAction(action(QString::fromLatin1(id)));
    edit->addSeparator();
    edit->addAction(tr("&Preferences…"), this, &MainWindow::showPreferences);

    auto* play = menuBar()->addMenu(tr("&Playback"));
    for (const char* id : {"play", "shuttleBack", "shuttleStop", "shuttleForward", "segmentBack",
                           "segmentForward", "frameBack", "frameForward", "toStart", "toEnd",
                           "previousEvent", "nextEvent", "cycleMode"})
        play->addAction(action(QString::fromLatin1(id)));

    auto* models = menuBar()->addMenu(tr("&Models"));
    models->addAction(tr("&Load a Checkpoint…"), this, [this] {
        if (auto* dock = findChild<QDockWidget*>(QStringLiteral("models"))) {
            dock->show();
            dock->raise();
        }
        const QString chosen =
            QFileDialog::getOpenFileName(this, tr("Open a checkpoint"), QString(),
                                         tr("Checkpoints (*.ckpt *.pt *.pth);;All files (*)"));
        if (!chosen.isEmpty()) modelPanel_->loadCheckpoint(chosen);
    });
    models->addAction(tr("&Run the Model on the Test Split"), this,
                      [this] { modelPanel_->runModel(ModelPanel::Scope::Test); });
    models->addAction(tr("Run the Model on the &Current Video"), this,
                      [this] { modelPanel_->runModel(ModelPanel::Scope::CurrentVideo); });
    models->addSeparator();
    models->addAction(tr("&Training Dashboard"), this, [this] {
        if (auto* dock = findChild<QDockWidget*>(QStringLiteral("training"))) {
            dock->show();
            dock->raise();
        }
    });
    models->addAction(tr("Train the &Demo Model (about a minute)"), this,
                      [this] { emit demoModelRequested(); });

    viewMenu_ = menuBar()->addMenu(tr("&View"));
    for (const char* id :
         {"zoomIn", "zoomOut", "zoomFit", "snap", "previousVideo", "nextVideo", "find"})
        viewMenu_->addAction(action(QString::fromLatin1(id)));
    viewMenu_->addSeparator();

    auto* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(action(QStringLiteral("keymap")));
    help->addAction(tr("&About AVVP Studio"), this, [this] {
        QMessageBox::about(
            this, tr("About AVVP Studio"),
            tr("<b>AVVP Studio</b> %1<br>Audio-visual video parsing: annotate, correct and score "
               "audio, visual and audio-visual events.<br>LLP annotations: Tian et al., ECCV 2020. "
               "Scores follow the AVVP protocol of the LLP paper.")
                .arg(QApplication::applicationVersion()));
    });
}

QDockWidget* MainWindow::addPanel(const QString& id, const QString& title, QWidget* panel,
                                  Qt::DockWidgetArea area) {
    auto* dock = new QDockWidget(title, this);
    dock->setObjectName(id);
    dock->setWidget(panel);
    addDockWidget(area, dock);
    if (viewMenu_) viewMenu_->addAction(dock->toggleViewAction());
    return dock;
}

void MainWindow::buildDocks() {
    setDockOptions(QMainWindow::AnimatedDocks | QMainWindow::AllowTabbedDocks);
    // The bottom docks (research, training) sit under the video and timeline only.
    setCorner(Qt::BottomLeftCorner, Qt::LeftDockWidgetArea);
    setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea);
    auto* videos =
        addPanel(QStringLiteral("videos"), tr("Videos"), browser_, Qt::LeftDockWidgetArea);
    auto* eval = addPanel(QStringLiteral("evaluation"), tr("Evaluation"), evaluation_,
                          Qt::RightDockWidgetArea);
    auto* hist =
        addPanel(QStringLiteral("history"), tr("History"), history_, Qt::RightDockWidgetArea);
    auto* jobs = addPanel(QStringLiteral("jobs"), tr("Jobs"), jobsPanel_, Qt::RightDockWidgetArea);
    tabifyDockWidget(hist, jobs);
    hist->raise();
    auto* modelsDock =
        addPanel(QStringLiteral("models"), tr("Models"), modelPanel_, Qt::RightDockWidgetArea);
    tabifyDockWidget(eval, modelsDock);
    eval->raise();
    auto* research =
        addPanel(QStringLiteral("research"), tr("Research"), research_, Qt::BottomDockWidgetArea);
    auto* training =
        addPanel(QStringLiteral("training"), tr("Training"), training_, Qt::BottomDockWidgetArea);
    tabifyDockWidget(research, training);
    research->raise();
    resizeDocks({videos, eval}, {360, 340}, Qt::Horizontal);
    resizeDocks({eval, hist}, {560, 220}, Qt::Vertical);
}

void MainWindow::onOpened() {
    addRecent(session_->path());
    updateTitle();
    const QString last =
        QSettings().value(QStringLiteral("lastVideo/") + session_->path()).toString();
    if (!last.isEmpty() && browser_->selectVideo(last)) return;
    // Otherwise the first video that plays, else the first one.
    auto* proxy = browser_->proxy();
    for (int r = 0; r < proxy->rowCount(); ++r)
        if (proxy->index(r, 0).data(VideoListModel::HasMediaRole).toBool()) {
            browser_->selectVideo(proxy->index(r, 0).data(VideoListModel::FilenameRole).toString());
            return;
        }
    if (proxy->rowCount() > 0) browser_->step(0);
}

bool MainWindow::selectVideo(const QString& filename) {
    return browser_->selectVideo(filename);
}

void MainWindow::showVideo(std::optional<store::VideoId> video) {
    video_ = video;
    auto* store = session_->store();
    const auto v = store && video ? store->video(*video) : std::nullopt;
    timeline()->setVideo(v ? std::optional(v->id) : std::nullopt);
    QString media = v ? QString::fromStdString(v->mediaPath) : QString();
    if (!media.isEmpty() && !QFileInfo::exists(media)) {
        showMessage(tr("The media file %1 is missing.").arg(media), true);
        media.clear();
    }
    SyntheticMediaCheck synthetic;
    const bool synth =
        v && (isSyntheticVideoName(QString::fromStdString(v->filename)) || synthetic(media));
    if (!media.isEmpty() && media != playback_->file()) {
        if (!playback_->open(media)) media.clear();
    } else if (media.isEmpty()) {
        playback_->close();
    }
    timeline()->setMedia(media);
    videoView_->setSynthetic(synth && !media.isEmpty());
    videoView_->setSegments(v && v->durationMs > 0 ? static_cast<int>((v->durationMs + 999) / 1000)
                                                   : 0);
    if (!v)
        videoView_->setPlaceholder(
            session_->isOpen()
                ? tr("Select a video in the browser.")
                : tr("No project open: File ▸ Open Project, or File ▸ Open the Demo Project."));
    else if (media.isEmpty())
        videoView_->setPlaceholder(tr("No media file for %1.\nThe LLP dataset ships annotations "
                                      "only: its events can be edited here, "
                                      "without picture. Import a folder of videos (File ▸ Import ▸ "
                                      "Video Folder), or pick a video whose "
                                      "Media column says \"synthetic\" or \"video\".")
                                       .arg(QString::fromStdString(v->filename)));
    if (v) {
        QString title =
            QStringLiteral("<b>%1</b> · %2")
                .arg(QString::fromStdString(v->filename).toHtmlEscaped(), splitLabel(v->split));
        if (v->weak)
            title += QStringLiteral(" · ") +
                     tr("weak labels: %1").arg(VideoListModel::classList(v->weak));
        if (synth)
            title += QStringLiteral(" · <span style='color:#c06000'><b>%1</b></span>")
                         .arg(tr("SYNTHETIC media"));
        videoTitle_->setText(title);
        QSettings().setValue(QStringLiteral("lastVideo/") + session_->path(),
                             QString::fromStdString(v->filename));
    } else {
        videoTitle_->setText(QString());
    }
    updateSelectionInfo();
    QTimer::singleShot(0, this, &MainWindow::fitTimeline);  // once the rows are laid out
    emit currentVideoChanged(video_);
}

void MainWindow::fitTimeline() {
    // Until the user moves the splitter: the timeline gets what its rows need (within 30 to
    // 65 % of the height), the video the rest.
    if (splitterSetByUser_) return;
    const int total = splitter_->height();
    if (total < 200) return;
    // Rows + the tool bar and the scroll bar around them.
    const int want = timeline()->sizeHint().height() + timelinePanel_->height() -
                     timelinePanel_->scrollArea()->height() + 4;
    const int timeline = std::clamp(want, total * 30 / 100, total * 65 / 100);
    splitter_->setSizes({total - timeline, timeline});
}

void MainWindow::seekTo(double seconds) {
    if (playback_->isOpen())
        playback_->seek(seconds);
    else
        timeline()->setPlayhead(std::clamp(seconds, 0.0, timeline()->durationSeconds()));
    if (!playback_->isOpen()) emit playheadChanged(timeline()->playhead());
}

void MainWindow::stepSegments(int n) {
    if (playback_->isOpen()) {
        playback_->stepSegments(n);
        return;
    }
    const double t = std::floor(timeline()->playhead() + 1e-6) + n;
    seekTo(std::clamp(t, 0.0, timeline()->durationSeconds()));
}

void MainWindow::setProjectNote(const QString& note) {
    projectNote_ = note;
    updateTitle();
}

void MainWindow::updateTitle() {
    if (!session_->isOpen()) {
        setWindowTitle(tr("AVVP Studio"));
        projectLabel_->setText(tr("No project"));
        return;
    }
    const QString name = QFileInfo(session_->path()).fileName();
    setWindowTitle(projectNote_.isEmpty() ? tr("AVVP Studio — %1").arg(name)
                                          : tr("AVVP Studio — %1 (%2)").arg(name, projectNote_));
    projectLabel_->setText(
        tr("%1 · annotator %2")
            .arg(QDir::toNativeSeparators(session_->path()), session_->annotator()));
    projectLabel_->setToolTip(projectNote_);
}

void MainWindow::updateSelectionInfo() {
    const auto& sel = timeline()->selection();
    if (sel.empty()) {
        selectionLabel_->setText(QString());
        return;
    }
    if (sel.size() > 1) {
        selectionLabel_->setText(tr("%n events selected", nullptr, static_cast<int>(sel.size())));
        return;
    }
    for (const auto& e : timeline()->events())
        if (e.id == *sel.begin()) {
            QString text = tr("Selected: %1 · %2 · %3 · %4")
                               .arg(className(e.cls), modalityLabel(e.modality),
                                    sourceLabel(e.source), formatSpan(e.onsetMs, e.offsetMs));
            if (e.source == store::Source::Prediction)
                text += QStringLiteral(" · ") + reviewLabel(e.review) + QStringLiteral(" (A / R)");
            selectionLabel_->setText(text);
        }
}

void MainWindow::showMessage(const QString& text, bool error) {
    statusBar()->showMessage(error ? QStringLiteral("⚠ ") + text : text, error ? 12000 : 6000);
}

void MainWindow::addRecent(const QString& path) {
    QSettings s;
    QStringList recent = s.value(QStringLiteral("recent/stores")).toStringList();
    recent.removeAll(path);
    recent.prepend(path);
    while (recent.size() > 8) recent.removeLast();
    s.setValue(QStringLiteral("recent/stores"), recent);
}

void MainWindow::fillRecentMenu() {
    recentMenu_->clear();
    const QStringList recent = QSettings().value(QStringLiteral("recent/stores")).toStringList();
    for (const auto& path : recent) {
        auto* a = recentMenu_->addAction(QDir::toNativeSeparators(path), this,
                                         [this, path] { openStore(path, false); });
        a->setEnabled(QFileInfo::exists(path));
    }
    if (recent.isEmpty()) recentMenu_->addAction(tr("(none)"))->setEnabled(false);
}

bool MainWindow::openStore(const QString& path, bool create) {
    if (!create && !QFileInfo::exists(path)) {
        QMessageBox::warning(this, tr("Open project"), tr("%1 does not exist.").arg(path));
        return false;
    }
    playback_->close();
    projectNote_.clear();
    if (!session_->open(path)) {
        QMessageBox::warning(this, tr("Open project"),
                             tr("Cannot open %1:\n%2").arg(path, session_->lastError()));
        return false;
    }
    return true;
}

void MainWindow::newProject() {
    QString path = QFileDialog::getSaveFileName(
        this, tr("New project"), QDir::homePath() + QStringLiteral("/project.avvpstore"),
        tr("AVVP label store (*.avvpstore)"));
    if (path.isEmpty()) return;
    if (!path.endsWith(QLatin1String(".avvpstore"))) path += QStringLiteral(".avvpstore");
    if (!openStore(path, true)) return;
    if (!llpFolder_.isEmpty() &&
        QMessageBox::question(
            this, tr("New project"),
            tr("Import the LLP annotation files from %1 into it?").arg(llpFolder_)) ==
            QMessageBox::Yes) {
        const QString folder = llpFolder_;
        runImport(tr("Import LLP annotations"), [folder](store::Store& st, JobContext& ctx) {
            return store::importLlp(st, store::LlpFiles::inFolder(folder.toStdString()),
                                    &ctx);
        });
    }
}

void MainWindow::openProject() {
    const QString path =
        QFileDialog::getOpenFileName(this, tr("Open project"), QFileInfo(session_->path()).path(),
                                     tr("AVVP label store (*.avvpstore);;All files (*)"));
    if (!path.isEmpty()) openStore(path, false);
}

void MainWindow::runImport(const QString& title,
                           std::function<store::ImportReport(store::Store&, JobContext&)> work) {
    const QString store = session_->path();
    const std::string who = session_->annotator().toStdString();
    jobs_->run<store::ImportReport>(
        title,
        [store, who, work = std::move(work)](JobContext& ctx) {
            // The worker's own connection; the GUI's sees the commit on its next poll.
            auto s = store::Store::open(store.toStdString(), {.annotator = who, .create = false});
            return work(*s, ctx);
        },
        [self = QPointer<MainWindow>(this)](store::ImportReport& r) {
            if (auto* w = self.data()) {
                w->session_->refresh();
                w->showMessage(reportText(r));
            }
        },
        [self = QPointer<MainWindow>(this)](const QString& e) {
            if (auto* w = self.data()) QMessageBox::warning(w, tr("Import"), e);
        });
}

void MainWindow::importLlp() {
    if (!session_->isOpen()) return;
    const QString folder =
        QFileDialog::getExistingDirectory(this, tr("LLP annotation folder"), llpFolder_);
    if (folder.isEmpty()) return;
    runImport(tr("Import LLP annotations from %1").arg(QFileInfo(folder).fileName()),
              [folder](store::Store& st, JobContext& ctx) {
                  return store::importLlp(st, store::LlpFiles::inFolder(folder.toStdString()),
                                          &ctx);
              });
}

void MainWindow::importVideos() {
    if (!session_->isOpen()) return;
    const QString folder =
        QFileDialog::getExistingDirectory(this, tr("Folder of videos (<id>.mp4, .mkv, .webm)"));
    if (folder.isEmpty()) return;
    const bool add =
        QMessageBox::question(
            this, tr("Import videos"),
            tr("Add the videos that match no video of the project as your own videos?")) ==
        QMessageBox::Yes;
    runImport(tr("Import videos from %1").arg(QFileInfo(folder).fileName()),
              [folder, add](store::Store& st, JobContext& ctx) {
                  return store::importMedia(st, folder.toStdString(), add, &ctx);
              });
}

void MainWindow::importFeatures() {
    if (!session_->isOpen()) return;
    const QString folder =
        QFileDialog::getExistingDirectory(this, tr("Feature folder (VALOR layout)"));
    if (folder.isEmpty()) return;
    runImport(tr("Import features from %1").arg(QFileInfo(folder).fileName()),
              [folder](store::Store& st, JobContext& ctx) {
                  return store::importFeatures(st, folder.toStdString(), &ctx);
              });
}

void MainWindow::importLabelFiles() {
    if (!session_->isOpen()) return;
    const QStringList files = QFileDialog::getOpenFileNames(
        this, tr("Label files"), QString(),
        tr("Label files (*.eaf *.TextGrid *.textgrid *.tsv *.txt *.json *.csv);;All files (*)"));
    if (files.isEmpty()) return;
    const auto format = formatOfFile(files.front());
    if (!format) {
        QMessageBox::warning(this, tr("Import"),
                             tr("%1: unknown label format (by its extension)").arg(files.front()));
        return;
    }
    const QStringList targets = {tr("Ground truth"),
                                 tr("My corrections (%1)").arg(session_->annotator())};
    bool ok = false;
    const QString as = QInputDialog::getItem(this, tr("Import label files"),
                                             tr("Import the events as:"), targets, 1, false, &ok);
    if (!ok) return;
    store::LabelImportOptions options;
    options.source = as == targets.front() ? store::Source::GroundTruth : store::Source::Correction;
    options.annotator = session_->annotator().toStdString();
    options.keepProvenance = false;
    std::vector<std::filesystem::path> paths;
    for (const auto& f : files) paths.emplace_back(f.toStdString());
    runImport(tr("Import %n label file(s)", nullptr, static_cast<int>(files.size())),
              [paths, format, options](store::Store& st, JobContext& ctx) {
                  ctx.progress(QStringLiteral("reading"), 0.0);
                  const auto doc = core::readLabelFiles(*format, paths);
                  ctx.checkCancelled();
                  return store::importLabels(st, doc, options, &ctx);
              });
}

ExportDialog* MainWindow::showExportDialog() {
    if (!session_->isOpen()) return nullptr;
    if (!exportDialog_) {
        exportDialog_ = new ExportDialog(session_, jobs_, browser_->currentFilename(), this);
        exportDialog_->setAttribute(Qt::WA_DeleteOnClose);
    }
    exportDialog_->show();
    exportDialog_->raise();
    exportDialog_->activateWindow();
    return exportDialog_;
}

bool MainWindow::exportTimeline(const QString& path, QString* error) {
    return saveWidgetFigure(path, timeline(), tr("Timeline of %1").arg(browser_->currentFilename()),
                            error);
}

void MainWindow::exportTimelineDialog() {
    const QString name = browser_->currentFilename().isEmpty() ? QStringLiteral("timeline")
                                                               : browser_->currentFilename();
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export timeline image"),
        QDir::homePath() + QLatin1Char('/') + name + QStringLiteral(".svg"), figureFileFilter());
    if (path.isEmpty()) return;
    QString error;
    if (exportTimeline(path, &error))
        showMessage(tr("Timeline written to %1").arg(path));
    else
        QMessageBox::warning(this, tr("Export timeline image"), error);
}

void MainWindow::showPreferences() {
    SettingsDialog d(this);
    if (d.exec() != QDialog::Accepted) return;
    const auto changes = d.apply();
    if (changes.annotator && session_->isOpen()) {
        const QString path = session_->path();
        openStore(path, false);
    }
    if (changes.audio) {
        playback_->setAudioEnabled(
            QSettings().value(QStringLiteral("audio/enabled"), true).toBool());
        const auto v = video_;
        playback_->close();
        showVideo(v);
    }
    if (changes.language) emit languageChangeRequested();
}

void MainWindow::showKeymap() {
    KeymapDialog d(this);
    d.exec();
}

void MainWindow::saveWindowState() const {
    QSettings s;
    s.setValue(QStringLiteral("window/geometry"), saveGeometry());
    s.setValue(QStringLiteral("window/state"), saveState());
    s.setValue(QStringLiteral("window/splitter"), splitter_->saveState());
    s.setValue(QStringLiteral("window/splitterByUser"), splitterSetByUser_);
    browser_->saveState();
}

void MainWindow::restoreWindowState() {
    QSettings s;
    if (!restoreGeometry(s.value(QStringLiteral("window/geometry")).toByteArray()))
        if (const auto* screen = this->screen()) {
            // First start: most of the screen, never more.
            const QRect avail = screen->availableGeometry();
            resize(std::min(width(), avail.width() * 95 / 100),
                   std::min(height(), avail.height() * 92 / 100));
        }
    stateRestored_ = restoreState(s.value(QStringLiteral("window/state")).toByteArray());
    splitterSetByUser_ =
        splitter_->restoreState(s.value(QStringLiteral("window/splitter")).toByteArray()) &&
        s.value(QStringLiteral("window/splitterByUser")).toBool();
}

void MainWindow::showEvent(QShowEvent* event) {
    QMainWindow::showEvent(event);
    if (docksSized_) return;
    docksSized_ = true;
    // Without a saved layout the research / training docks take a quarter of the height,
    // the video and the timeline keep the rest (a dock's size hint alone is not enough).
    if (!stateRestored_)
        QTimer::singleShot(0, this, [this] {
            if (auto* research = findChild<QDockWidget*>(QStringLiteral("research")))
                resizeDocks({research}, {std::max(220, height() * 3 / 10)}, Qt::Vertical);
        });
}

void MainWindow::closeEvent(QCloseEvent* event) {
    saveWindowState();
    playback_->close();
    event->accept();
}

}  // namespace avvp::ui
