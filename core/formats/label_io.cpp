#include "core/formats/label_io.h"
#include "core/quote.h"

#include <algorithm>
#include <fstream>

#include "core/error.h"
#include "core/formats/audacity_labels.h"
#include "core/formats/dcase_tsv.h"
#include "core/formats/elan_eaf.h"
#include "core/formats/json_labels.h"
#include "core/formats/praat_textgrid.h"
#include "core/llp_dataset.h"

namespace avvp::core {

namespace fs = std::filesystem;

namespace {

constexpr std::array<LabelFormatInfo, 6> kFormats = {{
    {LabelFormat::Llp, "llp", ".csv", "LLP CSV: dense audio / visual events and weak split files"},
    {LabelFormat::Dcase, "dcase", ".tsv", "DCASE-style TSV (filename, onset, offset, event_label)"},
    {LabelFormat::Eaf, "eaf", ".eaf", "ELAN annotation file, a tier per modality x class"},
    {LabelFormat::TextGrid, "textgrid", ".TextGrid", "Praat TextGrid, a tier per modality x class"},
    {LabelFormat::Audacity, "audacity", ".txt", "Audacity label track per video and modality"},
    {LabelFormat::Json, "json", ".json", "JSON with provenance"},
}};

std::optional<Modality> modalityFromName(const fs::path& p) {
    const auto stem = p.filename().string();
    const bool audio = stem.find("audio") != std::string::npos;
    const bool visual = stem.find("visual") != std::string::npos;
    if (audio == visual) return std::nullopt;
    return audio ? Modality::Audio : Modality::Visual;
}

Modality needModality(const fs::path& p, const LabelReadOptions& o) {
    if (o.modality) return *o.modality;
    if (auto m = modalityFromName(p)) return *m;
    throw InputError(p.string(), 0,
                     "cannot tell whether it holds audio or visual events (name the modality, "
                     "or put 'audio' or 'visual' in the file name)");
}

void mergeVideo(LabelDocument& doc, LabelVideo v) {
    auto& into = doc.video(v.filename);
    if (into.file.empty()) {
        into.file = v.file;
        into.line = v.line;
    }
    for (std::size_t m = 0; m < 2; ++m) into.covers[m] = into.covers[m] || v.covers[m];
    if (v.durationMs > 0) into.durationMs = v.durationMs;
    if (!v.split.empty()) into.split = v.split;
    if (!v.media.empty()) into.media = v.media;
    if (v.weak) into.weak = v.weak;
    for (auto& e : v.events) into.events.push_back(std::move(e));
}

void mergeDocument(LabelDocument& doc, LabelDocument part) {
    for (auto& v : part.videos) mergeVideo(doc, std::move(v));
    doc.notes.insert(doc.notes.end(), part.notes.begin(), part.notes.end());
}

bool hasExtension(const fs::path& p, std::string_view ext) {
    const auto name = p.filename().string();
    if (name.size() <= ext.size()) return false;
    const auto tail = std::string_view(name).substr(name.size() - ext.size());
    return std::equal(tail.begin(), tail.end(), ext.begin(), ext.end(), [](char a, char b) {
        return std::tolower(static_cast<unsigned char>(a)) ==
               std::tolower(static_cast<unsigned char>(b));
    });
}

std::vector<fs::path> expand(LabelFormat format, const std::vector<fs::path>& inputs) {
    std::vector<fs::path> files;
    const auto ext = labelFormatInfo(format).extension;
    for (const auto& in : inputs) {
        std::error_code ec;
        if (!fs::is_directory(in, ec)) {
            files.push_back(in);
            continue;
        }
        std::vector<fs::path> found;
        for (const auto& entry : fs::directory_iterator(in, ec))
            if (entry.is_regular_file() && hasExtension(entry.path(), ext))
                found.push_back(entry.path());
        if (ec) throw InputError(in.string(), 0, "cannot list the folder: " + ec.message());
        if (found.empty())
            throw InputError(in.string(), 0,
                             "holds no " + std::string(ext) + " file to read as " +
                                 std::string(labelFormatInfo(format).name));
        std::sort(found.begin(), found.end());
        files.insert(files.end(), found.begin(), found.end());
    }
    return files;
}

std::string videoOfFile(const fs::path& p, std::string_view ext) {
    const auto name = p.filename().string();
    return name.substr(0, name.size() - (hasExtension(p, ext) ? ext.size() : 0));
}

LabelDocument readLlpFile(const fs::path& p, const LabelReadOptions& options) {
    const auto text = readTextFile(p);
    LabelDocument doc;
    // A dense file has onset and offset columns; anything else must be a weak-label file.
    const auto headerEnd = text.find('\n');
    const std::string_view header = std::string_view(text).substr(0, headerEnd);
    if (header.find("onset") != std::string_view::npos &&
        header.find("offset") != std::string_view::npos) {
        const auto m = needModality(p, options);
        // Any length: LLP CSV also carries the user's own (longer) videos.
        auto file = parseDenseLabels(text, p.string(), {.maxTime = 1000000000});
        doc.notes = std::move(file.anomalies);
        for (const auto& r : file.rows) {
            auto& v = doc.video(r.filename);
            if (v.file.empty()) {
                v.file = p.string();
                v.line = r.line;
            }
            v.covers[static_cast<std::size_t>(m)] = true;
            if (r.offset <= r.onset) continue;  // reported by the reader; adds nothing
            LabelEvent e;
            e.modality = m;
            e.cls = r.cls;
            e.onsetMs = std::int64_t{r.onset} * 1000;
            e.offsetMs = std::int64_t{r.offset} * 1000;
            e.line = r.line;
            v.events.push_back(std::move(e));
        }
        return doc;
    }
    auto file = parseWeakLabels(text, p.string());
    doc.notes = std::move(file.anomalies);
    const auto name = p.filename().string();
    std::string split;
    for (auto s : kSplits)
        if (splitFile("", s).filename().string() == name) split = std::string(splitName(s));
    for (const auto& r : file.rows) {
        auto& v = doc.video(r.filename);
        v.file = p.string();
        v.line = r.line;
        v.weak = r.classes;
        if (!split.empty()) v.split = split;
    }
    return doc;
}

void requireFileName(const std::string& video, const fs::path& folder) {
    if (video.empty() || video == "." || video == ".." ||
        video.find_first_of("/\\\n\r\t") != std::string::npos || video.front() == '.')
        throw InputError(folder.string(), 0,
                         "video name " + quote(video) + " cannot be used as a file name");
}

template <class Fn>
fs::path writeFile(const fs::path& path, Fn fn) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) throw InputError(path.string(), 0, "cannot open file for writing");
    fn(out);
    out.flush();
    if (!out) throw InputError(path.string(), 0, "write error");
    return path;
}

// LLP CSV holds 10 s clips: a longer video (or an event past 10 s) would be written as
// rows that the LLP readers (and the AVVP scorer) refuse. Checked before anything is
// written.
void requireLlpClips(const LabelDocument& doc, const fs::path& out) {
    for (const auto& v : doc.videos) {
        std::int64_t end = 0;
        for (const auto& e : v.events) end = std::max(end, e.offsetMs);
        if (v.durationMs <= kLlpClipMs && end <= kLlpClipMs) continue;
        const auto length = std::max(v.durationMs, end);
        throw InputError(out.string(), 0,
                         "video " + quote(v.filename) + " is " + formatSeconds(length) +
                             " s long: LLP CSV holds clips of at most 10 s (export it as dcase, "
                             "eaf, textgrid, audacity or json, or leave it out of the export)");
    }
}

void makeFolder(const fs::path& folder) {
    std::error_code ec;
    fs::create_directories(folder, ec);
    if (ec || !fs::is_directory(folder))
        throw InputError(folder.string(), 0, "cannot create the output folder");
}

}  // namespace

const std::array<LabelFormatInfo, 6>& labelFormats() {
    return kFormats;
}

const LabelFormatInfo& labelFormatInfo(LabelFormat f) {
    return kFormats[static_cast<std::size_t>(f)];
}

std::optional<LabelFormat> labelFormatFromName(std::string_view name) {
    for (const auto& f : kFormats)
        if (f.name == name) return f.format;
    return std::nullopt;
}

LabelDocument readLabelFiles(LabelFormat format, const std::vector<fs::path>& inputs,
                             const LabelReadOptions& options) {
    LabelDocument doc;
    const auto ext = labelFormatInfo(format).extension;
    for (const auto& p : expand(format, inputs)) {
        switch (format) {
            case LabelFormat::Llp:
                mergeDocument(doc, readLlpFile(p, options));
                break;
            case LabelFormat::Dcase: {
                const auto m = needModality(p, options);
                mergeDocument(doc, parseDcaseTsv(readTextFile(p), p.string(), m));
                break;
            }
            case LabelFormat::Eaf: {
                auto v = parseEaf(readTextFile(p), p.string(), &doc.notes);
                v.filename = videoOfFile(p, ext);
                mergeVideo(doc, std::move(v));
                break;
            }
            case LabelFormat::TextGrid: {
                auto v = parseTextGrid(readTextFile(p), p.string(), &doc.notes);
                v.filename = videoOfFile(p, ext);
                mergeVideo(doc, std::move(v));
                break;
            }
            case LabelFormat::Audacity: {
                auto parsed = parseAudacityFileName(p.filename().string());
                LabelVideo v;
                v.covers = {false, false};
                v.file = p.string();
                Modality m;
                if (parsed) {
                    v.filename = parsed->video;
                    m = options.modality.value_or(parsed->modality);
                } else {
                    v.filename = videoOfFile(p, ext);
                    m = needModality(p, options);
                }
                v.covers[static_cast<std::size_t>(m)] = true;
                v.events = parseAudacityLabels(readTextFile(p), p.string(), m, &doc.notes);
                mergeVideo(doc, std::move(v));
                break;
            }
            case LabelFormat::Json:
                mergeDocument(doc, parseJsonLabels(readTextFile(p), p.string()));
                break;
        }
    }
    return doc;
}

std::vector<DenseLabelRow> denseRows(const LabelDocument& doc, Modality m, std::size_t* rounded) {
    std::vector<DenseLabelRow> rows;
    for (const auto& v : doc.videos) {
        auto events = v.events;
        sortEvents(events);
        for (const auto& e : events) {
            if (e.modality != m) continue;
            DenseLabelRow r;
            r.filename = v.filename;
            r.cls = e.cls;
            r.onset = static_cast<int>(e.onsetMs / 1000);
            r.offset = static_cast<int>((e.offsetMs + 999) / 1000);
            if (rounded && (e.onsetMs % 1000 != 0 || e.offsetMs % 1000 != 0)) ++*rounded;
            rows.push_back(std::move(r));
        }
    }
    return rows;
}

ClassSet weakFromEvents(const LabelVideo& video) {
    ClassSet classes = 0;
    for (const auto& e : video.events) classes |= ClassSet{1} << e.cls;
    const bool both = video.covered(Modality::Audio) && video.covered(Modality::Visual);
    return both ? classes : (video.weak.value_or(0) | classes);
}

LabelWriteResult writeLabelFiles(LabelFormat format, const LabelDocument& doc, const fs::path& out,
                                 Progress* progress, const LabelWriteOptions& options) {
    std::size_t done = 0;
    auto tick = [&] {
        if (++done % 64 == 0)
            step(progress, static_cast<double>(done) / static_cast<double>(doc.videos.size()),
                 "video " + std::to_string(done) + " of " + std::to_string(doc.videos.size()));
    };
    LabelWriteResult result;
    if (format == LabelFormat::Json) {
        if (out.has_parent_path()) makeFolder(out.parent_path());
        result.files.push_back(writeFile(out, [&](std::ostream& o) { writeJsonLabels(o, doc); }));
        return result;
    }
    if (format == LabelFormat::Llp) requireLlpClips(doc, out);
    makeFolder(out);
    switch (format) {
        case LabelFormat::Llp: {
            for (auto m : kModalities) {
                const auto rows = denseRows(doc, m, &result.rounded);
                const auto path =
                    out / (m == Modality::Audio ? LlpFileNames::audio : LlpFileNames::visual);
                result.files.push_back(
                    writeFile(path, [&](std::ostream& o) { writeDenseLabels(o, rows); }));
            }
            std::vector<WeakLabelRow> all;
            for (auto s : kSplits) {
                std::vector<WeakLabelRow> rows;
                for (const auto& v : doc.videos)
                    if (v.split == splitName(s))
                        rows.push_back(
                            {v.filename,
                             options.weakFromEvents ? weakFromEvents(v) : v.weak.value_or(0), 0});
                if (rows.empty()) continue;
                all.insert(all.end(), rows.begin(), rows.end());
                result.files.push_back(writeFile(
                    splitFile(out, s), [&](std::ostream& o) { writeWeakLabels(o, rows); }));
            }
            if (!all.empty())
                result.files.push_back(writeFile(
                    out / LlpFileNames::full, [&](std::ostream& o) { writeWeakLabels(o, all); }));
            break;
        }
        case LabelFormat::Dcase:
            for (auto m : kModalities)
                result.files.push_back(
                    writeFile(out / (std::string(modalityName(m)) + ".tsv"),
                              [&](std::ostream& o) { writeDcaseTsv(o, doc, m); }));
            break;
        case LabelFormat::Eaf:
        case LabelFormat::TextGrid:
            for (const auto& v : doc.videos) {
                requireFileName(v.filename, out);
                const auto path =
                    out / (v.filename + std::string(labelFormatInfo(format).extension));
                EafWriteOptions eaf;
                eaf.omitEmptyTiers = options.omitEmptyTiers;
                result.files.push_back(writeFile(path, [&](std::ostream& o) {
                    result.merged +=
                        format == LabelFormat::Eaf
                            ? writeEaf(o, v, eaf)
                            : writeTextGrid(o, v, {.omitEmptyTiers = options.omitEmptyTiers});
                }));
                tick();
            }
            break;
        case LabelFormat::Audacity:
            for (const auto& v : doc.videos) {
                requireFileName(v.filename, out);
                for (auto m : kModalities)
                    result.files.push_back(
                        writeFile(out / audacityFileName(v.filename, m),
                                  [&](std::ostream& o) { writeAudacityLabels(o, v.events, m); }));
                tick();
            }
            break;
        case LabelFormat::Json:
            break;
    }
    report(progress, 1.0, "written");
    return result;
}

}  // namespace avvp::core
