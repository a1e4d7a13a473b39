#pragma once
// An annotator's edit as a plain value. The store applies it in one transaction and
// records the before / after state of every event it touches in the edit log, so that
// undo and redo (also after a restart, also from another process) replay those states.
// The GUI wraps edits in QUndoCommands that hold ids, never pointers.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/store/records.h"

namespace avvp::store {

enum class EditKind : std::uint8_t { Add, Move, Resize, Relabel, Delete, Accept, Reject };
std::string_view editKindName(EditKind k);  // "add", "move", ...

struct Edit {
    EditKind kind = EditKind::Add;
    EventId event = 0;  // the target of every kind but Add

    // Add: the new event (source GroundTruth or Correction).
    VideoId video = 0;
    Source source = Source::Correction;
    // Add, Relabel: the class (and modality); Add, Move, Resize: the bounds.
    core::Modality modality = core::Modality::Audio;
    std::optional<core::Modality> newModality = {};  // Relabel may move the event to the other lane
    int cls = 0;
    std::int64_t onsetMs = 0;
    std::int64_t offsetMs = 0;

    // A new event; annotator and times are set by the store.
    static Edit add(VideoId video, core::Modality m, int cls, std::int64_t onsetMs,
                    std::int64_t offsetMs, Source source = Source::Correction);
    // Shifts the event so that it starts at onsetMs, keeping its length.
    static Edit move(EventId event, std::int64_t onsetMs);
    static Edit resize(EventId event, std::int64_t onsetMs, std::int64_t offsetMs);
    static Edit relabel(EventId event, int cls, std::optional<core::Modality> modality = {});
    static Edit remove(EventId event);
    // A predicted event becomes a correction (a new event linked to the prediction by
    // `origin`; the prediction is kept, marked accepted).
    static Edit accept(EventId event);
    // Marks a predicted event rejected.
    static Edit reject(EventId event);
};

// What applying an edit did.
struct EditResult {
    EditId id = 0;                     // the history entry
    std::vector<EventId> events = {};  // per edit: the event created (Add, Accept) or changed
    std::string description = {};
};

}  // namespace avvp::store
