#include "core/zero_shot_preset.h"

#include "core/error.h"
#include "core/llp_files.h"
#include "core/quote.h"
#include "core/taxonomy.h"
#include "core/text_table.h"

#include <charconv>
#include <cmath>

namespace avvp::core {

namespace {

float number(const TsvTable& t, std::size_t column, const char* what) {
    const auto s = t.field(column);
    float v = 0.0F;
    const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc() || ptr != s.data() + s.size() || !std::isfinite(v))
        t.fail(std::string("the ") + what + " must be a number, not " + quote(s));
    return v;
}

}  // namespace

ZeroShotPreset parseZeroShotPreset(std::string_view text, const std::string& name) {
    requireUtf8(text, name);
    TsvTable t(text, name,
               {"class", "audio_threshold", "visual_threshold", "audio_prompt", "visual_prompt"});
    ZeroShotPreset p;
    p.audioThresholds.assign(kNumClasses, 0.0F);
    p.visualThresholds.assign(kNumClasses, 0.0F);
    p.audioPrompts.assign(kNumClasses, {});
    p.visualPrompts.assign(kNumClasses, {});
    std::vector<bool> seen(kNumClasses, false);
    while (t.next()) {
        const auto cls = t.field(0);
        const auto c = classIndex(cls);
        if (!c) t.fail("unknown class " + quote(cls));
        if (seen[*c]) t.fail("class " + quote(cls) + " appears twice");
        seen[*c] = true;
        p.audioThresholds[*c] = number(t, 1, "audio threshold");
        p.visualThresholds[*c] = number(t, 2, "visual threshold");
        p.audioPrompts[*c] = std::string(t.field(3));
        p.visualPrompts[*c] = std::string(t.field(4));
    }
    for (int c = 0; c < kNumClasses; ++c)
        if (!seen[c])
            throw InputError(name, 0,
                             "no row for class " + quote(kClassNames[c]) +
                                 " (a preset has one row per LLP class)");
    return p;
}

ZeroShotPreset readZeroShotPreset(const std::filesystem::path& file) {
    return parseZeroShotPreset(readTextFile(file), file.string());
}

}  // namespace avvp::core
