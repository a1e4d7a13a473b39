#pragma once
// Adjudication (issue 18, item 4): two annotators' lanes of one video side by side, a pick
// per disagreement (or per one-second cell) of whose label stands, and the result saved as
// a new correction set with its provenance, as one undoable edit.
//
// A lane is an annotator's final labels of the video, the labels `avvp agreement` compares
// and `avvp export --source final --annotator A` writes: the ground truth with the
// annotator's accepted corrections (store::countsAsAccepted), each label once. Labels in
// both lanes (same modality, class, onset and offset) are agreed and always stand. The
// others form disagreements: the labels of one modality and class whose times overlap,
// from either lane; each disagreement takes one side (the preferred annotator's unless
// picked), and that side's labels in it stand. A cell pick overrides one second of one
// modality and class with the picked lane's value there.
//
// The set is saved as corrections of its own annotator (the set's name), through a store
// connection opened as that annotator, so that its history is the set's own: one batch
// edit per save (earlier labels of the set in those videos deleted, the new ones added)
// whose description is a JSON note of the provenance: the adjudicator (the annotator of
// the caller's store), the two annotators, and for each label the annotator and store
// event it came from. Undo of the set's latest entry (undoAdjudication) takes it back.
// Plain C++ types, no widgets: the CLI (`avvp adjudicate`) and the app share it.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/store/store.h"

namespace avvp::workspace {

enum class Side : std::uint8_t { A = 0, B = 1 };

// A label of a lane with the store event it comes from (a ground-truth event or one of
// the annotator's corrections).
struct LaneEvent {
    store::EventId id = 0;
    store::Source source = store::Source::GroundTruth;
    core::Modality modality = core::Modality::Audio;
    int cls = 0;
    std::int64_t onsetMs = 0;
    std::int64_t offsetMs = 0;
};

// One agreed label (a and b one each, the same label) or one disagreement.
struct AdjudicationItem {
    bool agreed = false;
    std::vector<LaneEvent> a = {};
    std::vector<LaneEvent> b = {};
    Side side = Side::A;  // whose labels stand (disagreements)
    bool picked = false;  // set by a pick rather than the preference
};

struct CellPick {
    core::Modality modality = core::Modality::Audio;
    int cls = 0;
    int second = 0;
    Side side = Side::A;
};

struct Adjudication {
    store::VideoId video = 0;
    std::string videoName = {};
    int segments = 0;
    std::int64_t lengthMs = 0;
    std::string annotatorA = {};
    std::string annotatorB = {};
    std::vector<AdjudicationItem> items = {};  // by modality, class, onset
    std::vector<CellPick> cells = {};
    const std::string& annotator(Side s) const { return s == Side::A ? annotatorA : annotatorB; }
};

// An annotator's lane of a video (sorted by modality, class, onset).
std::vector<LaneEvent> annotatorLane(const store::Store& store, store::VideoId video,
                                     const std::string& annotator);

// The lanes of A and B for the video, every disagreement on the preferred side. Throws
// core::InputError naming the store when A and B are the same or either has no
// correction in the store.
// `checkAnnotators` false skips that check (done once by requireAnnotators for many videos).
Adjudication prepareAdjudication(const store::Store& store, store::VideoId video,
                                 const std::string& annotatorA, const std::string& annotatorB,
                                 Side prefer = Side::A, bool checkAnnotators = true);
// The check of prepareAdjudication: A and B differ and both have corrections in the store.
void requireAnnotators(const store::Store& store, const std::string& annotatorA,
                       const std::string& annotatorB);

// Picks the side of the lane that holds the event for the disagreement that holds it (an
// agreed label stays). Throws core::InputError when no lane of the video holds the event,
// or when `conflicting` picks set the same disagreement to both sides.
void pickEvent(Adjudication& adjudication, store::EventId event);
// Sets a disagreement's side (by index into items).
void pickItem(Adjudication& adjudication, std::size_t item, Side side);
// Throws core::InputError when the second is outside the video.
void pickCell(Adjudication& adjudication, const CellPick& cell);

// A label of the result with where it came from.
struct AdjudicatedEvent {
    core::Modality modality = core::Modality::Audio;
    int cls = 0;
    std::int64_t onsetMs = 0;
    std::int64_t offsetMs = 0;
    bool agreed = false;
    std::string from = {};         // the annotator whose label it is ("A+B" for cells of both)
    store::EventId fromEvent = 0;  // the store event it copies (0: made of cells)
};
std::vector<AdjudicatedEvent> adjudicatedEvents(const Adjudication& adjudication);

struct AdjudicationSave {
    store::EditId edit = 0;  // 0: nothing changed (the set already held these labels)
    int added = 0;
    int removed = 0;
    int videos = 0;
};

// Saves the results as the correction set `setName` (one history entry of that
// annotator; `adjudicator` is recorded in its note). Throws core::InputError when the set's
// name is one of the two annotators' or empty.
AdjudicationSave saveAdjudication(const std::filesystem::path& storePath,
                                  const std::string& adjudicator, const std::string& setName,
                                  const std::vector<Adjudication>& adjudications);

// Takes back the set's latest save (store::EditError when there is none).
store::HistoryEntry undoAdjudication(const std::filesystem::path& storePath,
                                     const std::string& setName);

}  // namespace avvp::workspace
