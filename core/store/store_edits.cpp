// The edit API: each edit is one transaction that changes events and appends one row to
// the edit log holding every touched event's state before and after. Undo writes the
// "before" states back (in reverse order), redo the "after" states; both first check
// that each event is still in the state the log expects, so an edit made since by
// another process or an import is never overwritten.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <limits>

#include "core/formats/label_document.h"
#include "core/quote.h"
#include "core/store/store.h"
#include "core/store/store_impl.h"

namespace avvp::store {

namespace {

struct Step {
    EventId id = 0;
    std::optional<Event> before;
    std::optional<Event> after;
};

QJsonValue toJson(const std::optional<Event>& e) {
    if (!e) return QJsonValue(QJsonValue::Null);
    auto opt = [](const std::optional<std::int64_t>& v) {
        return v ? QJsonValue(static_cast<qint64>(*v)) : QJsonValue(QJsonValue::Null);
    };
    QJsonObject o;
    o["video"] = static_cast<qint64>(e->video);
    o["modality"] = static_cast<int>(e->modality);
    o["class"] = e->cls;
    o["onset"] = static_cast<qint64>(e->onsetMs);
    o["offset"] = static_cast<qint64>(e->offsetMs);
    o["source"] = static_cast<int>(e->source);
    o["run"] = opt(e->run);
    o["annotator"] = QString::fromStdString(e->annotator);
    o["origin"] = opt(e->origin);
    o["review"] = static_cast<int>(e->review);
    o["created"] = static_cast<qint64>(e->createdAt);
    o["modified"] = static_cast<qint64>(e->modifiedAt);
    return o;
}

// Keys missing from logs of older schema versions read as the defaults of the columns
// the migration added (run and origin NULL, review 0).
std::optional<Event> fromJson(const QJsonValue& v, EventId id) {
    if (!v.isObject()) return std::nullopt;
    const auto o = v.toObject();
    auto opt = [&](const char* key) {
        const auto x = o.value(key);
        return x.isNull() || x.isUndefined() ? std::nullopt
                                             : std::optional<std::int64_t>(x.toInteger());
    };
    Event e;
    e.id = id;
    e.video = o.value("video").toInteger();
    e.modality = o.value("modality").toInt() == 0 ? core::Modality::Audio : core::Modality::Visual;
    e.cls = o.value("class").toInt();
    e.onsetMs = o.value("onset").toInteger();
    e.offsetMs = o.value("offset").toInteger();
    e.source = static_cast<Source>(o.value("source").toInt());
    e.run = opt("run");
    e.annotator = o.value("annotator").toString().toStdString();
    e.origin = opt("origin");
    e.review = static_cast<Review>(o.value("review").toInt());
    e.createdAt = o.value("created").toInteger();
    e.modifiedAt = o.value("modified").toInteger();
    return e;
}

QString encode(const std::vector<Step>& steps) {
    QJsonArray a;
    for (const auto& s : steps) {
        QJsonObject o;
        o["id"] = static_cast<qint64>(s.id);
        o["before"] = toJson(s.before);
        o["after"] = toJson(s.after);
        a.append(o);
    }
    return QString::fromUtf8(QJsonDocument(a).toJson(QJsonDocument::Compact));
}

std::vector<Step> decode(const QByteArray& json, EditId edit, const std::filesystem::path& path) {
    QJsonParseError err{};
    const auto doc = QJsonDocument::fromJson(json, &err);
    if (err.error != QJsonParseError::NoError || !doc.isArray())
        throw StoreError(path.string() + ": damaged edit log entry " + std::to_string(edit));
    std::vector<Step> steps;
    for (const auto& v : doc.array()) {
        const auto o = v.toObject();
        const EventId id = o.value("id").toInteger();
        steps.push_back({id, fromJson(o.value("before"), id), fromJson(o.value("after"), id)});
    }
    return steps;
}

std::vector<EventId> stepIds(const std::vector<Step>& steps) {
    std::vector<EventId> ids;
    for (const auto& s : steps)
        if (std::find(ids.begin(), ids.end(), s.id) == ids.end()) ids.push_back(s.id);
    return ids;
}

// Writes one event's state: absent deletes it, present inserts or overwrites it (with
// the id it had, so later log entries still refer to it).
void writeState(Store::Impl& d, EventId id, const std::optional<Event>& e) {
    if (!e) {
        d.run("DELETE FROM events WHERE id = ?", id);
        return;
    }
    d.run(
        "INSERT INTO events(id, video_id, modality, class_id, onset_ms, offset_ms, source, run_id, "
        "annotator, origin_id, review, created_at, modified_at) "
        "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET "
        "video_id = excluded.video_id, modality = excluded.modality, class_id = excluded.class_id, "
        "onset_ms = excluded.onset_ms, offset_ms = excluded.offset_ms, source = excluded.source, "
        "run_id = excluded.run_id, annotator = excluded.annotator, origin_id = excluded.origin_id, "
        "review = excluded.review, created_at = excluded.created_at, "
        "modified_at = excluded.modified_at",
        id, e->video, static_cast<int>(e->modality), e->cls, e->onsetMs, e->offsetMs,
        static_cast<int>(e->source), e->run, e->annotator, e->origin, static_cast<int>(e->review),
        e->createdAt, e->modifiedAt);
}

std::string span(std::int64_t on, std::int64_t off) {
    return core::formatSeconds(on) + "\u2013" + core::formatSeconds(off) + " s";
}

std::string what(const Event& e) {
    return std::string(core::kClassNames.at(static_cast<std::size_t>(e.cls))) + " (" +
           std::string(core::modalityName(e.modality)) + ")";
}

Event target(Store::Impl& d, EventId id) {
    auto e = loadEvent(d, id);
    if (!e) throw EditError("event " + std::to_string(id) + " does not exist (deleted?)");
    return *e;
}

void requireEditable(const Event& e) {
    if (e.source == Source::Prediction)
        throw EditError("event " + std::to_string(e.id) +
                        " is a model prediction: accept it (it becomes a correction) or reject it");
}

void requirePrediction(const Event& e) {
    if (e.source != Source::Prediction)
        throw EditError("event " + std::to_string(e.id) + " is not a prediction");
}

void requireBounds(Store::Impl& d, VideoId video, std::int64_t on, std::int64_t off) {
    if (on < 0) throw EditError("an event cannot start before 0 s");
    if (off <= on) throw EditError("an event must end after it starts");
    Video v;
    {
        Rows r(d.run("SELECT filename, split, duration_ms FROM videos WHERE id = ?", video));
        if (!r.next()) throw EditError("video " + std::to_string(video) + " does not exist");
        v.filename = r.str(0);
        if (!r.isNull(1)) v.split = core::splitFromName(r.str(1));
        v.durationMs = r.isNull(2) ? 0 : r.i64(2);
    }
    if (const auto limit = v.eventLimitMs(); limit && off > *limit)
        throw EditError("the event " + pastEndText(off, *limit));
}

void requireClass(int cls) {
    if (cls < 0 || cls >= core::kNumClasses)
        throw EditError("class " + std::to_string(cls) + " is not one of the 25 classes");
}

std::string historyKind(const std::vector<Edit>& edits) {
    return edits.size() == 1 ? std::string(editKindName(edits.front().kind)) : "batch";
}

HistoryEntry readEntry(const Rows& r, const std::filesystem::path& path) {
    HistoryEntry h;
    h.id = r.i64(0);
    h.kind = r.str(1);
    h.description = r.str(2);
    h.annotator = r.str(3);
    h.at = r.i64(4);
    h.state = static_cast<HistoryState>(r.i32(5));
    h.stateAt = r.isNull(6) ? 0 : r.i64(6);
    h.events = stepIds(decode(r.bytes(7), h.id, path));
    return h;
}

constexpr const char* kEntryColumns =
    "id, kind, description, annotator, at, state, state_at, changes";

}  // namespace

EditResult Store::apply(const Edit& edit) {
    return apply(std::vector<Edit>{edit});
}

EditResult Store::apply(const std::vector<Edit>& edits, const std::string& description) {
    if (edits.empty()) throw EditError("no edit to apply");
    auto& d = *impl_;
    Transaction tx(*this);
    const auto now = nowMs();
    std::vector<Step> steps;
    EditResult result;
    std::vector<std::string> texts;
    Change change{.events = true, .history = true};
    for (const auto& edit : edits) {
        Event after;
        std::optional<Event> before;
        std::string text;
        switch (edit.kind) {
            case EditKind::Add: {
                if (edit.source == Source::Prediction)
                    throw EditError("predictions come from model runs, not from edits");
                requireClass(edit.cls);
                requireBounds(d, edit.video, edit.onsetMs, edit.offsetMs);
                after = Event{0,
                              edit.video,
                              edit.modality,
                              edit.cls,
                              edit.onsetMs,
                              edit.offsetMs,
                              edit.source,
                              std::nullopt,
                              d.annotator,
                              std::nullopt,
                              Review::None,
                              now,
                              now};
                text = "Add " + what(after) + " " + span(after.onsetMs, after.offsetMs);
                break;
            }
            case EditKind::Move:
            case EditKind::Resize: {
                before = target(d, edit.event);
                requireEditable(*before);
                after = *before;
                after.onsetMs = edit.onsetMs;
                after.offsetMs = edit.kind == EditKind::Move
                                     ? edit.onsetMs + (before->offsetMs - before->onsetMs)
                                     : edit.offsetMs;
                requireBounds(d, after.video, after.onsetMs, after.offsetMs);
                text = std::string(edit.kind == EditKind::Move ? "Move " : "Resize ") +
                       what(after) + " to " + span(after.onsetMs, after.offsetMs);
                break;
            }
            case EditKind::Relabel: {
                before = target(d, edit.event);
                requireEditable(*before);
                requireClass(edit.cls);
                after = *before;
                after.cls = edit.cls;
                if (edit.newModality) after.modality = *edit.newModality;
                text = "Relabel " + what(*before) + " as " + what(after);
                break;
            }
            case EditKind::Delete: {
                before = target(d, edit.event);
                requireEditable(*before);
                text = "Delete " + what(*before) + " " + span(before->onsetMs, before->offsetMs);
                writeState(d, before->id, std::nullopt);
                steps.push_back({before->id, before, std::nullopt});
                result.events.push_back(before->id);
                change.videoIds.push_back(before->video);
                change.eventIds.push_back(before->id);
                texts.push_back(std::move(text));
                continue;
            }
            case EditKind::Accept:
            case EditKind::Reject: {
                before = target(d, edit.event);
                requirePrediction(*before);
                const auto state =
                    edit.kind == EditKind::Accept ? Review::Accepted : Review::Rejected;
                if (before->review == state)
                    throw EditError("event " + std::to_string(before->id) + " is already " +
                                    std::string(reviewName(state)));
                after = *before;
                after.review = state;
                after.annotator = d.annotator;
                after.modifiedAt = now;
                writeState(d, after.id, after);
                steps.push_back({after.id, before, after});
                change.videoIds.push_back(after.video);
                change.eventIds.push_back(after.id);
                text = std::string(edit.kind == EditKind::Accept ? "Accept" : "Reject") +
                       " predicted " + what(after) + " " + span(after.onsetMs, after.offsetMs);
                if (edit.kind == EditKind::Reject) {
                    result.events.push_back(after.id);
                    texts.push_back(std::move(text));
                    continue;
                }
                // The correction: a new event that remembers the prediction and its run.
                before.reset();
                after = Event{0,
                              after.video,
                              after.modality,
                              after.cls,
                              after.onsetMs,
                              after.offsetMs,
                              Source::Correction,
                              after.run,
                              d.annotator,
                              after.id,
                              Review::None,
                              now,
                              now};
                break;
            }
        }
        if (before && before->modality == after.modality && before->cls == after.cls &&
            before->onsetMs == after.onsetMs && before->offsetMs == after.offsetMs) {
            if (edits.size() == 1) throw EditError("the edit changes nothing");
            continue;
        }
        after.annotator = d.annotator;
        after.modifiedAt = now;
        if (before) {
            writeState(d, after.id, after);
        } else {
            auto& q = d.run(
                "INSERT INTO events(video_id, modality, class_id, onset_ms, offset_ms, source, "
                "run_id, annotator, origin_id, review, created_at, modified_at) "
                "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                after.video, static_cast<int>(after.modality), after.cls, after.onsetMs,
                after.offsetMs, static_cast<int>(after.source), after.run, after.annotator,
                after.origin, static_cast<int>(after.review), after.createdAt, after.modifiedAt);
            after.id = q.lastInsertId().toLongLong();
        }
        steps.push_back({after.id, before, after});
        result.events.push_back(after.id);
        change.videoIds.push_back(after.video);
        change.eventIds.push_back(after.id);
        texts.push_back(std::move(text));
    }
    if (steps.empty()) throw EditError("the edits change nothing");
    result.description = !description.empty() ? description
                         : texts.size() == 1  ? texts.front()
                                              : std::to_string(texts.size()) + " edits";
    // A new edit ends the redo stack of this annotator.
    d.run("UPDATE edits SET state = 2, state_at = ? WHERE annotator = ? AND state = 1", now,
          d.annotator);
    auto& q = d.run(
        "INSERT INTO edits(annotator, at, kind, description, changes, state) VALUES(?, ?, ?, ?, ?, "
        "0)",
        d.annotator, now, historyKind(edits), result.description, encode(steps));
    result.id = q.lastInsertId().toLongLong();
    d.changed(change);
    tx.commit();
    return result;
}

namespace {

// The entry undo() reverts (this annotator's latest done one) or redo() reapplies (the
// earliest undone one).
std::string nextEntrySql(bool undo) {
    return std::string("SELECT ") + kEntryColumns +
           (undo ? " FROM edits WHERE annotator = ? AND state = 0 ORDER BY id DESC LIMIT 1"
                 : " FROM edits WHERE annotator = ? AND state = 1 ORDER BY id ASC LIMIT 1");
}

bool hasEntry(Store::Impl& d, HistoryState state) {
    Rows r(d.run("SELECT EXISTS(SELECT 1 FROM edits WHERE annotator = ? AND state = ?)",
                 d.annotator, static_cast<int>(state)));
    return r.next() && r.i64(0) != 0;
}

std::optional<HistoryEntry> nextEntry(Store::Impl& d, bool undo) {
    Rows r(d.run(nextEntrySql(undo), d.annotator));
    if (!r.next()) return std::nullopt;
    return readEntry(r, d.path);
}

}  // namespace

bool Store::canUndo() const {
    return hasEntry(*impl_, HistoryState::Done);
}
bool Store::canRedo() const {
    return hasEntry(*impl_, HistoryState::Undone);
}
std::optional<HistoryEntry> Store::undoEntry() const {
    return nextEntry(*impl_, true);
}
std::optional<HistoryEntry> Store::redoEntry() const {
    return nextEntry(*impl_, false);
}

namespace {

// Moves the events of one history entry from one state to the other (undo: after ->
// before, redo: before -> after) after checking each is where the log left it.
HistoryEntry replay(Store& store, Store::Impl& d, bool undo) {
    Store::Transaction tx(store);
    HistoryEntry entry;
    std::vector<Step> steps;
    {
        Rows r(d.run(nextEntrySql(undo), d.annotator));
        if (!r.next()) throw EditError(undo ? "nothing to undo" : "nothing to redo");
        entry = readEntry(r, d.path);
        steps = decode(r.bytes(7), entry.id, d.path);
    }
    Change change{.events = true, .history = true};
    auto step = [&](const Step& s) {
        const auto& expected = undo ? s.after : s.before;
        const auto& next = undo ? s.before : s.after;
        const auto current = loadEvent(d, s.id);
        if (current != expected) {
            std::string why =
                !current ? "was deleted since"
                : !expected
                    ? "exists again"
                    : "was changed since" + (current->annotator.empty()
                                                 ? std::string()
                                                 : " (by " + core::quote(current->annotator) + ")");
            throw EditConflict(std::string("cannot ") + (undo ? "undo" : "redo") + " " +
                               core::quote(entry.description) + ": event " + std::to_string(s.id) +
                               " " + why);
        }
        writeState(d, s.id, next);
        change.eventIds.push_back(s.id);
        change.videoIds.push_back(next ? next->video : expected->video);
    };
    if (undo)
        for (auto it = steps.rbegin(); it != steps.rend(); ++it) step(*it);
    else
        for (const auto& s : steps) step(s);
    const auto now = nowMs();
    d.run("UPDATE edits SET state = ?, state_at = ? WHERE id = ?", undo ? 1 : 0, now, entry.id);
    entry.state = undo ? HistoryState::Undone : HistoryState::Done;
    entry.stateAt = now;
    d.changed(change);
    tx.commit();
    return entry;
}

}  // namespace

HistoryEntry Store::undo() {
    return replay(*this, *impl_, true);
}
HistoryEntry Store::redo() {
    return replay(*this, *impl_, false);
}

std::vector<HistoryEntry> Store::history(std::size_t limit) const {
    auto& d = *impl_;
    Rows r(d.run(
        std::string("SELECT ") + kEntryColumns +
            " FROM edits WHERE annotator = ? AND state IN (0, 1) ORDER BY id DESC LIMIT ?",
        d.annotator,
        // No limit: the largest one (PostgreSQL refuses SQLite's LIMIT -1).
        limit == 0 ? std::numeric_limits<std::int64_t>::max() : static_cast<std::int64_t>(limit)));
    std::vector<HistoryEntry> out;
    while (r.next()) out.push_back(readEntry(r, d.path));
    std::reverse(out.begin(), out.end());
    return out;
}

}  // namespace avvp::store
