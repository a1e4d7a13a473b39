#include "core/store/edit.h"

namespace avvp::store {

std::string_view editKindName(EditKind k) {
    switch (k) {
        case EditKind::Add:
            return "add";
        case EditKind::Move:
            return "move";
        case EditKind::Resize:
            return "resize";
        case EditKind::Relabel:
            return "relabel";
        case EditKind::Delete:
            return "delete";
        case EditKind::Accept:
            return "accept";
        case EditKind::Reject:
            return "reject";
    }
    return "edit";
}

Edit Edit::add(VideoId video, core::Modality m, int cls, std::int64_t onsetMs,
               std::int64_t offsetMs, Source source) {
    Edit e;
    e.kind = EditKind::Add;
    e.video = video;
    e.modality = m;
    e.cls = cls;
    e.onsetMs = onsetMs;
    e.offsetMs = offsetMs;
    e.source = source;
    return e;
}

Edit Edit::move(EventId event, std::int64_t onsetMs) {
    Edit e;
    e.kind = EditKind::Move;
    e.event = event;
    e.onsetMs = onsetMs;
    return e;
}

Edit Edit::resize(EventId event, std::int64_t onsetMs, std::int64_t offsetMs) {
    Edit e;
    e.kind = EditKind::Resize;
    e.event = event;
    e.onsetMs = onsetMs;
    e.offsetMs = offsetMs;
    return e;
}

Edit Edit::relabel(EventId event, int cls, std::optional<core::Modality> modality) {
    Edit e;
    e.kind = EditKind::Relabel;
    e.event = event;
    e.cls = cls;
    e.newModality = modality;
    return e;
}

Edit Edit::remove(EventId event) {
    Edit e;
    e.kind = EditKind::Delete;
    e.event = event;
    return e;
}

Edit Edit::accept(EventId event) {
    Edit e;
    e.kind = EditKind::Accept;
    e.event = event;
    return e;
}

Edit Edit::reject(EventId event) {
    Edit e;
    e.kind = EditKind::Reject;
    e.event = event;
    return e;
}

}  // namespace avvp::store
