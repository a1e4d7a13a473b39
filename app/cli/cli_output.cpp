#include "app/cli/cli_output.h"

#include <ostream>

namespace avvp::app {

void printAnomalyNotes(std::ostream& out,
                       const std::map<std::string, std::vector<core::Anomaly>>& byFile,
                       std::string_view heading, std::string_view orphanName) {
    bool first = true;
    for (const auto& [file, anomalies] : byFile) {
        if (anomalies.empty()) continue;
        std::map<core::AnomalyKind, std::pair<int, long>> counts;  // count, first line
        for (const auto& a : anomalies) {
            auto& c = counts[a.kind];
            if (c.first++ == 0) c.second = a.line;
        }
        if (first) out << "\n" << heading << "\n";
        first = false;
        out << "  " << file << ":";
        const char* sep = " ";
        for (const auto& [kind, c] : counts) {
            out << sep << c.first << " x "
                << (kind == core::AnomalyKind::Orphan ? orphanName : core::anomalyName(kind));
            if (c.second > 0) out << " (first on line " << c.second << ")";
            sep = ", ";
        }
        out << '\n';
    }
}

}  // namespace avvp::app
