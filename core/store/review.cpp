#include "core/store/review.h"

#include <algorithm>
#include <cctype>

#include "core/store/store_impl.h"

namespace avvp::store {

namespace {

constexpr std::array<std::string_view, 4> kStatusNames = {"todo", "in_progress", "needs_review",
                                                          "done"};
constexpr std::size_t kMaxReason = 2000;

ReviewStatus statusOf(int v) {
    return v >= 0 && v <= 3 ? static_cast<ReviewStatus>(v) : ReviewStatus::ToDo;
}

VideoId requireVideo(Store::Impl& d, VideoId video) {
    Rows r(d.run("SELECT id FROM videos WHERE id = ?", video));
    if (!r.next()) throw EditError("video " + std::to_string(video) + " does not exist");
    return video;
}

// The videos (of a split) with their status, in filename order.
std::vector<VideoReview> statuses(Store::Impl& d, std::optional<core::Split> split) {
    std::vector<VideoReview> out;
    const char* all =
        "SELECT v.id, r.status, r.annotator, r.set_at FROM videos v LEFT JOIN video_review r "
        "ON r.video_id = v.id ORDER BY v.filename";
    const char* ofSplit =
        "SELECT v.id, r.status, r.annotator, r.set_at FROM videos v LEFT JOIN video_review r "
        "ON r.video_id = v.id WHERE v.split = ? ORDER BY v.filename";
    auto& q = split ? d.run(ofSplit, core::splitName(*split)) : d.run(all);
    Rows r(q);
    while (r.next()) {
        VideoReview v;
        v.video = r.i64(0);
        if (!r.isNull(1)) {
            v.status = statusOf(r.i32(1));
            v.annotator = r.str(2);
            v.at = r.i64(3);
        }
        out.push_back(std::move(v));
    }
    return out;
}

EventReview readReview(const Rows& r) {
    EventReview e;
    e.event = r.i64(0);
    const int decision = r.i32(1);
    e.decision = decision == 1 ? Review::Accepted : decision == 2 ? Review::Rejected : Review::None;
    e.reason = r.str(2);
    e.reviewer = r.str(3);
    e.at = r.optI64(4);
    e.verified = r.i32(5) != 0;
    return e;
}

constexpr const char* kReviewColumns = "id, review, review_reason, reviewer, reviewed_at, verified";

// The store's connection for the reads below (the store's own const reads use it so too).
Store::Impl& impl(const Store& store) {
    return const_cast<Store&>(store).impl();
}

}  // namespace

std::string_view reviewStatusName(ReviewStatus s) {
    return kStatusNames[static_cast<std::size_t>(s)];
}

std::optional<ReviewStatus> reviewStatusFromName(std::string_view name) {
    std::string n(name);
    for (auto& c : n) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (c == '-' || c == ' ') c = '_';
    }
    if (n == "to_do") n = "todo";
    for (std::size_t i = 0; i < kStatusNames.size(); ++i)
        if (n == kStatusNames[i]) return static_cast<ReviewStatus>(i);
    return std::nullopt;
}

bool setVideoStatus(Store& store, VideoId video, ReviewStatus status) {
    auto& d = store.impl();
    Store::Transaction tx(store);
    requireVideo(d, video);
    std::optional<int> previous;
    {
        Rows r(d.run("SELECT status FROM video_review WHERE video_id = ?", video));
        if (r.next()) previous = r.i32(0);
    }
    const int s = static_cast<int>(status);
    if (previous == s || (!previous && status == ReviewStatus::ToDo)) {
        tx.commit();
        return false;
    }
    const auto now = nowMs();
    if (previous)
        d.run("UPDATE video_review SET status = ?, annotator = ?, set_at = ? WHERE video_id = ?", s,
              d.annotator, now, video);
    else
        d.run("INSERT INTO video_review(video_id, status, annotator, set_at) VALUES(?, ?, ?, ?)",
              video, s, d.annotator, now);
    // The id is computed, not generated, so that the statement is the same on PostgreSQL.
    d.run(
        "INSERT INTO video_review_log(id, video_id, status, previous, annotator, at) "
        "SELECT COALESCE(MAX(id), 0) + 1, ?, ?, ?, ?, ? FROM video_review_log",
        video, s, previous, d.annotator, now);
    d.changed({.videos = true, .videoIds = {video}});
    tx.commit();
    return true;
}

VideoReview videoStatus(const Store& store, VideoId video) {
    auto& d = impl(store);
    VideoReview v;
    v.video = video;
    Rows r(d.run("SELECT status, annotator, set_at FROM video_review WHERE video_id = ?", video));
    if (r.next()) {
        v.status = statusOf(r.i32(0));
        v.annotator = r.str(1);
        v.at = r.i64(2);
    }
    return v;
}

std::vector<VideoReview> videoStatuses(const Store& store, std::optional<core::Split> split) {
    return statuses(impl(store), split);
}

std::vector<VideoReviewChange> videoStatusLog(const Store& store, VideoId video) {
    auto& d = impl(store);
    std::vector<VideoReviewChange> out;
    Rows r(d.run(
        "SELECT status, previous, annotator, at FROM video_review_log WHERE video_id = ? ORDER "
        "BY at, id",
        video));
    while (r.next()) {
        VideoReviewChange c;
        c.video = video;
        c.status = statusOf(r.i32(0));
        if (!r.isNull(1)) c.previous = statusOf(r.i32(1));
        c.annotator = r.str(2);
        c.at = r.i64(3);
        out.push_back(std::move(c));
    }
    return out;
}

ReviewProgress reviewProgress(const Store& store, std::optional<core::Split> split) {
    ReviewProgress p;
    for (const auto& v : statuses(impl(store), split)) {
        ++p.videos;
        ++p.counts[static_cast<std::size_t>(v.status)];
    }
    return p;
}

std::optional<VideoId> nextVideoNeedingReview(const Store& store, std::optional<VideoId> after,
                                              std::optional<core::Split> split) {
    const auto all = statuses(impl(store), split);
    std::size_t start = 0;
    if (after) {
        const auto it = std::find_if(all.begin(), all.end(),
                                     [&](const VideoReview& v) { return v.video == *after; });
        if (it != all.end()) start = static_cast<std::size_t>(it - all.begin()) + 1;
    }
    for (std::size_t k = 0; k < all.size(); ++k) {
        const auto& v = all[(start + k) % all.size()];
        if (v.status == ReviewStatus::NeedsReview) return v.video;
    }
    return std::nullopt;
}

void reviewEvent(Store& store, EventId event, Review decision, const std::string& reason) {
    if (reason.size() > kMaxReason)
        throw EditError("a review reason is at most " + std::to_string(kMaxReason) +
                        " characters (this one has " + std::to_string(reason.size()) + ")");
    auto& d = store.impl();
    Store::Transaction tx(store);
    const auto e = loadEvent(d, event);
    if (!e) throw EditError("event " + std::to_string(event) + " does not exist");
    if (decision == Review::None)
        d.run(
            "UPDATE events SET review = 0, review_reason = '', reviewer = '', reviewed_at = NULL "
            "WHERE id = ?",
            event);
    else
        d.run(
            "UPDATE events SET review = ?, review_reason = ?, reviewer = ?, reviewed_at = ? "
            "WHERE id = ?",
            static_cast<int>(decision), reason, d.annotator, nowMs(), event);
    d.changed({.events = true, .videoIds = {e->video}, .eventIds = {event}});
    tx.commit();
}

bool setVerified(Store& store, EventId event, bool verified) {
    auto& d = store.impl();
    Store::Transaction tx(store);
    const auto e = loadEvent(d, event);
    if (!e) throw EditError("event " + std::to_string(event) + " does not exist");
    auto& q = d.run("UPDATE events SET verified = ? WHERE id = ? AND verified <> ?",
                    verified ? 1 : 0, event, verified ? 1 : 0);
    const bool changed = q.numRowsAffected() > 0;
    if (changed) d.changed({.events = true, .videoIds = {e->video}, .eventIds = {event}});
    tx.commit();
    return changed;
}

std::optional<EventReview> eventReview(const Store& store, EventId event) {
    Rows r(impl(store).run(std::string("SELECT ") + kReviewColumns + " FROM events WHERE id = ?",
                           event));
    if (!r.next()) return std::nullopt;
    return readReview(r);
}

std::vector<EventReview> eventReviews(const Store& store, VideoId video) {
    std::vector<EventReview> out;
    Rows r(impl(store).run(std::string("SELECT ") + kReviewColumns +
                               " FROM events WHERE video_id = ? AND (review <> 0 OR verified <> 0 "
                               "OR reviewed_at IS NOT NULL) ORDER BY id",
                           video));
    while (r.next()) out.push_back(readReview(r));
    return out;
}

}  // namespace avvp::store
