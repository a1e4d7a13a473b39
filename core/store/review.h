#pragma once
// Review mode (issue 18, item 1): a video's review status (to do, in progress, needs
// review, done) with who set it and when and a log of every change; an event's review
// decision (accept / reject) with an optional reason, the reviewer and the time; and an
// event's verified flag, which no import of predictions overwrites or deletes
// (Store::replaceEvents and Store::putProbabilities keep a verified event as it is).
// Free functions over the store (schema version 4); each write is one transaction and
// the store's change listeners hear it; the reads take a const store (what views hold).
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/store/store.h"

namespace avvp::store {

enum class ReviewStatus : std::uint8_t { ToDo = 0, InProgress = 1, NeedsReview = 2, Done = 3 };
inline constexpr std::array<ReviewStatus, 4> kReviewStatuses = {
    ReviewStatus::ToDo, ReviewStatus::InProgress, ReviewStatus::NeedsReview, ReviewStatus::Done};
// "todo", "in_progress", "needs_review", "done".
std::string_view reviewStatusName(ReviewStatus s);
// Also accepts "to-do", "in-progress", "needs-review" and upper case.
std::optional<ReviewStatus> reviewStatusFromName(std::string_view name);

// A video's review status; a video nobody set is to do (annotator "", at 0).
struct VideoReview {
    VideoId video = 0;
    ReviewStatus status = ReviewStatus::ToDo;
    std::string annotator = {};  // who set it
    Timestamp at = 0;            // when (0: never set)
};

// One change of a video's status (oldest first from videoStatusLog).
struct VideoReviewChange {
    VideoId video = 0;
    std::optional<ReviewStatus> previous = {};  // none: it was never set
    ReviewStatus status = ReviewStatus::ToDo;
    std::string annotator = {};
    Timestamp at = 0;
};

// Sets the status as the store's annotator and logs the change. Returns false (writing
// nothing) when the video already has that status. Throws EditError when the video does
// not exist, ReadOnlyError on a read-only store.
bool setVideoStatus(Store& store, VideoId video, ReviewStatus status);
VideoReview videoStatus(const Store& store, VideoId video);
// Every video's status (of a split when given), in filename order.
std::vector<VideoReview> videoStatuses(const Store& store, std::optional<core::Split> split = {});
std::vector<VideoReviewChange> videoStatusLog(const Store& store, VideoId video);

// How far review has come over the videos (of a split when given).
struct ReviewProgress {
    int videos = 0;
    std::array<int, 4> counts = {0, 0, 0, 0};  // per ReviewStatus
    int count(ReviewStatus s) const { return counts[static_cast<std::size_t>(s)]; }
    int done() const { return count(ReviewStatus::Done); }
};
ReviewProgress reviewProgress(const Store& store, std::optional<core::Split> split = {});

// The next video whose status is "needs review" after `after` in filename order (of a
// split when given), wrapping around; the first one when `after` is not given. None when
// no other video needs review (`after` itself is returned when it is the only one).
std::optional<VideoId> nextVideoNeedingReview(const Store& store, std::optional<VideoId> after = {},
                                              std::optional<core::Split> split = {});

// An event's review: the decision (the events' review column: none, accepted,
// rejected), its reason, who decided and when, and the verified flag.
struct EventReview {
    EventId event = 0;
    Review decision = Review::None;
    std::string reason = {};
    std::string reviewer = {};
    std::optional<Timestamp> at = {};
    bool verified = false;
};

// Records a reviewer's decision on any event (ground truth, prediction or correction) as
// the store's annotator, with an optional reason; Review::None clears it. Unlike the
// timeline's accept of a prediction (an edit that adds a correction), this records the
// decision only, outside the undo history. Throws EditError when the event does not
// exist or the reason is longer than 2000 characters.
void reviewEvent(Store& store, EventId event, Review decision, const std::string& reason = {});
// Marks an event verified (or not). A verified event survives every re-import of
// predictions unchanged. Returns whether the flag changed. Throws EditError when the
// event does not exist.
bool setVerified(Store& store, EventId event, bool verified);
std::optional<EventReview> eventReview(const Store& store, EventId event);
// The reviews of a video's events that have a decision or are verified.
std::vector<EventReview> eventReviews(const Store& store, VideoId video);

}  // namespace avvp::store
