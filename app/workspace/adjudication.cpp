// Adjudication of two annotators' lanes (issue 18, item 4); see adjudication.h.
#include "app/workspace/adjudication.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "core/error.h"
#include "core/quote.h"
#include "core/store/annotator_agreement.h"
#include "core/store/final_labels.h"

namespace avvp::workspace {

namespace {

using Key = std::tuple<int, int, std::int64_t, std::int64_t>;

Key keyOf(const LaneEvent& e) {
    return {static_cast<int>(e.modality), e.cls, e.onsetMs, e.offsetMs};
}
Key keyOf(const AdjudicatedEvent& e) {
    return {static_cast<int>(e.modality), e.cls, e.onsetMs, e.offsetMs};
}

bool sameRow(const LaneEvent& x, const LaneEvent& y) {
    return x.modality == y.modality && x.cls == y.cls;
}

void requireAnnotator(const store::Store& store, const std::string& name,
                      const std::vector<std::string>& known) {
    if (std::find(known.begin(), known.end(), name) != known.end()) return;
    std::string list;
    for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
    throw core::InputError(
        store.path().string(), 0,
        "has no correction by annotator " + core::quote(name) +
            (known.empty() ? " (it holds no correction at all)" : " (annotators: " + list + ")"));
}

}  // namespace

std::vector<LaneEvent> annotatorLane(const store::Store& store, store::VideoId video,
                                     const std::string& annotator) {
    std::vector<LaneEvent> lane;
    for (const auto& e : store::finalEvents(store, video, annotator))
        lane.push_back({e.id, e.source, e.modality, e.cls, e.onsetMs, e.offsetMs});
    std::sort(lane.begin(), lane.end(),
              [](const LaneEvent& x, const LaneEvent& y) { return keyOf(x) < keyOf(y); });
    return lane;
}

void requireAnnotators(const store::Store& store, const std::string& annotatorA,
                       const std::string& annotatorB) {
    if (annotatorA == annotatorB)
        throw core::InputError(store.path().string(), 0,
                               "adjudication needs two different annotators, not " +
                                   core::quote(annotatorA) + " twice");
    const auto known = store::correctionAnnotators(store);
    requireAnnotator(store, annotatorA, known);
    requireAnnotator(store, annotatorB, known);
}

Adjudication prepareAdjudication(const store::Store& store, store::VideoId video,
                                 const std::string& annotatorA, const std::string& annotatorB,
                                 Side prefer, bool checkAnnotators) {
    if (checkAnnotators) requireAnnotators(store, annotatorA, annotatorB);
    const auto v = store.video(video);
    if (!v)
        throw core::InputError(store.path().string(), 0, "has no video " + std::to_string(video));
    Adjudication adj;
    adj.video = video;
    adj.videoName = v->filename;
    adj.segments = v->segments();
    adj.lengthMs = v->lengthMs();
    adj.annotatorA = annotatorA;
    adj.annotatorB = annotatorB;

    const auto laneA = annotatorLane(store, video, annotatorA);
    const auto laneB = annotatorLane(store, video, annotatorB);
    std::map<Key, LaneEvent> inB;
    for (const auto& e : laneB) inB.emplace(keyOf(e), e);
    std::set<Key> agreed;
    std::vector<std::pair<LaneEvent, Side>> open;  // labels of one lane only
    for (const auto& e : laneA) {
        const auto it = inB.find(keyOf(e));
        if (it != inB.end()) {
            agreed.insert(keyOf(e));
            adj.items.push_back({true, {e}, {it->second}, prefer, false});
        } else {
            open.emplace_back(e, Side::A);
        }
    }
    for (const auto& e : laneB)
        if (!agreed.contains(keyOf(e))) open.emplace_back(e, Side::B);
    std::sort(open.begin(), open.end(),
              [](const auto& x, const auto& y) { return keyOf(x.first) < keyOf(y.first); });
    // Disagreements: overlapping labels of one modality and class (sorted by onset, a label
    // joins the current group when it starts before the group ends).
    std::int64_t groupEnd = 0;
    for (const auto& [e, side] : open) {
        auto* last = adj.items.empty() || adj.items.back().agreed ? nullptr : &adj.items.back();
        const LaneEvent* first = nullptr;
        if (last) first = !last->a.empty() ? &last->a.front() : &last->b.front();
        if (!last || !sameRow(*first, e) || e.onsetMs >= groupEnd) {
            adj.items.push_back({false, {}, {}, prefer, false});
            last = &adj.items.back();
            groupEnd = e.offsetMs;
        }
        groupEnd = std::max(groupEnd, e.offsetMs);
        (side == Side::A ? last->a : last->b).push_back(e);
    }
    std::stable_sort(adj.items.begin(), adj.items.end(),
                     [](const AdjudicationItem& x, const AdjudicationItem& y) {
                         const auto& fx = !x.a.empty() ? x.a.front() : x.b.front();
                         const auto& fy = !y.a.empty() ? y.a.front() : y.b.front();
                         return keyOf(fx) < keyOf(fy);
                     });
    return adj;
}

void pickItem(Adjudication& adjudication, std::size_t item, Side side) {
    if (item >= adjudication.items.size()) return;
    auto& it = adjudication.items[item];
    it.side = side;
    it.picked = true;
}

void pickEvent(Adjudication& adjudication, store::EventId event) {
    for (auto& item : adjudication.items) {
        for (const Side side : {Side::A, Side::B})
            for (const auto& e : side == Side::A ? item.a : item.b) {
                if (e.id != event) continue;
                if (item.agreed) return;
                if (item.picked && item.side != side)
                    throw core::InputError(adjudication.videoName, 0,
                                           "event " + std::to_string(event) + " of " +
                                               core::quote(adjudication.annotator(side)) +
                                               " conflicts with an earlier pick of " +
                                               core::quote(adjudication.annotator(item.side)) +
                                               " for the same disagreement");
                item.side = side;
                item.picked = true;
                return;
            }
    }
    throw core::InputError(adjudication.videoName, 0,
                           "no label of " + core::quote(adjudication.annotatorA) + " or " +
                               core::quote(adjudication.annotatorB) + " is event " +
                               std::to_string(event));
}

void pickCell(Adjudication& adjudication, const CellPick& cell) {
    if (cell.second < 0 || cell.second >= adjudication.segments)
        throw core::InputError(adjudication.videoName, 0,
                               "has no second " + std::to_string(cell.second) + " (it has " +
                                   std::to_string(adjudication.segments) + ")");
    if (cell.cls < 0 || cell.cls >= core::kNumClasses)
        throw core::InputError(adjudication.videoName, 0, "no class " + std::to_string(cell.cls));
    std::erase_if(adjudication.cells, [&](const CellPick& c) {
        return c.modality == cell.modality && c.cls == cell.cls && c.second == cell.second;
    });
    adjudication.cells.push_back(cell);
}

std::vector<AdjudicatedEvent> adjudicatedEvents(const Adjudication& adj) {
    std::vector<AdjudicatedEvent> out;
    for (const auto& item : adj.items) {
        if (item.agreed) {
            const auto& e = item.a.front();
            out.push_back({e.modality, e.cls, e.onsetMs, e.offsetMs, true,
                           adj.annotatorA + "+" + adj.annotatorB, e.id});
            continue;
        }
        for (const auto& e : item.side == Side::A ? item.a : item.b)
            out.push_back(
                {e.modality, e.cls, e.onsetMs, e.offsetMs, false, adj.annotator(item.side), e.id});
    }
    if (!adj.cells.empty()) {
        // The rows with cell picks become cells: a cell is on where a label covers its
        // middle, and a picked cell takes the picked lane's value there.
        std::set<std::pair<int, int>> rows;
        for (const auto& c : adj.cells) rows.insert({static_cast<int>(c.modality), c.cls});
        std::vector<AdjudicatedEvent> kept;
        std::map<std::pair<int, int>, std::vector<std::string>> cellFrom;  // "" = off
        for (const auto& row : rows)
            cellFrom[row].assign(static_cast<std::size_t>(adj.segments), std::string());
        auto covers = [](std::int64_t on, std::int64_t off, int t) {
            const std::int64_t mid = t * std::int64_t{1000} + 500;
            return on <= mid && mid < off;
        };
        for (const auto& e : out) {
            const std::pair<int, int> row{static_cast<int>(e.modality), e.cls};
            if (!rows.contains(row)) {
                kept.push_back(e);
                continue;
            }
            for (int t = 0; t < adj.segments; ++t)
                if (covers(e.onsetMs, e.offsetMs, t)) cellFrom[row][t] = e.from;
        }
        for (const auto& c : adj.cells) {
            const auto& items = adj.items;
            bool on = false;
            for (const auto& item : items)
                for (const auto& e : c.side == Side::A || item.agreed ? item.a : item.b)
                    if (e.modality == c.modality && e.cls == c.cls &&
                        covers(e.onsetMs, e.offsetMs, c.second))
                        on = true;
            cellFrom[{static_cast<int>(c.modality), c.cls}][c.second] =
                on ? adj.annotator(c.side) : std::string();
        }
        for (const auto& [row, from] : cellFrom) {
            for (int t = 0; t < adj.segments;) {
                if (from[t].empty()) {
                    ++t;
                    continue;
                }
                int end = t;
                std::set<std::string> who;
                while (end < adj.segments && !from[end].empty()) who.insert(from[end++]);
                std::string name;
                for (const auto& w : who) name += (name.empty() ? "" : "+") + w;
                kept.push_back({static_cast<core::Modality>(row.first), row.second, t * 1000LL,
                                std::min<std::int64_t>(end * 1000LL, adj.lengthMs), false, name,
                                0});
                t = end;
            }
        }
        out = std::move(kept);
    }
    std::sort(out.begin(), out.end(), [](const AdjudicatedEvent& x, const AdjudicatedEvent& y) {
        return keyOf(x) < keyOf(y);
    });
    return out;
}

AdjudicationSave saveAdjudication(const std::filesystem::path& storePath,
                                  const std::string& adjudicator, const std::string& setName,
                                  const std::vector<Adjudication>& adjudications) {
    if (setName.empty())
        throw core::InputError(storePath.string(), 0, "the adjudicated set needs a name");
    for (const auto& adj : adjudications)
        if (setName == adj.annotatorA || setName == adj.annotatorB)
            throw core::InputError(storePath.string(), 0,
                                   "the adjudicated set " + core::quote(setName) +
                                       " would overwrite that annotator's own corrections");
    store::Store::Options options;
    options.create = false;
    options.annotator = setName;
    const auto store = store::Store::open(storePath, options);

    AdjudicationSave result;
    std::vector<store::Edit> edits;
    QJsonArray videos;
    for (const auto& adj : adjudications) {
        const auto events = adjudicatedEvents(adj);
        store::EventFilter mine;
        mine.source = store::Source::Correction;
        mine.annotator = setName;
        const auto before = store->events(adj.video, mine);
        std::multiset<Key> was, now;
        for (const auto& e : before)
            was.insert({static_cast<int>(e.modality), e.cls, e.onsetMs, e.offsetMs});
        for (const auto& e : events) now.insert(keyOf(e));
        if (was == now) continue;
        ++result.videos;
        for (const auto& e : before) {
            edits.push_back(store::Edit::remove(e.id));
            ++result.removed;
        }
        QJsonArray labels;
        for (const auto& e : events) {
            edits.push_back(store::Edit::add(adj.video, e.modality, e.cls, e.onsetMs, e.offsetMs));
            ++result.added;
            labels.append(QJsonObject{
                {QStringLiteral("modality"), QString::fromUtf8(core::modalityName(e.modality))},
                {QStringLiteral("class"), QString::fromUtf8(core::kClassNames[e.cls])},
                {QStringLiteral("onset_ms"), static_cast<double>(e.onsetMs)},
                {QStringLiteral("offset_ms"), static_cast<double>(e.offsetMs)},
                {QStringLiteral("agreed"), e.agreed},
                {QStringLiteral("from"), QString::fromStdString(e.from)},
                {QStringLiteral("from_event"), static_cast<double>(e.fromEvent)}});
        }
        int picked = 0;
        for (const auto& item : adj.items) picked += item.picked ? 1 : 0;
        videos.append(
            QJsonObject{{QStringLiteral("video"), QString::fromStdString(adj.videoName)},
                        {QStringLiteral("picks"), picked},
                        {QStringLiteral("cell_picks"), static_cast<int>(adj.cells.size())},
                        {QStringLiteral("labels"), labels}});
    }
    if (edits.empty()) return result;
    QJsonObject note{{QStringLiteral("adjudication"), QString::fromStdString(setName)},
                     {QStringLiteral("adjudicator"), QString::fromStdString(adjudicator)},
                     {QStringLiteral("annotators"),
                      QJsonArray{QString::fromStdString(adjudications.front().annotatorA),
                                 QString::fromStdString(adjudications.front().annotatorB)}},
                     {QStringLiteral("videos"), videos}};
    const auto description = QJsonDocument(note).toJson(QJsonDocument::Compact).toStdString();
    result.edit = store->apply(edits, description).id;
    return result;
}

store::HistoryEntry undoAdjudication(const std::filesystem::path& storePath,
                                     const std::string& setName) {
    store::Store::Options options;
    options.create = false;
    options.annotator = setName;
    return store::Store::open(storePath, options)->undo();
}

}  // namespace avvp::workspace
