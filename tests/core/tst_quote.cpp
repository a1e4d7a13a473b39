// core::quote and core::oneLine: values echoed in messages cannot mislead (issue 19,
// item 4): control characters escaped visibly, long values cut with their length, valid
// UTF-8 kept and never cut inside a sequence.
#include <gtest/gtest.h>

#include <string>

#include "core/quote.h"

using avvp::core::oneLine;
using avvp::core::quote;

namespace {

bool hasControlByte(const std::string& s) {
    for (const char c : s) {
        const auto b = static_cast<unsigned char>(c);
        if (b < 0x20 || b == 0x7F) return true;
    }
    return false;
}

TEST(Quote, PlainValueInSingleQuotes) {
    EXPECT_EQ(quote("speech"), "'speech'");
    EXPECT_EQ(quote(""), "''");
}

TEST(Quote, ControlCharactersEscapedVisibly) {
    EXPECT_EQ(quote("a\nb\rc\td"), "'a\\nb\\rc\\td'");
    EXPECT_EQ(quote("\x1b[2Jfake"), "'\\x1b[2Jfake'");
    EXPECT_EQ(quote("del\x7f"), "'del\\x7f'");
    EXPECT_EQ(quote("it's a\\b"), "'it\\'s a\\\\b'");
}

TEST(Quote, NulDoesNotCutTheValue) {
    const std::string value("speech\0tail", 11);
    EXPECT_EQ(quote(value), "'speech\\0tail'");
}

TEST(Quote, InvalidUtf8AndInvisibleMarksEscaped) {
    EXPECT_EQ(quote("a\xff"
                    "b"),
              "'a\\xffb'");
    EXPECT_EQ(quote("\xe4\xb8"), "'\\xe4\\xb8'");  // a truncated sequence
    EXPECT_EQ(quote("\xc0\xaf"), "'\\xc0\\xaf'");  // an overlong '/'
    EXPECT_EQ(quote("x\xc2\x9b"
                    "2J"),
              "'x\\u009b2J'");  // C1 CSI
    EXPECT_EQ(quote("abc\xe2\x80\xae"
                    "fdp.exe"),
              "'abc\\u202efdp.exe'");  // RTL override
}

TEST(Quote, ValidUtf8Kept) {
    EXPECT_EQ(quote("说话"), "'说话'");
    EXPECT_EQ(quote("Wébcam 🎥.mp4"), "'Wébcam 🎥.mp4'");
}

TEST(Quote, TenMegabyteValueCutWithItsLength) {
    const std::string big(10 * 1024 * 1024, 'a');
    const std::string q = quote(big);
    EXPECT_LT(q.size(), 120u);
    EXPECT_EQ(q, "'" + std::string(80, 'a') + "…' (10485760 bytes)");
    EXPECT_EQ(quote(std::string(80, 'a')), "'" + std::string(80, 'a') + "'");
}

TEST(Quote, CutNeverSplitsAUtf8Sequence) {
    std::string chinese;
    for (int i = 0; i < 100; ++i) chinese += "说";  // 3 bytes each
    const std::string q = quote(chinese);
    std::string want = "'";
    for (int i = 0; i < 80; ++i) want += "说";
    EXPECT_EQ(q, want + "…' (300 bytes)");
    // An escape is never split either: 79 characters, then \x1b (4) does not fit.
    EXPECT_EQ(quote(std::string(79, 'b') + "\x1b" + "cc"),
              "'" + std::string(79, 'b') + "…' (82 bytes)");
}

TEST(OneLine, MessageMadeOneBoundedSafeLine) {
    EXPECT_EQ(oneLine("file.csv:3: unknown class 'x'"), "file.csv:3: unknown class 'x'");
    EXPECT_EQ(oneLine("a\nb\x1b[2J\0c"), "a\\nb\\x1b[2J");  // a C string: ends at NUL
    EXPECT_EQ(oneLine(std::string("a\0b", 3)), "a\\0b");
    const std::string big = "x.json: value '" + std::string(10 * 1024 * 1024, '\n') + "'";
    const std::string line = oneLine(big);
    EXPECT_LT(line.size(), 450u);
    EXPECT_FALSE(hasControlByte(line));
    EXPECT_NE(line.find("(" + std::to_string(big.size()) + " bytes)"), std::string::npos);
    // Already quoted values read the same.
    EXPECT_EQ(oneLine(quote("a\\b'c")), quote("a\\b'c"));
}

}  // namespace
