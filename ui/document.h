#pragma once
// The views' window on the open project, as Sonic Visualiser's views see their models and
// never the document that owns them: read the store, the prediction run the views show and
// the thresholds applied to its probabilities, and ask for edits, each one undoable step.
// The application implements it over its session (app/studio/session_document.h). The
// views never open a store, run a model, train or evaluate: they show data and emit
// requests, which the application layer carries out.
#include <QObject>
#include <QString>
#include <optional>
#include <vector>

#include "core/prediction.h"
#include "core/store/store.h"

namespace avvp::ui {

class Document : public QObject {
    Q_OBJECT
  public:
    using QObject::QObject;

    // The project's store, nullptr when none is open. Read only: changes are edits.
    virtual const store::Store* store() const = 0;
    bool isOpen() const { return store() != nullptr; }
    virtual QString path() const = 0;
    virtual QString annotator() const = 0;

    // The prediction run the views show (nullopt: none), and every run of the project.
    virtual std::optional<store::RunId> run() const = 0;
    virtual void setRun(std::optional<store::RunId> run) = 0;
    virtual std::vector<store::Run> runs() const = 0;
    virtual std::optional<store::Run> currentRun() const = 0;
    // Threshold sliders: when set, the prediction rows are the run's probabilities
    // thresholded with these (a preview, not stored); nullopt shows the run's stored
    // prediction events (those accept / reject works on).
    virtual std::optional<core::Thresholds> thresholds() const = 0;
    virtual void setThresholds(std::optional<core::Thresholds> thresholds) = 0;

    // Applies the edits as one undo step (description: the store's when empty). When the
    // store refuses them nothing changes, editFailed() says why and false is returned.
    virtual bool apply(const std::vector<store::Edit>& edits, const QString& description = {}) = 0;
    bool apply(const store::Edit& edit) { return apply(std::vector<store::Edit>{edit}); }
    // The ids of the events the last successful apply() created or changed.
    virtual std::vector<store::EventId> lastEvents() const = 0;

  signals:
    void opened(const QString& path);
    void closed();
    // After every commit of the project's connection and when another connection wrote.
    void changed(const avvp::store::Change& change);
    void runChanged();
    void thresholdsChanged();
    void editFailed(const QString& message);
};

}  // namespace avvp::ui
