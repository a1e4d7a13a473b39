#include "app/workspace/co_editing.h"

#include <QDateTime>

#include "app/workspace/session.h"

namespace avvp::workspace {

CoEditingWatch::CoEditingWatch(Session* session, QObject* parent, qint64 windowMs, int refreshMs)
    : QObject(parent), session_(session), windowMs_(windowMs) {
    timer_.setInterval(refreshMs);
    connect(&timer_, &QTimer::timeout, this, &CoEditingWatch::update);
    timer_.start();
    connect(session_, &Session::changed, this, [this](const store::Change& c) {
        if (c.external || c.history || c.events) update();
    });
    connect(session_, &Session::opened, this, &CoEditingWatch::update);
    connect(session_, &Session::closed, this, &CoEditingWatch::update);
}

void CoEditingWatch::setVideo(std::optional<store::VideoId> video) {
    video_ = video;
    update();
}

void CoEditingWatch::update() {
    std::vector<store::CoEditor> now;
    if (video_ && session_->isOpen()) {
        try {
            now = store::coEditors(*session_->store(), *video_, windowMs_);
        } catch (const std::exception&) {
            // A notice only: a failed read (a lost server connection) shows nothing; the
            // next edit reports the problem.
        }
    }
    editors_ = std::move(now);
    emit editorsChanged(editors_, QDateTime::currentMSecsSinceEpoch());
}

}  // namespace avvp::workspace
