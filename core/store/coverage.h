#pragma once
// How many videos of an evaluation's selection a scored set covers (store_evaluation.h
// computes it; the evaluation panel shows it). A plain value, so that views can show it
// without the store's scoring code.
#include <cstddef>
#include <string>

namespace avvp::store {

// How many videos of the selection a set covers: a prediction run those it holds events or
// probabilities for, a correction set those it holds events for. A partial run scored over
// every video of the split counts each video it left out as predicting nothing.
struct Coverage {
    std::size_t videos = 0;    // of the selection (the split, the store, the named ones)
    std::size_t covered = 0;   // of those, the ones the set covers
    bool coveredOnly = false;  // scored over the covered videos alone
    std::string scope;         // "of the test split", "in the store", "selected"
    bool complete() const { return covered == videos; }
    // "covers 4 of 1200 videos of the test split", "covers 1 of the 2 selected videos".
    std::string text() const;
};

}  // namespace avvp::store
