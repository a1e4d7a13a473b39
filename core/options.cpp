#include "core/options.h"
#include "core/quote.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace avvp::core {

Options::Options(int argc, char** argv, const std::set<std::string>& valued,
                 const std::set<std::string>& flags, bool positionals) {
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg == "-h" || arg == "--help") {
            help_ = true;
            continue;
        }
        if (arg.rfind("--", 0) != 0) {
            if (!positionals) throw UsageError("unexpected argument " + quote(arg));
            positional_.push_back(arg);
            continue;
        }
        std::string name = arg.substr(2);
        std::optional<std::string> inlineValue;
        if (const auto eq = name.find('='); eq != std::string::npos) {
            inlineValue = name.substr(eq + 1);
            name = name.substr(0, eq);
        }
        if (flags.contains(name)) {
            if (inlineValue) throw UsageError("option --" + oneLine(name, 80) + " takes no value");
            values_[name] = "1";
        } else if (valued.contains(name)) {
            if (inlineValue) {
                values_[name] = *inlineValue;
            } else {
                if (i + 1 >= argc)
                    throw UsageError("option --" + oneLine(name, 80) + " needs a value");
                values_[name] = argv[++i];
            }
        } else {
            throw UsageError("unknown option " + quote("--" + name));
        }
    }
}

std::optional<std::string> Options::get(const std::string& name) const {
    auto it = values_.find(name);
    if (it == values_.end()) return std::nullopt;
    return it->second;
}

std::string Options::require(const std::string& name) const {
    auto v = get(name);
    if (!v) throw UsageError("missing required option --" + name);
    return *v;
}

std::string Options::get(const std::string& name, const std::string& fallback) const {
    return get(name).value_or(fallback);
}

long Options::getInt(const std::string& name, long fallback, long min, long max) const {
    const auto v = get(name);
    if (!v) return fallback;
    long out = 0;
    const auto* end = v->data() + v->size();
    const auto r = std::from_chars(v->data(), end, out);
    if (r.ec != std::errc() || r.ptr != end || out < min || out > max)
        throw UsageError("--" + name + " must be a whole number in [" + std::to_string(min) + ", " +
                         std::to_string(max) + "], not " + quote(*v));
    return out;
}

double Options::getDouble(const std::string& name, double fallback, double min, double max) const {
    const auto v = get(name);
    if (!v) return fallback;
    char* end = nullptr;
    const double out = std::strtod(v->c_str(), &end);
    if (v->empty() || end != v->c_str() + v->size() || !std::isfinite(out) || out < min ||
        out > max) {
        char range[96];
        std::snprintf(range, sizeof range, "[%g, %g]", min, max);
        throw UsageError("--" + name + " must be a number in " + range + ", not " + quote(*v));
    }
    return out;
}

}  // namespace avvp::core
