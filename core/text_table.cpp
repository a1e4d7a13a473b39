#include "core/text_table.h"

#include <cstdint>
#include <cstring>

#include "core/error.h"

namespace avvp::core {

namespace {

std::string_view takeLine(std::string_view& rest) {
    const auto nl = rest.find('\n');
    std::string_view line = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view{} : rest.substr(nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    return line;
}

void splitTabs(std::string_view line, std::vector<std::string_view>& out) {
    out.clear();
    std::size_t start = 0;
    while (true) {
        const auto tab = line.find('\t', start);
        out.push_back(line.substr(start, tab - start));
        if (tab == std::string_view::npos) break;
        start = tab + 1;
    }
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '"')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '"')) s.remove_suffix(1);
    return s;
}

bool isBlank(std::string_view s) {
    return s.find_first_not_of(" \t") == std::string_view::npos;
}

}  // namespace

void requireUtf8(std::string_view text, const std::string& name) {
    long line = 1;
    std::size_t i = 0;
    const auto n = text.size();
    auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    while (i < n) {
        // ASCII fast path, eight bytes at a time.
        if (i + 8 <= n) {
            std::uint64_t word;
            std::memcpy(&word, text.data() + i, 8);
            if ((word & 0x8080808080808080ULL) == 0) {
                for (std::size_t k = 0; k < 8; ++k) line += text[i + k] == '\n' ? 1 : 0;
                i += 8;
                continue;
            }
        }
        const unsigned char c = byte(i);
        if (c == '\n') ++line;
        std::size_t len = 0;
        unsigned cp = 0;
        if (c < 0x80) {
            ++i;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            len = 2;
            cp = c & 0x1FU;
        } else if ((c & 0xF0) == 0xE0) {
            len = 3;
            cp = c & 0x0FU;
        } else if ((c & 0xF8) == 0xF0) {
            len = 4;
            cp = c & 0x07U;
        } else {
            throw InputError(name, line,
                             "not UTF-8 text (invalid byte 0x" +
                                 std::string(1, "0123456789abcdef"[c >> 4]) +
                                 std::string(1, "0123456789abcdef"[c & 15]) + ")");
        }
        if (i + len > n) throw InputError(name, line, "not UTF-8 text (truncated sequence)");
        for (std::size_t k = 1; k < len; ++k) {
            if ((byte(i + k) & 0xC0) != 0x80)
                throw InputError(name, line, "not UTF-8 text (invalid continuation byte)");
            cp = (cp << 6) | (byte(i + k) & 0x3FU);
        }
        const bool overlong =
            (len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000);
        if (overlong || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            throw InputError(name, line, "not UTF-8 text (invalid code point)");
        i += len;
    }
}

TsvTable::TsvTable(std::string_view text, std::string name,
                   const std::vector<std::string>& required)
    : rest_(text), name_(std::move(name)) {
    requireUtf8(text, name_);
    if (rest_.substr(0, 3) == "\xEF\xBB\xBF") rest_.remove_prefix(3);
    if (rest_.empty()) fail("empty file: expected a header line");
    line_ = 1;
    const auto header = takeLine(rest_);
    splitTabs(header, fields_);
    columns_ = fields_.size();
    for (auto f : fields_) header_.emplace_back(trim(f));
    std::string expected;
    for (const auto& r : required) expected += (expected.empty() ? "" : ", ") + r;
    positions_.assign(required.size(), std::string_view::npos);
    for (std::size_t i = 0; i < required.size(); ++i) {
        for (std::size_t k = 0; k < fields_.size(); ++k) {
            if (trim(fields_[k]) != required[i]) continue;
            if (positions_[i] != std::string_view::npos)
                fail("bad header: column '" + required[i] + "' appears twice");
            positions_[i] = k;
        }
        if (positions_[i] == std::string_view::npos)
            fail("bad header: missing column '" + required[i] + "' (expected tab-separated " +
                 expected + ")");
    }
}

bool TsvTable::hasColumn(std::string_view name) const {
    for (const auto& h : header_)
        if (h == name) return true;
    return false;
}

bool TsvTable::next() {
    while (!rest_.empty()) {
        ++line_;
        const auto text = takeLine(rest_);
        if (isBlank(text)) continue;
        splitTabs(text, fields_);
        if (fields_.size() != columns_)
            fail("expected " + std::to_string(columns_) + " tab-separated columns, found " +
                 std::to_string(fields_.size()));
        return true;
    }
    return false;
}

std::string_view TsvTable::field(std::size_t requiredIndex) const {
    return fields_[positions_[requiredIndex]];
}

void TsvTable::fail(const std::string& reason) const {
    throw InputError(name_, line_, reason);
}

}  // namespace avvp::core
