#include "core/formats/elan_eaf.h"
#include "core/quote.h"

#include <pugixml.hpp>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <ctime>
#include <map>
#include <ostream>

#include "core/error.h"
#include "core/text_table.h"

namespace avvp::core {

namespace {

constexpr const char* kVocabulary = "avvp-classes";
constexpr const char* kType = "avvp-event";
constexpr const char* kLanguage = "eng";

// 1-based line of a byte offset into the text.
class LineIndex {
  public:
    explicit LineIndex(std::string_view text) {
        for (std::size_t i = 0; i < text.size(); ++i)
            if (text[i] == '\n') newlines_.push_back(i);
    }
    long line(std::ptrdiff_t offset) const {
        if (offset < 0) return 0;
        const auto it =
            std::lower_bound(newlines_.begin(), newlines_.end(), static_cast<std::size_t>(offset));
        return static_cast<long>(it - newlines_.begin()) + 1;
    }

  private:
    std::vector<std::size_t> newlines_;
};

std::string nowUtc() {
    const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

std::string_view trimmed(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

}  // namespace

LabelVideo parseEaf(std::string_view text, const std::string& name, std::vector<Anomaly>* notes) {
    requireUtf8(text, name);
    const LineIndex lines(text);
    pugi::xml_document doc;
    const auto parsed =
        doc.load_buffer(text.data(), text.size(), pugi::parse_default, pugi::encoding_utf8);
    if (!parsed)
        throw InputError(name, lines.line(parsed.offset),
                         std::string("not well-formed XML: ") + parsed.description());
    auto fail = [&](const pugi::xml_node& n, const std::string& why) -> void {
        throw InputError(name, lines.line(n.offset_debug()), why);
    };
    const auto root = doc.child("ANNOTATION_DOCUMENT");
    if (!root) throw InputError(name, 0, "not an ELAN file (no ANNOTATION_DOCUMENT element)");
    LabelVideo video;
    video.covers = {false, false};
    video.file = name;
    const auto header = root.child("HEADER");
    if (const auto units = header.attribute("TIME_UNITS");
        units && std::string_view(units.value()) != "milliseconds")
        fail(header, "TIME_UNITS " + quote(units.value()) + " (only milliseconds is used by ELAN)");
    if (const auto media = header.child("MEDIA_DESCRIPTOR"))
        video.media = media.attribute("MEDIA_URL").value();

    std::map<std::string, std::optional<std::int64_t>, std::less<>> slots;
    for (const auto& ts : root.child("TIME_ORDER").children("TIME_SLOT")) {
        const std::string id = ts.attribute("TIME_SLOT_ID").value();
        if (id.empty()) fail(ts, "a TIME_SLOT without TIME_SLOT_ID");
        std::optional<std::int64_t> value;
        if (const auto v = ts.attribute("TIME_VALUE")) {
            const std::string_view s = v.value();
            std::int64_t ms = 0;
            auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), ms);
            if (ec != std::errc{} || ptr != s.data() + s.size() || ms < 0)
                fail(ts, "TIME_VALUE " + quote(s) + " of " + quote(id) +
                             " is not a whole number of milliseconds >= 0");
            value = ms;
        }
        slots[id] = value;
    }
    auto slotTime = [&](const pugi::xml_node& a, const char* attr) {
        const std::string id = a.attribute(attr).value();
        const auto it = slots.find(id);
        if (it == slots.end()) fail(a, std::string(attr) + " " + quote(id) + " names no TIME_SLOT");
        if (!it->second)
            fail(a, "time slot " + quote(id) + " has no time value (align the annotation in ELAN)");
        return *it->second;
    };

    for (const auto& tier : root.children("TIER")) {
        const std::string tierId = tier.attribute("TIER_ID").value();
        const auto tn = tier.attribute("PARENT_REF") ? std::nullopt : parseTierName(tierId);
        if (!tn) {
            if (notes)
                notes->push_back(
                    {AnomalyKind::Ignored, name, lines.line(tier.offset_debug()),
                     "tier " + quote(tierId) + " ignored (" +
                         (tier.attribute("PARENT_REF")
                              ? std::string("a dependent tier")
                              : std::string("not named audio/<class> or visual/<class>")) +
                         ")"});
            continue;
        }
        video.covers[static_cast<std::size_t>(tn->modality)] = true;
        for (const auto& ann : tier.children("ANNOTATION")) {
            const auto a = ann.child("ALIGNABLE_ANNOTATION");
            if (!a) {
                if (notes)
                    notes->push_back({AnomalyKind::Ignored, name, lines.line(ann.offset_debug()),
                                      "a reference annotation in tier " + quote(tierId)});
                continue;
            }
            LabelEvent e;
            e.modality = tn->modality;
            e.line = lines.line(a.offset_debug());
            e.onsetMs = slotTime(a, "TIME_SLOT_REF1");
            e.offsetMs = slotTime(a, "TIME_SLOT_REF2");
            const auto value = trimmed(a.child_value("ANNOTATION_VALUE"));
            if (value.empty()) {
                if (!tn->cls) fail(a, "an annotation without a value in tier " + quote(tierId));
                e.cls = *tn->cls;
            } else {
                const auto c = classIndex(value);
                if (!c)
                    fail(a, "unknown annotation value " + quote(value) + " in tier " +
                                quote(tierId) + " (not one of the 25 LLP classes)");
                if (tn->cls && *tn->cls != *c)
                    fail(a, "annotation value " + quote(value) + " in tier " + quote(tierId) +
                                " (the tier holds " +
                                std::string(kClassNames[static_cast<std::size_t>(*tn->cls)]) + ")");
                e.cls = *c;
            }
            if (e.offsetMs <= e.onsetMs) {
                if (notes)
                    notes->push_back(
                        {e.offsetMs == e.onsetMs ? AnomalyKind::ZeroLength : AnomalyKind::Reversed,
                         name, e.line, "annotation in tier \"" + tierId + "\""});
                continue;
            }
            video.events.push_back(std::move(e));
        }
    }
    return video;
}

std::size_t writeEaf(std::ostream& out, const LabelVideo& video, const EafWriteOptions& options) {
    auto events = video.events;
    const auto merged = mergeOverlaps(events);

    pugi::xml_document doc;
    auto decl = doc.append_child(pugi::node_declaration);
    decl.append_attribute("version") = "1.0";
    decl.append_attribute("encoding") = "UTF-8";
    auto root = doc.append_child("ANNOTATION_DOCUMENT");
    root.append_attribute("AUTHOR") = options.author.c_str();
    root.append_attribute("DATE") = (options.date.empty() ? nowUtc() : options.date).c_str();
    root.append_attribute("FORMAT") = "3.0";
    root.append_attribute("VERSION") = "3.0";
    root.append_attribute("xmlns:xsi") = "http://www.w3.org/2001/XMLSchema-instance";
    root.append_attribute("xsi:noNamespaceSchemaLocation") =
        "http://www.mpi.nl/tools/elan/EAFv3.0.xsd";

    auto header = root.append_child("HEADER");
    header.append_attribute("MEDIA_FILE") = "";
    header.append_attribute("TIME_UNITS") = "milliseconds";
    if (!video.media.empty()) {
        auto md = header.append_child("MEDIA_DESCRIPTOR");
        const bool url = video.media.find("://") != std::string::npos;
        md.append_attribute("MEDIA_URL") = (url ? video.media : "file://" + video.media).c_str();
        const auto dot = video.media.rfind('.');
        const std::string ext = dot == std::string::npos ? "" : video.media.substr(dot + 1);
        md.append_attribute("MIME_TYPE") = ext == "mp4"    ? "video/mp4"
                                           : ext == "webm" ? "video/webm"
                                           : ext == "wav"  ? "audio/x-wav"
                                                           : "unknown";
    }
    auto prop = header.append_child("PROPERTY");
    prop.append_attribute("NAME") = "lastUsedAnnotationId";
    prop.text() = static_cast<unsigned long long>(events.size());

    // One time slot per distinct time, in time order.
    std::vector<std::int64_t> times;
    for (const auto& e : events) {
        times.push_back(e.onsetMs);
        times.push_back(e.offsetMs);
    }
    std::sort(times.begin(), times.end());
    times.erase(std::unique(times.begin(), times.end()), times.end());
    auto slotId = [&](std::int64_t t) {
        return "ts" +
               std::to_string(std::lower_bound(times.begin(), times.end(), t) - times.begin() + 1);
    };
    auto order = root.append_child("TIME_ORDER");
    for (auto t : times) {
        auto ts = order.append_child("TIME_SLOT");
        ts.append_attribute("TIME_SLOT_ID") = slotId(t).c_str();
        ts.append_attribute("TIME_VALUE") = static_cast<long long>(t);
    }

    auto it = events.begin();
    std::size_t annotation = 0;
    auto addTier = [&](const std::string& id) {
        auto tier = root.append_child("TIER");
        tier.append_attribute("LINGUISTIC_TYPE_REF") = kType;
        tier.append_attribute("TIER_ID") = id.c_str();
        return tier;
    };
    for (auto m : kModalities) {
        // Omitting empty tiers: a covered modality without events keeps an empty tier
        // named after it, which the reader takes as "covered, no event".
        if (options.omitEmptyTiers && video.covered(m) &&
            std::none_of(events.begin(), events.end(),
                         [m](const LabelEvent& e) { return e.modality == m; }))
            addTier(std::string(modalityName(m)));
        for (int c = 0; c < kNumClasses; ++c) {
            const bool empty = it == events.end() || it->modality != m || it->cls != c;
            if (empty && options.omitEmptyTiers) continue;
            auto tier = addTier(tierName(m, c));
            for (; it != events.end() && it->modality == m && it->cls == c; ++it) {
                auto a = tier.append_child("ANNOTATION").append_child("ALIGNABLE_ANNOTATION");
                a.append_attribute("ANNOTATION_ID") = ("a" + std::to_string(++annotation)).c_str();
                a.append_attribute("CVE_REF") = ("cveid" + std::to_string(c)).c_str();
                a.append_attribute("TIME_SLOT_REF1") = slotId(it->onsetMs).c_str();
                a.append_attribute("TIME_SLOT_REF2") = slotId(it->offsetMs).c_str();
                a.append_child("ANNOTATION_VALUE").text() =
                    std::string(kClassNames[static_cast<std::size_t>(c)]).c_str();
            }
        }
    }

    auto type = root.append_child("LINGUISTIC_TYPE");
    type.append_attribute("CONTROLLED_VOCABULARY_REF") = kVocabulary;
    type.append_attribute("GRAPHIC_REFERENCES") = "false";
    type.append_attribute("LINGUISTIC_TYPE_ID") = kType;
    type.append_attribute("TIME_ALIGNABLE") = "true";
    auto lang = root.append_child("LANGUAGE");
    lang.append_attribute("LANG_DEF") = "http://cdb.iso.org/lg/CDB-00138502-001";
    lang.append_attribute("LANG_ID") = kLanguage;
    lang.append_attribute("LANG_LABEL") = "English (eng)";
    auto cv = root.append_child("CONTROLLED_VOCABULARY");
    cv.append_attribute("CV_ID") = kVocabulary;
    auto desc = cv.append_child("DESCRIPTION");
    desc.append_attribute("LANG_REF") = kLanguage;
    desc.text() = "The 25 event classes of the LLP dataset (AVVP)";
    for (int c = 0; c < kNumClasses; ++c) {
        auto entry = cv.append_child("CV_ENTRY_ML");
        entry.append_attribute("CVE_ID") = ("cveid" + std::to_string(c)).c_str();
        auto value = entry.append_child("CVE_VALUE");
        value.append_attribute("DESCRIPTION") = "";
        value.append_attribute("LANG_REF") = kLanguage;
        value.text() = std::string(kClassNames[static_cast<std::size_t>(c)]).c_str();
    }
    doc.save(out, "    ", pugi::format_default, pugi::encoding_utf8);
    return merged;
}

}  // namespace avvp::core
