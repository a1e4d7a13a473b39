#include "app/workspace/review_workflow.h"

#include "app/workspace/session.h"
#include "core/quote.h"

namespace avvp::workspace {

namespace {

template <class Fn>
bool guarded(Session& session, Fn fn) {
    if (!session.store()) return false;
    try {
        fn(*session.store());
        return true;
    } catch (const std::exception& e) {
        emit session.editFailed(QString::fromStdString(core::oneLine(e.what())));
        return false;
    }
}

}  // namespace

int setReviewStatus(Session& session, const std::vector<store::VideoId>& videos,
                    store::ReviewStatus status) {
    int changed = 0;
    const bool ok = guarded(session, [&](store::Store& s) {
        store::Store::Transaction tx(s);
        for (const auto v : videos)
            if (store::setVideoStatus(s, v, status)) ++changed;
        tx.commit();
    });
    return ok ? changed : -1;
}

bool reviewEvent(Session& session, store::EventId event, store::Review decision,
                 const QString& reason) {
    return guarded(session, [&](store::Store& s) {
        store::reviewEvent(s, event, decision, reason.trimmed().toStdString());
    });
}

bool setVerified(Session& session, store::EventId event, bool verified) {
    return guarded(session, [&](store::Store& s) { store::setVerified(s, event, verified); });
}

}  // namespace avvp::workspace
