#include "core/formats/audacity_labels.h"
#include "core/quote.h"

#include <algorithm>
#include <ostream>
#include <tuple>

#include "core/error.h"
#include "core/text_table.h"

namespace avvp::core {

namespace {

std::string sixDecimals(std::int64_t ms) {
    std::string frac = std::to_string(ms % 1000);
    frac.insert(0, 3 - frac.size(), '0');
    return std::to_string(ms / 1000) + "." + frac + "000";
}

}  // namespace

std::vector<LabelEvent> parseAudacityLabels(std::string_view text, const std::string& name,
                                            Modality m, std::vector<Anomaly>* notes) {
    requireUtf8(text, name);
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    std::vector<LabelEvent> out;
    long line = 0;
    while (!text.empty()) {
        ++line;
        const auto nl = text.find('\n');
        auto row = text.substr(0, nl);
        text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
        if (!row.empty() && row.back() == '\r') row.remove_suffix(1);
        if (row.find_first_not_of(" \t") == std::string_view::npos) continue;
        if (row.front() == '\\') continue;  // frequency range of the label above
        const auto t1 = row.find('\t');
        const auto t2 = t1 == std::string_view::npos ? t1 : row.find('\t', t1 + 1);
        if (t2 == std::string_view::npos)
            throw InputError(name, line, "expected start<TAB>end<TAB>label");
        const auto startText = row.substr(0, t1);
        const auto endText = row.substr(t1 + 1, t2 - t1 - 1);
        auto label = row.substr(t2 + 1);
        while (!label.empty() && label.back() == ' ') label.remove_suffix(1);
        const auto start = parseSeconds(startText);
        const auto end = parseSeconds(endText);
        if (!start)
            throw InputError(name, line,
                             "start " + quote(startText) + " is not a number of seconds >= 0");
        if (!end)
            throw InputError(name, line,
                             "end " + quote(endText) + " is not a number of seconds >= 0");
        const auto cls = classIndex(label);
        if (!cls)
            throw InputError(name, line,
                             "unknown label " + quote(label) + " (not one of the 25 LLP classes)");
        if (*end <= *start) {
            if (notes)
                notes->push_back({*end == *start ? AnomalyKind::ZeroLength : AnomalyKind::Reversed,
                                  name, line, std::string(row)});
            continue;
        }
        LabelEvent e;
        e.modality = m;
        e.cls = *cls;
        e.onsetMs = *start;
        e.offsetMs = *end;
        e.line = line;
        out.push_back(std::move(e));
    }
    return out;
}

void writeAudacityLabels(std::ostream& out, const std::vector<LabelEvent>& events, Modality m) {
    std::vector<const LabelEvent*> sorted;
    for (const auto& e : events)
        if (e.modality == m) sorted.push_back(&e);
    std::stable_sort(sorted.begin(), sorted.end(), [](const auto* a, const auto* b) {
        return std::tuple(a->onsetMs, a->offsetMs, a->cls) <
               std::tuple(b->onsetMs, b->offsetMs, b->cls);
    });
    for (const auto* e : sorted)
        out << sixDecimals(e->onsetMs) << '\t' << sixDecimals(e->offsetMs) << '\t'
            << kClassNames[static_cast<std::size_t>(e->cls)] << '\n';
}

std::string audacityFileName(std::string_view video, Modality m) {
    return std::string(video) + "." + std::string(modalityName(m)) + ".txt";
}

std::optional<AudacityFileName> parseAudacityFileName(std::string_view fileName) {
    for (auto m : kModalities) {
        const std::string suffix = "." + std::string(modalityName(m)) + ".txt";
        if (fileName.size() > suffix.size() &&
            fileName.substr(fileName.size() - suffix.size()) == suffix)
            return AudacityFileName{
                std::string(fileName.substr(0, fileName.size() - suffix.size())), m};
    }
    return std::nullopt;
}

}  // namespace avvp::core
