#include "app/studio/studio.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLibraryInfo>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QSpinBox>
#include <QTimer>

#include "app/studio/main_window.h"
#include "app/studio/panel_controllers.h"
#include "app/workspace/demo_model.h"
#include "app/workspace/demo_project.h"
#include "app/workspace/jobs.h"
#include "app/workspace/model_workflow.h"
#include "app/workspace/session.h"
#include "app/workspace/settings.h"
#include "core/store/store.h"
#include "ui/models/video_list_model.h"
#include "ui/panels/evaluation_panel.h"
#include "ui/panels/training_panel.h"
#include "ui/panels/video_browser.h"

namespace avvp::app {

using workspace::DemoModel;
using workspace::DemoModelOptions;
using workspace::DemoOptions;
using workspace::DemoProject;
using workspace::Job;
using workspace::JobContext;

Studio::Studio(StudioOptions options, QObject* parent)
    : QObject(parent), options_(std::move(options)) {
    session_ = new workspace::Session(this);
    jobs_ = new workspace::JobManager(this);
    installTranslators(options_.language.isEmpty() ? workspace::settings::language()
                                                   : options_.language);
    createWindow();
}

Studio::~Studio() {
    if (window_) window_->saveWindowState();
    window_.reset();
    jobs_->cancelAll();
    jobs_->waitAll(10000);
}

void Studio::installTranslators(const QString& code) {
    language_ = code;
    QApplication::removeTranslator(&qtTranslator_);
    QApplication::removeTranslator(&appTranslator_);
    const QLocale locale = code.isEmpty() ? QLocale() : QLocale(code);
    QLocale::setDefault(locale);
    if (qtTranslator_.load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
                           QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QApplication::installTranslator(&qtTranslator_);
    if (appTranslator_.load(locale, QStringLiteral("avvp"), QStringLiteral("_"),
                            QStringLiteral(":/i18n")))
        QApplication::installTranslator(&appTranslator_);
}

void Studio::createWindow() {
    window_ = std::make_unique<MainWindow>(session_, jobs_);
    window_->setDefaultLlpFolder(options_.llpFolder);
    if (demoKind_ != 0) projectNote_ = demoNote(demoKind_ == 1);  // in the new language
    window_->setProjectNote(projectNote_);
    window_->restoreWindowState();
    connect(window_.get(), &MainWindow::demoRequested, this,
            [this](bool reset) { openDemo(reset); });
    connect(window_.get(), &MainWindow::demoModelRequested, this, [this] { useDemoModel(); });
    connect(window_.get(), &MainWindow::languageChangeRequested, this, [this] {
        // Not from inside the window's own slot: rebuild once control is back in the loop.
        QTimer::singleShot(0, this, [this] { setLanguage(workspace::settings::language()); });
    });
}

namespace {

// The values of a form's fields, in the order the form creates them (the same form built
// again in another language takes them back): choices first (they may add fields), then
// texts, numbers and switches.
struct FormFields {
    QList<int> choices;
    QStringList texts;
    QList<int> ints;
    QList<double> doubles;
    QList<bool> checks;

    static FormFields of(const QWidget* form) {
        FormFields f;
        for (const auto* c : form->findChildren<QComboBox*>()) f.choices << c->currentIndex();
        for (const auto* e : form->findChildren<QLineEdit*>())
            if (!qobject_cast<const QAbstractSpinBox*>(e->parentWidget())) f.texts << e->text();
        for (const auto* b : form->findChildren<QSpinBox*>()) f.ints << b->value();
        for (const auto* b : form->findChildren<QDoubleSpinBox*>()) f.doubles << b->value();
        for (const auto* b : form->findChildren<QCheckBox*>()) f.checks << b->isChecked();
        return f;
    }

    void applyTo(QWidget* form) const {
        const auto toChoices = form->findChildren<QComboBox*>();
        if (toChoices.size() == choices.size())
            for (qsizetype i = 0; i < choices.size(); ++i)
                if (choices[i] < toChoices[i]->count()) toChoices[i]->setCurrentIndex(choices[i]);
        QList<QLineEdit*> edits;
        for (auto* e : form->findChildren<QLineEdit*>())
            if (!qobject_cast<const QAbstractSpinBox*>(e->parentWidget())) edits << e;
        if (edits.size() == texts.size())
            for (qsizetype i = 0; i < edits.size(); ++i) edits[i]->setText(texts[i]);
        const auto toInts = form->findChildren<QSpinBox*>();
        if (toInts.size() == ints.size())
            for (qsizetype i = 0; i < ints.size(); ++i) toInts[i]->setValue(ints[i]);
        const auto toDoubles = form->findChildren<QDoubleSpinBox*>();
        if (toDoubles.size() == doubles.size())
            for (qsizetype i = 0; i < doubles.size(); ++i) toDoubles[i]->setValue(doubles[i]);
        const auto toChecks = form->findChildren<QCheckBox*>();
        if (toChecks.size() == checks.size())
            for (qsizetype i = 0; i < checks.size(); ++i) toChecks[i]->setChecked(checks[i]);
    }
};

}  // namespace

void Studio::setLanguage(const QString& code) {
    // What the window holds beyond the settings is carried over to the new one: its
    // maximisation, the browser's filters and search, the loaded model (loaded again) and
    // the evaluation shown (scored again with the same sets).
    struct {
        bool visible = false;
        Qt::WindowStates state = {};
        QString video, search, checkpoint;
        QVariantMap browser;
        int setA = -1, setB = -1, split = -1;
        bool coveredOnly = false, evaluated = false;
        FormFields training;
    } carry;
    if (window_) {
        carry.visible = window_->isVisible();
        carry.state = window_->windowState();
        carry.video = window_->browser()->currentFilename();
        carry.browser = window_->browser()->state();
        carry.search = window_->browser()->searchEdit()->text();
        if (window_->models()->workflow()->hasModel())
            carry.checkpoint = window_->models()->workflow()->checkpoint();
        const auto* eval = window_->evaluationPanel();
        carry.evaluated = eval->resultA().has_value();
        carry.setA = eval->setACombo()->currentIndex();
        carry.setB = eval->setBCombo()->currentIndex();
        carry.split = eval->splitCombo()->currentIndex();
        carry.coveredOnly = eval->coveredOnlyBox()->isChecked();
        if (!window_->trainingPanel()->running())
            carry.training = FormFields::of(window_->trainingPanel());
        window_->saveWindowState();
    }
    window_.reset();
    installTranslators(code);
    // The undo texts in the new language (the history itself is the store's).
    if (session_->isOpen()) session_->rebuildUndoStack();
    createWindow();
    if (carry.state != Qt::WindowStates()) window_->setWindowState(carry.state);
    auto* browser = window_->browser();
    if (!carry.browser.isEmpty()) {
        browser->setState(carry.browser);
        browser->reload();
        browser->searchEdit()->setText(carry.search);
    }
    // The video, unless the filters hide it (selecting it would clear them).
    auto* proxy = browser->proxy();
    for (int r = 0; r < proxy->rowCount() && !carry.video.isEmpty(); ++r)
        if (proxy->index(r, 0).data(ui::VideoListModel::FilenameRole).toString() == carry.video) {
            window_->selectVideo(carry.video);
            break;
        }
    carry.training.applyTo(window_->trainingPanel());
    if (!carry.checkpoint.isEmpty()) window_->models()->load(carry.checkpoint);
    if (carry.evaluated) {
        auto* eval = window_->evaluationPanel();
        const auto pick = [](QComboBox* c, int i) {
            if (i >= 0 && i < c->count()) c->setCurrentIndex(i);
        };
        pick(eval->setACombo(), carry.setA);
        pick(eval->setBCombo(), carry.setB);
        pick(eval->splitCombo(), carry.split);
        eval->coveredOnlyBox()->setChecked(carry.coveredOnly);
        eval->evaluate();
    }
    if (carry.visible) window_->show();
    emit windowRebuilt(window_.get());
}

QString Studio::demoNote(bool synth) {
    return synth ? tr("demo: LLP annotations, SYNTHETIC dataset and videos (one of 90 s), "
                      "SYNTHETIC predictions")
                 : tr("demo: LLP annotations, SYNTHETIC videos and predictions");
}

bool Studio::openStore(const QString& path) {
    projectNote_.clear();
    demoKind_ = 0;
    if (!session_->open(path)) {
        QMessageBox::warning(window_.get(), tr("Open project"),
                             tr("Cannot open %1:\n%2").arg(path, session_->lastError()));
        return false;
    }
    window_->setProjectNote(QString());
    return true;
}

void Studio::openDemo(bool reset, std::function<void(bool)> then) {
    DemoOptions o;
    o.folder = options_.demoFolder.toStdString();
    o.llp = options_.llpFolder.toStdString();
    o.avvp = options_.avvpBinary.toStdString();
    o.reset = reset;
    if (reset || session_->path() == QString::fromStdString((o.folder / "demo.avvpstore").string()))
        session_->close();
    jobs_->run<DemoProject>(
        tr("Prepare the demo project"),
        [o](JobContext& ctx) { return workspace::ensureDemoProject(o, &ctx); },
        [this, then](DemoProject& demo) {
            const bool ok = session_->open(QString::fromStdString(demo.store.string()));
            if (ok) {
                demoKind_ = demo.synthImported ? 1 : 2;
                projectNote_ = demoNote(demo.synthImported);
                window_->setProjectNote(projectNote_);
                if (options_.demoModel) {
                    useDemoModel([then](bool) {
                        if (then) then(true);
                    });
                    return;
                }
            } else {
                QMessageBox::warning(window_.get(), tr("Demo project"), session_->lastError());
            }
            if (then) then(ok);
        },
        [this, then](const QString& error) {
            QMessageBox::warning(window_.get(), tr("Demo project"),
                                 tr("The demo project could not be prepared:\n%1").arg(error));
            if (then) then(false);
        });
}

}  // namespace avvp::app

namespace avvp::app {

void Studio::useDemoModel(std::function<void(bool)> then) {
    const QString folder = options_.demoFolder;
    DemoModelOptions o = options_.demoModelOptions;
    o.folder = folder.toStdString();
    jobs_->run<DemoModel>(
        tr("Train the demo model (SYNTHETIC data)"),
        [o](JobContext& ctx) { return workspace::ensureDemoModel(o, &ctx); },
        [this, then, folder](DemoModel& model) {
            const QString ckpt = QString::fromStdString(model.checkpoint.string());
            window_->trainingPanel()->setData(folder + QStringLiteral("/synth/features"),
                                              folder + QStringLiteral("/synth/labels"),
                                              folder + QStringLiteral("/my-model"));
            // The workflow itself (not the panel's buttons); the panel follows its signals.
            auto* models = window_->models()->workflow();
            auto* job = models->load(ckpt, QStringLiteral("auto"), tr("Load the demo model"));
            if (!job) {
                if (then) then(false);
                return;
            }
            connect(job, &Job::ended, this, [this, then](Job* j) {
                if (j->state() != Job::State::Finished || !session_->isOpen()) {
                    if (then) then(false);
                    return;
                }
                // The demo model's run, once: on every video with features.
                const QString name = QString::fromLatin1(workspace::kDemoModelRunName);
                std::vector<store::VideoId> ids;
                for (const auto& v : session_->store()->videos())
                    if (!v.features.empty()) ids.push_back(v.video.id);
                if (const auto run = session_->store()->runByName(workspace::kDemoModelRunName)) {
                    // A run of an earlier version stored no research outputs: made again.
                    if (ids.empty() ||
                        !session_->store()->runOutputs(run->id, ids.front()).empty()) {
                        session_->setRun(run->id);
                        if (then) then(true);
                        return;
                    }
                    session_->store()->deleteRun(run->id);
                }
                auto* run = window_->models()->workflow()->run(
                    ids, std::nullopt, name, tr("Run the demo model on the synthetic videos"));
                if (!run) {
                    if (then) then(false);
                    return;
                }
                connect(run, &Job::ended, this, [this, then](Job* r) {
                    const bool ok = r->state() == Job::State::Finished;
                    // Show a video the model ran on: the demo's long video (a user's own
                    // video of 90 s, windowed run), else a test video with footage (it has
                    // ground truth to compare with), else one with footage, else any.
                    if (ok && session_->isOpen()) {
                        QString first;
                        int rank = 0;
                        for (const auto& v : session_->store()->videos()) {
                            if (v.features.empty()) continue;
                            const int score =
                                1 + (v.video.mediaPath.empty() ? 0 : 1) +
                                (v.video.split == core::Split::Test ? 2 : 0) +
                                (v.video.segments() > core::kLlpSegments && v.video.groundTruth[0]
                                     ? 4
                                     : 0);
                            if (score > rank) {
                                rank = score;
                                first = QString::fromStdString(v.video.filename);
                            }
                        }
                        if (!first.isEmpty()) window_->selectVideo(first);
                    }
                    if (then) then(ok);
                });
            });
        },
        [this, then](const QString& error) {
            QMessageBox::warning(window_.get(), tr("Demo model"),
                                 tr("The demo model could not be trained:\n%1").arg(error));
            if (then) then(false);
        });
}

}  // namespace avvp::app
