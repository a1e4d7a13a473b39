#include "core/formats/dcase_tsv.h"
#include "core/quote.h"

#include <algorithm>
#include <ostream>
#include <tuple>

#include "core/error.h"
#include "core/text_table.h"

namespace avvp::core {

namespace {

std::int64_t parseTimeField(const TsvTable& t, std::string_view text, const char* what) {
    auto ms = parseSeconds(text);
    if (!ms) t.fail(std::string(what) + " " + quote(text) + " is not a number of seconds >= 0");
    return *ms;
}

}  // namespace

LabelDocument parseDcaseTsv(std::string_view text, const std::string& name, Modality m) {
    LabelDocument doc;
    TsvTable t(text, name, {"filename", "onset", "offset", "event_label"});
    while (t.next()) {
        const auto filename = t.field(0);
        if (filename.empty()) t.fail("empty filename");
        auto& video = doc.video(filename);
        if (video.file.empty()) {
            video.file = name;
            video.line = t.line();
        }
        video.covers[static_cast<std::size_t>(m)] = true;
        const auto label = t.field(3);
        if (label.empty() && t.field(1).empty() && t.field(2).empty()) continue;  // no events
        LabelEvent e;
        e.modality = m;
        e.line = t.line();
        e.onsetMs = parseTimeField(t, t.field(1), "onset");
        e.offsetMs = parseTimeField(t, t.field(2), "offset");
        const auto cls = classIndex(label);
        if (!cls)
            t.fail("unknown event_label " + quote(label) + " (not one of the 25 LLP classes)");
        e.cls = *cls;
        if (e.offsetMs <= e.onsetMs) {
            doc.notes.push_back(
                {e.offsetMs == e.onsetMs ? AnomalyKind::ZeroLength : AnomalyKind::Reversed, name,
                 t.line(),
                 quote(filename) + " " + quote(label) + " " + quote(t.field(1)) + "-" +
                     quote(t.field(2))});
            continue;
        }
        video.events.push_back(std::move(e));
    }
    return doc;
}

void writeDcaseTsv(std::ostream& out, const LabelDocument& doc, Modality m) {
    out << "filename\tonset\toffset\tevent_label\n";
    for (const auto& v : doc.videos) {
        std::vector<const LabelEvent*> events;
        for (const auto& e : v.events)
            if (e.modality == m) events.push_back(&e);
        std::stable_sort(events.begin(), events.end(), [](const auto* a, const auto* b) {
            return std::tuple(a->onsetMs, a->offsetMs, a->cls) <
                   std::tuple(b->onsetMs, b->offsetMs, b->cls);
        });
        for (const auto* e : events)
            out << v.filename << '\t' << formatSeconds(e->onsetMs) << '\t'
                << formatSeconds(e->offsetMs) << '\t'
                << kClassNames[static_cast<std::size_t>(e->cls)] << '\n';
    }
}

}  // namespace avvp::core
