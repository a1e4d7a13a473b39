#include "app/studio/main_window.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QScreen>
#include <QScrollArea>
#include <QSplitter>
#include <QStatusBar>
#include <QTimer>
#include <QToolButton>
#include <QUndoStack>
#include <QUndoView>
#include <QVBoxLayout>
#include <algorithm>
#include <limits>

#include "app/studio/adjudication_controller.h"
#include "app/studio/agreement_controller.h"
#include "app/studio/comparison_controller.h"
#include "app/studio/panel_controllers.h"
#include "app/studio/project_actions.h"
#include "app/studio/queue_controller.h"
#include "app/studio/session_document.h"
#include "app/workspace/co_editing.h"
#include "app/workspace/jobs.h"
#include "app/workspace/project_io.h"
#include "app/workspace/review_workflow.h"
#include "app/workspace/session.h"
#include "app/workspace/settings.h"
#include "core/formats/label_io.h"
#include "core/store/label_exchange.h"
#include "core/store/run_rename.h"
#include "core/store/store.h"
#include "ui/dialogs/export_dialog.h"
#include "ui/dialogs/keymap_dialog.h"
#include "ui/dialogs/settings_dialog.h"
#include "ui/export/figure_export.h"
#include "ui/keymap.h"
#include "ui/labels.h"
#include "ui/media/playback.h"
#include "ui/models/video_list_model.h"
#include "ui/panels/adjudication_panel.h"
#include "ui/panels/agreement_panel.h"
#include "ui/panels/evaluation_panel.h"
#include "ui/panels/event_table.h"
#include "ui/panels/jobs_panel.h"
#include "ui/panels/model_panel.h"
#include "ui/panels/queue_panel.h"
#include "ui/panels/research_panel.h"
#include "ui/panels/training_panel.h"
#include "ui/panels/video_browser.h"
#include "ui/synthetic.h"
#include "ui/timeline/spectrogram_strip.h"
#include "ui/timeline/timeline_panel.h"
#include "ui/timeline/timeline_view.h"
#include "ui/widgets/co_editing_label.h"
#include "ui/widgets/transport_bar.h"
#include "ui/widgets/video_view.h"

namespace avvp::app {

using namespace avvp::ui;
namespace settings = workspace::settings;

// The jobs model and the jobs views agree on the roles.
static_assert(workspace::JobListModel::TitleRole == JobRoles::Title &&
              workspace::JobListModel::StateRole == JobRoles::State &&
              workspace::JobListModel::StageRole == JobRoles::Stage &&
              workspace::JobListModel::FractionRole == JobRoles::Fraction &&
              workspace::JobListModel::ElapsedRole == JobRoles::Elapsed &&
              workspace::JobListModel::ErrorRole == JobRoles::Error &&
              workspace::JobListModel::EtaRole == JobRoles::Eta &&
              workspace::JobListModel::ProgressTextRole == JobRoles::ProgressText &&
              workspace::JobListModel::CancellableRole == JobRoles::Cancellable);

namespace {

// The user's shortcuts (Help > Keyboard Shortcuts): the actions they changed.
KeyMap savedKeymap() {
    KeyMap out;
    const auto saved = settings::keymap();
    for (auto it = saved.begin(); it != saved.end(); ++it) {
        QList<QKeySequence> keys;
        for (const auto& text : it.value())
            if (QKeySequence k(text, QKeySequence::PortableText); !k.isEmpty()) keys << k;
        out.insert(it.key(), keys);
    }
    return out;
}

void applyKeymap(MainWindow& window, const KeyMap& keys) {
    for (auto it = keys.begin(); it != keys.end(); ++it)
        if (auto* a = window.action(it.key())) a->setShortcuts(it.value());
}

}  // namespace

MainWindow::MainWindow(workspace::Session* session, workspace::JobManager* jobs, QWidget* parent)
    : QMainWindow(parent), session_(session), jobs_(jobs) {
    setObjectName(QStringLiteral("workspace"));
    resize(1440, 900);
    doc_ = new SessionDocument(session_, this);
    jobModel_ = new workspace::JobListModel(jobs_, this);
    playback_ = new Playback(this);
    playback_->setAudioEnabled(settings::audioEnabled());
    browser_ = new VideoBrowser(doc_, this);
    eventTable_ = new EventTable(doc_, this);
    videoView_ = new VideoView(playback_, this);
    transport_ = new TransportBar(playback_, this);
    timelinePanel_ = new TimelinePanel(doc_, this);
    timelinePanel_->snapButton()->setChecked(settings::timelineSnap());
    timelinePanel_->spectrogramButton()->setChecked(settings::timelineSpectrogram());
    timelinePanel_->view()->setRowHeight(settings::timelineRowHeight(kStrip));
    {
        const auto tl = settings::state(QStringLiteral("timeline"));
        timelinePanel_->view()->setOnlyPresentClasses(
            tl.value(QStringLiteral("onlyPresentClasses"), false).toBool());
        timelinePanel_->view()->setSpectrogramRange(
            tl.value(QStringLiteral("spectrogramRangeDb"), SpectrogramStrip::kDefaultRangeDb)
                .toDouble());
    }
    evaluation_ = new EvaluationPanel(doc_, this);
    jobsPanel_ = new JobsPanel(jobModel_, this);
    modelPanel_ = new ModelPanel(doc_, this);
    modelPanel_->setCheckpointPath(settings::modelCheckpoint());
    research_ = new ResearchPanel(this);
    training_ = new TrainingPanel(this);
    models_ = new ModelController(session_, jobs_, modelPanel_, research_, this);
    trainingCtl_ = new TrainingController(jobs_, training_, this);
    evaluationCtl_ = new EvaluationController(session_, jobs_, evaluation_, this);
    featuresCtl_ = new FeatureController(session_, jobs_, this);
    connect(featuresCtl_, &FeatureController::message, this, &MainWindow::showMessage);
    project_ = new ProjectActions(session_, jobs_, this);
    connect(project_, &ProjectActions::message, this, &MainWindow::showMessage);
    connect(project_, &ProjectActions::opening, this, [this] {
        playback_->close();
        projectNote_.clear();
    });
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
    // Someone else editing the shown video (issue 18, item 5): a notice left of the jobs.
    {
        auto* coEditing = new CoEditingLabel(this);
        statusBar()->addPermanentWidget(coEditing);
        auto* watch = new workspace::CoEditingWatch(session_, this);
        connect(this, &MainWindow::currentVideoChanged, watch,
                &workspace::CoEditingWatch::setVideo);
        connect(watch, &workspace::CoEditingWatch::editorsChanged, coEditing,
                &CoEditingLabel::setEditors);
    }
    auto* jobStatus = new JobStatusWidget(jobModel_, this);
    statusBar()->addPermanentWidget(jobStatus);
    connect(jobStatus, &JobStatusWidget::cancelRequested, jobModel_,
            &workspace::JobListModel::cancel);
    connect(jobsPanel_, &JobsPanel::cancelRequested, jobModel_, &workspace::JobListModel::cancel);
    connect(jobsPanel_, &JobsPanel::clearRequested, jobModel_,
            &workspace::JobListModel::clearEnded);
    connect(timelinePanel_->snapButton(), &QToolButton::toggled, this,
            [](bool on) { settings::setTimelineSnap(on); });
    connect(timelinePanel_->spectrogramButton(), &QToolButton::toggled, this,
            [](bool on) { settings::setTimelineSpectrogram(on); });

    buildActions();
    applyKeymap(*this, savedKeymap());
    buildMenus();
    buildDocks();

    auto* tl = timeline();
    connect(browser_, &VideoBrowser::videoSelected, this, &MainWindow::showVideo);
    connect(browser_, &VideoBrowser::reviewStatusRequested, this,
            [this](const std::vector<store::VideoId>& ids, int status) {
                workspace::setReviewStatus(*session_, ids,
                                           static_cast<store::ReviewStatus>(status));
            });
    connect(eventTable_, &EventTable::reviewRequested, this,
            [this](store::EventId id, int decision, const QString& reason) {
                workspace::reviewEvent(*session_, id, static_cast<store::Review>(decision), reason);
            });
    connect(eventTable_, &EventTable::verifiedRequested, this,
            [this](store::EventId id, bool on) { workspace::setVerified(*session_, id, on); });
    connect(playback_, &Playback::positionChanged, tl, &TimelineView::setPlayhead);
    connect(playback_, &Playback::positionChanged, this, &MainWindow::playheadChanged);
    connect(tl, &TimelineView::seekRequested, this, &MainWindow::seekTo);
    connect(videoView_, &VideoView::seekRequested, this, &MainWindow::seekTo);
    // A click on a research heat-map cell seeks to its segment (issue 20, item 5).
    connect(research_, &ResearchPanel::seekRequested, this, &MainWindow::seekTo);
    connect(tl, &TimelineView::selectionChanged, this, &MainWindow::updateSelectionInfo);
    // Loop Selection plays until the selection changes.
    connect(tl, &TimelineView::selectionChanged, playback_, &Playback::clearLoop);
    connect(playback_, &Playback::loopChanged, this, [this](bool on) {
        if (auto* a = action(QStringLiteral("loopSelection"))) a->setChecked(on);
    });
    connect(this, &MainWindow::currentVideoChanged, eventTable_, &EventTable::setVideo);
    connect(eventTable_, &EventTable::eventActivated, this,
            [this](store::EventId id, double onset) {
                timeline()->setSelection({id});
                seekTo(onset);
            });
    connect(tl, &TimelineView::message, this, [this](const QString& m) { showMessage(m); });
    // The Events table follows the timeline's selection (one event: its row).
    connect(tl, &TimelineView::selectionChanged, this, [this] {
        const auto& ids = timeline()->selection();
        eventTable_->selectEvent(ids.size() == 1 ? std::optional(*ids.begin()) : std::nullopt);
    });
    // The timeline's share follows its rows (the spectrogram strip appears once the media
    // is open) until the user moves the splitter.
    connect(tl, &TimelineView::contentHeightChanged, this,
            [this] { QTimer::singleShot(0, this, &MainWindow::fitTimeline); });
    connect(tl, &TimelineView::onlyPresentClassesToggled, this, [](bool on) {
        settings::setState(QStringLiteral("timeline"),
                           {{QStringLiteral("onlyPresentClasses"), on}});
    });
    connect(tl, &TimelineView::spectrogramRangeChosen, this, [](double db) {
        settings::setState(QStringLiteral("timeline"),
                           {{QStringLiteral("spectrogramRangeDb"), db}});
    });
    connect(timelinePanel_, &TimelinePanel::renameRunRequested, this,
            [this](qint64 run, const QString& name) { renameRun(run, name); });
    // Two runs side by side (issue 20, item 5): "Compare with…" on the timeline.
    auto* comparison = new ComparisonController(session_, doc_, timelinePanel_, browser_, this);
    comparison->setObjectName(QStringLiteral("comparison"));
    connect(comparison, &ComparisonController::message, this,
            [this](const QString& m, bool error) { showMessage(m, error); });
    connect(playback_, &Playback::failed, this, [this](const QString& m) { showMessage(m, true); });
    connect(session_, &workspace::Session::editFailed, this,
            [this](const QString& m) { showMessage(m, true); });
    connect(session_, &workspace::Session::opened, this, &MainWindow::onOpened);
    connect(session_, &workspace::Session::closed, this, &MainWindow::updateTitle);
    connect(session_, &workspace::Session::changed, this, [this](const store::Change& c) {
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
    connect(evaluation_, &EvaluationPanel::renameRunRequested, this,
            [this](qint64 run, const QString& name) { renameRun(run, name); });
    // Models: the research panels show what the shown run stored for the current video
    // and follow the playhead; a trained checkpoint goes to the Models panel.
    modelPanel_->setSelectionProvider([this] { return browser_->selectedVideos(); });
    connect(this, &MainWindow::currentVideoChanged, models_, &ModelController::setCurrentVideo);
    connect(this, &MainWindow::playheadChanged, research_, &ResearchPanel::setPlayhead);
    connect(training_, &TrainingPanel::useCheckpoint, this, [this](const QString& ckpt) {
        models_->load(ckpt);
        if (auto* dock = findChild<QDockWidget*>(QStringLiteral("models"))) dock->raise();
    });
    connect(evaluation_, &EvaluationPanel::scoresReady, browser_, &VideoBrowser::setScores);
    // The team docks (agreement, queue, adjudication) are tabbed with Research under the
    // video and timeline, where a table has the width it needs; Research stays in front.
    // In a scroll area, so that their forms and tables do not make the bottom docks taller
    // than the timeline can spare (1366x768).
    const auto scrollable = [](QWidget* panel) {
        auto* scroll = new QScrollArea;
        scroll->setWidget(panel);
        scroll->setWidgetResizable(true);
        scroll->setFrameShape(QFrame::NoFrame);
        return scroll;
    };
    const auto tabifyWithResearch = [this](QDockWidget* dock) {
        if (auto* research = findChild<QDockWidget*>(QStringLiteral("research"))) {
            tabifyDockWidget(research, dock);
            research->raise();
        }
    };
    // Agreement of two annotators (issue 18, item 3).
    {
        auto* agreement = new AgreementPanel(doc_, this);
        new AgreementController(session_, jobs_, agreement, this);
        connect(agreement, &AgreementPanel::videoActivated, this, &MainWindow::selectVideo);
        auto* dock = addPanel(QStringLiteral("agreement"), tr("Agreement"), scrollable(agreement),
                              Qt::BottomDockWidgetArea);
        tabifyWithResearch(dock);
    }
    // The uncertainty queue (issue 18, item 2): walking it opens each cell's video at its segment
    // with the cell's event selected.
    {
        auto* queue = new QueuePanel(doc_, this);
        new QueueController(session_, jobs_, queue, this);
        connect(
            queue, &QueuePanel::itemActivated, this,
            [this](const QString& video, int modality, int cls, int segment) {
                if (!selectVideo(video)) {
                    showMessage(tr("%1 is not in the video list (clear its filters).").arg(video),
                                true);
                    return;
                }
                std::optional<store::EventId> id;
                if (video_ && session_->store())
                    id = QueueController::cellEvent(*session_->store(), *video_, session_->run(),
                                                    static_cast<core::Modality>(modality), cls,
                                                    segment);
                timeline()->setSelection(id ? std::set<store::EventId>{*id}
                                            : std::set<store::EventId>{});
                seekTo(segment);
            });
        auto* dock = addPanel(QStringLiteral("queue"), tr("Queue"), scrollable(queue),
                              Qt::BottomDockWidgetArea);
        tabifyWithResearch(dock);
    }
    // Adjudication of two annotators (issue 18, item 4): the current video's two lanes.
    {
        auto* adjudication = new AdjudicationPanel(this);
        auto* controller = new AdjudicationController(session_, adjudication, this);
        connect(this, &MainWindow::currentVideoChanged, controller,
                &AdjudicationController::setCurrentVideo);
        auto* dock = addPanel(QStringLiteral("adjudication"), tr("Adjudication"),
                              scrollable(adjudication), Qt::BottomDockWidgetArea);
        tabifyWithResearch(dock);
    }
    browser_->setState(settings::state(QStringLiteral("browser")));
    updateTitle();
    showVideo(std::nullopt);
    if (session_->isOpen()) onOpened();
    // Keys go to the timeline first, not to the first text field of the docks.
    tl->setFocus(Qt::OtherFocusReason);
    qApp->installEventFilter(this);
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
    makeAction("slower", tr("Slower"), [this] { playback_->slower(); });
    makeAction("faster", tr("Faster"), [this] { playback_->faster(); });
    makeAction("normalSpeed", tr("Normal Speed"), [this] { playback_->normalSpeed(); });
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
    makeAction("loopSelection", tr("Loop Selection"), [] {});
    action(QStringLiteral("loopSelection"))->setCheckable(true);
    connect(action(QStringLiteral("loopSelection")), &QAction::triggered, this,
            &MainWindow::setLoopSelection);
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
    // Review mode (issue 18, item 1): the browser's context-menu actions, on keys.
    makeAction("nextReview", tr("Next Video Needing Review"),
               [this] { browser_->selectNextNeedingReview(); });
    browser_->nextReviewAction()->setShortcuts(action(QStringLiteral("nextReview"))->shortcuts());
    const char* const reviewIds[] = {"reviewTodo", "reviewInProgress", "reviewNeedsReview",
                                     "reviewDone"};
    for (int st = 0; st < 4; ++st) {
        auto* a = makeAction(reviewIds[st], browser_->reviewActions()[st]->text(),
                             [this, st] { browser_->reviewActions()[st]->trigger(); });
        browser_->reviewActions()[st]->setShortcuts(a->shortcuts());
    }
    makeAction("find", tr("Search Videos"), [this] {
        browser_->searchEdit()->setFocus();
        browser_->searchEdit()->selectAll();
    });
    makeAction("export", tr("Export Labels…"), [this] { showExportDialog(); });
    makeAction("open", tr("Open Project…"), [this] { project_->openProject(); });
    makeAction("new", tr("New Project…"), [this] { project_->newProject(); });
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
    connect(recentMenu_, &QMenu::aboutToShow, this,
            [this] { project_->fillRecentMenu(recentMenu_); });
    file->addAction(tr("Connect to &Team Store…"), this, [this] { project_->connectTeamStore(); });
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
    import->addAction(tr("LLP Annotation Folder…"), project_, &ProjectActions::importLlp);
    import->addAction(tr("Label Files (ELAN, TextGrid, DCASE, Audacity, JSON, LLP)…"), project_,
                      &ProjectActions::importLabelFiles);
    import->addAction(tr("Video Folder…"), project_, &ProjectActions::importVideos);
    import->addAction(tr("Feature Folder (VALOR layout)…"), project_,
                      &ProjectActions::importFeatures);
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
    for (const char* id :
         {"play", "shuttleBack", "shuttleStop", "shuttleForward", "slower", "faster", "normalSpeed",
          "segmentBack", "segmentForward", "frameBack", "frameForward", "toStart", "toEnd",
          "loopSelection", "previousEvent", "nextEvent", "cycleMode"})
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
        if (!chosen.isEmpty()) models_->load(chosen);
    });
    models->addAction(tr("&Run the Model on the Test Split"), this,
                      [this] { models_->run(ModelPanel::Scope::Test); });
    models->addAction(tr("Run the Model on the &Current Video"), this,
                      [this] { models_->run(ModelPanel::Scope::CurrentVideo); });
    // Feature extraction with the encoders folder of the project, else of the Preferences.
    auto* extract = models->addMenu(tr("Extract &Features"));
    extract->setObjectName(QStringLiteral("extractFeaturesMenu"));
    auto* extractCurrent = extract->addAction(tr("Of the &Current Video"), this, [this] {
        if (video_)
            featuresCtl_->extract({*video_}, browser_->currentFilename());
        else
            showMessage(tr("No current video."), true);
    });
    extractCurrent->setObjectName(QStringLiteral("extractFeatures"));
    actions_.insert(QStringLiteral("extractFeatures"), extractCurrent);
    extract->addAction(tr("Of the &Selected Videos"), this, [this] {
        auto videos = browser_->selectedVideos();
        if (videos.empty()) {
            showMessage(tr("No video is selected in the browser."), true);
            return;
        }
        const int n = static_cast<int>(videos.size());
        featuresCtl_->extract(std::move(videos), tr("%n selected video(s)", nullptr, n));
    });
    extract->addAction(tr("Of &All Videos with Media"), this,
                       [this] { featuresCtl_->extract({}, tr("all videos with media")); });
    extract->addSeparator();
    extract->addAction(tr("Encoders Folder of This &Project…"), this, [this] {
        if (!session_->isOpen()) return;
        const QString folder = QFileDialog::getExistingDirectory(
            this, tr("Encoders folder of this project (with manifest.json)"),
            featuresCtl_->encodersFolder());
        if (folder.isEmpty()) return;
        settings::setProjectEncodersFolder(session_->path(), folder);
        showMessage(tr("This project extracts features with the encoders of %1").arg(folder));
    });
    extract->addAction(tr("Use the Encoders Folder of the Preferences"), this, [this] {
        if (!session_->isOpen()) return;
        settings::setProjectEncodersFolder(session_->path(), QString());
        const QString f = settings::encodersFolder();
        showMessage(f.isEmpty()
                        ? tr("No encoders folder is chosen in the Preferences.")
                        : tr("This project extracts features with the encoders of %1").arg(f));
    });
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
    // View > Row Height: the timeline's class rows, saved per user.
    auto* rows = viewMenu_->addMenu(tr("Row &Height"));
    for (const auto& [text, step] :
         {std::pair{tr("&Larger Rows"), 2}, std::pair{tr("&Smaller Rows"), -2}})
        rows->addAction(text, this, [this, step] {
            timeline()->setRowHeight(timeline()->rowHeight() + step);
            settings::setTimelineRowHeight(timeline()->rowHeight());
        });
    rows->addAction(tr("&Default Height"), this, [this] {
        timeline()->setRowHeight(kStrip);
        settings::setTimelineRowHeight(kStrip);
    });
    // View > Timeline: only the classes present, the spectrogram's contrast (the timeline's
    // context menu holds the same).
    auto* timelineMenu = viewMenu_->addMenu(tr("&Timeline"));
    connect(timelineMenu, &QMenu::aboutToShow, this, [this, timelineMenu] {
        timelineMenu->clear();
        timeline()->addViewActions(timelineMenu);
    });
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
    auto* events =
        addPanel(QStringLiteral("events"), tr("Events"), eventTable_, Qt::RightDockWidgetArea);
    tabifyDockWidget(hist, events);
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
    resizeDocks({videos, eval}, {400, 340}, Qt::Horizontal);
    resizeDocks({eval, hist}, {560, 220}, Qt::Vertical);
}

void MainWindow::onOpened() {
    project_->addRecent(session_->path());
    updateTitle();
    const QString last = settings::lastVideo(session_->path());
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

void MainWindow::setLoopSelection(bool on) {
    const auto& ids = timeline()->selection();
    if (!on || ids.empty() || !playback_->isOpen() || !session_->store()) {
        playback_->clearLoop();
        if (auto* a = action(QStringLiteral("loopSelection"))) a->setChecked(false);
        if (on)
            showMessage(playback_->isOpen() ? tr("Select an event on the timeline to loop it.")
                                            : tr("No media to play for this video."));
        return;
    }
    // The span of the selected events: onset of the first to offset of the last.
    std::int64_t on0 = std::numeric_limits<std::int64_t>::max(), off0 = 0;
    for (const auto id : ids)
        if (const auto e = session_->store()->event(id)) {
            on0 = std::min(on0, e->onsetMs);
            off0 = std::max(off0, e->offsetMs);
        }
    if (off0 <= on0) return setLoopSelection(false);
    playback_->setLoop(static_cast<double>(on0) / 1000.0, static_cast<double>(off0) / 1000.0);
}

void MainWindow::showVideo(std::optional<store::VideoId> video) {
    video_ = video;
    auto* store = session_->store();
    const auto v = store && video ? store->video(*video) : std::nullopt;
    timeline()->setVideo(v ? std::optional(v->id) : std::nullopt);
    if (auto* comparison = findChild<ComparisonController*>(QStringLiteral("comparison")))
        comparison->setVideo(v ? std::optional(v->id) : std::nullopt);
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
        settings::setLastVideo(session_->path(), QString::fromStdString(v->filename));
    } else {
        videoTitle_->setText(QString());
    }
    updateSelectionInfo();
    QTimer::singleShot(0, this, &MainWindow::fitTimeline);  // once the rows are laid out
    emit currentVideoChanged(video_);
}

void MainWindow::fitTimeline() {
    // Until the user moves the splitter: the timeline gets what its rows need (within 30 to
    // 70 % of the height), the video the rest.
    if (splitterSetByUser_) return;
    const int total = splitter_->height();
    if (total < 200) return;
    // Rows + the tool bar and the scroll bar around them.
    const int want = timeline()->sizeHint().height() + timelinePanel_->height() -
                     timelinePanel_->scrollArea()->height() + 4;
    const int timeline = std::clamp(want, total * 30 / 100, total * 70 / 100);
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

bool MainWindow::renameRun(store::RunId run, const QString& name) {
    if (!session_->store()) return false;
    try {
        store::renameRun(*session_->store(), run, name.toStdString());
        return true;
    } catch (const store::StoreError& e) {
        showMessage(tr("Cannot rename the run: %1").arg(QString::fromStdString(e.what())), true);
        return false;
    }
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
        session_->readOnly()
            ? tr("%1 · read-only: not writable, edits are refused")
                  .arg(QDir::toNativeSeparators(session_->path()))
            : tr("%1 · annotator %2")
                  .arg(QDir::toNativeSeparators(session_->path()), session_->annotator()));
    if (session_->readOnly()) setWindowTitle(windowTitle() + QLatin1Char(' ') + tr("(read-only)"));
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

void MainWindow::setDefaultLlpFolder(const QString& folder) {
    project_->setDefaultLlpFolder(folder);
}

void MainWindow::showMessage(const QString& text, bool error) {
    statusBar()->showMessage(error ? QStringLiteral("⚠ ") + text : text, error ? 12000 : 6000);
}

ExportDialog* MainWindow::showExportDialog() {
    if (!session_->isOpen()) return nullptr;
    if (!exportDialog_) {
        exportDialog_ = new ExportDialog(doc_, browser_->currentFilename(), this);
        exportDialog_->setAttribute(Qt::WA_DeleteOnClose);
        new ExportController(session_, jobs_, exportDialog_);
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
    const Preferences before{
        settings::language(),     settings::annotator(),           settings::audioEnabled(),
        settings::timelineSnap(), settings::timelineSpectrogram(), settings::encodersFolder()};
    SettingsDialog d(before, this);
    if (d.exec() != QDialog::Accepted) return;
    const Preferences p = d.preferences();
    settings::setLanguage(p.language);
    settings::setAnnotator(p.annotator);
    settings::setAudioEnabled(p.audio);
    settings::setTimelineSnap(p.snap);
    settings::setTimelineSpectrogram(p.spectrogram);
    settings::setEncodersFolder(p.encoders);
    struct {
        bool language, annotator, audio;
    } changes{p.language != before.language, settings::annotator() != before.annotator,
              p.audio != before.audio};
    if (changes.annotator && session_->isOpen()) {
        const QString path = session_->path();
        project_->openStore(path, false);
    }
    if (changes.audio) {
        playback_->setAudioEnabled(p.audio);
        const auto v = video_;
        playback_->close();
        showVideo(v);
    }
    if (changes.language) emit languageChangeRequested();
}

void MainWindow::showKeymap() {
    KeyMap current;
    for (const auto& [id, keys] : defaultKeys().asKeyValueRange())
        if (auto* a = action(id)) current.insert(id, a->shortcuts());
    KeymapDialog d(current, this);
    if (d.exec() != QDialog::Accepted) return;
    const KeyMap edited = d.keys();
    const KeyMap defaults = defaultKeys();
    QMap<QString, QStringList> changed;  // only what differs from the defaults
    for (const auto& [id, keys] : edited.asKeyValueRange()) {
        if (keys == defaults.value(id)) continue;
        QStringList texts;
        for (const auto& k : keys) texts << k.toString(QKeySequence::PortableText);
        changed.insert(id, texts);
    }
    settings::setKeymap(changed);
    applyKeymap(*this, edited);
}

void MainWindow::saveWindowState() const {
    settings::setState(QStringLiteral("window"),
                       {{QStringLiteral("geometry"), saveGeometry()},
                        {QStringLiteral("state"), saveState()},
                        {QStringLiteral("splitter"), splitter_->saveState()},
                        {QStringLiteral("splitterByUser"), splitterSetByUser_}});
    settings::setState(QStringLiteral("browser"), browser_->state());
}

void MainWindow::restoreWindowState() {
    const auto s = settings::state(QStringLiteral("window"));
    if (!restoreGeometry(s.value(QStringLiteral("geometry")).toByteArray()))
        if (const auto* screen = this->screen()) {
            // First start: most of the screen, never more.
            const QRect avail = screen->availableGeometry();
            resize(std::min(width(), avail.width() * 95 / 100),
                   std::min(height(), avail.height() * 92 / 100));
        }
    stateRestored_ = restoreState(s.value(QStringLiteral("state")).toByteArray());
    splitterSetByUser_ =
        splitter_->restoreState(s.value(QStringLiteral("splitter")).toByteArray()) &&
        s.value(QStringLiteral("splitterByUser")).toBool();
}

bool MainWindow::eventFilter(QObject* watched, QEvent* event) {
    // A line edit claims Ctrl+Z / Ctrl+Shift+Z for itself (ShortcutOverride) even when it
    // has nothing to undo; it counts as being edited only while it has. Otherwise the key
    // is left to the window's shortcuts, i.e. the project's undo stack.
    // The splitter resized (the window, the docks around it): the timeline's share follows
    // until the user moves the splitter.
    if (watched == splitter_ && event->type() == QEvent::Resize && !splitterSetByUser_)
        QTimer::singleShot(0, this, &MainWindow::fitTimeline);
    if (event->type() != QEvent::ShortcutOverride) return QMainWindow::eventFilter(watched, event);
    auto* edit = qobject_cast<QLineEdit*>(watched);
    bool ours = false;
    for (QObject* o = edit; o && !ours; o = o->parent()) ours = o == this;
    if (!ours || edit->isReadOnly()) return QMainWindow::eventFilter(watched, event);
    const QKeySequence key(static_cast<QKeyEvent*>(event)->keyCombination());
    const bool undo = action(QStringLiteral("undo"))->shortcuts().contains(key);
    const bool redo = action(QStringLiteral("redo"))->shortcuts().contains(key);
    if ((undo && !edit->isUndoAvailable()) || (redo && !edit->isRedoAvailable())) {
        event->ignore();
        return true;
    }
    return QMainWindow::eventFilter(watched, event);
}

void MainWindow::showEvent(QShowEvent* event) {
    QMainWindow::showEvent(event);
    if (docksSized_) return;
    docksSized_ = true;
    // Without a saved layout the research / training docks take a quarter of the height
    // (a fifth, at least 150 px, on a small screen such as 1366x768, where the timeline
    // needs the room), the video and the timeline keep the rest (a dock's size hint alone
    // is not enough).
    if (!stateRestored_)
        QTimer::singleShot(0, this, [this] {
            if (auto* research = findChild<QDockWidget*>(QStringLiteral("research")))
                resizeDocks(
                    {research},
                    {height() < 900 ? std::max(150, height() / 5) : std::max(200, height() / 4)},
                    Qt::Vertical);
            fitTimeline();
        });
}

void MainWindow::closeEvent(QCloseEvent* event) {
    saveWindowState();
    playback_->close();
    event->accept();
}

}  // namespace avvp::app
