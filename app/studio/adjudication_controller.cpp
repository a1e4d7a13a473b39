#include "app/studio/adjudication_controller.h"

#include <QStringList>

#include "app/workspace/session.h"
#include "core/error.h"
#include "core/store/annotator_agreement.h"
#include "ui/panels/adjudication_panel.h"

namespace avvp::app {

namespace {

QString spans(const std::vector<workspace::LaneEvent>& events) {
    QStringList out;
    for (const auto& e : events)
        out << QStringLiteral("%1–%2 s")
                   .arg(static_cast<double>(e.onsetMs) / 1000.0)
                   .arg(static_cast<double>(e.offsetMs) / 1000.0);
    return out.join(QStringLiteral(", "));
}

}  // namespace

AdjudicationController::AdjudicationController(workspace::Session* session,
                                               ui::AdjudicationPanel* panel, QObject* parent)
    : QObject(parent), session_(session), panel_(panel) {
    connect(panel_, &ui::AdjudicationPanel::lanesRequested, this,
            [this](const QString& a, const QString& b) {
                a_ = a;
                b_ = b;
                showLanes();
            });
    connect(panel_, &ui::AdjudicationPanel::pickRequested, this, [this](int row, int side) {
        if (adj_)
            workspace::pickItem(*adj_, static_cast<std::size_t>(row),
                                side == 0 ? workspace::Side::A : workspace::Side::B);
    });
    connect(panel_, &ui::AdjudicationPanel::saveRequested, this, [this](const QString& name) {
        if (!adj_ || !session_->isOpen()) return;
        try {
            const auto saved = workspace::saveAdjudication(session_->path().toStdString(),
                                                           session_->annotator().toStdString(),
                                                           name.toStdString(), {*adj_});
            session_->refresh();
            panel_->showMessage(
                saved.edit == 0
                    ? tr("Set %1 already holds these labels.").arg(name)
                    : tr("Saved set %1 (edit %2): %3 label(s) added, %4 removed. Undo: avvp "
                         "adjudicate --undo --store FILE --as %1")
                          .arg(name)
                          .arg(saved.edit)
                          .arg(saved.added)
                          .arg(saved.removed));
        } catch (const std::exception& e) {
            panel_->showMessage(tr("Not saved: %1").arg(QString::fromStdString(e.what())));
        }
    });
    connect(session_, &workspace::Session::opened, this, &AdjudicationController::reload);
    connect(session_, &workspace::Session::closed, this, &AdjudicationController::reload);
    reload();
}

void AdjudicationController::setCurrentVideo(std::optional<store::VideoId> video) {
    video_ = video;
    showLanes();
}

void AdjudicationController::reload() {
    QStringList names;
    if (session_->isOpen())
        for (const auto& n : store::correctionAnnotators(*session_->store()))
            names << QString::fromStdString(n);
    panel_->setAnnotators(names);  // asks for the lanes again
}

void AdjudicationController::showLanes() {
    adj_.reset();
    if (!session_->isOpen() || !video_ || a_.isEmpty() || b_.isEmpty() || a_ == b_) {
        panel_->showLanes({}, {});
        return;
    }
    try {
        adj_ = workspace::prepareAdjudication(*session_->store(), *video_, a_.toStdString(),
                                              b_.toStdString());
    } catch (const std::exception& e) {
        panel_->showLanes({}, {});
        panel_->showMessage(QString::fromStdString(e.what()));
        return;
    }
    QVector<ui::AdjudicationRow> rows;
    for (const auto& item : adj_->items) {
        const auto& first = !item.a.empty() ? item.a.front() : item.b.front();
        ui::AdjudicationRow row;
        row.agreed = item.agreed;
        row.label = QString::fromUtf8(core::modalityName(first.modality)) + QLatin1Char(' ') +
                    QString::fromUtf8(core::kClassNames[first.cls]);
        row.a = spans(item.a);
        row.b = spans(item.b);
        row.side = item.side == workspace::Side::A ? 0 : 1;
        row.picked = item.picked;
        rows << row;
    }
    panel_->showLanes(QString::fromStdString(adj_->videoName), rows);
}

}  // namespace avvp::app
