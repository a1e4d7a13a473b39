#include "core/formats/json_labels.h"

#include <cmath>
#include <new>
#include <nlohmann/json.hpp>
#include <ostream>
#include <variant>

#include "core/error.h"
#include "core/llp_dataset.h"
#include "core/quote.h"
#include "core/text_table.h"

namespace avvp::core {

namespace {

using Json = nlohmann::json;
using PathStep = std::variant<std::string, std::size_t>;
using Path = std::vector<PathStep>;

long lineAt(std::string_view text, std::size_t offset) {
    long line = 1;
    for (std::size_t i = 0; i < offset && i < text.size(); ++i) line += text[i] == '\n' ? 1 : 0;
    return line;
}

// Finds where the value at a path starts in text that nlohmann already accepted, so that
// errors about values can name a line (nlohmann keeps no positions).
class Locator {
  public:
    explicit Locator(std::string_view text) : s_(text) {}

    std::size_t find(const Path& path) {
        pos_ = 0;
        for (const auto& step : path) {
            ws();
            if (const auto* key = std::get_if<std::string>(&step)) {
                if (!member(*key)) return std::string_view::npos;
            } else if (!element(std::get<std::size_t>(step))) {
                return std::string_view::npos;
            }
        }
        ws();
        return pos_;
    }

  private:
    char peek() const { return pos_ < s_.size() ? s_[pos_] : '\0'; }
    void ws() {
        while (pos_ < s_.size() &&
               (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r'))
            ++pos_;
    }
    std::string string() {  // the raw (still escaped) text of a string
        const auto start = ++pos_;
        while (pos_ < s_.size() && s_[pos_] != '"') pos_ += s_[pos_] == '\\' ? 2 : 1;
        return std::string(s_.substr(start, pos_++ - start));
    }
    void value() {
        ws();
        const char c = peek();
        if (c == '"') {
            string();
        } else if (c == '{' || c == '[') {
            const char close = c == '{' ? '}' : ']';
            ++pos_;
            ws();
            if (peek() == close) {
                ++pos_;
                return;
            }
            for (;;) {
                if (c == '{') {
                    ws();
                    string();
                    ws();
                    ++pos_;  // ':'
                }
                value();
                ws();
                if (peek() == ',') {
                    ++pos_;
                    continue;
                }
                ++pos_;  // close
                return;
            }
        } else {
            while (pos_ < s_.size() &&
                   std::string_view(",}] \t\r\n").find(s_[pos_]) == std::string_view::npos)
                ++pos_;
        }
    }
    bool member(const std::string& key) {
        if (peek() != '{') return false;
        ++pos_;
        for (;;) {
            ws();
            if (peek() != '"') return false;
            const auto k = string();
            ws();
            ++pos_;  // ':'
            ws();
            if (k == key) return true;
            value();
            ws();
            if (peek() != ',') return false;
            ++pos_;
        }
    }
    bool element(std::size_t index) {
        if (peek() != '[') return false;
        ++pos_;
        for (std::size_t i = 0;; ++i) {
            ws();
            if (i == index) return peek() != ']';
            value();
            ws();
            if (peek() != ',') return false;
            ++pos_;
        }
    }

    std::string_view s_;
    std::size_t pos_ = 0;
};

std::string pathText(const Path& path) {
    std::string out;
    for (const auto& step : path) {
        if (const auto* key = std::get_if<std::string>(&step))
            out += (out.empty() ? "" : ".") + *key;
        else
            out += "[" + std::to_string(std::get<std::size_t>(step)) + "]";
    }
    return out;
}

// The path of the value nlohmann is parsing when it throws: a number out of range (1e400)
// is refused by its lexer, which keeps no positions. Parses again with a callback that
// tracks the keys and the indices of the containers it is in.
Path pathOfFailure(std::string_view text) {
    struct Frame {
        bool array = false;
        std::size_t index = 0;
        std::string key;
    };
    std::vector<Frame> stack;
    auto elementDone = [&] {
        if (!stack.empty() && stack.back().array) ++stack.back().index;
    };
    const Json::parser_callback_t track = [&](int, Json::parse_event_t event, Json& parsed) {
        switch (event) {
            case Json::parse_event_t::object_start:
                stack.push_back({false, 0, {}});
                break;
            case Json::parse_event_t::array_start:
                stack.push_back({true, 0, {}});
                break;
            case Json::parse_event_t::key:
                if (!stack.empty()) stack.back().key = parsed.get<std::string>();
                break;
            case Json::parse_event_t::object_end:
            case Json::parse_event_t::array_end:
                if (!stack.empty()) stack.pop_back();
                elementDone();
                break;
            case Json::parse_event_t::value:
                elementDone();
                break;
        }
        return true;
    };
    try {
        const Json ignored = Json::parse(text, track);
    } catch (const Json::exception&) {
    }
    Path path;
    for (const auto& f : stack) {
        if (f.array)
            path.emplace_back(f.index);
        else
            path.emplace_back(f.key);
    }
    return path;
}

class Reader {
  public:
    Reader(std::string_view text, std::string name) : text_(text), name_(std::move(name)) {}

    [[noreturn]] void fail(const Path& path, const std::string& why) const {
        Locator loc(text_);
        const auto at = loc.find(path);
        throw InputError(name_, at == std::string_view::npos ? 0 : lineAt(text_, at),
                         pathText(path) + ": " + why);
    }
    long line(const Path& path) const {
        Locator loc(text_);
        const auto at = loc.find(path);
        return at == std::string_view::npos ? 0 : lineAt(text_, at);
    }
    const Json& need(const Json& obj, const Path& path, const char* key, Json::value_t type,
                     const char* what) const {
        if (!obj.contains(key)) fail(path, std::string("missing \"") + key + "\"");
        const Json& v = obj.at(key);
        auto p = path;
        p.emplace_back(std::string(key));
        if (!sameType(v.type(), type)) fail(p, std::string("must be ") + what);
        return v;
    }
    const Json* optional(const Json& obj, const Path& path, const char* key, Json::value_t type,
                         const char* what) const {
        if (!obj.contains(key)) return nullptr;
        const Json& v = obj.at(key);
        if (v.is_null()) return nullptr;
        auto p = path;
        p.emplace_back(std::string(key));
        if (!sameType(v.type(), type)) fail(p, std::string("must be ") + what);
        return &v;
    }
    std::int64_t seconds(const Json& obj, const Path& path, const char* key) const {
        const auto& v = need(obj, path, key, Json::value_t::number_float, "a number of seconds");
        const double s = v.get<double>();
        auto p = path;
        p.emplace_back(std::string(key));
        if (!std::isfinite(s) || s < 0 || s > 1e9) fail(p, "must be a number of seconds >= 0");
        return std::llround(s * 1000.0);
    }
    int cls(const Json& v, const Path& path) const {
        const auto name = v.get<std::string>();
        const auto c = classIndex(name);
        if (!c) fail(path, "unknown class " + quote(name) + " (not one of the 25 LLP classes)");
        return *c;
    }
    Modality modality(const Json& v, const Path& path) const {
        const auto s = v.get<std::string>();
        if (s == "audio") return Modality::Audio;
        if (s == "visual") return Modality::Visual;
        fail(path, "modality " + quote(s) + " (must be audio or visual)");
    }

  private:
    static bool sameType(Json::value_t have, Json::value_t want) {
        const auto number = [](Json::value_t t) {
            return t == Json::value_t::number_float || t == Json::value_t::number_integer ||
                   t == Json::value_t::number_unsigned;
        };
        return have == want || (number(have) && number(want));
    }
    std::string_view text_;
    std::string name_;
};

}  // namespace

LabelDocument parseJsonLabels(std::string_view text, const std::string& name) {
    requireUtf8(text, name);
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    Json root;
    try {
        root = Json::parse(text);
    } catch (const Json::parse_error& e) {
        // nlohmann's message starts with "[json.exception.parse_error.101] parse error at
        // line L, column C: ..."; keep the part after the position.
        std::string why = e.what();
        if (const auto colon = why.find(": "); colon != std::string::npos)
            why = why.substr(colon + 2);
        throw InputError(name, lineAt(text, e.byte == 0 ? 0 : e.byte - 1),
                         "not valid JSON: " + oneLine(why, 200));
    } catch (const Json::exception& e) {
        // out_of_range.406 "number overflow parsing '1e400'": bad input, named by its field.
        std::string why = e.what();
        if (const auto bracket = why.find("] "); bracket != std::string::npos)
            why = why.substr(bracket + 2);
        const Path path = pathOfFailure(text);
        Locator loc(text);
        const auto at = path.empty() ? std::string_view::npos : loc.find(path);
        throw InputError(name, at == std::string_view::npos ? 0 : lineAt(text, at),
                         (path.empty() ? std::string() : oneLine(pathText(path), 200) + ": ") +
                             oneLine(why, 200) + " (not a number a double can hold)");
    } catch (const std::bad_alloc&) {
        throw InputError(name, 0, "too large to parse in memory");
    }
    const Reader r(text, name);
    using T = Json::value_t;
    if (!root.is_object()) r.fail({}, "the top level must be an object");
    if (const auto* f = r.optional(root, {}, "format", T::string, "a string");
        f && f->get<std::string>() != "avvp-labels")
        r.fail({std::string("format")}, "must be \"avvp-labels\"");
    if (const auto* v = r.optional(root, {}, "version", T::number_integer, "an integer");
        v && v->get<double>() != 1)
        r.fail({std::string("version")}, "version " + v->dump() + " is not supported (only 1)");
    const auto& videos = r.need(root, {}, "videos", T::array, "an array");
    LabelDocument doc;
    for (std::size_t i = 0; i < videos.size(); ++i) {
        const Path vp = {std::string("videos"), i};
        const auto& jv = videos[i];
        if (!jv.is_object()) r.fail(vp, "must be an object");
        const auto filename = r.need(jv, vp, "filename", T::string, "a string").get<std::string>();
        if (filename.empty()) r.fail(vp, "empty filename");
        for (unsigned char c : filename)
            if (c < 0x20 || c == 0x7F) r.fail(vp, "the filename holds a control character");
        if (doc.find(filename)) r.fail(vp, "video " + quote(filename) + " is listed twice");
        auto& video = doc.video(filename);
        video.file = name;
        video.line = r.line(vp);
        auto sub = [&](const char* key) {
            auto p = vp;
            p.emplace_back(std::string(key));
            return p;
        };
        if (const auto* s = r.optional(jv, vp, "split", T::string, "a string")) {
            video.split = s->get<std::string>();
            if (!video.split.empty() && !splitFromName(video.split))
                r.fail(sub("split"),
                       "split " + quote(video.split) + " (must be train, val or test)");
        }
        if (r.optional(jv, vp, "duration", T::number_float, "a number")) {
            video.durationMs = r.seconds(jv, vp, "duration");
            if (video.durationMs == 0) r.fail(sub("duration"), "must be > 0");
        }
        if (const auto* m = r.optional(jv, vp, "media", T::string, "a string"))
            video.media = m->get<std::string>();
        if (const auto* w =
                r.optional(jv, vp, "weak_labels", T::array, "an array of class names")) {
            ClassSet set = 0;
            for (std::size_t k = 0; k < w->size(); ++k) {
                auto p = sub("weak_labels");
                p.emplace_back(k);
                if (!(*w)[k].is_string()) r.fail(p, "must be a class name");
                set |= ClassSet{1} << r.cls((*w)[k], p);
            }
            video.weak = set;
        }
        video.covers = {true, true};
        if (const auto* a = r.optional(jv, vp, "annotated", T::array, "an array of modalities")) {
            video.covers = {false, false};
            for (std::size_t k = 0; k < a->size(); ++k) {
                auto p = sub("annotated");
                p.emplace_back(k);
                if (!(*a)[k].is_string()) r.fail(p, "must be audio or visual");
                video.covers[static_cast<std::size_t>(r.modality((*a)[k], p))] = true;
            }
        }
        const auto* events = r.optional(jv, vp, "events", T::array, "an array");
        if (!events) continue;
        for (std::size_t k = 0; k < events->size(); ++k) {
            auto ep = sub("events");
            ep.emplace_back(k);
            const auto& je = (*events)[k];
            if (!je.is_object()) r.fail(ep, "must be an object");
            LabelEvent e;
            auto field = [&](const char* key) {
                auto p = ep;
                p.emplace_back(std::string(key));
                return p;
            };
            e.modality = r.modality(r.need(je, ep, "modality", T::string, "audio or visual"),
                                    field("modality"));
            e.cls = r.cls(r.need(je, ep, "class", T::string, "a class name"), field("class"));
            e.onsetMs = r.seconds(je, ep, "onset");
            e.offsetMs = r.seconds(je, ep, "offset");
            if (e.offsetMs <= e.onsetMs) r.fail(field("offset"), "must be after the onset");
            if (const auto* s = r.optional(je, ep, "source", T::string, "a string")) {
                e.source = s->get<std::string>();
                if (!e.source.empty() && e.source != "ground_truth" && e.source != "prediction" &&
                    e.source != "correction")
                    r.fail(field("source"),
                           "source " + quote(e.source) +
                               " (must be ground_truth, prediction or correction)");
            }
            if (const auto* s = r.optional(je, ep, "run", T::string, "a string"))
                e.run = s->get<std::string>();
            if (const auto* s = r.optional(je, ep, "annotator", T::string, "a string"))
                e.annotator = s->get<std::string>();
            if (const auto* s = r.optional(je, ep, "review", T::string, "a string")) {
                e.review = s->get<std::string>();
                if (!e.review.empty() && e.review != "accepted" && e.review != "rejected")
                    r.fail(field("review"),
                           "review " + quote(e.review) + " (must be accepted or rejected)");
            }
            if (!video.covered(e.modality))
                r.fail(field("modality"), "the video's \"annotated\" list leaves out " +
                                              std::string(modalityName(e.modality)));
            e.line = r.line(ep);
            video.events.push_back(std::move(e));
        }
    }
    return doc;
}

void writeJsonLabels(std::ostream& out, const LabelDocument& doc) {
    // Written by hand, one event per line, so that diffs and line numbers stay readable.
    auto str = [](const std::string& s) { return Json(s).dump(); };
    auto secs = [](std::int64_t ms) { return formatSeconds(ms); };
    out << "{\"format\": \"avvp-labels\", \"version\": 1, \"videos\": [";
    const char* vsep = "\n";
    for (const auto& v : doc.videos) {
        out << vsep << "  {\"filename\": " << str(v.filename);
        vsep = ",\n";
        if (!v.split.empty()) out << ", \"split\": " << str(v.split);
        if (v.durationMs > 0) out << ", \"duration\": " << secs(v.durationMs);
        if (!v.media.empty()) out << ", \"media\": " << str(v.media);
        if (v.weak) {
            out << ", \"weak_labels\": [";
            const char* sep = "";
            for (int c = 0; c < kNumClasses; ++c)
                if (hasClass(*v.weak, c)) {
                    out << sep << '"' << kClassNames[static_cast<std::size_t>(c)] << '"';
                    sep = ", ";
                }
            out << "]";
        }
        out << ", \"annotated\": [";
        const char* msep = "";
        for (auto m : kModalities)
            if (v.covered(m)) {
                out << msep << '"' << modalityName(m) << '"';
                msep = ", ";
            }
        out << "], \"events\": [";
        const char* esep = "\n";
        for (const auto& e : v.events) {
            out << esep << "    {\"modality\": \"" << modalityName(e.modality)
                << "\", \"class\": \"" << kClassNames[static_cast<std::size_t>(e.cls)]
                << "\", \"onset\": " << secs(e.onsetMs) << ", \"offset\": " << secs(e.offsetMs);
            if (!e.source.empty()) out << ", \"source\": " << str(e.source);
            if (!e.run.empty()) out << ", \"run\": " << str(e.run);
            if (!e.annotator.empty()) out << ", \"annotator\": " << str(e.annotator);
            if (!e.review.empty()) out << ", \"review\": " << str(e.review);
            out << "}";
            esep = ",\n";
        }
        out << (v.events.empty() ? "]}" : "\n  ]}");
    }
    out << "\n]}\n";
}

}  // namespace avvp::core
