#include "app/studio/session_document.h"

#include "app/workspace/session.h"

namespace avvp::app {

SessionDocument::SessionDocument(workspace::Session* session, QObject* parent)
    : ui::Document(parent), session_(session) {
    using S = workspace::Session;
    connect(session_, &S::opened, this, &SessionDocument::opened);
    connect(session_, &S::closed, this, &SessionDocument::closed);
    connect(session_, &S::changed, this, &SessionDocument::changed);
    connect(session_, &S::runChanged, this, &SessionDocument::runChanged);
    connect(session_, &S::thresholdsChanged, this, &SessionDocument::thresholdsChanged);
    connect(session_, &S::editFailed, this, &SessionDocument::editFailed);
}

const store::Store* SessionDocument::store() const {
    return session_->store();
}

QString SessionDocument::path() const {
    return session_->path();
}

QString SessionDocument::annotator() const {
    return session_->annotator();
}

std::optional<store::RunId> SessionDocument::run() const {
    return session_->run();
}

void SessionDocument::setRun(std::optional<store::RunId> run) {
    session_->setRun(run);
}

std::vector<store::Run> SessionDocument::runs() const {
    return session_->runs();
}

std::optional<store::Run> SessionDocument::currentRun() const {
    return session_->currentRun();
}

std::optional<core::Thresholds> SessionDocument::thresholds() const {
    return session_->thresholds();
}

void SessionDocument::setThresholds(std::optional<core::Thresholds> thresholds) {
    session_->setThresholds(thresholds);
}

bool SessionDocument::apply(const std::vector<store::Edit>& edits, const QString& description) {
    return session_->apply(edits, description);
}

std::vector<store::EventId> SessionDocument::lastEvents() const {
    return session_->lastEvents();
}

}  // namespace avvp::app
