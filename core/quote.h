#pragma once
// Values read from input, echoed in messages so that they cannot mislead (issue 19, item 4):
// control characters, DEL, invalid UTF-8 and the invisible direction marks are escaped
// visibly, long values are cut, and a message becomes one bounded line.
#include <cstddef>
#include <string>
#include <string_view>

namespace avvp::core {

// The value in single quotes for a message: 'speech'. Control characters are written as
// \n, \r, \t, \0, \x1b ..., DEL as \x7f, a byte that is not valid UTF-8 as \xHH, the C1
// controls and the bidirectional marks as \u202e; a backslash and a quote are escaped.
// Valid UTF-8 (Chinese class names, file names) stays as it is. A value longer than
// `maxChars` characters (of the escaped text) is cut at a character boundary, with an
// ellipsis and its full length: 'aaaa…' (10485760 bytes).
std::string quote(std::string_view value, std::size_t maxChars = 80);

// A whole message as one safe line: the same escapes for control characters (a backslash
// and a quote stay as they are, so already quoted values read the same), cut to
// `maxChars` characters with an ellipsis and the full length. For the places where a
// message reaches a terminal or a dialog, so that no raw control byte ever does.
std::string oneLine(std::string_view message, std::size_t maxChars = 400);

}  // namespace avvp::core
