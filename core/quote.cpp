#include "core/quote.h"

#include <cstdint>

namespace avvp::core {

namespace {

const char* const kHex = "0123456789abcdef";

// The length of the valid UTF-8 sequence at s[i] and its code point; 0 when invalid
// (overlong, a surrogate, beyond U+10FFFF, truncated, a stray continuation byte).
std::size_t utf8At(std::string_view s, std::size_t i, char32_t& cp) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    char32_t min = 0;
    if (b0 < 0x80) {
        cp = b0;
        return 1;
    }
    if ((b0 & 0xE0) == 0xC0) {
        n = 2;
        cp = b0 & 0x1Fu;
        min = 0x80;
    } else if ((b0 & 0xF0) == 0xE0) {
        n = 3;
        cp = b0 & 0x0Fu;
        min = 0x800;
    } else if ((b0 & 0xF8) == 0xF0) {
        n = 4;
        cp = b0 & 0x07u;
        min = 0x10000;
    } else {
        return 0;
    }
    if (i + n > s.size()) return 0;
    for (std::size_t k = 1; k < n; ++k) {
        const auto b = static_cast<unsigned char>(s[i + k]);
        if ((b & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (b & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return n;
}

// Characters a terminal or a dialog would act on or hide: the C1 controls (0x9b is CSI on
// some terminals), the line and paragraph separators, the bidirectional embeddings,
// overrides and isolates, and the byte-order mark.
bool invisible(char32_t cp) {
    return (cp >= 0x80 && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029 ||
           (cp >= 0x200E && cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x2066 && cp <= 0x2069) || cp == 0xFEFF;
}

std::string hexByte(unsigned char b) {
    return std::string("\\x") + kHex[b >> 4] + kHex[b & 0xF];
}

// The escaped form of the character at s[i] (its length in `len`), as it is written in a
// message.
std::string escapedAt(std::string_view s, std::size_t i, bool quoting, std::size_t& len) {
    char32_t cp = 0;
    len = utf8At(s, i, cp);
    if (len == 0) {
        len = 1;
        return hexByte(static_cast<unsigned char>(s[i]));
    }
    if (len == 1) {
        const char c = s[i];
        switch (c) {
            case '\n':
                return "\\n";
            case '\r':
                return "\\r";
            case '\t':
                return "\\t";
            case '\0':
                return "\\0";
            case '\\':
                return quoting ? "\\\\" : "\\";
            case '\'':
                return quoting ? "\\'" : "'";
            default:
                break;
        }
        const auto b = static_cast<unsigned char>(c);
        if (b < 0x20 || b == 0x7F) return hexByte(b);
        return std::string(1, c);
    }
    if (invisible(cp)) {
        std::string out = "\\u";
        for (int shift = 12; shift >= 0; shift -= 4) out += kHex[(cp >> shift) & 0xF];
        return out;
    }
    return std::string(s.substr(i, len));
}

// The escaped text, cut to maxChars characters (an escape counts by its length); `cut`
// says whether it was.
std::string escape(std::string_view s, std::size_t maxChars, bool quoting, bool& cut) {
    std::string out;
    std::size_t chars = 0;
    cut = false;
    for (std::size_t i = 0; i < s.size();) {
        std::size_t len = 0;
        std::string piece = escapedAt(s, i, quoting, len);
        // Characters of the piece: an escape is ASCII (one per byte), a kept UTF-8
        // sequence is one.
        const std::size_t pieceChars = piece.size() == len && len > 1 ? 1 : piece.size();
        if (chars + pieceChars > maxChars) {
            cut = true;
            break;
        }
        out += piece;
        chars += pieceChars;
        i += len;
    }
    return out;
}

std::string lengthNote(std::size_t bytes) {
    return " (" + std::to_string(bytes) + " bytes)";
}

}  // namespace

std::string quote(std::string_view value, std::size_t maxChars) {
    bool cut = false;
    std::string out = "'" + escape(value, maxChars, true, cut);
    if (cut) return out + "\u2026'" + lengthNote(value.size());
    return out + "'";
}

std::string oneLine(std::string_view message, std::size_t maxChars) {
    bool cut = false;
    std::string out = escape(message, maxChars, false, cut);
    if (cut) out += "\u2026" + lengthNote(message.size());
    return out;
}

}  // namespace avvp::core
