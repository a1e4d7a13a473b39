#include "core/llp_files.h"
#include "core/output_file.h"
#include "core/quote.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <ostream>
#include <sstream>
#include <stdexcept>

#include "core/error.h"
#include "core/text_table.h"

namespace avvp::core {

std::string_view anomalyName(AnomalyKind k) {
    switch (k) {
        case AnomalyKind::ZeroLength:
            return "zero-length row";
        case AnomalyKind::Reversed:
            return "reversed row";
        case AnomalyKind::Overlap:
            return "overlapping rows";
        case AnomalyKind::Touching:
            return "touching rows";
        case AnomalyKind::Orphan:
            return "orphan row";
        case AnomalyKind::DuplicateVideo:
            return "duplicate video";
        case AnomalyKind::DuplicateClass:
            return "duplicate class";
        case AnomalyKind::EmptyLabels:
            return "empty labels";
        case AnomalyKind::Ignored:
            return "ignored";
        case AnomalyKind::Missing:
            return "missing";
        case AnomalyKind::Refused:
            return "refused";
    }
    return "anomaly";
}

std::string readTextFile(const std::filesystem::path& path) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        throw InputError(path.string(), 0, "is a directory, not a file");
    // One read into a buffer of the file's size (no stream copies: a whole-split
    // evaluation is dominated by the memory it touches).
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
    if (!f) throw InputError(path.string(), 0, "cannot open file (missing or unreadable)");
    std::string text;
    const auto size = std::filesystem::file_size(path, ec);
    if (!ec) text.resize(static_cast<std::size_t>(size));
    std::size_t got = std::fread(text.data(), 1, text.size(), f.get());
    text.resize(got);
    char buf[4096];  // files that grew, or report no size (pipes)
    while (std::size_t n = std::fread(buf, 1, sizeof buf, f.get())) text.append(buf, n);
    if (std::ferror(f.get())) throw InputError(path.string(), 0, "read error");
    return text;
}

namespace {

int parseClass(const TsvTable& t, std::string_view name) {
    if (auto c = classIndex(name)) return *c;
    if (name.find(',') != std::string_view::npos)
        t.fail("dense rows name exactly one class, found " + quote(name));
    t.fail("unknown class " + quote(name) + " (not one of the 25 LLP classes)");
}

// Integer seconds; "3" and "3.0" are accepted, "3.5" and "abc" are not.
int parseTime(const TsvTable& t, std::string_view text, const char* what, int maxTime) {
    std::string_view s = text;
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    if (!s.empty() && s.front() == '+') s.remove_prefix(1);
    std::string_view intPart = s;
    if (const auto dot = s.find('.'); dot != std::string_view::npos) {
        intPart = s.substr(0, dot);
        const auto frac = s.substr(dot + 1);
        if (frac.find_first_not_of('0') != std::string_view::npos || intPart.empty())
            t.fail(std::string(what) + " " + quote(text) + " is not an integer number of seconds");
    }
    long value = 0;
    const auto* end = intPart.data() + intPart.size();
    auto [ptr, ec] = std::from_chars(intPart.data(), end, value);
    if (intPart.empty() || ec != std::errc{} || ptr != end)
        t.fail(std::string(what) + " " + quote(text) + " is not an integer number of seconds");
    if (value < 0 || value > maxTime)
        t.fail(std::string(what) + " " + std::to_string(value) + " is outside 0.." +
               std::to_string(maxTime) + " seconds");
    return static_cast<int>(value);
}

void requireFilename(const TsvTable& t, std::string_view f) {
    if (f.empty()) t.fail("empty filename");
}

// Same video and class rows that overlap or touch: they union when scored.
void findOverlaps(DenseLabelFile& file) {
    std::map<std::pair<std::string_view, int>, std::vector<const DenseLabelRow*>> groups;
    for (const auto& r : file.rows)
        if (r.offset > r.onset) groups[{r.filename, r.cls}].push_back(&r);
    for (auto& [key, rows] : groups) {
        if (rows.size() < 2) continue;
        std::stable_sort(rows.begin(), rows.end(),
                         [](auto* a, auto* b) { return a->onset < b->onset; });
        int reach = rows.front()->offset;
        long reachLine = rows.front()->line;
        for (std::size_t i = 1; i < rows.size(); ++i) {
            const auto& r = *rows[i];
            if (r.onset <= reach) {
                const bool overlap = r.onset < reach;
                file.anomalies.push_back(
                    {overlap ? AnomalyKind::Overlap : AnomalyKind::Touching, file.path, r.line,
                     std::string(key.first) + " " +
                         std::string(kClassNames[static_cast<std::size_t>(key.second)]) + " " +
                         std::to_string(r.onset) + "-" + std::to_string(r.offset) +
                         (overlap ? " overlaps" : " touches") + " the row on line " +
                         std::to_string(reachLine)});
            }
            if (r.offset > reach) {
                reach = r.offset;
                reachLine = r.line;
            }
        }
    }
    std::stable_sort(file.anomalies.begin(), file.anomalies.end(),
                     [](const Anomaly& a, const Anomaly& b) { return a.line < b.line; });
}

}  // namespace

WeakLabelFile parseWeakLabels(std::string_view text, const std::string& name) {
    WeakLabelFile out;
    out.path = name;
    TsvTable t(text, name, {"filename", "event_labels"});
    // A dense file has both columns a weak-label file needs, so it would parse, and every
    // row would then count as a video: refuse it by name instead.
    if (t.hasColumn("onset") && t.hasColumn("offset"))
        t.fail(
            "a dense label file (it has onset and offset columns), not a split file of "
            "weak labels (filename, event_labels) such as AVVP_test_pd.csv");
    out.rows.reserve(static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')));
    std::map<std::string, long, std::less<>> seen;
    while (t.next()) {
        WeakLabelRow row;
        row.filename = std::string(t.field(0));
        row.line = t.line();
        requireFilename(t, row.filename);
        std::string_view labels = t.field(1);
        if (labels.empty()) {
            out.anomalies.push_back({AnomalyKind::EmptyLabels, name, row.line, row.filename});
        } else {
            std::size_t start = 0;
            while (true) {
                const auto comma = labels.find(',', start);
                const auto cname = labels.substr(start, comma - start);
                const auto c = classIndex(cname);
                if (!c)
                    t.fail("unknown class " + quote(cname) + " (not one of the 25 LLP classes)");
                if (hasClass(row.classes, *c))
                    out.anomalies.push_back(
                        {AnomalyKind::DuplicateClass, name, row.line,
                         row.filename + " names " + std::string(cname) + " twice"});
                row.classes |= ClassSet{1} << *c;
                if (comma == std::string_view::npos) break;
                start = comma + 1;
            }
        }
        auto [it, inserted] = seen.emplace(row.filename, row.line);
        if (!inserted)
            out.anomalies.push_back(
                {AnomalyKind::DuplicateVideo, name, row.line,
                 row.filename + " already listed on line " + std::to_string(it->second)});
        out.rows.push_back(std::move(row));
    }
    return out;
}

WeakLabelFile readWeakLabels(const std::filesystem::path& path) {
    return parseWeakLabels(readTextFile(path), path.string());
}

DenseLabelFile parseDenseLabels(std::string_view text, const std::string& name,
                                const DenseReadOptions& options) {
    DenseLabelFile out;
    out.path = name;
    TsvTable t(text, name, {"filename", "onset", "offset", "event_labels"});
    out.rows.reserve(static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')));
    while (t.next()) {
        DenseLabelRow row;
        row.filename = std::string(t.field(0));
        row.line = t.line();
        requireFilename(t, row.filename);
        row.onset = parseTime(t, t.field(1), "onset", options.maxTime);
        row.offset = parseTime(t, t.field(2), "offset", options.maxTime);
        row.cls = parseClass(t, t.field(3));
        if (row.onset == row.offset)
            out.anomalies.push_back({AnomalyKind::ZeroLength, name, row.line,
                                     row.filename + " " + std::string(t.field(3)) + " " +
                                         std::to_string(row.onset) + "-" +
                                         std::to_string(row.offset)});
        else if (row.onset > row.offset)
            out.anomalies.push_back({AnomalyKind::Reversed, name, row.line,
                                     row.filename + " " + std::string(t.field(3)) + " " +
                                         std::to_string(row.onset) + "-" +
                                         std::to_string(row.offset)});
        out.rows.push_back(std::move(row));
    }
    findOverlaps(out);
    return out;
}

DenseLabelFile readDenseLabels(const std::filesystem::path& path, const DenseReadOptions& options) {
    return parseDenseLabels(readTextFile(path), path.string(), options);
}

std::vector<Anomaly> findOrphans(const DenseLabelFile& file,
                                 const std::unordered_set<std::string>& videos) {
    std::vector<Anomaly> out;
    for (const auto& r : file.rows)
        if (!videos.contains(r.filename))
            out.push_back(
                {AnomalyKind::Orphan, file.path, r.line, quote(r.filename) + " matches no video"});
    return out;
}

std::string formatClassSet(ClassSet classes) {
    std::string out;
    for (int c = 0; c < kNumClasses; ++c) {
        if (!hasClass(classes, c)) continue;
        if (!out.empty()) out += ',';
        out += kClassNames[static_cast<std::size_t>(c)];
    }
    return out;
}

std::string_view featureId(std::string_view filename) {
    return filename.substr(0, 11);
}

namespace {
void checkWritable(std::string_view filename) {
    if (filename.empty() || filename.find_first_of("\t\r\n") != std::string_view::npos)
        throw std::invalid_argument("cannot write filename " + quote(filename) +
                                    " to a tab-separated file");
}

template <class Rows, class WriteFn>
void writeFile(const std::filesystem::path& path, const Rows& rows, WriteFn fn) {
    // Whole or not at all (a full disk, a row that cannot be written): see OutputFile.
    writeFileWith(path, [&](std::ostream& out) { fn(out, rows); });
}
}  // namespace

bool isLlpClipName(std::string_view name) {
    if (name.size() < 15 || name[11] != '_') return false;
    const auto rest = name.substr(12);
    const auto us = rest.find('_');
    if (us == std::string_view::npos) return false;
    auto number = [](std::string_view t, long& v) {
        const auto* end = t.data() + t.size();
        const auto [ptr, ec] = std::from_chars(t.data(), end, v);
        return !t.empty() && ec == std::errc{} && ptr == end && v >= 0;
    };
    long start = 0, stop = 0;
    return number(rest.substr(0, us), start) && number(rest.substr(us + 1), stop) &&
           stop == start + kLlpSegments;
}

void writeWeakLabels(std::ostream& out, const std::vector<WeakLabelRow>& rows) {
    out << "filename\tevent_labels\n";
    for (const auto& r : rows) {
        checkWritable(r.filename);
        out << r.filename << '\t' << formatClassSet(r.classes) << '\n';
    }
}

void writeDenseLabels(std::ostream& out, const std::vector<DenseLabelRow>& rows) {
    out << "filename\tonset\toffset\tevent_labels\n";
    for (const auto& r : rows) {
        checkWritable(r.filename);
        out << r.filename << '\t' << r.onset << '\t' << r.offset << '\t'
            << kClassNames.at(static_cast<std::size_t>(r.cls)) << '\n';
    }
}

void writeWeakLabels(const std::filesystem::path& path, const std::vector<WeakLabelRow>& rows) {
    writeFile(path, rows, [](std::ostream& o, const auto& r) { writeWeakLabels(o, r); });
}

void writeDenseLabels(const std::filesystem::path& path, const std::vector<DenseLabelRow>& rows) {
    writeFile(path, rows, [](std::ostream& o, const auto& r) { writeDenseLabels(o, r); });
}

}  // namespace avvp::core
