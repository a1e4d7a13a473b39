#include "core/formats/praat_textgrid.h"
#include "core/quote.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <ostream>

#include "core/error.h"
#include "core/text_table.h"

namespace avvp::core {

namespace {

void appendUtf8(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

// Praat writes UTF-16 (with a byte-order mark) when a text holds non-ASCII characters.
std::string toUtf8(std::string_view bytes, const std::string& name) {
    const bool le = bytes.substr(0, 2) == "\xFF\xFE";
    const bool be = bytes.substr(0, 2) == "\xFE\xFF";
    if (!le && !be) {
        requireUtf8(bytes, name);
        if (bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.remove_prefix(3);
        return std::string(bytes);
    }
    if (bytes.size() % 2 != 0) throw InputError(name, 0, "truncated UTF-16 text");
    std::string out;
    out.reserve(bytes.size() / 2);
    auto unit = [&](std::size_t i) -> char32_t {
        const auto a = static_cast<unsigned char>(bytes[i]);
        const auto b = static_cast<unsigned char>(bytes[i + 1]);
        return le ? static_cast<char32_t>(a | (b << 8)) : static_cast<char32_t>((a << 8) | b);
    };
    for (std::size_t i = 2; i < bytes.size(); i += 2) {
        char32_t cp = unit(i);
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            if (i + 3 >= bytes.size()) throw InputError(name, 0, "truncated UTF-16 text");
            const char32_t lo = unit(i + 2);
            if (lo < 0xDC00 || lo > 0xDFFF) throw InputError(name, 0, "invalid UTF-16 text");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            i += 2;
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            throw InputError(name, 0, "invalid UTF-16 text");
        }
        appendUtf8(out, cp);
    }
    return out;
}

// Praat's text files are a stream of numbers, quoted strings ("" escapes a quote) and
// <flags>; the long format's labels ("xmin =", "intervals [3]:") are free text between
// them that readers skip.
class Tokens {
  public:
    Tokens(std::string_view text, std::string name) : s_(text), name_(std::move(name)) {}

    enum class Kind { Number, String, Flag, End };
    struct Token {
        Kind kind = Kind::End;
        double number = 0;
        std::string text;
        long line = 0;
    };

    Token next() {
        for (;;) {
            skipSpace();
            if (pos_ >= s_.size()) return {Kind::End, 0, {}, last_};  // the last line read
            const char c = s_[pos_];
            if (c == '"') return string();
            if (c == '!') {  // comment to the end of the line
                while (pos_ < s_.size() && s_[pos_] != '\n') ++pos_;
                continue;
            }
            if (c == '[') {  // an index such as [1] or [ 1 ]
                while (pos_ < s_.size() && s_[pos_] != ']') countLine(s_[pos_++]);
                ++pos_;
                continue;
            }
            const auto start = pos_;
            while (pos_ < s_.size() && !isSpace(s_[pos_])) ++pos_;
            const auto word = s_.substr(start, pos_ - start);
            if (word.front() == '<' && word.back() == '>')
                return {Kind::Flag, 0, std::string(word.substr(1, word.size() - 2)), line_};
            double v = 0;
            auto [ptr, ec] = std::from_chars(word.data(), word.data() + word.size(), v);
            if (ec == std::errc{} && ptr == word.data() + word.size())
                return {Kind::Number, v, {}, line_};
            // A label: skip it.
        }
    }

    double number(const char* what) {
        auto t = next();
        if (t.kind != Kind::Number) fail(t, std::string("expected ") + what + " (a number)");
        if (!std::isfinite(t.number)) fail(t, std::string(what) + " is not finite");
        last_ = t.line;
        return t.number;
    }
    std::string text(const char* what) {
        auto t = next();
        if (t.kind != Kind::String) fail(t, std::string("expected ") + what + " (a quoted text)");
        last_ = t.line;
        return t.text;
    }
    std::string flag(const char* what) {
        auto t = next();
        if (t.kind != Kind::Flag) fail(t, std::string("expected ") + what + " (<exists>)");
        last_ = t.line;
        return t.text;
    }
    long lastLine() const { return last_; }
    [[noreturn]] void fail(const Token& t, const std::string& why) const {
        throw InputError(name_, t.line,
                         t.kind == Kind::End ? why + ", found the end of the file" : why);
    }

  private:
    static bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
    void countLine(char c) {
        if (c == '\n') ++line_;
    }
    void skipSpace() {
        while (pos_ < s_.size() && isSpace(s_[pos_])) countLine(s_[pos_++]);
    }
    Token string() {
        Token t{Kind::String, 0, {}, line_};
        ++pos_;
        for (;;) {
            if (pos_ >= s_.size()) throw InputError(name_, t.line, "unterminated quoted text");
            const char c = s_[pos_++];
            if (c == '"') {
                if (pos_ < s_.size() && s_[pos_] == '"') {
                    t.text += '"';
                    ++pos_;
                    continue;
                }
                return t;
            }
            countLine(c);
            t.text += c;
        }
    }

    std::string_view s_;
    std::string name_;
    std::size_t pos_ = 0;
    long line_ = 1;
    long last_ = 0;
};

// Milliseconds of a time read at `line`; a time outside [0, 1e9 s] (about 30 years, as the
// other readers allow) is refused: rounding it to int64 milliseconds is undefined.
std::int64_t toMs(double seconds, const std::string& name, long line) {
    if (seconds < 0 || seconds > 1e9)
        throw InputError(name, line,
                         "the time " + std::to_string(seconds) + " s is outside 0 to 1e9 s");
    return std::llround(seconds * 1000.0);
}

std::string_view trimmed(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

std::string praatQuoted(std::string_view s) {
    std::string out = "\"";
    for (char c : s) {
        out += c;
        if (c == '"') out += '"';
    }
    out += '"';
    return out;
}

}  // namespace

LabelVideo parseTextGrid(std::string_view bytes, const std::string& name,
                         std::vector<Anomaly>* notes) {
    const auto text = toUtf8(bytes, name);
    Tokens tk(text, name);
    auto fileType = tk.next();
    if (fileType.kind != Tokens::Kind::String || fileType.text.rfind("ooTextFile", 0) != 0) {
        if (fileType.kind == Tokens::Kind::String && fileType.text.rfind("ooBinaryFile", 0) == 0)
            tk.fail(fileType, "a binary TextGrid: save it from Praat as a text file");
        tk.fail(fileType, "not a Praat text file (expected File type = \"ooTextFile\")");
    }
    if (tk.text("the object class") != "TextGrid")
        throw InputError(name, tk.lastLine(), "not a TextGrid (Object class must be \"TextGrid\")");
    LabelVideo video;
    video.covers = {false, false};
    video.file = name;
    const double xmin = tk.number("xmin");
    const double xmax = tk.number("xmax");
    if (xmax < xmin) throw InputError(name, tk.lastLine(), "xmax is before xmin");
    if (xmin == 0) video.durationMs = toMs(xmax, name, tk.lastLine());
    if (tk.flag("tiers? <exists>") != "exists") return video;
    const double size = tk.number("the number of tiers");
    if (size < 0 || size != std::floor(size))
        throw InputError(name, tk.lastLine(), "the number of tiers is not a count");
    if (size > static_cast<double>(bytes.size()))
        throw InputError(name, tk.lastLine(), "the number of tiers is larger than the file");
    for (long tier = 0; tier < static_cast<long>(size); ++tier) {
        const auto cls = tk.text("the tier class");
        const long tierLine = tk.lastLine();
        const auto tierNameText = tk.text("the tier name");
        tk.number("the tier's xmin");
        tk.number("the tier's xmax");
        const double n = tk.number("the number of intervals");
        if (n < 0 || n != std::floor(n))
            throw InputError(name, tk.lastLine(), "the number of intervals is not a count");
        // Each interval takes bytes of the file: a larger count cannot be (nor fit a long).
        if (n > static_cast<double>(bytes.size()))
            throw InputError(name, tk.lastLine(),
                             "the number of intervals is larger than the file");
        const bool intervals = cls == "IntervalTier";
        if (!intervals && cls != "TextTier")
            throw InputError(name, tierLine, "unknown tier class " + quote(cls));
        const auto parsedName = parseTierName(tierNameText);
        const bool used = intervals && parsedName.has_value();
        const TierName tn = parsedName.value_or(TierName{});
        if (!used && notes)
            notes->push_back(
                {AnomalyKind::Ignored, name, tierLine,
                 "tier " + quote(tierNameText) + " ignored (" +
                     (intervals ? "not named audio/<class> or visual/<class>" : "a point tier") +
                     ")"});
        if (used) video.covers[static_cast<std::size_t>(tn.modality)] = true;
        for (long i = 0; i < static_cast<long>(n); ++i) {
            const double a = tk.number(intervals ? "the interval's xmin" : "the point's time");
            const double b = intervals ? tk.number("the interval's xmax") : a;
            const auto label = tk.text(intervals ? "the interval's text" : "the point's mark");
            const long line = tk.lastLine();
            if (!used) continue;
            const auto value = trimmed(label);
            if (value.empty()) continue;
            const auto c = classIndex(value);
            if (!c)
                throw InputError(name, line,
                                 "unknown label " + quote(value) + " in tier " +
                                     quote(tierNameText) + " (not one of the 25 LLP classes)");
            if (tn.cls && *tn.cls != *c)
                throw InputError(name, line,
                                 "label " + quote(value) + " in tier " + quote(tierNameText) +
                                     " (the tier holds " +
                                     std::string(kClassNames[static_cast<std::size_t>(*tn.cls)]) +
                                     ")");
            LabelEvent e;
            e.modality = tn.modality;
            e.cls = *c;
            e.onsetMs = toMs(a, name, line);
            e.offsetMs = toMs(b, name, line);
            e.line = line;
            if (e.offsetMs <= e.onsetMs) {
                if (notes)
                    notes->push_back({AnomalyKind::ZeroLength, name, line,
                                      "interval " + std::string(value) + " shorter than 1 ms"});
                continue;
            }
            video.events.push_back(std::move(e));
        }
    }
    return video;
}

std::size_t writeTextGrid(std::ostream& out, const LabelVideo& video,
                          const TextGridWriteOptions& options) {
    auto events = video.events;
    const auto merged = mergeOverlaps(events);
    // The tiers span the whole video: its duration (LLP's 10 s when unknown), or further
    // when an event of a video of unknown length ends later.
    std::int64_t end = lengthMs(video.durationMs);
    for (const auto& e : events) end = std::max(end, e.offsetMs);
    const auto endText = formatSeconds(end);
    // The tiers written: (modality, class), a class of -1 naming the modality's empty tier
    // that marks a covered modality without events when empty tiers are omitted.
    std::vector<std::pair<Modality, int>> tiers;
    for (auto m : kModalities) {
        const bool anyEvent = std::any_of(events.begin(), events.end(),
                                          [m](const LabelEvent& e) { return e.modality == m; });
        if (options.omitEmptyTiers && video.covered(m) && !anyEvent) tiers.emplace_back(m, -1);
        for (int c = 0; c < kNumClasses; ++c)
            if (!options.omitEmptyTiers ||
                std::any_of(events.begin(), events.end(),
                            [m, c](const LabelEvent& e) { return e.modality == m && e.cls == c; }))
                tiers.emplace_back(m, c);
    }
    out << "File type = \"ooTextFile\"\nObject class = \"TextGrid\"\n\n"
        << "xmin = 0 \nxmax = " << endText << " \n";
    if (tiers.empty()) {
        out << "tiers? <absent> \n";
        return merged;
    }
    out << "tiers? <exists> \nsize = " << tiers.size() << " \nitem []: \n";
    int item = 0;
    auto it = events.begin();
    for (const auto& [m, c] : tiers) {
        {
            // The tier's intervals: events and the gaps between them.
            std::vector<std::tuple<std::int64_t, std::int64_t, bool>> parts;
            std::int64_t t = 0;
            for (; c >= 0 && it != events.end() && it->modality == m && it->cls == c; ++it) {
                if (it->onsetMs > t) parts.emplace_back(t, it->onsetMs, false);
                parts.emplace_back(it->onsetMs, it->offsetMs, true);
                t = it->offsetMs;
            }
            if (t < end) parts.emplace_back(t, end, false);
            const auto name = c >= 0 ? tierName(m, c) : std::string(modalityName(m));
            out << "    item [" << ++item << "]:\n"
                << "        class = \"IntervalTier\" \n"
                << "        name = " << praatQuoted(name) << " \n"
                << "        xmin = 0 \n        xmax = " << endText << " \n"
                << "        intervals: size = " << parts.size() << " \n";
            int k = 0;
            for (const auto& [a, b, on] : parts)
                out << "        intervals [" << ++k << "]:\n"
                    << "            xmin = " << formatSeconds(a) << " \n"
                    << "            xmax = " << formatSeconds(b) << " \n"
                    << "            text = \""
                    << (on ? kClassNames[static_cast<std::size_t>(c)] : std::string_view{})
                    << "\" \n";
        }
    }
    return merged;
}

}  // namespace avvp::core
