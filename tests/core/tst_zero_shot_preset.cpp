// The bundled VALOR preset and the preset reader's errors.
#include "core/error.h"
#include "core/taxonomy.h"
#include "core/zero_shot_preset.h"

#include <gtest/gtest.h>

#include <string>

using namespace avvp::core;

namespace {
const std::string kValor = std::string(AVVP_SOURCE_DIR) + "/resources/zero_shot/valor_llp.tsv";
const std::string kHeader =
    "class\taudio_threshold\tvisual_threshold\taudio_prompt\tvisual_prompt\n";

std::string allRowsBut(int skip, const std::string& extra = {}) {
    std::string s = kHeader;
    for (int c = 0; c < kNumClasses; ++c)
        if (c != skip) s += std::string(kClassNames[c]) + "\t1\t2\ta\tv\n";
    return s + extra;
}

std::string errorOf(const std::string& text) {
    try {
        parseZeroShotPreset(text, "p.tsv");
    } catch (const InputError& e) {
        return e.what();
    }
    return "no error";
}
}  // namespace

// VALOR's published values: CLIP thresholds on 100 * cos, CLAP's on logit_scale_a * cos.
TEST(ZeroShotPreset, BundledValorValues) {
    const auto p = readZeroShotPreset(kValor);
    ASSERT_EQ(p.audioThresholds.size(), 25U);
    EXPECT_EQ(p.audioThresholds[*classIndex("Speech")], 0.0F);
    EXPECT_EQ(p.audioThresholds[*classIndex("Cat")], 6.0F);
    EXPECT_EQ(p.audioThresholds[*classIndex("Frying_(food)")], -2.0F);
    EXPECT_EQ(p.audioThresholds[*classIndex("Acoustic_guitar")], -1.0F);
    EXPECT_EQ(p.visualThresholds[*classIndex("Speech")], 20.0F);
    EXPECT_EQ(p.visualThresholds[*classIndex("Dog")], 14.0F);
    EXPECT_EQ(p.visualThresholds[*classIndex("Helicopter")], 16.0F);
    EXPECT_EQ(p.visualThresholds[*classIndex("Clapping")], 18.0F);
    EXPECT_EQ(p.audioPrompts[*classIndex("Chicken_rooster")],
              "This is a sound of chicken, rooster");
    EXPECT_EQ(p.visualPrompts[*classIndex("Speech")], "A photo of people talking.");
}

TEST(ZeroShotPreset, RowsInAnyOrder) {
    std::string s = kHeader;
    for (int c = kNumClasses - 1; c >= 0; --c)
        s += std::string(kClassNames[c]) + "\t" + std::to_string(c) + "\t-" + std::to_string(c) +
             ".5\tsound " + std::to_string(c) + "\tphoto\n";
    const auto p = parseZeroShotPreset(s, "p.tsv");
    EXPECT_EQ(p.audioThresholds[3], 3.0F);
    EXPECT_EQ(p.visualThresholds[3], -3.5F);
    EXPECT_EQ(p.audioPrompts[24], "sound 24");
}

TEST(ZeroShotPreset, ErrorsNameTheProblem) {
    EXPECT_NE(errorOf(allRowsBut(4)).find("no row for class 'Cat'"), std::string::npos);
    EXPECT_NE(errorOf(allRowsBut(-1, "Dog\t1\t2\ta\tv\n")).find("'Dog' appears twice"),
              std::string::npos);
    EXPECT_NE(errorOf(allRowsBut(4, "Kat\t1\t2\ta\tv\n")).find("unknown class 'Kat'"),
              std::string::npos);
    EXPECT_NE(errorOf(allRowsBut(4, "Cat\tx1\t2\ta\tv\n")).find("audio threshold must be a number"),
              std::string::npos);
    EXPECT_NE(errorOf(allRowsBut(4, "Cat\t1\tnan\ta\tv\n")).find("visual threshold"),
              std::string::npos);
    EXPECT_NE(errorOf("class\taudio_threshold\n").find("visual_threshold"), std::string::npos);
}
