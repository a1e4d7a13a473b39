#include "app/studio/project_actions.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPointer>
#include <QRegularExpression>

#include <optional>

#include "app/workspace/jobs.h"
#include "app/workspace/project_io.h"
#include "app/workspace/session.h"
#include "app/workspace/settings.h"
#include "core/quote.h"
#include "core/store/pg_dialect.h"

namespace avvp::app {

namespace settings = workspace::settings;

namespace {

QString reportText(const store::ImportReport& r) {
    QString text = QCoreApplication::translate(
                       "avvp::app::ProjectActions",
                       "%1 videos added, %2 updated, %3 label sets changed, %4 events, "
                       "%5 feature files, %6 media files.")
                       .arg(r.videosAdded)
                       .arg(r.videosUpdated)
                       .arg(r.labelSetsChanged)
                       .arg(r.eventsImported)
                       .arg(r.featuresRecorded)
                       .arg(r.mediaMatched);
    // Refused inputs (media that cannot be read) first, with their cause: they were not
    // imported, unlike the tolerated anomalies.
    std::vector<core::Anomaly> tolerated;
    QStringList refused;
    for (const auto& a : r.anomalies) {
        if (a.kind != core::AnomalyKind::Refused) {
            tolerated.push_back(a);
            continue;
        }
        refused << QStringLiteral("%1 (%2)").arg(
            QFileInfo(QString::fromStdString(a.file)).fileName(), QString::fromStdString(a.detail));
    }
    if (!refused.isEmpty())
        text += QLatin1Char(' ') + QCoreApplication::translate("avvp::app::ProjectActions",
                                                               "%n file(s) refused: %1.", nullptr,
                                                               static_cast<int>(refused.size()))
                                       .arg(refused.join(QStringLiteral("; ")));
    if (!tolerated.empty())
        text +=
            QLatin1Char(' ') +
            QCoreApplication::translate("avvp::app::ProjectActions",
                                        "%n tolerated anomalies (first: %1).", nullptr,
                                        static_cast<int>(tolerated.size()))
                .arg(QStringLiteral("%1:%2 %3")
                         .arg(QFileInfo(QString::fromStdString(tolerated.front().file)).fileName())
                         .arg(tolerated.front().line)
                         .arg(QString::fromStdString(tolerated.front().detail)));
    return text;
}

}  // namespace

namespace {
bool isTeamStoreUrl(const QString& path) {
    return store::isPostgresUrl(path.toStdString());
}
}  // namespace

ProjectActions::ProjectActions(workspace::Session* session, workspace::JobManager* jobs,
                               QWidget* window)
    : QObject(window), session_(session), jobs_(jobs), window_(window) {}

void ProjectActions::addRecent(const QString& path) {
    settings::addRecentStore(path);
}

void ProjectActions::fillRecentMenu(QMenu* menu) {
    menu->clear();
    const QStringList recent = settings::recentStores();
    for (const auto& path : recent) {
        auto* a = menu->addAction(QDir::toNativeSeparators(path), this,
                                  [this, path] { openStore(path, false); });
        a->setEnabled(QFileInfo::exists(path) || isTeamStoreUrl(path));
    }
    if (recent.isEmpty()) menu->addAction(tr("(none)"))->setEnabled(false);
}

bool ProjectActions::openStore(const QString& path, bool create) {
    // A PostgreSQL URL is a team store. Another URL (file://...) is no store path: taken as
    // one it would create folders such as "file:".
    static const QRegularExpression url(QStringLiteral("^[a-zA-Z][a-zA-Z0-9+.-]*://"));
    const bool team = isTeamStoreUrl(path);
    if (!team && url.match(path).hasMatch()) {
        QMessageBox::warning(window_, tr("Open project"),
                             tr("%1 is a URL, not the path of a store file nor a "
                                "postgresql:// team store.")
                                 .arg(path.left(80)));
        return false;
    }
    if (team) {
        emit opening();
        if (!session_->open(path)) {
            // Never the password: the message names the URL without it.
            const auto shown = QString::fromStdString(store::redactUrl(path.toStdString()));
            QMessageBox::warning(window_, tr("Connect to Team Store"),
                                 tr("Cannot open %1:\n%2").arg(shown, session_->lastError()));
            return false;
        }
        return true;
    }
    if (!create && !QFileInfo::exists(path)) {
        QMessageBox::warning(window_, tr("Open project"), tr("%1 does not exist.").arg(path));
        return false;
    }
    emit opening();
    if (!session_->open(path)) {
        QMessageBox::warning(window_, tr("Open project"),
                             tr("Cannot open %1:\n%2").arg(path, session_->lastError()));
        return false;
    }
    return true;
}

void ProjectActions::newProject() {
    QString path = QFileDialog::getSaveFileName(
        window_, tr("New project"), QDir::homePath() + QStringLiteral("/project.avvpstore"),
        tr("AVVP label store (*.avvpstore)"));
    if (path.isEmpty()) return;
    if (!path.endsWith(QLatin1String(".avvpstore"))) path += QStringLiteral(".avvpstore");
    if (!openStore(path, true)) return;
    if (!llpFolder_.isEmpty() &&
        QMessageBox::question(
            window_, tr("New project"),
            tr("Import the LLP annotation files from %1 into it?").arg(llpFolder_)) ==
            QMessageBox::Yes) {
        workspace::ImportRequest r;
        r.kind = workspace::ImportRequest::Kind::Llp;
        r.folder = llpFolder_.toStdString();
        runImport(tr("Import LLP annotations"), r);
    }
}

void ProjectActions::connectTeamStore() {
    bool ok = false;
    const QString url =
        QInputDialog::getText(window_, tr("Connect to Team Store"),
                              tr("PostgreSQL URL of the team store\n"
                                 "(postgresql://user[:password]@host:port/database):"),
                              QLineEdit::Normal, QStringLiteral("postgresql://"), &ok)
            .trimmed();
    if (!ok || url.isEmpty()) return;
    if (!isTeamStoreUrl(url)) {
        QMessageBox::warning(window_, tr("Connect to Team Store"),
                             tr("%1 is not a postgresql:// URL.").arg(url.left(80)));
        return;
    }
    openStore(url, true);
}

void ProjectActions::openProject() {
    const QString path = QFileDialog::getOpenFileName(
        window_, tr("Open project"), QFileInfo(session_->path()).path(),
        tr("AVVP label store (*.avvpstore);;All files (*)"));
    if (!path.isEmpty()) openStore(path, false);
}

void ProjectActions::runImport(const QString& title, const workspace::ImportRequest& request) {
    runImportJob(title, request, false);
}

void ProjectActions::runImportJob(const QString& title, const workspace::ImportRequest& request,
                                  bool replace) {
    // The first run declines to delete ground truth (nothing changes) and keeps what it
    // would delete; the question follows on the GUI thread, and yes runs it again.
    struct Outcome {
        store::ImportReport report;
        std::optional<store::GroundTruthRemoval> declined;
    };
    const auto store = session_->path().toStdString();
    const std::string who = session_->annotator().toStdString();
    jobs_->run<Outcome>(
        title,
        [store, who, request, replace](workspace::JobContext& ctx) {
            Outcome o;
            try {
                o.report = workspace::runImport(store, who, request, ctx,
                                                [replace](const auto&) { return replace; });
            } catch (const workspace::ImportDeclined& e) {
                o.declined = e.removal();
            }
            return o;
        },
        [self = QPointer<ProjectActions>(this), title, request](Outcome& o) {
            auto* p = self.data();
            if (!p) return;
            if (o.declined) {
                const auto& d = *o.declined;
                QStringList videos;
                for (const auto& v : d.firstVideos)
                    videos << QString::fromStdString(core::quote(v));
                if (d.videos > static_cast<std::int64_t>(d.firstVideos.size()))
                    videos << QStringLiteral("…");
                const QString text =
                    tr("This import replaces the ground truth of the videos its files cover and "
                       "would delete %1 audio and %2 visual ground-truth events of %n video(s) "
                       "(%3). A header-only or truncated file deletes ground truth this way.\n\n"
                       "Delete them?",
                       nullptr, static_cast<int>(d.videos))
                        .arg(d.events[0])
                        .arg(d.events[1])
                        .arg(videos.join(QStringLiteral(", ")));
                const bool yes = p->confirm_
                                     ? p->confirm_(title, text)
                                     : QMessageBox::question(p->window_, title, text,
                                                             QMessageBox::Yes | QMessageBox::No,
                                                             QMessageBox::No) == QMessageBox::Yes;
                if (yes)
                    p->runImportJob(title, request, true);
                else
                    emit p->message(tr("Import cancelled: nothing was changed."), false);
                return;
            }
            p->session_->refresh();
            emit p->message(reportText(o.report), false);
        },
        [self = QPointer<ProjectActions>(this)](const QString& e) {
            if (auto* p = self.data()) QMessageBox::warning(p->window_, tr("Import"), e);
        });
}

void ProjectActions::importLlp() {
    if (!session_->isOpen()) return;
    const QString folder =
        QFileDialog::getExistingDirectory(window_, tr("LLP annotation folder"), llpFolder_);
    if (folder.isEmpty()) return;
    workspace::ImportRequest r;
    r.kind = workspace::ImportRequest::Kind::Llp;
    r.folder = folder.toStdString();
    runImport(tr("Import LLP annotations from %1").arg(QFileInfo(folder).fileName()), r);
}

void ProjectActions::importVideos() {
    if (!session_->isOpen()) return;
    const QString folder =
        QFileDialog::getExistingDirectory(window_, tr("Folder of videos (<id>.mp4, .mkv, .webm)"));
    if (folder.isEmpty()) return;
    const bool add =
        QMessageBox::question(
            window_, tr("Import videos"),
            tr("Add the videos that match no video of the project as your own videos?")) ==
        QMessageBox::Yes;
    workspace::ImportRequest r;
    r.kind = workspace::ImportRequest::Kind::Media;
    r.folder = folder.toStdString();
    r.addUnmatchedVideos = add;
    runImport(tr("Import videos from %1").arg(QFileInfo(folder).fileName()), r);
}

void ProjectActions::importFeatures() {
    if (!session_->isOpen()) return;
    const QString folder =
        QFileDialog::getExistingDirectory(window_, tr("Feature folder (VALOR layout)"));
    if (folder.isEmpty()) return;
    workspace::ImportRequest r;
    r.kind = workspace::ImportRequest::Kind::Features;
    r.folder = folder.toStdString();
    runImport(tr("Import features from %1").arg(QFileInfo(folder).fileName()), r);
}

void ProjectActions::importLabelFiles() {
    if (!session_->isOpen()) return;
    const QStringList files = QFileDialog::getOpenFileNames(
        window_, tr("Label files"), QString(),
        tr("Label files (*.eaf *.TextGrid *.textgrid *.tsv *.txt *.json *.csv);;All files (*)"));
    if (files.isEmpty()) return;
    const auto format = workspace::labelFormatOfFile(files.front());
    if (!format) {
        QMessageBox::warning(window_, tr("Import"),
                             tr("%1: unknown label format (by its extension)").arg(files.front()));
        return;
    }
    const QStringList targets = {tr("Ground truth"),
                                 tr("My corrections (%1)").arg(session_->annotator())};
    bool ok = false;
    const QString as = QInputDialog::getItem(window_, tr("Import label files"),
                                             tr("Import the events as:"), targets, 1, false, &ok);
    if (!ok) return;
    workspace::ImportRequest r;
    r.kind = workspace::ImportRequest::Kind::LabelFiles;
    r.format = *format;
    r.labels.source =
        as == targets.front() ? store::Source::GroundTruth : store::Source::Correction;
    r.labels.annotator = session_->annotator().toStdString();
    r.labels.keepProvenance = false;
    for (const auto& f : files) r.files.emplace_back(f.toStdString());
    runImport(tr("Import %n label file(s)", nullptr, static_cast<int>(files.size())), r);
}

}  // namespace avvp::app
