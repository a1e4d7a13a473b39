#pragma once
// The label store: one SQLite file per project, opened through Qt Sql (QSQLITE), in WAL
// mode with foreign keys, a busy timeout and synchronous=NORMAL (a committed transaction
// survives the process being killed; only an OS crash or power loss can lose the last
// ones). Every write is one transaction. The schema is versioned (PRAGMA user_version)
// and older stores are migrated when opened.
//
// A Store is one connection and belongs to the thread that opened it; a worker thread
// (an import, a model run) opens its own Store on the same file. Several processes may
// open one store at once: writers queue on the database lock (busy timeout).
//
// The header has no Qt types, so that every layer can use it.
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/progress.h"
#include "core/store/edit.h"
#include "core/store/records.h"

namespace avvp::store {

// A database failure (I/O error, lock held past the busy timeout, ...).
class StoreError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// An edit that cannot be applied (the event does not exist, bounds outside the video,
// a prediction edited in place, ...). Nothing was changed.
class EditError : public StoreError {
  public:
    using StoreError::StoreError;
};

// A write through a store opened read-only (Store::Options::readOnly, or a file or folder
// the user may not write). Nothing was changed.
class ReadOnlyError : public StoreError {
  public:
    using StoreError::StoreError;
};

// Undo or redo found an event changed since the edit (by another process or a bulk
// import). Nothing was changed.
class EditConflict : public EditError {
  public:
    using EditError::EditError;
};

// What changed, for views that show the store. Ids are given for event edits; bulk
// work sets the flags only (reload what you show).
struct Change {
    bool videos = false;
    bool events = false;
    bool history = false;
    bool runs = false;
    bool predictions = false;
    bool evaluations = false;
    bool external = false;  // another connection changed the file (see pollExternalChanges)
    std::vector<VideoId> videoIds = {};
    std::vector<EventId> eventIds = {};
};
using ChangeListener = std::function<void(const Change&)>;

class Store {
  public:
    struct Options {
        // Who edits: history, undo and redo are per annotator. Default: $USER.
        std::string annotator = {};
        bool create = true;         // create the file when it does not exist
        int busyTimeoutMs = 10000;  // how long a writer waits for another one
        // synchronous=FULL: every commit also survives a power cut, at the price of an
        // fsync per commit (NORMAL, the default, keeps commits through process kills).
        bool fullSync = false;
        // Open for reading only: nothing is written at open (no migration, no pragma that
        // writes) and every write throws ReadOnlyError. A store whose file or folder the
        // user may not write (or whose file nobody may write: no write permission bit) is
        // opened so without being asked. A store that needs a migration, or an empty file,
        // cannot be read so: open() asks to open it writable once. Without a -wal file
        // (the store is closed everywhere, or a copy of the file alone) the file is read
        // as immutable: no -wal / -shm file is created and no lock taken.
        bool readOnly = false;
    };
    enum class Access {
        ReadWrite,
        ReadOnlyAsked,        // Options::readOnly
        ReadOnlyNotWritable,  // the file or its folder is not writable
    };

    // Opens (creating and migrating as needed). Throws core::InputError naming the path
    // when the file is not an SQLite database, not an AVVP store, or from a newer
    // version of the program (or, read-only, needs a migration); StoreError on other
    // database failures.
    static std::unique_ptr<Store> open(const std::filesystem::path& path, Options options);
    static std::unique_ptr<Store> open(const std::filesystem::path& path);
    ~Store();
    Store(const Store&) = delete;
    Store& operator=(const Store&) = delete;

    static int schemaVersion();  // the version this program writes
    const std::filesystem::path& path() const;
    const std::string& annotator() const;
    Access access() const;
    bool readOnly() const { return access() != Access::ReadWrite; }
    StoreInfo info() const;
    // "ok", or SQLite's list of problems (PRAGMA integrity_check).
    std::string integrityCheck() const;

    // ---- videos --------------------------------------------------------------------
    // The video of that filename, created when absent (split, duration and media are
    // set when given and the stored value differs).
    VideoId ensureVideo(const NewVideo& video);
    std::optional<Video> video(VideoId id) const;
    std::optional<Video> videoByName(std::string_view filename) const;
    std::vector<VideoSummary> videos(const VideoFilter& filter = {}) const;
    std::int64_t videoCount() const;
    void setMedia(VideoId id, const std::string& mediaPath, std::int64_t durationMs = 0);
    void setWeakLabels(VideoId id, core::ClassSet classes);
    void setFeature(VideoId id, const Feature& feature);
    std::vector<Feature> features(VideoId id) const;

    // ---- events --------------------------------------------------------------------
    std::vector<Event> events(const EventFilter& filter) const;
    std::vector<Event> events(VideoId video, EventFilter filter = {}) const;
    std::optional<Event> event(EventId id) const;
    // Replaces the events of one video, modality and source (predictions: of `run`;
    // corrections: of `annotator`) with `events`, keeping ids when nothing differs.
    // Marks dense ground truth present for that modality when source is GroundTruth.
    // Bulk work, not an edit: no history. Returns whether anything changed.
    bool replaceEvents(VideoId video, core::Modality modality, Source source,
                       const std::vector<NewEvent>& events, std::optional<RunId> run = {},
                       const std::string& annotator = {});

    // ---- edits, undo and redo (per annotator, across restarts) ----------------------
    // The undo cursor is per annotator and lives in the store: each annotator has one
    // linear history (done entries, then the undone ones redo() reapplies), so undo
    // never takes back someone else's work and survives restarts. The same annotator in
    // two processes shares one history. A GUI wraps each Edit in a QUndoCommand whose
    // first redo() calls apply(), later ones redo(), and undo() undo().
    EditResult apply(const Edit& edit);
    // Several edits as one history entry (one undo step), e.g. a multi-selection move.
    EditResult apply(const std::vector<Edit>& edits, const std::string& description = {});
    bool canUndo() const;
    bool canRedo() const;
    std::optional<HistoryEntry> undoEntry() const;  // what undo() would revert
    std::optional<HistoryEntry> redoEntry() const;  // what redo() would reapply
    // Throw EditError when there is nothing to undo / redo, EditConflict when an event
    // was changed since.
    HistoryEntry undo();
    HistoryEntry redo();
    // This annotator's history, oldest first (the latest `limit` entries; 0 = all),
    // including the undone entries that redo() would reapply.
    std::vector<HistoryEntry> history(std::size_t limit = 0) const;

    // ---- models, runs, probabilities, evaluations -------------------------------------
    ModelId addModel(const Model& model);  // by name: returns the existing id when present
    std::vector<Model> models() const;
    RunId addRun(const Run& run);  // by name: returns the existing id when present
    std::optional<Run> runByName(std::string_view name) const;
    // The run named `name`; otherwise a core::InputError naming the store and listing its
    // runs ("has no run named 'x' (runs: 'a', 'b')", or "(it holds no run)").
    Run requireRun(std::string_view name) const;
    std::vector<Run> runs() const;
    // Deletes the run with its prediction events and probabilities (corrections
    // accepted from it stay, without the link).
    void deleteRun(RunId run);
    // Stores probabilities (replacing the run's earlier ones for those videos); with
    // `events`, also replaces the run's prediction events of those videos with the
    // thresholded runs (cell on when frame >= frame threshold and global >= global
    // threshold of the run), one per maximal run of segments (1 s each).
    void putProbabilities(RunId run, const std::vector<SegmentProbabilities>& probabilities,
                          bool events = true);
    std::optional<SegmentProbabilities> probabilities(RunId run, VideoId video) const;
    // Every video of the run (of a split), in video order: one query.
    std::vector<SegmentProbabilities> probabilities(RunId run,
                                                    std::optional<core::Split> split = {}) const;
    // The named outputs a run computed for a video besides its probabilities (replacing
    // the earlier ones of that video); a run's outputs go with it when it is deleted.
    // Throws EditError when a shape does not fit its data.
    void putRunOutputs(RunId run, VideoId video, const std::vector<OutputArray>& outputs);
    // Empty when the run stored none for the video.
    std::vector<OutputArray> runOutputs(RunId run, VideoId video) const;
    EvaluationId addEvaluation(const Evaluation& evaluation);
    std::vector<Evaluation> evaluations(std::optional<RunId> run = {}) const;

    // ---- bulk writes and notifications -----------------------------------------------
    // Groups writes into one transaction (BEGIN IMMEDIATE); nests. Without commit(), the
    // destructor rolls everything back.
    class Transaction {
      public:
        explicit Transaction(Store& store);
        ~Transaction();
        void commit();
        Transaction(const Transaction&) = delete;
        Transaction& operator=(const Transaction&) = delete;

      private:
        Store& store_;
        bool done_ = false;
    };

    // Listeners run after each commit, on the thread that committed.
    int subscribe(ChangeListener listener);
    void unsubscribe(int id);
    // Whether another connection (process) wrote since the last call; notifies the
    // listeners with Change::external when so.
    bool pollExternalChanges();

    struct Impl;
    Impl& impl() { return *impl_; }  // for the store's own importers (store_impl.h)

  private:
    explicit Store(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace avvp::store
