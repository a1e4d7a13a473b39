#pragma once
// Audacity label tracks (File > Export > Labels; also read by Sonic Visualiser): one label
// per line, `start<TAB>end<TAB>label`, times in seconds (Audacity writes six decimals);
// lines starting with a backslash carry a label's frequency range and are skipped. A
// track belongs to one audio file, so we keep one file per video and modality, named
// `<video>.<audio|visual>.txt`, holding that modality's events of every class.
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include "core/formats/label_document.h"

namespace avvp::core {

// Events of modality m; throws InputError (file:line) on a malformed line. Point labels
// (start == end) are tolerated and reported in `notes`.
std::vector<LabelEvent> parseAudacityLabels(std::string_view text, const std::string& name,
                                            Modality m, std::vector<Anomaly>* notes = nullptr);

// The events of modality m, sorted by onset.
void writeAudacityLabels(std::ostream& out, const std::vector<LabelEvent>& events, Modality m);

// "<video>.audio.txt" and back (nullopt when the name does not end that way).
std::string audacityFileName(std::string_view video, Modality m);
struct AudacityFileName {
    std::string video;
    Modality modality = Modality::Audio;
};
std::optional<AudacityFileName> parseAudacityFileName(std::string_view fileName);

}  // namespace avvp::core
