#pragma once
// Review mode in the application (issue 18, item 1): the status a reviewer gives videos and
// the decision on an event, written to the session's store (core/store/review.h). The views
// ask (VideoBrowser::reviewStatusRequested, the event table's review menu); these write.
#include <QString>
#include <vector>

#include "core/store/review.h"

namespace avvp::workspace {

class Session;

// Sets the review status of the videos as the session's annotator, in one transaction.
// Returns how many changed; on failure nothing changes, the session's editFailed() is
// emitted with the message and -1 returned.
int setReviewStatus(Session& session, const std::vector<store::VideoId>& videos,
                    store::ReviewStatus status);
// Records a decision on an event (accept / reject with an optional reason; Review::None
// clears it). False, with editFailed(), when the store refuses it.
bool reviewEvent(Session& session, store::EventId event, store::Review decision,
                 const QString& reason = {});
// Marks an event verified or not. False, with editFailed(), when the store refuses it.
bool setVerified(Session& session, store::EventId event, bool verified);

}  // namespace avvp::workspace
