#include "app/cli/options.h"

namespace avvp::app {

Options::Options(int argc, char** argv, const std::set<std::string>& valued,
                 const std::set<std::string>& flags, bool positionals) {
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg == "-h" || arg == "--help") {
            help_ = true;
            continue;
        }
        if (arg.rfind("--", 0) != 0) {
            if (!positionals) throw UsageError("unexpected argument '" + arg + "'");
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
            if (inlineValue) throw UsageError("option --" + name + " takes no value");
            values_[name] = "1";
        } else if (valued.contains(name)) {
            if (inlineValue) {
                values_[name] = *inlineValue;
            } else {
                if (i + 1 >= argc) throw UsageError("option --" + name + " needs a value");
                values_[name] = argv[++i];
            }
        } else {
            throw UsageError("unknown option --" + name);
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

}  // namespace avvp::app
