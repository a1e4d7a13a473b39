#pragma once
// Copying a whole project between stores: SQLite to PostgreSQL, PostgreSQL to SQLite (or
// either to its own kind), losslessly. Every table the schema has (videos, labels, weak
// labels, features, events with their ids and provenance, the edit history, models, runs,
// probabilities, run outputs, evaluations, review tables, ...) is copied row by row with
// its ids, in one transaction on the target.
#include <cstdint>
#include <string>
#include <vector>

#include "core/progress.h"
#include "core/store/store.h"

namespace avvp::store {

// The tables of a store in copy order (tables others refer to first), without the ones
// both stores create themselves (classes) and the bookkeeping of either database.
std::vector<std::string> storeTables(Store& store);

// Whether the store holds anything a copy would overwrite (videos, events, edits, runs,
// models, evaluations).
bool storeHasData(Store& store);

struct CopyReport {
    std::int64_t tables = 0;
    std::int64_t rows = 0;
    std::vector<std::pair<std::string, std::int64_t>> perTable;  // rows per table, copy order
};

// Copies `from` into `to`. Throws EditError when `to` holds data, unless `replace`
// (then its rows go first, in the same transaction). Nothing changes in `to` when it fails.
CopyReport copyStore(Store& from, Store& to, bool replace = false,
                     core::Progress* progress = nullptr);

// Every row of a table as text (one line per row, columns separated by tabs, values in a
// form equal on SQLite and PostgreSQL: blobs in hex, reals with 17 digits), sorted: for
// comparing stores.
std::vector<std::string> tableRows(Store& store, const std::string& table);

}  // namespace avvp::store
