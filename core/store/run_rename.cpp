#include "core/store/run_rename.h"

#include "core/quote.h"
#include "core/store/store_impl.h"

namespace avvp::store {

namespace {

std::string trimmed(std::string_view s) {
    const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
    while (!s.empty() && blank(s.front())) s.remove_prefix(1);
    while (!s.empty() && blank(s.back())) s.remove_suffix(1);
    return std::string(s);
}

}  // namespace

std::string checkRunName(const Store& store, RunId run, std::string_view name) {
    auto clean = trimmed(name);
    if (clean.empty()) throw EditError("a run's name cannot be empty");
    if (const auto other = store.runByName(clean); other && other->id != run)
        throw EditError("another run is already named " + core::quote(clean));
    return clean;
}

std::string renameRun(Store& store, RunId run, std::string_view newName) {
    auto& d = store.impl();
    Store::Transaction tx(store);
    std::optional<std::string> old;
    {
        Rows r(d.run("SELECT name FROM runs WHERE id = ?", run));
        if (r.next()) old = r.str(0);
    }
    if (!old) throw EditError("no run with id " + std::to_string(run));
    auto name = checkRunName(store, run, newName);
    if (name == *old) return name;
    d.run("UPDATE runs SET name = ? WHERE id = ?", name, run);
    d.changed({.runs = true, .predictions = true, .evaluations = true});
    tx.commit();
    return name;
}

}  // namespace avvp::store
