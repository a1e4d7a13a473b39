-- A store as schema version 1 of AVVP Studio wrote it (frozen: do not edit). Two videos,
-- weak labels, ground truth, and a correction that alice added and then moved: both
-- edits are in the log, whose event snapshots predate the columns version 2 added.
-- tests/store/tst_store_schema.cpp opens it with the current code (migration to the
-- latest version) and undoes / redoes alice's edits.
PRAGMA application_id = 1096177232;  -- "AVVP"
PRAGMA user_version = 1;
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE classes(id INTEGER PRIMARY KEY CHECK(id BETWEEN 0 AND 24), name TEXT NOT NULL UNIQUE);
CREATE TABLE videos(id INTEGER PRIMARY KEY AUTOINCREMENT, filename TEXT NOT NULL UNIQUE, split TEXT CHECK(split IN ('train', 'val', 'test')), duration_ms INTEGER CHECK(duration_ms IS NULL OR duration_ms > 0), media_path TEXT, gt_audio INTEGER NOT NULL DEFAULT 0 CHECK(gt_audio IN (0, 1)), gt_visual INTEGER NOT NULL DEFAULT 0 CHECK(gt_visual IN (0, 1)), added_at INTEGER NOT NULL);
CREATE INDEX videos_split ON videos(split);
CREATE TABLE weak_labels(video_id INTEGER NOT NULL REFERENCES videos(id) ON DELETE CASCADE, class_id INTEGER NOT NULL REFERENCES classes(id), PRIMARY KEY(video_id, class_id)) WITHOUT ROWID;
CREATE TABLE features(video_id INTEGER NOT NULL REFERENCES videos(id) ON DELETE CASCADE, kind TEXT NOT NULL, path TEXT NOT NULL, shape TEXT NOT NULL DEFAULT '', PRIMARY KEY(video_id, kind)) WITHOUT ROWID;
CREATE TABLE events(id INTEGER PRIMARY KEY AUTOINCREMENT, video_id INTEGER NOT NULL REFERENCES videos(id) ON DELETE CASCADE, modality INTEGER NOT NULL CHECK(modality IN (0, 1)), class_id INTEGER NOT NULL REFERENCES classes(id), onset_ms INTEGER NOT NULL CHECK(onset_ms >= 0), offset_ms INTEGER NOT NULL, source INTEGER NOT NULL CHECK(source IN (0, 1, 2)), annotator TEXT NOT NULL DEFAULT '', created_at INTEGER NOT NULL, modified_at INTEGER NOT NULL, CHECK(offset_ms > onset_ms));
CREATE INDEX events_video ON events(video_id, source, modality);
CREATE TABLE edits(id INTEGER PRIMARY KEY AUTOINCREMENT, annotator TEXT NOT NULL, at INTEGER NOT NULL, kind TEXT NOT NULL, description TEXT NOT NULL, changes TEXT NOT NULL, state INTEGER NOT NULL DEFAULT 0 CHECK(state IN (0, 1, 2)), state_at INTEGER);
CREATE INDEX edits_cursor ON edits(annotator, state, id);
INSERT INTO meta(key, value) VALUES('created_at', '1700000000000');
INSERT INTO classes(id, name) VALUES(0, 'Speech');
INSERT INTO classes(id, name) VALUES(1, 'Car');
INSERT INTO classes(id, name) VALUES(2, 'Cheering');
INSERT INTO classes(id, name) VALUES(3, 'Dog');
INSERT INTO classes(id, name) VALUES(4, 'Cat');
INSERT INTO classes(id, name) VALUES(5, 'Frying_(food)');
INSERT INTO classes(id, name) VALUES(6, 'Basketball_bounce');
INSERT INTO classes(id, name) VALUES(7, 'Fire_alarm');
INSERT INTO classes(id, name) VALUES(8, 'Chainsaw');
INSERT INTO classes(id, name) VALUES(9, 'Cello');
INSERT INTO classes(id, name) VALUES(10, 'Banjo');
INSERT INTO classes(id, name) VALUES(11, 'Singing');
INSERT INTO classes(id, name) VALUES(12, 'Chicken_rooster');
INSERT INTO classes(id, name) VALUES(13, 'Violin_fiddle');
INSERT INTO classes(id, name) VALUES(14, 'Vacuum_cleaner');
INSERT INTO classes(id, name) VALUES(15, 'Baby_laughter');
INSERT INTO classes(id, name) VALUES(16, 'Accordion');
INSERT INTO classes(id, name) VALUES(17, 'Lawn_mower');
INSERT INTO classes(id, name) VALUES(18, 'Motorcycle');
INSERT INTO classes(id, name) VALUES(19, 'Helicopter');
INSERT INTO classes(id, name) VALUES(20, 'Acoustic_guitar');
INSERT INTO classes(id, name) VALUES(21, 'Telephone_bell_ringing');
INSERT INTO classes(id, name) VALUES(22, 'Baby_cry_infant_cry');
INSERT INTO classes(id, name) VALUES(23, 'Blender');
INSERT INTO classes(id, name) VALUES(24, 'Clapping');
INSERT INTO videos(id, filename, split, duration_ms, media_path, gt_audio, gt_visual, added_at) VALUES(1, '-0A9suni5YA_30_40', 'test', 10000, NULL, 1, 1, 1700000000000);
INSERT INTO videos(id, filename, split, duration_ms, media_path, gt_audio, gt_visual, added_at) VALUES(2, 'user_clip', NULL, NULL, '/data/user_clip.mp4', 0, 0, 1700000000001);
INSERT INTO weak_labels(video_id, class_id) VALUES(1, 0);
INSERT INTO weak_labels(video_id, class_id) VALUES(1, 3);
INSERT INTO features(video_id, kind, path, shape) VALUES(1, 'audio', '/feats/audio/-0A9suni5YA.npy', '10,128');
INSERT INTO events(id, video_id, modality, class_id, onset_ms, offset_ms, source, annotator, created_at, modified_at) VALUES(1, 1, 0, 0, 0, 3000, 0, '', 1700000000000, 1700000000000);
INSERT INTO events(id, video_id, modality, class_id, onset_ms, offset_ms, source, annotator, created_at, modified_at) VALUES(2, 1, 1, 3, 2000, 10000, 0, '', 1700000000000, 1700000000000);
INSERT INTO events(id, video_id, modality, class_id, onset_ms, offset_ms, source, annotator, created_at, modified_at) VALUES(3, 1, 0, 3, 4000, 6000, 2, 'alice', 1700000000100, 1700000000200);
INSERT INTO edits(id, annotator, at, kind, description, changes, state, state_at) VALUES(1, 'alice', 1700000000100, 'add', 'Add Dog (audio) 3–5 s', '[{"id":3,"before":null,"after":{"video":1,"modality":0,"class":3,"onset":3000,"offset":5000,"source":2,"annotator":"alice","created":1700000000100,"modified":1700000000100}}]', 0, NULL);
INSERT INTO edits(id, annotator, at, kind, description, changes, state, state_at) VALUES(2, 'alice', 1700000000200, 'move', 'Move Dog (audio) to 4–6 s', '[{"id":3,"before":{"video":1,"modality":0,"class":3,"onset":3000,"offset":5000,"source":2,"annotator":"alice","created":1700000000100,"modified":1700000000100},"after":{"video":1,"modality":0,"class":3,"onset":4000,"offset":6000,"source":2,"annotator":"alice","created":1700000000100,"modified":1700000000200}}]', 0, NULL);
